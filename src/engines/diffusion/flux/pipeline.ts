// The FLUX.1 recipe, top to bottom as diffusers' FluxPipeline (and its img2img and inpainting
// siblings) read:
//   1. plan: render size (multiples of 16 pixels: one packed token is 2×2 latent pixels),
//      steps, distilled guidance ([dev]), strength;
//   2. encode the prompt: CLIP's pooled embedding and T5's token embeddings (no negative
//      prompt: FLUX has no classifier-free guidance);
//   3. latents: 16-channel noise from each picture's seed, packed into 2×2 tokens with their
//      positions; for edits the input picture's latents noised to the starting sigma;
//   4. denoise: transformer velocity, Euler step along it; partial images from the predicted
//      clean latent; outside a mask, the input put back at the next sigma;
//   5. unpack, decode with the VAE (or the fast decoder), postprocess.
// Picture i of a job draws from its own generator seeded seed + i, as diffusers with one
// picture per call.
import type { Tensor } from "onnxruntime-node";
import { errors } from "../../../errors.js";
import { abortError } from "../../../queue.js";
import type { ImageJob, RawImage, RunOptions } from "../../engine.js";
import { decodeFast, explainDecoders, finalDecoder } from "../fast-decoder.js";
import { binarise, fromImageTensor, keepUnmasked, maskWeights, resize, toImageTensor, type Size } from "../images.js";
import { partialSteps } from "../pipeline.js";
import { createGenerator, type NoiseGenerator } from "../rng/generator.js";
import { flowSchedule, flowStep, img2imgStart, scaleNoise, type FlowSchedule } from "../schedulers/flow-match.js";
import { runEncoder } from "../text.js";
import { KEY_BACKGROUND_PROMPT, matteBackground } from "../transparency.js";
import { decodeLatents, encodePicture, previewLatents, sampleLatents } from "../vae.js";
import { imageIds, packLatents, unpackLatents } from "./latents.js";
import type { FluxModel } from "./model.js";

interface Plan {
  render: Size;
  latent: Size;
  steps: number;
  guidance: number;
  strength: number;
  init?: RawImage;
  /** 1 where the picture may change, packed like the latents ([tokens, 64]). */
  packedMask?: Float32Array;
}

export async function runFlux(model: FluxModel, job: ImageJob, { signal, onPartial }: RunOptions): Promise<RawImage[]> {
  const plan = await planJob(model, job);
  const text = await encodePrompt(model, job);
  const pictures: RawImage[] = [];
  for (let i = 0; i < job.n; i++) {
    const generator = createGenerator(model.settings.rng, (job.seed + i) >>> 0);
    const report = i === 0 && job.partialImages > 0 ? onPartial : undefined;
    const latents = await denoise(model, plan, job, text, generator, signal, report);
    pictures.push(await finish(model, plan, job, latents));
  }
  return pictures;
}

export async function explainFlux(model: FluxModel, job: ImageJob): Promise<Record<string, unknown>> {
  const plan = await planJob(model, job, false);
  const schedule = scheduleOf(model, plan);
  const start = job.mode === "generate" ? 0 : img2imgStart(plan.steps, plan.strength);
  const { folder } = model;
  return {
    engine: "diffusion",
    mode: job.mode,
    model: { path: folder.path, family: folder.family, variant: model.guided ? "dev" : "schnell", pipeline: folder.pipelineClass },
    prompt: job.background === "transparent" ? job.prompt + KEY_BACKGROUND_PROMPT : job.prompt,
    negative_prompt: null, // FLUX has no classifier-free guidance: a negative prompt is not used
    scheduler: "flow-match-euler",
    steps: plan.steps,
    steps_run: plan.steps - start,
    sigmas: [...schedule.sigmas.subarray(start)].map((sigma) => Number(sigma.toFixed(6))),
    shift: schedule.mu === undefined ? model.scheduler.shift : { dynamic: true, mu: Number(schedule.mu.toFixed(6)) },
    guidance_scale: model.guided ? plan.guidance : null,
    classifier_free_guidance: false,
    strength: job.mode === "generate" ? null : plan.strength,
    text_tokens: model.textLength,
    text_encoders: model.settings.lowMemory ? "loaded for each job" : "kept loaded",
    render_size: `${plan.render.width}x${plan.render.height}`,
    output_size: `${job.width}x${job.height}`,
    ...explainDecoders(model.fastDecoder, model.settings, job.quality),
    rng: model.settings.rng,
    seeds: Array.from({ length: job.n }, (_, i) => (job.seed + i) >>> 0),
  };
}

// 1. Plan ---------------------------------------------------------------------

async function planJob(model: FluxModel, job: ImageJob, withPictures = true): Promise<Plan> {
  if (job.mode !== "generate" && !model.vae.encoder) {
    throw errors.unsupportedForModel("image", job.model, "Its folder has no vae_encoder, which edits and variations need.");
  }
  const render = renderSize(model, job);
  const latent = { width: render.width / 8, height: render.height / 8 };
  const plan: Plan = {
    render,
    latent,
    steps: job.steps ?? model.settings.steps[job.quality],
    guidance: job.guidanceScale ?? model.settings.guidanceScale,
    strength: job.strength ?? (job.mode === "variation" ? 0.6 : job.mask ? 1 : job.inputFidelity === "high" ? 0.5 : 0.75),
  };
  if (!withPictures || job.mode === "generate") return plan;
  plan.init = await resize(job.images[0], render);
  if (job.mask) {
    const mask = binarise(await maskWeights(job.mask, latent));
    const channels = model.vae.channels;
    const planes = new Float32Array(channels * mask.length);
    for (let c = 0; c < channels; c++) planes.set(mask, c * mask.length);
    plan.packedMask = packLatents(planes, channels, latent);
  }
  return plan;
}

/** The model's native area at the requested aspect, in multiples of 16 pixels (one packed token). */
function renderSize(model: FluxModel, job: ImageJob): Size {
  const area = model.settings.nativeSize ** 2;
  const aspect = job.width / job.height;
  const toSixteen = (value: number) => Math.max(16, Math.round(value / 16) * 16);
  const width = Math.sqrt(area * aspect);
  return { width: toSixteen(width), height: toSixteen(area / width) };
}

function scheduleOf(model: FluxModel, plan: Plan): FlowSchedule {
  const tokens = (plan.latent.width / 2) * (plan.latent.height / 2);
  return flowSchedule(model.scheduler, plan.steps, tokens);
}

// 2. Prompt -------------------------------------------------------------------

interface PromptEmbedding {
  pooled: Float32Array;
  tokens: Float32Array;
  width: number;
}

async function encodePrompt(model: FluxModel, job: ImageJob): Promise<PromptEmbedding> {
  // A variation has no prompt: the empty string, as FluxImg2ImgPipeline would be given.
  const prompt = job.background === "transparent" ? job.prompt + KEY_BACKGROUND_PROMPT : job.prompt;
  return model.withTextEncoders(async (clipEncoder, t5Encoder) => {
    const clip = await runEncoder(clipEncoder, [prompt], "last_hidden_state", "pooler_output");
    const t5 = await runEncoder(t5Encoder, [prompt], "last_hidden_state");
    return { pooled: clip.pooled!, tokens: t5.data, width: t5.width };
  });
}

// 3 & 4. Latents and the denoising loop --------------------------------------

async function denoise(
  model: FluxModel,
  plan: Plan,
  job: ImageJob,
  text: PromptEmbedding,
  generator: NoiseGenerator,
  signal: AbortSignal,
  report: RunOptions["onPartial"],
): Promise<Float32Array> {
  const schedule = scheduleOf(model, plan);
  const start = plan.init ? img2imgStart(plan.steps, plan.strength) : 0;
  const channels = model.vae.channels;
  const perPicture = channels * plan.latent.width * plan.latent.height;

  // diffusers' order: the input's latent distribution is sampled first, then the noise is drawn.
  const initLatents = plan.init
    ? packLatents(sampleLatents(model.vae, await encodePicture(model.vae, toImageTensor(plan.init), plan.render), (n) => generator.randn(n)), channels, plan.latent)
    : undefined;
  const noise = packLatents(generator.randn(perPicture), channels, plan.latent);
  let latents: Float32Array = initLatents ? scaleNoise(initLatents, noise, schedule.sigmas[start]) : noise.slice();

  const feeds = transformerFeeds(model, plan, text);
  const previewAt = partialSteps(plan.steps - start, job.partialImages).map((step) => step + start);
  for (let i = start; i < plan.steps; i++) {
    if (signal.aborted) throw abortError();
    const sigma = schedule.sigmas[i];
    const velocity = await model.transformer.runFloat(
      { ...feeds, hidden_states: model.transformer.float("hidden_states", latents, [1, latents.length / (channels * 4), channels * 4]), timestep: model.transformer.float("timestep", schedule.modelTimesteps.subarray(i, i + 1), [1]) },
      "out_hidden_states",
    );
    let clean: Float32Array = latents.map((x, k) => x - sigma * velocity[k]);
    flowStep(latents, velocity, sigma, schedule.sigmas[i + 1]);
    if (plan.packedMask && initLatents) {
      // FluxInpaintPipeline: outside the mask, the input noised to the next sigma.
      const kept = i + 1 < plan.steps ? scaleNoise(initLatents, noise, schedule.sigmas[i + 1]) : initLatents;
      latents = blend(kept, latents, plan.packedMask);
      clean = blend(initLatents, clean, plan.packedMask);
    }
    const frame = previewAt.indexOf(i);
    if (report && frame >= 0) report(await previewFrame(model, plan, job, clean), frame);
  }
  if (signal.aborted) throw abortError();
  return latents;
}

/** The inputs that stay the same at every step. */
function transformerFeeds(model: FluxModel, plan: Plan, text: PromptEmbedding): Record<string, Tensor> {
  const { transformer } = model;
  const tokens = text.tokens.length / text.width;
  const positions = imageIds(plan.latent);
  const rows = positions.length / 3;
  // diffusers < 0.31 exported the ids with a batch axis.
  const idsShape = (count: number, input: string) => (transformer.inputRank(input) === 3 ? [1, count, 3] : [count, 3]);
  const feeds: Record<string, Tensor> = {
    encoder_hidden_states: transformer.float("encoder_hidden_states", text.tokens, [1, tokens, text.width]),
    pooled_projections: transformer.float("pooled_projections", text.pooled, [1, text.pooled.length]),
    img_ids: transformer.float("img_ids", positions, idsShape(rows, "img_ids")),
    txt_ids: transformer.float("txt_ids", new Float32Array(tokens * 3), idsShape(tokens, "txt_ids")),
  };
  if (model.guided) feeds.guidance = transformer.float("guidance", Float32Array.of(plan.guidance), [1]);
  return feeds;
}

/** (1 − mask) · kept + mask · painted. */
function blend(kept: Float32Array, painted: Float32Array, mask: Float32Array): Float32Array {
  return painted.map((value, i) => (1 - mask[i]) * kept[i] + mask[i] * value);
}

async function previewFrame(model: FluxModel, plan: Plan, job: ImageJob, clean: Float32Array): Promise<RawImage> {
  const latent = unpackLatents(clean, model.vae.channels, plan.latent);
  const { partialDecoder } = model.settings;
  const pixels =
    partialDecoder === "approximate"
      ? { data: previewLatents(model.preview, latent, plan.latent), size: plan.latent }
      : { data: (await decode(model, partialDecoder === "fast" ? "fast" : "vae", latent, plan.latent))[0], size: plan.render };
  return resize(fromImageTensor(pixels.data, 0, pixels.size), job);
}

// 5. Decode and postprocess ---------------------------------------------------

function decode(model: FluxModel, decoder: "fast" | "vae", latent: Float32Array, size: Size): Promise<Float32Array[]> {
  return decoder === "fast" && model.fastDecoder ? decodeFast(model.fastDecoder, latent, 1, size) : decodeLatents(model.vae, latent, 1, size);
}

async function finish(model: FluxModel, plan: Plan, job: ImageJob, packed: Float32Array): Promise<RawImage> {
  const latent = unpackLatents(packed, model.vae.channels, plan.latent);
  const [tensor] = await decode(model, finalDecoder(model.fastDecoder, model.settings, job.quality), latent, plan.latent);
  let picture = await resize(fromImageTensor(tensor, 0, plan.render), job);
  if (job.mask) picture = keepUnmasked(picture, await resize(job.images[0], job), await resize(job.mask, job));
  if (job.background === "transparent") picture = matteBackground(picture);
  return picture;
}
