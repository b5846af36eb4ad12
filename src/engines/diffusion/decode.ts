// The last steps both recipes share (pipeline.ts for the UNet families, flow/pipeline.ts for
// the flow transformers): latents to pictures with the VAE or the fast decoder, partial images,
// and the postprocessing of a final picture.
import type { ImageJob, RawImage } from "../engine.js";
import { decodeFast, type FastDecoder } from "./fast-decoder.js";
import { fromImageTensor, keepUnmasked, resize, type Size } from "./images.js";
import type { ModelSettings } from "./options.js";
import { KEY_BACKGROUND_PROMPT, matteBackground } from "./transparency.js";
import { decodeLatents, previewLatents, type LatentPreview, type Vae } from "./vae.js";

/** What decoding needs of a loaded model, of either kind. */
export interface Decoders {
  vae: Vae;
  fastDecoder?: FastDecoder;
  preview: LatentPreview;
  settings: ModelSettings;
}

/** Scaled latents [n, C, h, w] → pictures in [-1, 1] with the VAE or the fast decoder. */
export function decodeWith(model: Decoders, decoder: "fast" | "vae", latents: Float32Array, count: number, latentSize: Size): Promise<Float32Array[]> {
  return decoder === "fast" && model.fastDecoder ? decodeFast(model.fastDecoder, latents, count, latentSize) : decodeLatents(model.vae, latents, count, latentSize);
}

/** A partial image of one predicted clean latent [C, h, w], with the model's partialDecoder, at the job's size. */
export async function partialPicture(model: Decoders, clean: Float32Array, latent: Size, render: Size, job: ImageJob): Promise<RawImage> {
  const { partialDecoder } = model.settings;
  const pixels =
    partialDecoder === "approximate"
      ? { data: previewLatents(model.preview, clean, latent), size: latent }
      : { data: (await decodeWith(model, partialDecoder, clean, 1, latent))[0], size: render };
  return resize(fromImageTensor(pixels.data, 0, pixels.size), job);
}

/** A decoded picture [3, H, W] at render size → the job's picture: its size, the input outside a mask, the background keyed out. */
export async function postprocess(tensor: Float32Array, render: Size, job: ImageJob): Promise<RawImage> {
  let picture = await resize(fromImageTensor(tensor, 0, render), job);
  if (job.mask) picture = keepUnmasked(picture, await resize(job.images[0], job), await resize(job.mask, job));
  if (job.background === "transparent") picture = matteBackground(picture);
  return picture;
}

/** The prompt a job conditions on: transparent backgrounds ask for a plain key colour. */
export function promptOf(job: ImageJob): string {
  return job.background === "transparent" ? job.prompt + KEY_BACKGROUND_PROMPT : job.prompt;
}
