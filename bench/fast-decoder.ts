// The fast decoder against the VAE decoder, through the engine's own decode functions
// (src/engines/diffusion/vae.ts, fast-decoder.ts) on onnxruntime's CPU provider:
// SD 1.5's VAE decoder and TAESD's decoder, both at full size with random weights
// (speed does not depend on the weights), decoding 512×512 pictures.
//
//   npx tsx bench/fast-decoder.ts [--size 512] [--runs 3] [--threads 0]
//
// It prints seconds per picture for each, the speed-up, and the share of a 1-step
// SD-Turbo picture each decode would be, given the UNet step time that
// `npm run bench:diffusion -- --steps 1` printed (pass it as --unet-step SECONDS).
import { existsSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { decodeFast, loadFastDecoder } from "../src/engines/diffusion/fast-decoder.js";
import { Component } from "../src/engines/diffusion/runtime.js";
import { TorchGenerator } from "../src/engines/diffusion/rng/torch-generator.js";
import { decodeLatents, type Vae } from "../src/engines/diffusion/vae.js";
import { writeSd15VaeDecoder } from "./diffusion/sd15-vae.js";
import { writeTaesdDecoder } from "./diffusion/taesd.js";

const { values: flags } = parseArgs({
  options: {
    size: { type: "string", default: "512" },
    runs: { type: "string", default: "3" },
    threads: { type: "string", default: "0" },
    "unet-step": { type: "string" },
    cache: { type: "string", default: join(dirname(fileURLToPath(import.meta.url)), ".cache", "fast-decoder-1") },
  },
});
const side = Number(flags.size) / 8;
const runs = Number(flags.runs);
const settings = { executionProviders: ["cpu"], intraOpThreads: Number(flags.threads), lowMemory: false };

mkdirSync(join(flags.cache, "taesd", "vae_decoder"), { recursive: true });
const vaePath = join(flags.cache, "vae_decoder.onnx");
const taesdPath = join(flags.cache, "taesd", "vae_decoder", "model.onnx");
if (!existsSync(vaePath)) await writeSd15VaeDecoder(vaePath);
const taesdParameters = existsSync(taesdPath) ? undefined : (await writeTaesdDecoder(taesdPath)).parameters;

const vae: Vae = { decoder: await Component.load("vae_decoder", vaePath, settings), scalingFactor: 0.18215, shiftFactor: 0, channels: 4 };
const generator = new TorchGenerator(1);
const fast = await loadFastDecoder(join(flags.cache, "taesd"), vae, settings, (count) => generator.randn(count));
const latents = generator.randn(4 * side * side);
const size = { width: side, height: side };

async function time(decode: () => Promise<unknown>): Promise<number> {
  await decode(); // warm-up: the first run allocates
  const started = performance.now();
  for (let i = 0; i < runs; i++) await decode();
  return (performance.now() - started) / 1000 / runs;
}

const vaeSeconds = await time(() => decodeLatents(vae, latents, 1, size));
const fastSeconds = await time(() => decodeFast(fast, latents, 1, size));
const step = flags["unet-step"] ? Number(flags["unet-step"]) : undefined;
console.log(
  JSON.stringify(
    {
      picture: `${side * 8}x${side * 8}`,
      threads: settings.intraOpThreads || "all cores",
      taesd_parameters: taesdParameters ?? "(cached)",
      vae_decode_seconds: Number(vaeSeconds.toFixed(3)),
      fast_decode_seconds: Number(fastSeconds.toFixed(3)),
      speed_up: Number((vaeSeconds / fastSeconds).toFixed(1)),
      ...(step
        ? {
            turbo_1_step_picture_seconds: { vae: Number((step + vaeSeconds).toFixed(2)), fast: Number((step + fastSeconds).toFixed(2)) },
            decode_share_of_picture: { vae: Number((vaeSeconds / (step + vaeSeconds)).toFixed(2)), fast: Number((fastSeconds / (step + fastSeconds)).toFixed(2)) },
          }
        : {}),
    },
    null,
    2,
  ),
);
await vae.decoder.release();
await fast.component.release();
