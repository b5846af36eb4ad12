// Benchmark of the diffusion engine on a model of Stable Diffusion 1.5's real
// size (859.5 M-parameter UNet, full-size VAE decoder, random weights), run on
// onnxruntime's CPU provider through the engine's own pipeline.
//
//   npx tsx bench/diffusion.ts [--steps 4] [--size 512] [--threads 0] [--low-memory] [--attention full|sliced] [--rebuild]
//   npx tsx bench/diffusion.ts --unet-only [--runs 3] [--batch 2] [--ort '{"enableMemPattern":false}']
//   npx tsx bench/diffusion.ts --check [--size 64]
//
// --attention sliced builds the UNet's attention one head at a time (as an
// export made with diffusers' attention slicing): same weights, same output,
// one head's scores alive at once instead of all 8. Each form has its own
// folder in the cache. --check runs both forms' UNets on the same inputs
// (64×64 pixels unless --size says otherwise) and prints how far apart they are.
// --ort merges onnxruntime session options into every session the engine
// creates (and the --unet-only session), to measure candidate settings for
// src/engines/diffusion/runtime.ts without editing it; --ort-only unet (or
// vae_decoder, text_encoder) limits them to that component's session.
// --low-memory runs the engine's lowMemory option (one UNet row per call, no arena).
// --family sd3 runs a transformer family instead: an SD3 folder whose MMDiT has SD3-medium's
// shape with random weights (1536 wide, 24 joint blocks, about 2.3 B parameters, 9 GB:
// bench/diffusion/sd3-transformer.ts) and whose VAE decoder is full size with 16-channel
// latents, through the engine's flow-matching recipe (classifier-free guidance, the SD3
// schedule). --unet-only and --check are for sd15.
// Flags can also be set as BENCH_STEPS, BENCH_LOW_MEMORY=1, BENCH_ATTENTION, BENCH_SIZE, BENCH_THREADS, BENCH_RUNS,
// BENCH_BATCH, BENCH_ORT (JSON), BENCH_CACHE (folder for built models; default bench/.cache).
//
// The model folder (3.8 GB) is built once per SD15_FOLDER_VERSION and attention form, in a child
// process so that this process's peak memory is the engine's alone. It prints:
// parameters and weight bytes, build / load / per-step / total times, the share
// of time outside session.run (target ≤ 3 %), and peak RSS against the weights'
// size (target ≤ 1.3×). --unet-only runs the UNet session alone.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import ort from "onnxruntime-node";
import { pino } from "pino";
import type { AttentionForm } from "./diffusion/layers.js";
import { readManifest, sd15FolderVersion, type FolderManifest } from "./diffusion/sd15-folder.js";
import { sd3FolderVersion } from "./diffusion/sd3-folder.js";
import { createDiffusionEngine } from "../src/engines/diffusion/index.js";
import { runtimeClock } from "../src/engines/diffusion/runtime.js";

const here = dirname(fileURLToPath(import.meta.url));

const { values: flags } = parseArgs({
  options: {
    steps: { type: "string", default: process.env.BENCH_STEPS ?? "4" },
    size: { type: "string", default: process.env.BENCH_SIZE },
    threads: { type: "string", default: process.env.BENCH_THREADS ?? "0" },
    runs: { type: "string", default: process.env.BENCH_RUNS ?? "3" },
    batch: { type: "string", default: process.env.BENCH_BATCH ?? "2" },
    ort: { type: "string", default: process.env.BENCH_ORT ?? "{}" },
    "ort-only": { type: "string" },
    cache: { type: "string", default: process.env.BENCH_CACHE ?? join(here, ".cache") },
    rebuild: { type: "boolean", default: false },
    "low-memory": { type: "boolean", default: process.env.BENCH_LOW_MEMORY === "1" },
    "unet-only": { type: "boolean", default: false },
    attention: { type: "string", default: process.env.BENCH_ATTENTION ?? "full" },
    check: { type: "boolean", default: false },
    family: { type: "string", default: process.env.BENCH_FAMILY ?? "sd15" },
  },
});
if (flags.family !== "sd15" && flags.family !== "sd3") throw new Error(`--family must be sd15 or sd3, got ${flags.family}`);
if (flags.family === "sd3" && (flags["unet-only"] || flags.check)) throw new Error("--unet-only and --check run the SD 1.5 UNet; leave out --family sd3");
const family = flags.family;
if (flags.attention !== "full" && flags.attention !== "sliced") throw new Error(`--attention must be full or sliced, got ${flags.attention}`);
const attention: AttentionForm = flags.attention;
const steps = positiveInt(flags.steps, "steps");
const size = positiveInt(flags.size ?? (flags.check ? "64" : "512"), "size");
if (size % 64 !== 0) throw new Error("--size must be a multiple of 64 (the UNet downsamples the 1/8-size latents 3 times; SD3 renders in multiples of 16)");
const threads = Number(flags.threads);
const extraSessionOptions = JSON.parse(flags.ort) as ort.InferenceSession.SessionOptions;

// --- memory -------------------------------------------------------------------

const GB = 1e9;

/** The kernel's high-water mark of this process's resident memory. */
function vmHwmBytes(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return match ? Number(match[1]) * 1024 : NaN;
}

/** Samples RSS every 50 ms; misses peaks shorter than that, which VmHWM catches. */
function rssSampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return { peak: () => peak, stop: () => clearInterval(timer) };
}

// --- time inside onnxruntime, per component -----------------------------------

/**
 * Wraps InferenceSession.run to time each call and tell components apart by
 * their inputs; also notes RSS going in and VmHWM coming out, so the peak can
 * be pinned on a component (VmHWM only grows: a call that raised it made it).
 */
function timeSessionRuns() {
  const calls: { component: string; seconds: number; rssBefore: number; hwmAfter: number }[] = [];
  // The runtime class behind the InferenceSession factory; its instances are the sessions.
  const prototype = (ort.InferenceSession as unknown as { prototype: ort.InferenceSession }).prototype;
  const run = prototype.run;
  prototype.run = async function (this: ort.InferenceSession, ...args: Parameters<typeof run>) {
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    try {
      return await run.apply(this, args);
    } finally {
      const names = this.inputNames;
      const component = names.includes("timestep") ? "denoiser" : names.includes("latent_sample") ? "vae_decoder" : names.includes("input_ids") ? "text_encoder" : names.join("+");
      calls.push({ component, seconds: (performance.now() - started) / 1000, rssBefore, hwmAfter: vmHwmBytes() });
    }
  } as typeof run;
  return calls;
}

/** Makes every InferenceSession.create (the engine's included) use `extra` over its own options; only `component`'s when given. */
function mergeSessionOptions(extra: ort.InferenceSession.SessionOptions, component?: string): void {
  if (Object.keys(extra).length === 0) return;
  const factory = ort.InferenceSession as unknown as { create: (path: string, options?: ort.InferenceSession.SessionOptions) => Promise<ort.InferenceSession> };
  const create = factory.create.bind(factory);
  factory.create = (path, options) => (component && !path.includes(`/${component}/`) ? create(path, options) : create(path, { ...options, ...extra }));
}

// --- the model folder ---------------------------------------------------------

async function modelFolder(attention: AttentionForm): Promise<{ folder: string; manifest: FolderManifest; built: boolean }> {
  const version = family === "sd3" ? sd3FolderVersion(attention) : sd15FolderVersion(attention);
  const folder = resolve(flags.cache, version);
  const cached = flags.rebuild ? undefined : await readManifest(folder, version);
  if (cached) return { folder, manifest: cached, built: false };
  console.log(`building ${folder} (${family === "sd3" ? "about 9.3 GB" : "about 3.8 GB"}) in a child process...`);
  const child = spawnSync(process.execPath, [...process.execArgv, join(here, "diffusion", "build-folder.ts"), folder, attention, family], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`building the model folder failed (exit ${child.status})`);
  const manifest = await readManifest(folder, version);
  if (!manifest) throw new Error(`the build finished but ${folder} has no manifest`);
  return { folder, manifest, built: true };
}

// --- runs ---------------------------------------------------------------------

async function pipelineBenchmark(folder: string, manifest: FolderManifest): Promise<void> {
  const calls = timeSessionRuns();
  mergeSessionOptions(extraSessionOptions, flags["ort-only"]);
  const memory = rssSampler();
  const engine = createDiffusionEngine(
    // nativeSize: pictures render at the bench size (SD3's own default is 1024²).
    { path: folder, steps: { low: steps, medium: steps, high: steps }, intraOpThreads: threads, lowMemory: flags["low-memory"], nativeSize: size },
    { logger: pino({ level: "silent" }), family: "gpt-image", model: "bench" },
  );
  let started = performance.now();
  await engine.load?.();
  const loadSeconds = (performance.now() - started) / 1000;
  const rssAfterLoad = process.memoryUsage().rss;
  const hwmAfterLoad = vmHwmBytes();
  const loadCalls = calls.splice(0).reduce((sum, c) => sum + c.seconds, 0); // e.g. the latent-preview fit

  runtimeClock.sessionSeconds = 0;
  started = performance.now();
  const pictures = await engine.run(
    {
      mode: "generate", model: "bench", prompt: "a red fox in the snow", images: [], width: size, height: size, n: 1,
      quality: "medium", background: "opaque", seed: 1, partialImages: 0, inputFidelity: "low",
    },
    { signal: new AbortController().signal },
  );
  const totalSeconds = (performance.now() - started) / 1000;
  memory.stop();
  await engine.dispose?.();

  const byComponent = (name: string) => calls.filter((c) => c.component === name).map((c) => c.seconds);
  const unet = byComponent("denoiser");
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const inside = runtimeClock.sessionSeconds;
  const weights = manifest.weightBytes.total;
  const peak = Math.max(memory.peak(), vmHwmBytes());

  console.log(`picture: ${pictures.length} × ${pictures[0].width}×${pictures[0].height}`);
  console.log(`session load: ${loadSeconds.toFixed(1)} s (incl. ${loadCalls.toFixed(2)} s of session.run at load); RSS after load ${(rssAfterLoad / GB).toFixed(2)} GB, VmHWM by then ${(hwmAfterLoad / GB).toFixed(2)} GB`);
  console.log(`${family === "sd3" ? "transformer" : "UNet"} calls: ${unet.length} (guidance on → batch 2${flags["low-memory"] ? ", one row per call" : ""}), per step ${unet.map((s) => s.toFixed(2)).join(", ")} s; mean ${(sum(unet) / unet.length).toFixed(2)} s, first excluded ${(sum(unet.slice(1)) / Math.max(1, unet.length - 1)).toFixed(2)} s`);
  console.log(`text encoder: ${sum(byComponent("text_encoder")).toFixed(3)} s; VAE decoder: ${sum(byComponent("vae_decoder")).toFixed(2)} s`);
  console.log(`memory by phase: ${phaseMemory(calls)}`);
  console.log(`total pipeline: ${totalSeconds.toFixed(1)} s; inside session.run ${inside.toFixed(1)} s; outside ${(totalSeconds - inside).toFixed(2)} s = ${(((totalSeconds - inside) / totalSeconds) * 100).toFixed(2)} % (target ≤ 3 %)`);
  console.log(`peak RSS: sampled ${(memory.peak() / GB).toFixed(2)} GB, VmHWM ${(vmHwmBytes() / GB).toFixed(2)} GB = ${(peak / weights).toFixed(2)}× the weights (target ≤ 1.3×)`);
}

/** Per component: the highest RSS going into its calls and VmHWM after its last call. */
function phaseMemory(calls: ReturnType<typeof timeSessionRuns>): string {
  const phases: string[] = [];
  for (const component of new Set(calls.map((c) => c.component))) {
    const mine = calls.filter((c) => c.component === component);
    const rssIn = Math.max(...mine.map((c) => c.rssBefore));
    phases.push(`${component} RSS in ≤ ${(rssIn / GB).toFixed(2)} GB, VmHWM after ${(mine[mine.length - 1].hwmAfter / GB).toFixed(2)} GB`);
  }
  return phases.join("; ");
}

/** The UNet session alone at the bench size (batch 2: one guided picture), with any session options (`--ort`). */
async function unetBenchmark(folder: string, manifest: FolderManifest): Promise<void> {
  const options = extraSessionOptions;
  const batch = positiveInt(flags.batch, "batch");
  const memory = rssSampler();
  let started = performance.now();
  const session = await ort.InferenceSession.create(join(folder, "unet", "model.onnx"), {
    executionProviders: ["cpu"], interOpNumThreads: 1, graphOptimizationLevel: "all", ...(threads ? { intraOpNumThreads: threads } : {}), ...options,
  });
  console.log(`session options ${JSON.stringify(options)}: load ${((performance.now() - started) / 1000).toFixed(1)} s, RSS ${(process.memoryUsage().rss / GB).toFixed(2)} GB`);
  const latent = size / 8;
  const sample = new ort.Tensor("float32", Float32Array.from({ length: batch * 4 * latent * latent }, (_, i) => Math.sin(i)), [batch, 4, latent, latent]);
  const context = new ort.Tensor("float32", Float32Array.from({ length: batch * 77 * 768 }, (_, i) => Math.cos(i)), [batch, 77, 768]);
  const timestep = new ort.Tensor("float32", Float32Array.of(981), []);
  for (let i = 0; i < positiveInt(flags.runs, "runs"); i++) {
    started = performance.now();
    await session.run({ sample, timestep, encoder_hidden_states: context });
    const rss = process.memoryUsage().rss;
    console.log(`run ${i + 1}: ${((performance.now() - started) / 1000).toFixed(2)} s, RSS ${(rss / GB).toFixed(2)} GB, VmHWM ${(vmHwmBytes() / GB).toFixed(2)} GB (${(vmHwmBytes() / manifest.weightBytes.unet).toFixed(2)}× the UNet's weights)`);
  }
  memory.stop();
  await session.release();
}

/** Runs both attention forms' UNets on the same inputs at the bench size and prints how far apart their outputs are. */
async function attentionCheck(): Promise<void> {
  const latent = size / 8;
  const batch = 2;
  const sample = new ort.Tensor("float32", Float32Array.from({ length: batch * 4 * latent * latent }, (_, i) => Math.sin(i)), [batch, 4, latent, latent]);
  const context = new ort.Tensor("float32", Float32Array.from({ length: batch * 77 * 768 }, (_, i) => Math.cos(i)), [batch, 77, 768]);
  const timestep = new ort.Tensor("float32", Float32Array.of(981), []);
  const outputs: Float32Array[] = [];
  for (const form of ["full", "sliced"] as const) {
    const { folder } = await modelFolder(form);
    // One session at a time: each holds the UNet's 3.4 GB of weights.
    const session = await ort.InferenceSession.create(join(folder, "unet", "model.onnx"), { executionProviders: ["cpu"], graphOptimizationLevel: "all" });
    const result = await session.run({ sample, timestep, encoder_hidden_states: context });
    outputs.push(result.out_sample.data as Float32Array);
    await session.release();
  }
  const [full, sliced] = outputs;
  let maxDiff = 0;
  let maxAbs = 0;
  for (let i = 0; i < full.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(full[i] - sliced[i]));
    maxAbs = Math.max(maxAbs, Math.abs(full[i]));
  }
  const ok = maxDiff <= 1e-4 * Math.max(1, maxAbs);
  console.log(`check at ${size}×${size}, batch ${batch}: max |full − sliced| ${maxDiff.toExponential(2)}, max |full| ${maxAbs.toFixed(3)} → ${ok ? "equal" : "DIFFERENT"}`);
  if (!ok) process.exitCode = 1;
}

function positiveInt(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got ${text}`);
  return value;
}

if (flags.check) {
  await attentionCheck();
  process.exit();
}

const buildStarted = performance.now();
const { folder, manifest, built } = await modelFolder(attention);
const p = manifest.parameters;
console.log(`model: ${folder}`);
console.log(`parameters: ${family === "sd3" ? "transformer" : "UNet"} ${(p.unet / 1e6).toFixed(1)} M (${p.unet}), text encoder ${(p.textEncoder / 1e6).toFixed(1)} M, VAE decoder ${(p.vaeDecoder / 1e6).toFixed(1)} M`);
console.log(`weights: ${family === "sd3" ? "transformer" : "UNet"} ${(manifest.weightBytes.unet / GB).toFixed(2)} GB, all ${(manifest.weightBytes.total / GB).toFixed(2)} GB (float32)`);
console.log(built ? `model build: ${((performance.now() - buildStarted) / 1000).toFixed(1)} s` : `model build: cached (took ${manifest.buildSeconds.toFixed(1)} s)`);
console.log(`${flags["unet-only"] ? `UNet only, batch ${flags.batch}` : "pipeline"}: ${size}×${size}, ${attention} attention, ${steps} steps, ${threads || "default"} threads on ${availableParallelism()} cores`);
if (flags["unet-only"]) await unetBenchmark(folder, manifest);
else await pipelineBenchmark(folder, manifest);
