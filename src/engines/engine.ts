// The one contract every engine keeps. Engines see only an ImageJob, never
// HTTP: encoding, usage accounting and wire events happen outside them.

/** 8-bit RGBA pixels, row-major, `data.length === width * height * 4`. */
export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  /** Credits the picture's licence asks for (OpenMoji's CC BY-SA); written into the file's metadata. */
  credits?: string;
  /**
   * What the engine drew this picture from (compose: its scene graph, seed and
   * version), written into the file's XMP. An edit of the file brings it back,
   * so the engine can change the plan instead of painting over pixels.
   */
  plan?: PicturePlanRecord;
}

/** An engine's own record of a picture, opaque to everything else; untrusted when it comes back in a file. */
export interface PicturePlanRecord {
  /** The engine that wrote it; others ignore it. */
  engine: string;
  version: number;
  [field: string]: unknown;
}

export type JobMode = "generate" | "edit" | "variation";
export type Quality = "low" | "medium" | "high";
export type Background = "transparent" | "opaque";

/** The normalised request, whatever endpoint it came from. Every `auto` is already resolved. */
export interface ImageJob {
  mode: JobMode;
  /** The model name the client asked for (after alias resolution). */
  model: string;
  /** Empty for variations. */
  prompt: string;
  /** Decoded input images (edit: 1–16, variation: exactly 1, generate: none). */
  images: RawImage[];
  /** Same size as images[0]; pixels with alpha 0 mark where the picture may change. */
  mask?: RawImage;
  width: number;
  height: number;
  /** Number of pictures to return, 1–10. */
  n: number;
  quality: Quality;
  background: Background;
  /** Picture i of the job uses seed + i, so a request is reproducible image by image. */
  seed: number;
  /** How many intermediate frames the caller wants (0–3); engines may send fewer. */
  partialImages: number;
  inputFidelity: "low" | "high";
  /** The client's moderation level; Easel has already moderated the prompt (engines that forward it may pass it on). */
  moderation?: "auto" | "low";
  /** dall-e-3 only. */
  style?: "vivid" | "natural";
  /** Easel extensions that steer diffusion models; engines without such a notion ignore them. */
  negativePrompt?: string;
  /** Classifier-free guidance scale. */
  guidanceScale?: number;
  /** Edits and variations: how far from the input picture to go, 0 (keep) to 1 (repaint). */
  strength?: number;
  /** Denoising steps, instead of the model's count for the quality. */
  steps?: number;
}

/** Token usage as an engine's backend counted it (an upstream server that reports usage). */
export interface ReportedUsage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  input_tokens_details?: { text_tokens: number; image_tokens: number };
}

export interface RunOptions {
  /** Aborted when the client goes away or the server shuts down; engines stop at the next stage. */
  signal: AbortSignal;
  /** Real intermediate renderings of the first picture, index 0-based and increasing. */
  onPartial?: (frame: RawImage, index: number) => void;
  /** Engines whose backend counts tokens report them here; otherwise Easel counts (see usage.ts). */
  onUsage?: (usage: ReportedUsage) => void;
}

export interface Engine {
  readonly name: string;
  /** False when the engine cannot draw on transparency: `background: "auto"` then resolves to opaque. */
  readonly transparency?: boolean;
  /** Loads what the first job would otherwise wait for (indexes, weights); the server is ready after it. */
  load?(): Promise<void>;
  /** Renders job.n pictures of exactly job.width × job.height. */
  run(job: ImageJob, options: RunOptions): Promise<RawImage[]>;
  /** Releases whatever the engine holds (sessions, caches). */
  dispose?(): Promise<void>;
  /** What the engine makes of a job, as JSON: `easel explain` and the `explain` request field show it. */
  explain?(job: ImageJob): Promise<Record<string, unknown>>;
}
