// FLUX's transformer sees a latent as a sequence: each 2×2 patch of the [C, h, w] latent is one
// token of 4C values (FluxPipeline._pack_latents), and each token carries its position as
// (0, row, column) (_prepare_latent_image_ids); the prompt's tokens carry (0, 0, 0).
import type { Size } from "../images.js";

/** [C, h, w] → [(h/2)·(w/2), 4C]: token (i, j) holds channel c's patch at c·4 + 2·di + dj. */
export function packLatents(latent: Float32Array, channels: number, size: Size): Float32Array {
  const packed = new Float32Array(latent.length);
  forEachPatchValue(channels, size, (token, pixel) => (packed[token] = latent[pixel]));
  return packed;
}

/** The inverse of packLatents (FluxPipeline._unpack_latents). */
export function unpackLatents(packed: Float32Array, channels: number, size: Size): Float32Array {
  const latent = new Float32Array(packed.length);
  forEachPatchValue(channels, size, (token, pixel) => (latent[pixel] = packed[token]));
  return latent;
}

/** Calls `visit` with each value's index in the packed sequence and in the [C, h, w] latent. */
function forEachPatchValue(channels: number, { width: w, height: h }: Size, visit: (packedIndex: number, latentIndex: number) => void): void {
  for (let i = 0; i < h / 2; i++) {
    for (let j = 0; j < w / 2; j++) {
      const token = (i * (w / 2) + j) * channels * 4;
      for (let c = 0; c < channels; c++) {
        for (let di = 0; di < 2; di++) {
          for (let dj = 0; dj < 2; dj++) visit(token + c * 4 + di * 2 + dj, (c * h + 2 * i + di) * w + 2 * j + dj);
        }
      }
    }
  }
}

/** Positions of the packed tokens: [(h/2)·(w/2), 3] rows of (0, row, column). */
export function imageIds(size: Size): Float32Array {
  const rows = size.height / 2;
  const columns = size.width / 2;
  const ids = new Float32Array(rows * columns * 3);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < columns; j++) {
      ids[(i * columns + j) * 3 + 1] = i;
      ids[(i * columns + j) * 3 + 2] = j;
    }
  }
  return ids;
}
