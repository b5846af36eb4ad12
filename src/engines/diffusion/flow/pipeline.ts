// The flow-matching recipe (FLUX.1, Stable Diffusion 3/3.5), top to bottom as diffusers'
// FluxPipeline and StableDiffusion3Pipeline (and their img2img and inpainting siblings) read;
// what differs between the families is in families.ts:
//   1. plan: render size (multiples of 16 pixels: the transformers work on 2×2 latent
//      patches), steps, guidance, strength;
//   2. encode the prompt (and, for classifier-free guidance, the negative prompt);
//   3. latents: 16-channel noise from each picture's seed, in the transformer's view (FLUX
//      packs 2×2 patches into tokens); for edits the input's latents noised to the start sigma;
//   4. denoise: transformer velocity (guided: unconditional + scale · (conditional − it)),
//      Euler step along it; partial images from the predicted clean latent; outside a mask,
//      the input put back at the next sigma;
//   5. back from the transformer's view, decode with the VAE (or the fast decoder), postprocess.
// Picture i of a job draws from its own generator seeded seed + i, as diffusers with one
// picture per call.
import { errors } from "../../../errors.js";
import { abortError } from "../../../queue.js";
import type { ImageJob, RawImage, RunOptions } from "../../engine.js";
import { decodeWith, partialPicture, postprocess, promptOf } from "../decode.js";
import { explainDecoders, finalDecoder } from "../fast-decoder.js";
import { binarise, maskWeights, resize, toImageTensor, type Size } from "../images.js";
import { renderSize } from "../model.js";
import { blend, partialSteps, strengthFor } from "../pipeline.js";
import { createGenerator, type NoiseGenerator } from "../rng/generator.js";
import { flowStep, img2imgStart, scaleNoise } from "../schedulers/flow-match.js";
import { encodePicture, sampleLatents } from "../vae.js";
import { recipeFor, type PromptEmbedding } from "./families.js";
import type { FlowModel } from "./model.js";

interface Plan {
  render: Size;
  latent: Size;
  steps: number;
  guidance: number;
  strength: number;
  init?: RawImage;
  /** Classifier-free guidance (SD3 with a scale above 1). */
  guided: boolean;
  /** 1 where the picture may change, in the transformer's view of the latents. */
  modelMask?: Float32Array;
}

export async function runFlow(model: FlowModel, job: ImageJob, { signal, onPartial }: RunOptions): Promise<RawImage[]> {
  const plan = await planJob(model, job);
  const text = await encodePrompts(model, job, plan);
  const pictures: RawImage[] = [];
  for (let i = 0; i < job.n; i++) {
    const generator = createGenerator(model.settings.rng, (job.seed + i) >>> 0);
    const report = i === 0 && job.partialImages > 0 ? onPartial : undefined;
    const latents = await denoise(model, plan, job, text, generator, signal, report);
    pictures.push(await finish(model, plan, job, latents));
  }
  return pictures;
}

export async function explainFlow(model: FlowModel, job: ImageJob): Promise<Record<string, unknown>> {
  const plan = await planJob(model, job, false);
  const schedule = recipeFor(model).schedule(model, plan.steps, plan.latent);
  const start = job.mode === "generate" ? 0 : img2imgStart(plan.steps, plan.strength);
  const { folder } = model;
  return {
    engine: "diffusion",
    mode: job.mode,
    model: { path: folder.path, family: folder.family, ...(model.family === "flux" ? { variant: model.guidanceInput ? "dev" : "schnell" } : {}), pipeline: folder.pipelineClass },
    prompt: promptOf(job),
    // FLUX has no classifier-free guidance: a negative prompt is not used.
    negative_prompt: plan.guided ? (job.negativePrompt ?? "") : null,
    scheduler: "flow-match-euler",
    steps: plan.steps,
    steps_run: plan.steps - start,
    sigmas: [...schedule.sigmas.subarray(start)].map((sigma) => Number(sigma.toFixed(6))),
    shift: schedule.mu === undefined ? model.scheduler.shift : { dynamic: true, mu: Number(schedule.mu.toFixed(6)) },
    guidance_scale: model.guidanceInput || model.family === "sd3" ? plan.guidance : null,
    classifier_free_guidance: plan.guided,
    strength: job.mode === "generate" ? null : plan.strength,
    text_tokens: model.textLength,
    ...(model.family === "sd3" ? { t5: model.folder.files.textEncoder3 ? "used" : "absent: zeros in its place" } : {}),
    text_encoders: model.settings.lowMemory ? "loaded for each job" : "kept loaded",
    render_size: `${plan.render.width}x${plan.render.height}`,
    output_size: `${job.width}x${job.height}`,
    ...explainDecoders(model.fastDecoder, model.settings, job.quality),
    rng: model.settings.rng,
    seeds: Array.from({ length: job.n }, (_, i) => (job.seed + i) >>> 0),
  };
}

// 1. Plan ---------------------------------------------------------------------

async function planJob(model: FlowModel, job: ImageJob, withPictures = true): Promise<Plan> {
  if (job.mode !== "generate" && !model.vae.encoder) {
    throw errors.unsupportedForModel("image", job.model, "Its folder has no vae_encoder, which edits and variations need.");
  }
  const render = renderSize(model, job, 16);
  const latent = { width: render.width / 8, height: render.height / 8 };
  const guidance = job.guidanceScale ?? model.settings.guidanceScale;
  const plan: Plan = {
    render,
    latent,
    steps: job.steps ?? model.settings.steps[job.quality],
    guidance,
    // A variation has no prompt to guide by.
    guided: recipeFor(model).guided(model, guidance) && job.mode !== "variation",
    strength: strengthFor(job),
  };
  if (!withPictures || job.mode === "generate") return plan;
  plan.init = await resize(job.images[0], render);
  if (job.mask) {
    const mask = binarise(await maskWeights(job.mask, latent));
    const channels = model.vae.channels;
    const planes = new Float32Array(channels * mask.length);
    for (let c = 0; c < channels; c++) planes.set(mask, c * mask.length);
    plan.modelMask = recipeFor(model).toModelSpace(planes, channels, latent);
  }
  return plan;
}

// 2. Prompt -------------------------------------------------------------------

/** The prompt's embedding, and with classifier-free guidance the negative prompt's. */
async function encodePrompts(model: FlowModel, job: ImageJob, plan: Plan): Promise<PromptEmbedding[]> {
  const prompt = promptOf(job);
  const prompts = plan.guided ? [prompt, job.negativePrompt ?? ""] : [prompt];
  return model.withTextEncoders((encoders) => recipeFor(model).encode(model, encoders, prompts));
}

// 3 & 4. Latents and the denoising loop --------------------------------------

async function denoise(
  model: FlowModel,
  plan: Plan,
  job: ImageJob,
  text: PromptEmbedding[],
  generator: NoiseGenerator,
  signal: AbortSignal,
  report: RunOptions["onPartial"],
): Promise<Float32Array> {
  const recipe = recipeFor(model);
  const schedule = recipe.schedule(model, plan.steps, plan.latent);
  const start = plan.init ? img2imgStart(plan.steps, plan.strength) : 0;
  const channels = model.vae.channels;
  const perPicture = channels * plan.latent.width * plan.latent.height;
  const toModel = (latent: Float32Array) => recipe.toModelSpace(latent, channels, plan.latent);

  // diffusers' order: the input's latent distribution is sampled first, then the noise is drawn.
  const initLatents = plan.init
    ? toModel(sampleLatents(model.vae, await encodePicture(model.vae, toImageTensor(plan.init), plan.render), (n) => generator.randn(n)))
    : undefined;
  const noise = toModel(generator.randn(perPicture));
  let latents: Float32Array = initLatents ? scaleNoise(initLatents, noise, schedule.sigmas[start]) : noise.slice();

  const previewAt = partialSteps(plan.steps - start, job.partialImages).map((step) => step + start);
  for (let i = start; i < plan.steps; i++) {
    if (signal.aborted) throw abortError();
    const sigma = schedule.sigmas[i];
    const velocity = await predictVelocity(model, plan, text, latents, recipe.timestep(schedule, i));
    let clean: Float32Array = latents.map((x, k) => x - sigma * velocity[k]);
    flowStep(latents, velocity, sigma, schedule.sigmas[i + 1]);
    if (plan.modelMask && initLatents) {
      // FluxInpaintPipeline, StableDiffusion3InpaintPipeline: outside the mask, the input noised to the next sigma.
      const kept = i + 1 < plan.steps ? scaleNoise(initLatents, noise, schedule.sigmas[i + 1]) : initLatents;
      latents = blend(kept, latents, plan.modelMask);
      clean = blend(initLatents, clean, plan.modelMask);
    }
    const frame = previewAt.indexOf(i);
    if (report && frame >= 0) report(await partialPicture(model, recipe.fromModelSpace(clean, channels, plan.latent), plan.latent, plan.render, job), frame);
  }
  if (signal.aborted) throw abortError();
  return latents;
}

/**
 * The transformer's velocity at one step; with classifier-free guidance the prompt's and the
 * negative prompt's rows in one call (one per call with lowMemory), combined as diffusers does.
 */
async function predictVelocity(model: FlowModel, plan: Plan, text: PromptEmbedding[], latents: Float32Array, timestep: number): Promise<Float32Array> {
  const { transformer } = model;
  const recipe = recipeFor(model);
  const channels = model.vae.channels;
  const run = async (rows: PromptEmbedding[]) => {
    const [first] = rows;
    const stacked = (pick: (embedding: PromptEmbedding) => Float32Array) => {
      const out = new Float32Array(rows.length * pick(first).length);
      rows.forEach((row, r) => out.set(pick(row), r * pick(first).length));
      return out;
    };
    const hidden = new Float32Array(rows.length * latents.length);
    for (let r = 0; r < rows.length; r++) hidden.set(latents, r * latents.length);
    return transformer.runFloat(
      {
        ...recipe.extraFeeds(model, plan.latent, first, plan.guidance),
        hidden_states: transformer.float("hidden_states", hidden, recipe.hiddenShape(rows.length, channels, plan.latent)),
        encoder_hidden_states: transformer.float("encoder_hidden_states", stacked((e) => e.tokens), [rows.length, first.count, first.width]),
        pooled_projections: transformer.float("pooled_projections", stacked((e) => e.pooled), [rows.length, first.pooled.length]),
        timestep: transformer.float("timestep", new Float32Array(rows.length).fill(timestep), [rows.length]),
      },
      "out_hidden_states",
    );
  };
  if (!plan.guided) return run([text[0]]);
  const [conditional, unconditional] = model.settings.lowMemory
    ? [await run([text[0]]), await run([text[1]])]
    : await run([text[1], text[0]]).then((both) => [both.subarray(latents.length), both.subarray(0, latents.length)]);
  return unconditional.map((u, k) => u + plan.guidance * (conditional[k] - u));
}

// 5. Decode and postprocess ---------------------------------------------------

async function finish(model: FlowModel, plan: Plan, job: ImageJob, values: Float32Array): Promise<RawImage> {
  const latent = recipeFor(model).fromModelSpace(values, model.vae.channels, plan.latent);
  const [tensor] = await decodeWith(model, finalDecoder(model.fastDecoder, model.settings, job.quality), latent, 1, plan.latent);
  return postprocess(tensor, plan.render, job);
}
