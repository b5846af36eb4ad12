// The one request model: every endpoint's wire fields become an ImageRequest,
// checked against OpenAI's schema and the model's per-family rules, with every
// `auto` resolved. prepareImageRequest does it all (the routes and the CLI call
// it); its steps are parseImageParams, chooseModel, decoding, buildImageRequest.
import { randomInt } from "node:crypto";
import { z } from "zod";
import type { Background, ImageJob, JobMode, Quality, RawImage } from "./engines/engine.js";
import { ApiError, errors } from "./errors.js";
import { MAX_NAME } from "./limits.js";
import { checkMask, decodeImage, type DecodedImage, type ImageUpload } from "./imaging/decode.js";
import { defaultSize, type Endpoint } from "./models/families.js";
import type { ModelCatalog, ModelEntry } from "./models/registry.js";

export type OutputFormat = "png" | "jpeg" | "webp";

const nullable = <T extends z.ZodType>(schema: T) => schema.nullish();
const MAX_SEED = 2 ** 32 - 1;

/** OpenAI's request fields plus Easel's documented extensions: `seed`, `explain`, and for diffusion models `negative_prompt`, `guidance_scale`, `strength`, `steps`. */
const wireFields = {
  prompt: z.string(),
  model: nullable(z.string().max(MAX_NAME)),
  n: nullable(z.int().min(1).max(10)),
  quality: nullable(z.enum(["standard", "hd", "low", "medium", "high", "auto"])),
  size: nullable(z.string().max(MAX_NAME)),
  response_format: nullable(z.enum(["url", "b64_json"])),
  output_format: nullable(z.enum(["png", "jpeg", "webp"])),
  output_compression: nullable(z.int().min(0).max(100)),
  background: nullable(z.enum(["transparent", "opaque", "auto"])),
  moderation: nullable(z.enum(["low", "auto"])),
  style: nullable(z.enum(["vivid", "natural"])),
  stream: nullable(z.boolean()),
  partial_images: nullable(z.int().min(0).max(3)),
  input_fidelity: nullable(z.enum(["high", "low"])),
  user: nullable(z.string().max(MAX_NAME)),
  seed: nullable(z.int().min(0).max(MAX_SEED)),
  negative_prompt: nullable(z.string().max(32000)),
  guidance_scale: nullable(z.number().min(0).max(50)),
  strength: nullable(z.number().min(0.01).max(1)),
  steps: nullable(z.int().min(1).max(200)),
  explain: nullable(z.boolean()),
};

const { prompt, quality, background, moderation, output_format, output_compression, stream, partial_images, input_fidelity, style, negative_prompt, guidance_scale, strength, ...common } = wireFields;
const gptOnly = { quality, background, moderation, output_format, output_compression, stream, partial_images };

const schemas = {
  generations: z.strictObject({ prompt, ...common, ...gptOnly, style, negative_prompt, guidance_scale }),
  edits: z.strictObject({ prompt, ...common, ...gptOnly, input_fidelity, negative_prompt, guidance_scale, strength }),
  variations: z.strictObject({ ...common, strength }),
};

/** Fields that only the GPT image models accept; their presence picks a GPT image model by default. */
const GPT_ONLY_FIELDS = ["output_format", "output_compression", "background", "moderation", "stream", "partial_images", "input_fidelity"] as const;

export type ImageParams = z.infer<typeof schemas.generations> & z.infer<typeof schemas.edits>;

/** Multipart sends every field as text; turn numbers and booleans back into JSON values first. */
export function coerceFormFields(fields: Record<string, string>): Record<string, unknown> {
  const numeric = new Set(["n", "output_compression", "partial_images", "seed", "guidance_scale", "strength", "steps"]);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (numeric.has(key) && /^-?\d+(\.\d+)?$/.test(value.trim())) out[key] = Number(value);
    else if ((key === "stream" || key === "explain") && (value === "true" || value === "false")) out[key] = value === "true";
    else out[key] = value;
  }
  return out;
}

function toApiError(issue: z.core.$ZodIssue, input: Record<string, unknown>): ApiError {
  const param = issue.path.map(String).join(".");
  const value = input[param];
  switch (issue.code) {
    case "unrecognized_keys":
      return errors.unknownParam(issue.keys[0]);
    case "invalid_type":
      if (value === undefined) return errors.missingParam(param);
      return errors.invalidType(param, issue.expected === "int" ? "an integer" : `a ${issue.expected}`, value);
    case "invalid_value":
      return errors.invalidValue(param, value, issue.values.map(String));
    case "too_small":
      return errors.belowMin(param, Number(issue.minimum), Number(value));
    case "too_big":
      if (typeof value === "string") return errors.stringTooLong(param, Number(issue.maximum), value.length);
      return errors.aboveMax(param, Number(issue.maximum), Number(value));
    default:
      return errors.invalidType(param, "a valid value", value);
  }
}

/** Checks the wire fields for one endpoint against OpenAI's schema. */
export function parseImageParams(endpoint: Endpoint, input: Record<string, unknown>): ImageParams {
  const parsed = schemas[endpoint].safeParse(input);
  if (!parsed.success) throw toApiError(parsed.error.issues[0], input);
  return parsed.data as ImageParams;
}

export interface ModelDefaults {
  defaultModel: string;
  defaultGptImageModel: string;
}

/**
 * Picks the model (OpenAI's defaults: dall-e-2 unless a GPT-only field is
 * used; edits default to a GPT image model) and applies its rules.
 */
export function chooseModel(endpoint: Endpoint, params: ImageParams, registry: ModelCatalog, defaults: ModelDefaults): ModelEntry {
  let name = params.model ?? undefined;
  if (!name) {
    const wantsGpt = GPT_ONLY_FIELDS.some((field) => params[field] != null) || params.quality === "low" || params.quality === "medium" || params.quality === "high";
    name = endpoint === "variations" ? "dall-e-2" : endpoint === "edits" || wantsGpt ? defaults.defaultGptImageModel : defaults.defaultModel;
  }
  const model = registry.get(name);
  if (!model) throw errors.modelNotFound(name);
  if (!model.family.endpoints.includes(endpoint)) throw errors.unsupportedEndpointForModel(name, `image ${endpoint}`);
  checkModelRules(endpoint, params, model);
  return model;
}

/** Per-model rules that the schema alone cannot express. */
function checkModelRules(endpoint: Endpoint, params: ImageParams, model: ModelEntry): void {
  const { family } = model;
  if (endpoint !== "variations") {
    if (params.prompt.trim() === "") throw errors.emptyString("prompt");
    if (params.prompt.length > family.maxPromptLength) throw errors.stringTooLong("prompt", family.maxPromptLength, params.prompt.length);
  }
  if (params.n != null && params.n > family.maxN) throw errors.aboveMax("n", family.maxN, params.n);
  if (params.size != null && !family.sizes.includes(params.size)) throw errors.invalidValue("size", params.size, family.sizes);
  if (params.quality != null && !family.qualities.includes(params.quality)) throw errors.invalidValue("quality", params.quality, family.qualities);
  if (params.response_format != null && !family.responseFormats) throw errors.unknownParam("response_format");
  if (params.style != null && !family.style) throw errors.unsupportedForModel("style", model.id);
  if (!family.gptImageOptions) {
    for (const field of GPT_ONLY_FIELDS) if (params[field] != null) throw errors.unsupportedForModel(field, model.id);
  }
  if (params.input_fidelity != null && !takesInputFidelity(model)) throw errors.unsupportedForModel("input_fidelity", model.id);
  const format = params.output_format ?? "png";
  if (params.background === "transparent" && format === "jpeg") {
    throw errors.unsupportedValue("background", "Transparent background is only supported with the 'png' and 'webp' output formats.");
  }
  if (params.output_compression != null && format === "png" && params.output_compression !== 100) {
    throw errors.unsupportedValue("output_compression", "The 'output_compression' parameter is only supported with the 'jpeg' and 'webp' output formats.");
  }
}

/** OpenAI's mini image models refuse `input_fidelity`; the other GPT image models take it. */
export function takesInputFidelity(model: ModelEntry): boolean {
  return model.family.gptImageOptions && !model.id.includes("mini");
}

/** What the client gets back besides the pictures. */
export interface ImageRequest {
  endpoint: Endpoint;
  model: ModelEntry;
  job: ImageJob;
  outputFormat: OutputFormat;
  /** jpeg/webp quality, 0–100. */
  compression: number;
  responseFormat: "b64_json" | "url";
  stream: boolean;
  moderation: "auto" | "low";
  /** Whether the pictures in and out are classified too, not only the prompt: the model's `moderatePictures`, else the server's. */
  moderatePictures: boolean;
  /** Set for models that revise prompts (dall-e-3). */
  revisedPrompt?: string;
  /** The client asked for the engine's plan beside the pictures (extension). */
  explain: boolean;
}

const PORTRAIT_WORDS = /\b(portrait|vertical|tall|poster|phone wallpaper|full[- ]length|standing)\b/i;
const LANDSCAPE_WORDS = /\b(landscape|panorama|panoramic|wide|widescreen|banner|horizon|skyline)\b/i;
/** A prompt that asks for see-through output in so many words. */
const TRANSPARENT_ASKED = /\b(transparent background|no background|without (a |the |any )?background|(remove|delete|erase) (the |its )?background|cut-?out)\b/i;
/** Subjects usually drawn on transparency when nothing is edited: "a sticker of a cat", "a logo for a bakery". */
const TRANSPARENT_SUBJECTS = /\b(sticker|sprite|isolated|logo|icon)\b/i;

/** `size: auto`: follow the input image's shape for edits, the prompt's words otherwise. */
function resolveSize(size: string, prompt: string, images: RawImage[]): { width: number; height: number } {
  if (size !== "auto") {
    const [width, height] = size.split("x").map(Number);
    return { width, height };
  }
  const first = images[0];
  if (first) {
    const aspect = first.width / first.height;
    if (aspect > 1.2) return { width: 1536, height: 1024 };
    if (aspect < 1 / 1.2) return { width: 1024, height: 1536 };
    return { width: 1024, height: 1024 };
  }
  if (LANDSCAPE_WORDS.test(prompt)) return { width: 1536, height: 1024 };
  if (PORTRAIT_WORDS.test(prompt)) return { width: 1024, height: 1536 };
  return { width: 1024, height: 1024 };
}

function resolveQuality(quality: string, model: ModelEntry): Quality {
  if (quality === "low" || quality === "medium" || quality === "high") return quality;
  if (quality === "hd") return "high";
  if (quality === "standard") return "medium";
  return model.autoQuality;
}

/**
 * `background: auto`: opaque unless the format and the model's engine can
 * show transparency and the request calls for it. An edit keeps its input's
 * nature, judged from the pixels (an RGBA file with every pixel opaque is
 * opaque: most tools write RGBA), unless the prompt asks in so many words for
 * a transparent background. A generation is see-through when the prompt asks
 * for it or names a subject usually cut out (a sticker, a logo).
 */
function resolveBackground(background: string, prompt: string, format: OutputFormat, first: RawImage | undefined, model: ModelEntry): Background {
  if (background === "transparent" || background === "opaque") return background;
  // DALL·E answers are always opaque.
  if (format === "jpeg" || !model.family.gptImageOptions || model.engine().transparency === false) return "opaque";
  if (TRANSPARENT_ASKED.test(prompt)) return "transparent";
  if (first !== undefined) return hasTransparency(first) ? "transparent" : "opaque";
  return TRANSPARENT_SUBJECTS.test(prompt) ? "transparent" : "opaque";
}

/** True when a sample of the pixels includes clearly see-through ones. */
function hasTransparency(image: RawImage): boolean {
  const pixels = image.width * image.height;
  const step = Math.max(1, Math.floor(pixels / 65536));
  for (let i = 0; i < pixels; i += step) if (image.data[i * 4 + 3] < 128) return true;
  return false;
}

/** dall-e-3 rewrites prompts; Easel's rewrite is what the engine then draws. */
function revisePrompt(prompt: string, style: "vivid" | "natural"): string {
  const text = prompt.replace(/\s+/g, " ").trim().replace(/[.!\s]*$/, "");
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  const mood =
    style === "vivid"
      ? "rendered in a vivid, dramatic style with saturated colours and strong contrast"
      : "rendered in a natural, true-to-life style with soft, realistic colours";
  return `${sentence}, ${mood}.`;
}

export interface RequestInputs {
  images?: RawImage[];
  mask?: RawImage;
}

/** Turns checked wire fields (see chooseModel) and decoded inputs into the normalised request. */
export function buildImageRequest(
  endpoint: Endpoint,
  params: ImageParams,
  model: ModelEntry,
  inputs: RequestInputs = {},
  serverModeratesPictures = true,
): ImageRequest {
  const images = inputs.images ?? [];
  const outputFormat: OutputFormat = params.output_format ?? "png";
  const prompt = endpoint === "variations" ? "" : params.prompt;
  const requestedSize = params.size ?? defaultSize[model.family.name];
  const style = model.family.style ? (params.style ?? "vivid") : undefined;
  const revisedPrompt = model.family.revisesPrompt ? revisePrompt(prompt, style ?? "vivid") : undefined;
  const mode: JobMode = endpoint === "generations" ? "generate" : endpoint === "edits" ? "edit" : "variation";
  const { width, height } = resolveSize(requestedSize, prompt, images);
  const job: ImageJob = {
    mode,
    model: model.id,
    prompt: revisedPrompt ?? prompt,
    images,
    mask: inputs.mask,
    width,
    height,
    n: params.n ?? 1,
    quality: resolveQuality(params.quality ?? "auto", model),
    background: resolveBackground(params.background ?? "auto", prompt, outputFormat, images[0], model),
    seed: params.seed ?? randomInt(0, 2 ** 31),
    partialImages: params.stream ? (params.partial_images ?? 0) : 0,
    inputFidelity: params.input_fidelity ?? "low",
    moderation: params.moderation ?? "auto",
    style,
    negativePrompt: params.negative_prompt ?? undefined,
    guidanceScale: params.guidance_scale ?? undefined,
    strength: params.strength ?? undefined,
    steps: params.steps ?? undefined,
  };
  return {
    endpoint,
    model,
    job,
    outputFormat,
    compression: params.output_compression ?? 100,
    responseFormat: model.family.responseFormats ? (params.response_format ?? "url") : "b64_json",
    stream: params.stream ?? false,
    moderation: params.moderation ?? "auto",
    moderatePictures: model.moderatePictures ?? serverModeratesPictures,
    revisedPrompt,
    explain: params.explain ?? false,
  };
}

export interface Uploads {
  images: ImageUpload[];
  mask?: ImageUpload;
}

/** Wire fields and uploaded bytes in, a checked request with decoded inputs out. */
export async function prepareImageRequest(
  endpoint: Endpoint,
  fields: Record<string, unknown>,
  uploads: Uploads,
  registry: ModelCatalog,
  settings: ModelDefaults & { maxInputPixels: number; moderatePictures: boolean },
): Promise<ImageRequest> {
  const params = parseImageParams(endpoint, fields);
  const model = chooseModel(endpoint, params, registry, settings);
  const { family } = model;
  if (endpoint !== "generations") {
    const most = Math.max(1, family.maxEditImages);
    if (uploads.images.length === 0) throw errors.missingParam("image");
    if (uploads.images.length > most) throw errors.tooManyItems("image", most, uploads.images.length);
  }
  // One at a time: each decode briefly holds its picture at full size.
  const images: DecodedImage[] = [];
  for (const upload of uploads.images) images.push(await decodeImage(upload, family, settings.maxInputPixels));
  const mask = uploads.mask && (await decodeImage(uploads.mask, family, settings.maxInputPixels));
  if (mask) checkMask(mask, images[0]);
  return buildImageRequest(endpoint, params, model, { images, mask }, settings.moderatePictures);
}
