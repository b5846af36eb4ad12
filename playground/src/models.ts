// What each model takes, from /v1/models (Easel's `easel` extension on each
// model object), and the options form's state turned into the exact request
// fields, with the reason for every choice that the API would refuse.
import { callJson } from "./api";

export type Endpoint = "generations" | "edits" | "variations";

export interface Capabilities {
  engine: string;
  family: "gpt-image" | "dall-e-2" | "dall-e-3";
  endpoints: Endpoint[];
  sizes: string[];
  qualities: string[];
  max_n: number;
  max_prompt_length: number;
  max_input_images: number;
  input_formats: string[];
  square_inputs: boolean;
  response_formats: boolean;
  gpt_image_options: boolean;
  input_fidelity: boolean;
  style: boolean;
  usage: boolean;
  extensions: string[];
}

export interface Model {
  id: string;
  owned_by: string;
  easel: Capabilities;
}

export async function listModels(): Promise<Model[]> {
  const list = await callJson<{ data: Model[] }>("/models");
  return list.data.filter((model) => model.easel !== undefined);
}

/** The options form: text fields stay text until they are sent ("" means leave it out). */
export interface ImageOptions {
  size: string;
  quality: string;
  n: number;
  output_format: "png" | "jpeg" | "webp";
  output_compression: number;
  background: "auto" | "opaque" | "transparent";
  moderation: "auto" | "low";
  stream: boolean;
  partial_images: number;
  response_format: "b64_json" | "url";
  style: "vivid" | "natural";
  input_fidelity: "low" | "high";
  seed: string;
  negative_prompt: string;
  guidance_scale: string;
  steps: string;
  strength: string;
  explain: boolean;
}

export const defaultOptions: ImageOptions = {
  size: "auto",
  quality: "auto",
  n: 1,
  output_format: "png",
  output_compression: 100,
  background: "auto",
  moderation: "auto",
  stream: true,
  partial_images: 2,
  response_format: "b64_json",
  style: "vivid",
  input_fidelity: "low",
  seed: "",
  negative_prompt: "",
  guidance_scale: "",
  steps: "",
  strength: "",
  explain: false,
};

/** Options carried over from another model, moved to values the new one takes. */
export function fitOptions(options: ImageOptions, caps: Capabilities): ImageOptions {
  const fitted = { ...options };
  // The API's own default when the size is left out: auto, else 1024x1024.
  if (!caps.sizes.includes(fitted.size)) fitted.size = ["auto", "1024x1024"].find((size) => caps.sizes.includes(size)) ?? caps.sizes[0];
  if (!caps.qualities.includes(fitted.quality)) fitted.quality = "auto";
  fitted.n = Math.min(Math.max(1, fitted.n), caps.max_n);
  return fitted;
}

/** Why the API would refuse a choice, by option and value; a choice that is not here is allowed. */
export function refusals(options: ImageOptions, caps: Capabilities): Partial<Record<string, Record<string, string>>> {
  const why: Partial<Record<string, Record<string, string>>> = {};
  if (caps.gpt_image_options) {
    if (options.output_format === "jpeg") why.background = { transparent: "JPEG has no transparency: choose PNG or WebP for a transparent background." };
    if (options.background === "transparent") why.output_format = { jpeg: "A transparent background needs PNG or WebP." };
  }
  return why;
}

/** Whole controls that do not apply with the other choices, and why. */
export function inactive(options: ImageOptions, caps: Capabilities): Partial<Record<keyof ImageOptions, string>> {
  const why: Partial<Record<keyof ImageOptions, string>> = {};
  if (options.output_format === "png") why.output_compression = "PNG is lossless: compression applies to JPEG and WebP.";
  if (!options.stream) why.partial_images = "Partial images come only in a stream: turn on streaming.";
  if (caps.max_n === 1) why.n = `${caps.family} makes one picture per request.`;
  return why;
}

const has = (caps: Capabilities, extension: string) => caps.extensions.includes(extension);

/** The request's fields for this endpoint: what the form says, only what the model takes. */
export function requestFields(endpoint: Endpoint, model: Model, prompt: string, options: ImageOptions): Record<string, string | number | boolean> {
  const caps = model.easel;
  const fields: Record<string, string | number | boolean> = { model: model.id };
  if (endpoint !== "variations") fields.prompt = prompt;
  if (options.n !== 1) fields.n = options.n;
  fields.size = options.size;
  if (endpoint !== "variations" && options.quality !== "auto") fields.quality = options.quality;
  if (caps.gpt_image_options) {
    fields.output_format = options.output_format;
    if (options.output_format !== "png") fields.output_compression = options.output_compression;
    if (options.background !== "auto") fields.background = options.background;
    if (options.moderation !== "auto") fields.moderation = options.moderation;
    if (endpoint === "edits" && caps.input_fidelity && options.input_fidelity !== "low") fields.input_fidelity = options.input_fidelity;
    if (options.stream) {
      fields.stream = true;
      fields.partial_images = options.partial_images;
    }
  }
  if (caps.response_formats) fields.response_format = options.response_format;
  if (caps.style && endpoint === "generations") fields.style = options.style;
  if (has(caps, "seed") && options.seed.trim() !== "") fields.seed = Number(options.seed);
  if (has(caps, "explain") && options.explain && endpoint !== "variations") fields.explain = true;
  if (endpoint !== "variations") {
    if (has(caps, "negative_prompt") && options.negative_prompt.trim() !== "") fields.negative_prompt = options.negative_prompt;
    if (has(caps, "guidance_scale") && options.guidance_scale !== "") fields.guidance_scale = Number(options.guidance_scale);
  }
  if (has(caps, "steps") && options.steps !== "") fields.steps = Number(options.steps);
  if (endpoint !== "generations" && has(caps, "strength") && options.strength !== "") fields.strength = Number(options.strength);
  return fields;
}
