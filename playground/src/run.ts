// Runs one Image API request (generation, edit or variation) the way the
// form built it, streaming or not, and reports what has arrived so far.
import { call, callJson, fromBase64, streamEvents } from "./api";
import type { Endpoint } from "./models";

export interface Usage {
  input_tokens?: number;
  output_tokens?: number;
  total_tokens?: number;
}

export interface Inputs {
  images: Blob[];
  mask?: Blob;
}

export interface Progress {
  /** The newest partial image, while the pictures are still forming. */
  partial?: Blob;
  partialIndex?: number;
  pictures: Blob[];
  usage?: Usage;
  explain?: Record<string, unknown> | null;
  revisedPrompt?: string;
}

type Fields = Record<string, string | number | boolean>;

interface ImagesResponse {
  data: { b64_json?: string; url?: string; revised_prompt?: string }[];
  usage?: Usage;
  explain?: Record<string, unknown> | null;
  output_format?: string;
}

/** The request body: JSON for generations, multipart for edits and variations (as the API and curl -F send them). */
function body(endpoint: Endpoint, fields: Fields, inputs: Inputs): { json?: Fields; form?: FormData } {
  if (endpoint === "generations") return { json: fields };
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, String(value));
  inputs.images.forEach((image, i) => form.append(inputs.images.length > 1 ? "image[]" : "image", image, inputName(i, image)));
  if (inputs.mask) form.append("mask", inputs.mask, "mask.png");
  return { form };
}

/** The file extension of a picture's type. */
export const extensionOf = (blob: Blob) => ({ "image/jpeg": "jpeg", "image/webp": "webp" })[blob.type] ?? "png";

/** The names input files carry in the request and in the copied snippets. */
export const inputName = (index: number, image: Blob) => `input-${index + 1}.${extensionOf(image)}`;

export async function runImages(endpoint: Endpoint, fields: Fields, inputs: Inputs, onProgress: (progress: Progress) => void, signal: AbortSignal): Promise<Progress> {
  // output_format is png, jpeg or webp: each is its own MIME subtype.
  const type = `image/${fields.output_format ?? "png"}`;
  const progress: Progress = { pictures: [] };
  const request = { ...body(endpoint, fields, inputs), signal };
  if (!fields.stream) {
    const answer = await callJson<ImagesResponse>(`/images/${endpoint}`, request);
    for (const item of answer.data) {
      progress.pictures.push(item.b64_json ? new Blob([fromBase64(item.b64_json)], { type }) : await (await fetch(item.url!, { signal })).blob());
      progress.revisedPrompt ??= item.revised_prompt;
    }
    progress.usage = answer.usage;
    progress.explain = answer.explain;
    onProgress({ ...progress });
    return progress;
  }
  const response = await call(`/images/${endpoint}`, request);
  for await (const event of streamEvents(response)) {
    if (event.type.endsWith(".partial_image")) {
      progress.partial = new Blob([fromBase64(event.b64_json as string)], { type });
      progress.partialIndex = event.partial_image_index as number;
    } else if (event.type.endsWith(".completed")) {
      progress.pictures.push(new Blob([fromBase64(event.b64_json as string)], { type }));
      progress.partial = undefined;
      progress.usage = event.usage as Usage;
      progress.explain = event.explain as Record<string, unknown> | null | undefined;
    }
    onProgress({ ...progress });
  }
  return progress;
}
