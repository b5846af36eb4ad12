// What the pipeline feeds the UNet, watched at the session boundary: each
// picture's starting noise is torch's randn for its own seed, img2img runs
// only the steps its strength asks for, and an abort stops between steps.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type ort from "onnxruntime-node";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { writeTinyModel } from "../../../test/helpers/tiny-diffusion.js";
import type { Engine, ImageJob, RawImage } from "../engine.js";
import { createDiffusionEngine } from "./index.js";
import { partialSteps } from "./pipeline.js";
import { NumpyRandomState } from "./rng/numpy-random-state.js";
import { TorchGenerator } from "./rng/torch-generator.js";
import { Component } from "./runtime.js";

const root = mkdtempSync(join(tmpdir(), "easel-pipeline-"));
let engine: Engine;
const job: ImageJob = {
  mode: "generate", model: "tiny", prompt: "a red fox", images: [], width: 64, height: 64, n: 1,
  quality: "low", background: "opaque", seed: 7, partialImages: 0, inputFidelity: "low", guidanceScale: 0,
};

beforeAll(async () => {
  const path = join(root, "sd1");
  await writeTinyModel(path, { family: "sd1" });
  // DDIM: the first UNet input is the starting noise itself (no input scaling, init sigma 1).
  writeFileSync(join(path, "scheduler", "scheduler_config.json"), JSON.stringify({ _class_name: "DDIMScheduler", beta_schedule: "scaled_linear", beta_start: 0.00085, beta_end: 0.012, num_train_timesteps: 1000, steps_offset: 1, clip_sample: false, set_alpha_to_one: false }));
  engine = createDiffusionEngine({ path, steps: { low: 5, medium: 10, high: 20 }, maxBatch: 2 }, { logger: pino({ level: "silent" }), family: "gpt-image", model: "tiny" });
  await engine.load!();
});

afterAll(async () => {
  await engine.dispose?.();
  rmSync(root, { recursive: true, force: true });
});

afterEach(() => vi.restoreAllMocks());

/** Records every UNet call's `sample` feed. */
function watchUnet(): Float32Array[][] {
  const calls: Float32Array[][] = [];
  const run = Component.prototype.run;
  vi.spyOn(Component.prototype, "run").mockImplementation(async function (this: Component, feeds: Record<string, ort.Tensor>, outputs?: string[]) {
    if (this.name === "unet") {
      const sample = feeds.sample;
      const batch = Number(sample.dims[0]);
      const data = sample.data as Float32Array;
      calls.push(Array.from({ length: batch }, (_, i) => data.slice((i * data.length) / batch, ((i + 1) * data.length) / batch)));
    }
    return run.call(this, feeds, outputs);
  });
  return calls;
}

describe("the diffusion pipeline", () => {
  it("starts picture i from torch.randn with seed + i, batched two at a time", async () => {
    const calls = watchUnet();
    await engine.run({ ...job, n: 3 }, { signal: new AbortController().signal });
    // Two batches (maxBatch 2) of five steps each.
    expect(calls).toHaveLength(10);
    const firstSteps = [...calls[0], ...calls[5]];
    firstSteps.forEach((sample, i) => expect(Array.from(sample)).toEqual(Array.from(new TorchGenerator(job.seed + i).randn(sample.length))));
  });

  it("draws from numpy's RandomState instead when the model's rng says so", async () => {
    const numpy = createDiffusionEngine({ path: join(root, "sd1"), steps: { low: 5, medium: 10, high: 20 }, rng: "numpy" }, { logger: pino({ level: "silent" }), family: "gpt-image", model: "numpy" });
    const calls = watchUnet();
    await numpy.run(job, { signal: new AbortController().signal });
    expect(Array.from(calls[0][0])).toEqual(Array.from(new NumpyRandomState(job.seed).randn(calls[0][0].length)));
    await numpy.dispose?.();
  });

  it("runs only the last steps for an edit's strength", async () => {
    const calls = watchUnet();
    const input = { data: Buffer.alloc(64 * 64 * 4, 128), width: 64, height: 64 };
    await engine.run({ ...job, mode: "edit", images: [input], strength: 0.4 }, { signal: new AbortController().signal });
    // diffusers: int(5 × 0.4) = 2 steps.
    expect(calls).toHaveLength(2);
  });

  it("runs the steps a request asks for instead of its quality's", async () => {
    const calls = watchUnet();
    await engine.run({ ...job, steps: 3 }, { signal: new AbortController().signal });
    expect(calls).toHaveLength(3);
  });

  it("stops between steps when the job is aborted", async () => {
    const controller = new AbortController();
    const calls = watchUnet();
    const frames: number[] = [];
    const running = engine.run({ ...job, quality: "high", partialImages: 3 }, {
      signal: controller.signal,
      onPartial: (_frame, index) => {
        frames.push(index);
        controller.abort();
      },
    });
    await expect(running).rejects.toMatchObject({ name: "AbortError" });
    expect(frames).toEqual([0]);
    expect(calls.length).toBeLessThan(20);
    // The model is still usable afterwards.
    await expect(engine.run(job, { signal: new AbortController().signal })).resolves.toHaveLength(1);
  });

  it("lowMemory (one UNet row per call) paints what the batched UNet paints", async () => {
    const path = join(root, "sd1");
    const lean = createDiffusionEngine({ path, steps: { low: 5, medium: 10, high: 20 }, lowMemory: true }, { logger: pino({ level: "silent" }), family: "gpt-image", model: "lean" });
    const calls = watchUnet();
    const guided: ImageJob = { ...job, n: 2, guidanceScale: 3, negativePrompt: "a blue sky" };
    const [a, b] = [await lean.run(guided, { signal: new AbortController().signal }), await engine.run(guided, { signal: new AbortController().signal })];
    // 5 steps × (2 pictures × 2 guidance halves) one row at a time, then 5 steps of one batch of 4.
    expect(calls.map((rows) => rows.length)).toEqual([...Array(20).fill(1), ...Array(5).fill(4)]);
    for (const i of [0, 1]) {
      const worst = a[i].data.reduce((most, value, k) => Math.max(most, Math.abs(value - b[i].data[k])), 0);
      expect(worst).toBeLessThanOrEqual(1);
    }
    await lean.dispose?.();
  });

  it("a Turbo folder runs 1 step without guidance at low quality", async () => {
    const path = join(root, "sd-turbo");
    await writeTinyModel(path, { family: "sd1" });
    const turbo = createDiffusionEngine({ path }, { logger: pino({ level: "silent" }), family: "gpt-image", model: "turbo" });
    const calls = watchUnet();
    await turbo.run({ ...job, guidanceScale: undefined }, { signal: new AbortController().signal });
    expect(calls.map((rows) => rows.length)).toEqual([1]);
    await turbo.dispose?.();
  });

  it("partial images decoded by the VAE show the picture being made", async () => {
    const exact = createDiffusionEngine({ path: join(root, "sd1"), steps: { low: 5, medium: 10, high: 20 }, partialDecoder: "vae" }, { logger: pino({ level: "silent" }), family: "gpt-image", model: "vae" });
    const frames: RawImage[] = [];
    const [final] = await exact.run({ ...job, partialImages: 2 }, { signal: new AbortController().signal, onPartial: (frame) => frames.push(frame) });
    expect(frames).toHaveLength(2);
    const mean = (image: RawImage) => [0, 1, 2].map((c) => image.data.reduce((sum, v, i) => (i % 4 === c ? sum + v : sum), 0) / (image.width * image.height));
    // The oracle UNet predicts the clean latent exactly, so a VAE-decoded preview is the final picture already.
    for (const frame of frames) mean(frame).forEach((value, c) => expect(Math.abs(value - mean(final)[c])).toBeLessThan(2));
    await exact.dispose?.();
  });

  it("spreads partial images evenly over the steps", () => {
    expect(partialSteps(20, 3)).toEqual([4, 9, 14]);
    expect(partialSteps(4, 3)).toEqual([0, 1, 2]);
    expect(partialSteps(2, 3)).toEqual([0]);
    expect(partialSteps(1, 2)).toEqual([]);
    expect(partialSteps(10, 0)).toEqual([]);
  });
});

// npm ci skips onnxruntime-node's CUDA download (.npmrc), so CUDA cannot load here.
const cudaInstalled = existsSync(join(dirname(createRequire(import.meta.url).resolve("onnxruntime-node")), "..", "bin", "napi-v6", "linux", "x64", "libonnxruntime_providers_cuda.so"));

describe("execution providers", () => {
  it.skipIf(cudaInstalled)("falls back along the preference list, and names a provider that cannot run at all", async () => {
    const path = join(root, "sd1");
    const warnings: { provider: string }[] = [];
    const logger = pino({ level: "warn" }, { write: (line: string) => warnings.push(JSON.parse(line)) });
    const preferring = createDiffusionEngine({ path, executionProviders: ["cuda", "cpu"] }, { logger, family: "gpt-image", model: "eps" });
    await expect(preferring.run(job, { signal: new AbortController().signal })).resolves.toHaveLength(1);
    expect(warnings.map((w) => w.provider)).toEqual(["cuda"]);
    await preferring.dispose?.();

    const only = createDiffusionEngine({ path, executionProviders: ["cuda"] }, { logger, family: "gpt-image", model: "eps" });
    await expect(only.load!()).rejects.toThrow(/Model 'eps' cannot load: .*Cuda/);
  });
});
