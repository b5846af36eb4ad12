// What differs between the flow-matching families, behind one interface the recipe in
// pipeline.ts drives:
// - FLUX.1 (FluxPipeline): CLIP's pooled embedding and T5's tokens; latents packed into 2×2
//   tokens with position ids; sigmas linspace(1, 1/n) shifted (by mu for [dev]); the
//   transformer gets timestep / 1000 and, for [dev], the guidance; no classifier-free guidance.
// - Stable Diffusion 3/3.5 (StableDiffusion3Pipeline): both CLIPs' penultimate states side by
//   side, zero-padded to T5's width, then T5's tokens (zeros without T5), and both pooled
//   embeddings; latents as they are (the transformer patches them); sigmas from the step count;
//   the transformer gets the timestep itself; classifier-free guidance with the negative prompt.
import type { Tensor } from "onnxruntime-node";
import type { Size } from "../images.js";
import { flowSchedule, flowScheduleFromSteps, type FlowSchedule } from "../schedulers/flow-match.js";
import { penultimate, runEncoder, type TextEncoder } from "../text.js";
import type { FlowModel, TextEncoders } from "./model.js";
import { imageIds, packLatents, unpackLatents } from "./packing.js";

/** A prompt as the transformer takes it: tokens [count, width] and the pooled embedding. */
export interface PromptEmbedding {
  tokens: Float32Array;
  count: number;
  width: number;
  pooled: Float32Array;
}

export interface FamilyRecipe {
  /** Prompt embeddings: the prompt's, then (classifier-free guidance) the negative prompt's. */
  encode(model: FlowModel, encoders: TextEncoders, prompts: string[]): Promise<PromptEmbedding[]>;
  /** Whether a job runs classifier-free guidance (two rows per step). */
  guided(model: FlowModel, guidance: number): boolean;
  schedule(model: FlowModel, steps: number, latent: Size): FlowSchedule;
  /** The transformer's view of a [C, h, w] latent, and back. */
  toModelSpace(latent: Float32Array, channels: number, size: Size): Float32Array;
  fromModelSpace(values: Float32Array, channels: number, size: Size): Float32Array;
  /** hidden_states' shape for `rows` latents. */
  hiddenShape(rows: number, channels: number, size: Size): number[];
  /** The inputs besides hidden_states, timestep, and the text that stay the same at every step. */
  extraFeeds(model: FlowModel, latent: Size, embedding: PromptEmbedding, guidance: number): Record<string, Tensor>;
  /** What the transformer's `timestep` input gets at step i. */
  timestep(schedule: FlowSchedule, i: number): number;
}

const flux: FamilyRecipe = {
  async encode(model, { clip, t5 }, prompts) {
    if (!t5) throw new Error("FLUX needs its T5 encoder (text_encoder_2)");
    return Promise.all(
      prompts.map(async (prompt) => {
        const pooled = (await runEncoder(clip, [prompt], "last_hidden_state", "pooler_output")).pooled!;
        const text = await runEncoder(t5, [prompt], "last_hidden_state");
        return { tokens: text.data, count: text.data.length / text.width, width: text.width, pooled };
      }),
    );
  },
  guided: () => false,
  schedule: (model, steps, latent) => flowSchedule(model.scheduler, steps, (latent.width / 2) * (latent.height / 2)),
  toModelSpace: packLatents,
  fromModelSpace: unpackLatents,
  hiddenShape: (rows, channels, size) => [rows, (size.width / 2) * (size.height / 2), channels * 4],
  extraFeeds(model, latent, embedding, guidance) {
    const { transformer } = model;
    const positions = imageIds(latent);
    // diffusers < 0.31 exported the ids with a batch axis.
    const idsShape = (count: number, input: string) => (transformer.inputRank(input) === 3 ? [1, count, 3] : [count, 3]);
    const feeds: Record<string, Tensor> = {
      img_ids: transformer.float("img_ids", positions, idsShape(positions.length / 3, "img_ids")),
      txt_ids: transformer.float("txt_ids", new Float32Array(embedding.count * 3), idsShape(embedding.count, "txt_ids")),
    };
    if (model.guidanceInput) feeds.guidance = transformer.float("guidance", Float32Array.of(guidance), [1]);
    return feeds;
  },
  timestep: (schedule, i) => schedule.modelTimesteps[i],
};

const sd3: FamilyRecipe = {
  async encode(model, { clip, clip2, t5 }, prompts) {
    if (!clip2) throw new Error("SD3 needs its second CLIP encoder (text_encoder_2)");
    return Promise.all(prompts.map((prompt) => encodeSd3(model, clip, clip2, t5, prompt)));
  },
  guided: (_model, guidance) => guidance > 1,
  schedule: (model, steps) => flowScheduleFromSteps(model.scheduler, steps),
  toModelSpace: (latent) => latent,
  fromModelSpace: (values) => values,
  hiddenShape: (rows, channels, size) => [rows, channels, size.height, size.width],
  extraFeeds: () => ({}),
  timestep: (schedule, i) => schedule.timesteps[i],
};

export function recipeFor(model: FlowModel): FamilyRecipe {
  return model.family === "sd3" ? sd3 : flux;
}

const CLIP_TOKENS = 77;

async function encodeSd3(model: FlowModel, clip: TextEncoder, clip2: TextEncoder, t5: TextEncoder | undefined, prompt: string): Promise<PromptEmbedding> {
  const first = await runEncoder(clip, [prompt], penultimate(clip.encoder), "text_embeds");
  const second = await runEncoder(clip2, [prompt], penultimate(clip2.encoder), "text_embeds");
  const width = model.jointWidth;
  const text = t5 ? await runEncoder(t5, [prompt], "last_hidden_state") : undefined;
  const t5Count = text ? text.data.length / text.width : model.textLength;
  const tokens = new Float32Array((CLIP_TOKENS + t5Count) * width);
  for (let t = 0; t < CLIP_TOKENS; t++) {
    tokens.set(first.data.subarray(t * first.width, (t + 1) * first.width), t * width);
    tokens.set(second.data.subarray(t * second.width, (t + 1) * second.width), t * width + first.width);
  }
  if (text) tokens.set(text.data, CLIP_TOKENS * width);
  const pooled = new Float32Array(first.pooled!.length + second.pooled!.length);
  pooled.set(first.pooled!);
  pooled.set(second.pooled!, first.pooled!.length);
  return { tokens, count: CLIP_TOKENS + t5Count, width, pooled };
}
