// The diffusion recipe, top to bottom as diffusers' pipelines read:
//   1. plan the job: render size, steps, guidance, strength;
//   2. encode the prompt (and the negative prompt, for guidance);
//   3. prepare latents: noise from each picture's seed, or a noised input picture;
//   4. denoise: UNet, classifier-free guidance, scheduler step — with partial
//      images from the predicted clean latent, and mask blending for edits;
//   5. decode with the VAE (or the fast decoder, for the qualities the options name)
//      and postprocess to the exact requested size.
// Picture i of a job uses seed + i with its own generator (PyTorch's CPU stream
// by default), so each picture equals diffusers' output for that seed with one
// picture per call.
import type { ImageJob, RawImage, RunOptions } from "../engine.js";
import { errors } from "../../errors.js";
import { abortError } from "../../queue.js";
import { binarise, maskWeights, resize, toImageTensor, type Size } from "./images.js";
import { renderSize, type DiffusionModel } from "./model.js";
import { createGenerator, type NoiseGenerator } from "./rng/generator.js";
import { createScheduler, type NoiseSource, type Scheduler } from "./schedulers/scheduler.js";
import { concatBatches } from "./tensors.js";
import { encodeText, zerosLike, type TextConditioning } from "./text.js";
import { unetInputs, type UnetInputs } from "./unet-inputs.js";
import { encodePicture, sampleLatents } from "./vae.js";
import { decodeWith, partialPicture, postprocess, promptOf } from "./decode.js";
import { explainDecoders, finalDecoder } from "./fast-decoder.js";

export interface Plan {
  render: Size;
  latent: Size;
  steps: number;
  guidance: number;
  /** Classifier-free guidance runs the UNet on [unconditional, conditional] halves. */
  guided: boolean;
  /** Edits and variations start from this picture (already at render size). */
  init?: RawImage;
  strength: number;
  /** 1 where the picture may change, at latent size. */
  latentMask?: Float32Array;
}

export async function runPipeline(model: DiffusionModel, job: ImageJob, { signal, onPartial }: RunOptions): Promise<RawImage[]> {
  const plan = await planJob(model, job);
  const conditioning = await encodePrompts(model, job, plan);
  const pictures: RawImage[] = [];
  for (let first = 0; first < job.n; first += model.settings.maxBatch) {
    const seeds = Array.from({ length: Math.min(model.settings.maxBatch, job.n - first) }, (_, i) => (job.seed + first + i) >>> 0);
    const report = first === 0 && job.partialImages > 0 ? onPartial : undefined;
    const latents = await denoise(model, plan, job, conditioning, seeds, signal, report);
    pictures.push(...(await finish(model, plan, job, latents, seeds.length)));
  }
  return pictures;
}

// 1. Plan ---------------------------------------------------------------------

/** The numbers a job runs with: the request's extensions over the model's defaults. */
function settingsOf(model: DiffusionModel, job: ImageJob) {
  const guidance = job.guidanceScale ?? model.settings.guidanceScale;
  return {
    render: renderSize(model, job),
    steps: job.steps ?? model.settings.steps[job.quality],
    guidance,
    // LCM builds guidance into the UNet (timestep_cond); a variation has no prompt to guide by.
    guided: guidance > 1 && !model.folder.lcm && job.mode !== "variation",
    strength: strengthFor(job),
  };
}

/** What a job will run, for `easel explain` and the `explain` request field. */
export async function explainJob(model: DiffusionModel, job: ImageJob): Promise<Record<string, unknown>> {
  const { render, steps, guidance, guided, strength } = settingsOf(model, job);
  const { folder } = model;
  return {
    engine: "diffusion",
    mode: job.mode,
    model: { path: folder.path, family: folder.family, pipeline: folder.pipelineClass, lcm: folder.lcm, turbo: folder.turbo, inpainting_unet: model.inpaintingUnet },
    prompt: promptOf(job),
    negative_prompt: job.negativePrompt ?? "",
    scheduler: createScheduler(model.schedulerConfig, model.settings.scheduler).name,
    steps,
    guidance_scale: guidance,
    classifier_free_guidance: guided,
    strength: job.mode === "generate" ? null : strength,
    render_size: `${render.width}x${render.height}`,
    output_size: `${job.width}x${job.height}`,
    ...explainDecoders(model.fastDecoder, model.settings, job.quality),
    rng: model.settings.rng,
    seeds: Array.from({ length: job.n }, (_, i) => (job.seed + i) >>> 0),
  };
}

async function planJob(model: DiffusionModel, job: ImageJob): Promise<Plan> {
  if (job.mode !== "generate" && !model.vae.encoder) {
    throw errors.unsupportedForModel("image", job.model, "Its folder has no vae_encoder, which edits and variations need.");
  }
  const { render, steps, guidance, guided, strength } = settingsOf(model, job);
  const latent = { width: render.width / 8, height: render.height / 8 };
  const source = job.mode === "generate" ? undefined : job.images[0];
  const init = source && (await resize(source, render));
  const latentMask = job.mask && binarise(await maskWeights(job.mask, latent));
  return { render, latent, steps, guidance, guided, init, strength, latentMask };
}

/** Defaults: variations stay close to the input; high input fidelity keeps more of it; masks repaint their area fully. */
export function strengthFor(job: ImageJob): number {
  if (job.strength !== undefined) return job.strength;
  if (job.mode === "variation") return 0.6;
  if (job.mask) return 1;
  return job.inputFidelity === "high" ? 0.5 : 0.75;
}

// 2. Prompts ------------------------------------------------------------------

export interface Conditioning {
  positive: TextConditioning;
  negative?: TextConditioning;
}

async function encodePrompts(model: DiffusionModel, job: ImageJob, plan: Plan): Promise<Conditioning> {
  const prompt = promptOf(job);
  const negativePrompt = job.negativePrompt ?? "";
  if (!plan.guided) return { positive: await encodeText([prompt], model.text, model.text2) };
  // SDXL's pipelines use zeros, not the encoded empty string, for "no negative prompt".
  if (model.text2 && negativePrompt === "") {
    const positive = await encodeText([prompt], model.text, model.text2);
    return { positive, negative: zerosLike(positive) };
  }
  const both = await encodeText([negativePrompt, prompt], model.text, model.text2);
  const half = (data: Float32Array | undefined, index: number) => data && data.slice((index * data.length) / 2, ((index + 1) * data.length) / 2);
  const pick = (index: number): TextConditioning => ({ ...both, hidden: half(both.hidden, index)!, pooled: half(both.pooled, index) });
  return { negative: pick(0), positive: pick(1) };
}

// 3 & 4. Latents and the denoising loop --------------------------------------

async function denoise(
  model: DiffusionModel,
  plan: Plan,
  job: ImageJob,
  conditioning: Conditioning,
  seeds: number[],
  signal: AbortSignal,
  report: RunOptions["onPartial"],
): Promise<Float32Array> {
  const count = seeds.length;
  const perPicture = 4 * plan.latent.width * plan.latent.height;
  const generators = seeds.map((seed) => createGenerator(model.settings.rng, seed));
  // Each picture draws from its own generator: batched noise is the pictures' noise side by side.
  const noise: NoiseSource = (total) => concatBatches(generators.map((g) => g.randn(total / count)));

  const scheduler = createScheduler(model.schedulerConfig, model.settings.scheduler);
  scheduler.setTimesteps(plan.steps);
  const start = plan.init ? Math.min(scheduler.beginImg2Img(plan.strength), scheduler.timesteps.length - 1) : 0;

  const prepared = await prepareLatents(model, plan, scheduler, generators, start, noise, perPicture);
  let latents = prepared.latents;
  const extras = await unetInputs(model, plan, job, conditioning, count);
  const previewAt = partialSteps(scheduler.timesteps.length - start, job.partialImages).map((step) => step + start);

  for (let i = start; i < scheduler.timesteps.length; i++) {
    if (signal.aborted) throw abortError();
    const modelInput = scheduler.scaleModelInput(latents, i);
    const prediction = await predictNoise(model, plan, extras, modelInput, scheduler.timesteps[i], count, perPicture);
    const { prevSample, predOriginalSample } = scheduler.step(prediction, i, latents, noise);
    latents = prevSample;
    let clean = predOriginalSample;
    if (plan.latentMask && !model.inpaintingUnet && prepared.initLatents) {
      // A regular UNet repaints everything; put the input back (noised to the next level) outside the mask.
      const next = i + 1 < scheduler.timesteps.length ? scheduler.addNoise(prepared.initLatents, prepared.noise, i + 1) : prepared.initLatents;
      latents = blend(next, latents, plan.latentMask);
      clean = blend(prepared.initLatents, clean, plan.latentMask);
    }
    const frame = previewAt.indexOf(i);
    if (report && frame >= 0) report(await partialPicture(model, clean.subarray(0, perPicture), plan.latent, plan.render, job), frame);
  }
  if (signal.aborted) throw abortError();
  return latents;
}

interface PreparedLatents {
  latents: Float32Array;
  /** The input picture's latents, for mask blending. */
  initLatents?: Float32Array;
  /** The noise the start latents were made from, reused to noise initLatents at each step. */
  noise: Float32Array;
}

async function prepareLatents(
  model: DiffusionModel,
  plan: Plan,
  scheduler: Scheduler,
  generators: NoiseGenerator[],
  start: number,
  noise: NoiseSource,
  perPicture: number,
): Promise<PreparedLatents> {
  const count = generators.length;
  if (!plan.init) {
    const drawn = noise(count * perPicture);
    return { latents: drawn.map((v) => v * scheduler.initNoiseSigma), noise: drawn };
  }
  // diffusers' order: sample the VAE's latent distribution, then draw the noise, both from the picture's generator.
  const picture = toImageTensor(plan.init);
  const distribution = await encodePicture(model.vae, picture, plan.render);
  const encoded = generators.map((g) => sampleLatents(model.vae, distribution, (n) => g.randn(n)));
  const initLatents = concatBatches(encoded);
  const drawn = noise(count * perPicture);
  // Repainting a masked area from scratch starts from pure noise, as diffusers' inpainting does at strength 1.
  const latents = plan.latentMask && plan.strength >= 1 ? drawn.map((v) => v * scheduler.initNoiseSigma) : scheduler.addNoise(initLatents, drawn, start);
  return { latents, initLatents, noise: drawn };
}

/**
 * The UNet's noise prediction for the batch, with classifier-free guidance
 * applied. All rows go through the UNet in one call, or one row per call for
 * lowMemory (the UNet's activations grow with the batch: attention scores
 * alone are 1 GB per row for SD 1.5 at 512²).
 */
async function predictNoise(
  model: DiffusionModel,
  plan: Plan,
  extras: UnetInputs,
  modelInput: Float32Array,
  timestep: number,
  count: number,
  perPicture: number,
): Promise<Float32Array> {
  let sample = extras.withInpaintingChannels(modelInput);
  if (plan.guided) sample = concatBatches([sample, sample]);
  const rows = plan.guided ? 2 * count : count;
  const rowsPerCall = model.settings.lowMemory ? 1 : rows;
  const perRow = sample.length / rows;
  const output = new Float32Array(rows * perPicture);
  for (let first = 0; first < rows; first += rowsPerCall) {
    const batch = Math.min(rowsPerCall, rows - first);
    const feeds = extras.feeds(sample.subarray(first * perRow, (first + batch) * perRow), timestep, first, batch);
    output.set(await model.unet.runFloat(feeds, "out_sample"), first * perPicture);
  }
  if (!plan.guided) return output;
  const half = count * perPicture;
  const guided = new Float32Array(half);
  for (let i = 0; i < half; i++) {
    const unconditional = output[i];
    guided[i] = unconditional + plan.guidance * (output[half + i] - unconditional);
  }
  return guided;
}

/** (1 − mask) · kept + mask · painted, per picture. */
export function blend(kept: Float32Array, painted: Float32Array, mask: Float32Array): Float32Array {
  const plane = mask.length; // the same mask for every picture of the batch
  const out = new Float32Array(painted.length);
  for (let i = 0; i < out.length; i++) {
    const m = mask[i % plane];
    out[i] = (1 - m) * kept[i] + m * painted[i];
  }
  return out;
}

/** Which steps (0-based, of `steps`) show a partial image: spread evenly, the last one before the end. */
export function partialSteps(steps: number, frames: number): number[] {
  if (frames <= 0 || steps <= 1) return [];
  const shown = Math.min(frames, steps - 1);
  return Array.from({ length: shown }, (_, k) => Math.floor(((k + 1) * steps) / (shown + 1)) - 1).filter((s, k, all) => s >= 0 && all.indexOf(s) === k);
}

// 5. Decode and postprocess ---------------------------------------------------

async function finish(model: DiffusionModel, plan: Plan, job: ImageJob, latents: Float32Array, count: number): Promise<RawImage[]> {
  const decoded = await decodeWith(model, finalDecoder(model.fastDecoder, model.settings, job.quality), latents, count, plan.latent);
  const pictures: RawImage[] = [];
  for (const tensor of decoded) pictures.push(await postprocess(tensor, plan.render, job));
  return pictures;
}
