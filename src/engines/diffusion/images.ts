// Pixels in and out of the pipeline: RGBA pictures ↔ the VAE's NCHW float
// tensors in [-1, 1], masks ↔ latent-sized weights, and resizing with sharp
// (Lanczos) between the model's render size and the size the client asked for.
import sharp from "sharp";
import type { RawImage } from "../engine.js";

export interface Size {
  width: number;
  height: number;
}

/** Resizes RGBA pixels; `fill` stretches to the exact size (the aspect ratios are already close). */
export async function resize(image: RawImage, size: Size): Promise<RawImage> {
  if (image.width === size.width && image.height === size.height) return image;
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .resize(size.width, size.height, { fit: "fill", kernel: "lanczos3" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** RGB of an RGBA picture as [1, 3, h, w] in [-1, 1]; transparent pixels count as their colour. */
export function toImageTensor(image: RawImage): Float32Array {
  const plane = image.width * image.height;
  const out = new Float32Array(3 * plane);
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) out[c * plane + p] = image.data[p * 4 + c] / 127.5 - 1;
  }
  return out;
}

/** One picture of a decoded [n, 3, h, w] batch → opaque RGBA, as diffusers does: x / 2 + 0.5, clamped. */
export function fromImageTensor(batch: Float32Array, index: number, size: Size): RawImage {
  const plane = size.width * size.height;
  const base = index * 3 * plane;
  const data = Buffer.alloc(plane * 4);
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) {
      const value = batch[base + c * plane + p] / 2 + 0.5;
      data[p * 4 + c] = Math.round(Math.min(1, Math.max(0, value)) * 255);
    }
    data[p * 4 + 3] = 255;
  }
  return { data, width: size.width, height: size.height };
}

/**
 * OpenAI masks mark the area to change with transparency. Returns, at `size`,
 * 1 where the picture may change and 0 where it must stay; `[h, w]` floats.
 */
export async function maskWeights(mask: RawImage, size: Size): Promise<Float32Array> {
  const resized = await resize(mask, size);
  const out = new Float32Array(size.width * size.height);
  for (let p = 0; p < out.length; p++) out[p] = 1 - resized.data[p * 4 + 3] / 255;
  return out;
}

/** Rounds 0–1 weights to a hard 0/1 mask, as diffusers' inpainting pipelines binarise theirs. */
export function binarise(weights: Float32Array): Float32Array {
  return weights.map((w) => (w >= 0.5 ? 1 : 0));
}

/** Puts the original pixels back wherever the mask says they must stay, so a VAE round trip cannot touch them. */
export function keepUnmasked(result: RawImage, original: RawImage, mask: RawImage): RawImage {
  const data = Buffer.from(result.data);
  for (let p = 0; p < result.width * result.height; p++) {
    const keep = mask.data[p * 4 + 3] / 255;
    if (keep === 0) continue;
    for (let c = 0; c < 4; c++) {
      const i = p * 4 + c;
      data[i] = Math.round(original.data[i] * keep + result.data[i] * (1 - keep));
    }
  }
  return { data, width: result.width, height: result.height };
}
