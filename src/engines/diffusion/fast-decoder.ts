// A tiny autoencoder's decoder (TAESD for SD 1.x/2.x, TAESDXL for SDXL) standing in for the
// full VAE decoder where speed matters more than the last detail: partial images always,
// final pictures of the qualities the model's options name. On 2 CPU cores the full VAE
// decode is most of an SD-Turbo picture; a tiny decoder is a few percent of it.
//
// Exports differ in two ways, and both are settled here rather than by the user:
// - the input: TAESD decodes the latents the UNet works in, unscaled (diffusers'
//   AutoencoderTiny has scaling_factor 1.0); a folder's vae_decoder/config.json may say otherwise;
// - the output: diffusers' AutoencoderTiny answers [-1, 1], madebyollin's own ONNX files [0, 1].
//   When the model loads, one small random latent goes through both decoders, and the output
//   convention that makes the tiny decoder agree with the model's own VAE is kept. The
//   agreement is logged: a TAESD beside an SDXL model (it needs TAESDXL) shows up there.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ModelFolderError, type FolderView } from "./folder.js";
import type { Size } from "./images.js";
import type { Quality } from "../engine.js";
import type { ModelSettings } from "./options.js";
import { Component, type RuntimeSettings } from "./runtime.js";
import type { NoiseSource } from "./schedulers/scheduler.js";
import { decodeLatents, type Vae } from "./vae.js";

export interface FastDecoder {
  component: Component;
  /** Latents are divided by this before decoding (1 for TAESD). */
  scalingFactor: number;
  /** Latent channels, as the model's VAE: 4, or 16 for FLUX (TAEF1). */
  channels: number;
  /** What the graph answers: pictures in [-1, 1] or in [0, 1]. */
  output: "-1..1" | "0..1";
  /** How close it comes to the model's own VAE on a random latent, in dB (PSNR over [-1, 1]). */
  agreementDb: number;
}

const GRAPH = "vae_decoder/model.onnx";

/** For `easel pull` / hf: paths: a folder with vae_decoder/model.onnx (deinferno/taesd-onnx, julienkay/taesd…). */
export const FAST_DECODER_LAYOUT = {
  name: "fast-decoder",
  read(view: FolderView): string {
    if (!view.isFile(GRAPH)) throw new ModelFolderError(`missing ${GRAPH}`, [`missing ${GRAPH} (a tiny autoencoder such as TAESD, exported to ONNX)`]);
    return GRAPH;
  },
  graphs: (graph: string) => [graph],
};

/** Loads the decoder at `path` (an .onnx file, or a folder with vae_decoder/model.onnx) and fits it to the model's VAE. */
export async function loadFastDecoder(path: string, vae: Vae, settings: RuntimeSettings, noise: NoiseSource): Promise<FastDecoder> {
  const isFile = statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  const file = isFile ? path : join(path, GRAPH);
  if (!existsSync(file)) throw new Error(`fastDecoder ${path}: no ${isFile ? "such file" : GRAPH}`);
  const component = await Component.load("fast_decoder", file, settings);
  const inputs = component.inputNames();
  const channels = component.inputDim(inputs[0], 1);
  const refusal =
    inputs.length !== 1
      ? `takes ${inputs.length} inputs (${inputs.join(", ")}); a tiny autoencoder's decoder takes the latents alone`
      : channels !== undefined && channels !== vae.channels
        ? `decodes ${channels}-channel latents; this model's have ${vae.channels} (TAESD/TAESDXL decode 4, TAEF1 16)`
        : undefined;
  if (refusal) {
    await component.release();
    throw new Error(`fastDecoder ${path} ${refusal}`);
  }
  const scalingFactor = isFile ? 1 : configuredScale(join(path, "vae_decoder", "config.json"));
  const decoder: FastDecoder = { component, scalingFactor, channels: vae.channels, output: "-1..1", agreementDb: 0 };

  // One latent through both decoders: which output convention agrees with the VAE, and how well.
  const size = { width: vae.decoder.inputDim("latent_sample", 3) ?? 8, height: vae.decoder.inputDim("latent_sample", 2) ?? 8 };
  const latents = noise(vae.channels * size.width * size.height);
  const [reference] = await decodeLatents(vae, latents, 1, size);
  const [raw] = await decodeRaw(decoder, latents, 1, size);
  if (raw.length !== reference.length) {
    await component.release();
    throw new Error(`fastDecoder ${path} does not decode to 8 pixels per latent pixel, as this model's VAE does`);
  }
  const best = (["-1..1", "0..1"] as const)
    .map((output) => ({ output, error: meanSquaredError(reference, raw.map((v) => toSigned(v, output))) }))
    .sort((a, b) => a.error - b.error)[0];
  decoder.output = best.output;
  decoder.agreementDb = 10 * Math.log10(4 / Math.max(best.error, 1e-12));
  return decoder;
}

/** Which decoder draws a job's final pictures: the fast one for the qualities the options name. */
export function finalDecoder(fast: FastDecoder | undefined, settings: ModelSettings, quality: Quality): "fast" | "vae" {
  return fast && settings.fastDecoderQualities.includes(quality) ? "fast" : "vae";
}

/** What `explain` says of the decoders. */
export function explainDecoders(fast: FastDecoder | undefined, settings: ModelSettings, quality: Quality) {
  return {
    decoder: finalDecoder(fast, settings, quality),
    partial_decoder: settings.partialDecoder,
    fast_decoder: fast ? { output: fast.output, agreement_db: Number(fast.agreementDb.toFixed(1)) } : null,
  };
}

/** Scaled latents [n, C, h, w] → pictures [n, 3, 8h, 8w] in [-1, 1], like decodeLatents. */
export async function decodeFast(decoder: FastDecoder, latents: Float32Array, count: number, latentSize: Size): Promise<Float32Array[]> {
  const raw = await decodeRaw(decoder, latents, count, latentSize);
  return raw.map((picture) => (decoder.output === "-1..1" ? picture : picture.map((v) => toSigned(v, "0..1"))));
}

async function decodeRaw(decoder: FastDecoder, latents: Float32Array, count: number, latentSize: Size): Promise<Float32Array[]> {
  const { component, scalingFactor, channels } = decoder;
  const [input] = component.inputNames();
  const [output] = component.outputNames();
  const plane = channels * latentSize.width * latentSize.height;
  const pictures: Float32Array[] = [];
  for (let i = 0; i < count; i++) {
    const latent = latents.slice(i * plane, (i + 1) * plane).map((v) => v / scalingFactor);
    pictures.push(await component.runFloat({ [input]: component.float(input, latent, [1, channels, latentSize.height, latentSize.width]) }, output));
  }
  return pictures;
}

function toSigned(value: number, output: "-1..1" | "0..1"): number {
  return output === "-1..1" ? value : value * 2 - 1;
}

function meanSquaredError(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return sum / a.length;
}

/** A folder's vae_decoder/config.json scaling_factor; TAESD's is 1. */
function configuredScale(configPath: string): number {
  try {
    const value = (JSON.parse(readFileSync(configPath, "utf8")) as { scaling_factor?: unknown }).scaling_factor;
    return typeof value === "number" && value > 0 ? value : 1;
  } catch {
    return 1;
  }
}
