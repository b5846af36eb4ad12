// Token usage as OpenAI reports it for the GPT image models: prompt text
// tokens (o200k_base, the tokenizer of gpt-image-1, counted off the event
// loop by src/tokens), input image tokens for edits, and output image tokens
// by quality and shape.
import type { ImageJob, Quality, RawImage } from "./engines/engine.js";
import { countTokens, estimateTokens } from "./tokens/index.js";

export interface ImagesUsage {
  total_tokens: number;
  input_tokens: number;
  output_tokens: number;
  input_tokens_details: { text_tokens: number; image_tokens: number };
}

/** The guide's table: square, portrait (taller), landscape (wider). */
const OUTPUT_TOKENS: Record<Quality, { square: number; portrait: number; landscape: number }> = {
  low: { square: 272, portrait: 408, landscape: 400 },
  medium: { square: 1056, portrait: 1584, landscape: 1568 },
  high: { square: 4160, portrait: 6240, landscape: 6208 },
};
export const PARTIAL_IMAGE_TOKENS = 100;

type Shape = "square" | "portrait" | "landscape";
function shapeOf(width: number, height: number): Shape {
  if (width === height) return "square";
  return height > width ? "portrait" : "landscape";
}

export function outputTokensPerImage(quality: Quality, width: number, height: number): number {
  return OUTPUT_TOKENS[quality][shapeOf(width, height)];
}

/**
 * Input image tokens as OpenAI bills gpt-image-1: fit in 2048×2048, scale the
 * shortest side down to 512 px, then 65 tokens plus 129 per 512 px tile.
 * High input fidelity adds a fixed amount by shape (4160 square, 6240 otherwise).
 */
export function inputImageTokens(image: Pick<RawImage, "width" | "height">, fidelity: "low" | "high"): number {
  let { width, height } = image;
  const fit = Math.min(1, 2048 / Math.max(width, height));
  width *= fit;
  height *= fit;
  const shrink = Math.min(1, 512 / Math.min(width, height));
  width = Math.floor(width * shrink);
  height = Math.floor(height * shrink);
  const tiles = Math.ceil(width / 512) * Math.ceil(height / 512);
  const base = 65 + 129 * tiles;
  if (fidelity === "low") return base;
  return base + (shapeOf(image.width, image.height) === "square" ? 4160 : 6240);
}

/** Usage for a finished job; `partialsSent` counts the partial images actually delivered. */
export async function imageUsage(job: ImageJob, partialsSent: number): Promise<ImagesUsage> {
  const [textTokens] = await countTokens(job.prompt);
  return usageOf(job, textTokens, partialsSent);
}

/** What a job will use, known before it runs (per-key limits reserve it): its pictures, and its tokens with the prompt estimated. */
export function expectedUsage(job: ImageJob): { images: number; tokens: number } {
  return { images: job.n, tokens: usageOf(job, estimateTokens(job.prompt), job.partialImages).total_tokens };
}

function usageOf(job: ImageJob, textTokens: number, partials: number): ImagesUsage {
  const imageTokens = job.images.reduce((sum, image) => sum + inputImageTokens(image, job.inputFidelity), 0);
  const outputTokens = job.n * outputTokensPerImage(job.quality, job.width, job.height) + partials * PARTIAL_IMAGE_TOKENS;
  const inputTokens = textTokens + imageTokens;
  return {
    total_tokens: inputTokens + outputTokens,
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    input_tokens_details: { text_tokens: textTokens, image_tokens: imageTokens },
  };
}
