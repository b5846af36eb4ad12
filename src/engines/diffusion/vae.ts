// The VAE: pictures to latents (edits, masks, variations) and latents to
// pictures, with the model's scaling factor; plus a cheap linear preview of
// latents for partial images, fitted to this very VAE when the model loads.
import type { NoiseSource } from "./schedulers/scheduler.js";
import type { Component } from "./runtime.js";
import type { Size } from "./images.js";

export interface Vae {
  decoder: Component;
  encoder?: Component;
  scalingFactor: number;
  /** FLUX's VAE centres its latents: scaled = (latent - shift) · scaling. 0 for the others. */
  shiftFactor: number;
  /** Latent channels: 4 (SD 1.x/2.x, SDXL) or 16 (FLUX). */
  channels: number;
}

/** Scaled latents [n, C, h, w] → pictures [n, 3, 8h, 8w] in about [-1, 1], one at a time. */
export async function decodeLatents(vae: Vae, latents: Float32Array, count: number, latentSize: Size): Promise<Float32Array[]> {
  const plane = vae.channels * latentSize.width * latentSize.height;
  const pictures: Float32Array[] = [];
  for (let i = 0; i < count; i++) {
    // Decoding one picture at a time keeps peak memory at one VAE activation, as diffusers' ONNX pipelines do.
    const latent = latents.slice(i * plane, (i + 1) * plane).map((v) => v / vae.scalingFactor + vae.shiftFactor);
    const input = vae.decoder.float("latent_sample", latent, [1, vae.channels, latentSize.height, latentSize.width]);
    pictures.push(await vae.decoder.runFloat({ latent_sample: input }, "sample"));
  }
  return pictures;
}

/** The VAE's reading of a picture: its latent distribution, or a single latent for exports that give only that. */
export interface LatentDistribution {
  mean: Float32Array;
  /** Absent for `latent_sample` exports (older diffusers conversions). */
  std?: Float32Array;
}

/** A picture [1, 3, H, W] in [-1, 1] → the latent distribution [1, C, H/8, W/8], unscaled. Encoded once per job. */
export async function encodePicture(vae: Vae, picture: Float32Array, size: Size): Promise<LatentDistribution> {
  const encoder = vae.encoder;
  if (!encoder) throw new Error("this model has no vae_encoder, which edits, masks and variations need");
  const input = encoder.float("sample", picture, [1, 3, size.height, size.width]);
  const output = encoder.outputNames().includes("latent_parameters") ? "latent_parameters" : "latent_sample";
  const raw = await encoder.runFloat({ sample: input }, output);
  const count = vae.channels * (size.width / 8) * (size.height / 8);
  if (output !== "latent_parameters") return { mean: raw.slice(0, count) };
  // optimum's latent_parameters: mean and log-variance side by side on the channel axis (clamped as diffusers does).
  const logVariance = raw.subarray(count, 2 * count);
  return { mean: raw.slice(0, count), std: logVariance.map((v) => Math.exp(0.5 * Math.min(20, Math.max(-30, v)))) };
}

/**
 * Scaled latents from a distribution: a draw with `noise`, as diffusers'
 * retrieve_latents samples with the job's generator, or the mean without one.
 */
export function sampleLatents(vae: Vae, distribution: LatentDistribution, noise?: NoiseSource): Float32Array {
  const { mean, std } = distribution;
  const draw = std && noise ? noise(mean.length) : undefined;
  return mean.map((m, i) => ((draw ? m + std![i] * draw[i] : m) - vae.shiftFactor) * vae.scalingFactor);
}

/** A linear map from one latent pixel (C values, scaled) to RGB in [-1, 1]: weights [3][C] and bias [3]. */
export interface LatentPreview {
  weights: number[][];
  bias: number[];
}

/**
 * Fits the preview map to the VAE by least squares: decode a few random
 * latents once, average each 8×8 block of the result, and regress it on the
 * latent pixel. Good enough to show composition and colour in partial images
 * at a tiny fraction of a VAE decode.
 */
export async function fitLatentPreview(vae: Vae, noise: NoiseSource): Promise<LatentPreview> {
  // Small latents keep this cheap; a static-shape export decodes only its own size.
  const size = { width: vae.decoder.inputDim("latent_sample", 3) ?? 8, height: vae.decoder.inputDim("latent_sample", 2) ?? 8 };
  const plane = size.width * size.height;
  const channels = vae.channels;
  const latents = noise(channels * plane);
  const [picture] = await decodeLatents(vae, latents, 1, size);
  const pixelWidth = size.width * 8;
  const pixelPlane = plane * 64;
  const samples: { x: number[]; y: number[] }[] = [];
  for (let p = 0; p < plane; p++) {
    const [lx, ly] = [p % size.width, Math.floor(p / size.width)];
    const x = Array.from({ length: channels }, (_, c) => latents[c * plane + p]);
    const y = [0, 1, 2].map((c) => {
      let sum = 0;
      for (let dy = 0; dy < 8; dy++) for (let dx = 0; dx < 8; dx++) sum += picture[c * pixelPlane + (ly * 8 + dy) * pixelWidth + lx * 8 + dx];
      return sum / 64;
    });
    samples.push({ x, y });
  }
  const weights: number[][] = [];
  const bias: number[] = [];
  for (let c = 0; c < 3; c++) {
    const solution = leastSquares(samples.map((s) => [...s.x, 1]), samples.map((s) => s.y[c]));
    weights.push(solution.slice(0, channels));
    bias.push(solution[channels]);
  }
  return { weights, bias };
}

/** Scaled latents [1, C, h, w] → an RGB picture [1, 3, h, w] in [-1, 1] through the fitted map. */
export function previewLatents(preview: LatentPreview, latents: Float32Array, latentSize: Size): Float32Array {
  const plane = latentSize.width * latentSize.height;
  const out = new Float32Array(3 * plane);
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) {
      let value = preview.bias[c];
      for (let k = 0; k < preview.weights[c].length; k++) value += preview.weights[c][k] * latents[k * plane + p];
      out[c * plane + p] = value;
    }
  }
  return out;
}

/** Solves min |A x - b| through the normal equations (channels + 1 unknowns), with a little ridge for stability. */
function leastSquares(rows: number[][], b: number[]): number[] {
  const n = rows[0].length;
  const m = Array.from({ length: n }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (j === n ? rows.reduce((s, r, k) => s + r[i] * b[k], 0) : rows.reduce((s, r) => s + r[i] * r[j], 0) + (i === j ? 1e-6 : 0))));
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const factor = m[r][col] / m[col][col];
      for (let c = col; c <= n; c++) m[r][c] -= factor * m[col][c];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}
