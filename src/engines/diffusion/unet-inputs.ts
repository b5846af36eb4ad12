// Everything the UNet takes besides the noisy sample, arranged for the batch:
// text conditioning (unconditional half first when guided, as diffusers
// concatenates), SDXL's pooled embedding and size ids, LCM's guidance
// embedding, and the inpainting UNet's mask and masked-picture channels.
import ort from "onnxruntime-node";
import type { ImageJob } from "../engine.js";
import { binarise, maskWeights, toImageTensor } from "./images.js";
import type { DiffusionModel } from "./model.js";
import type { Conditioning, Plan } from "./pipeline.js";
import { concatBatches, repeatBatch } from "./tensors.js";
import { encodePicture, sampleLatents } from "./vae.js";

export interface UnetInputs {
  /**
   * The UNet's feeds for rows first … first + batch − 1 of the whole UNet batch (with guidance:
   * the unconditional rows, then the conditional ones); `sample` holds just those rows.
   */
  feeds(sample: Float32Array, timestep: number, first: number, batch: number): Record<string, ort.Tensor>;
  /** Appends the mask and masked-picture latents on the channel axis for 9-channel inpainting UNets; others unchanged. */
  withInpaintingChannels(latents: Float32Array): Float32Array;
}

export async function unetInputs(model: DiffusionModel, plan: Plan, job: ImageJob, conditioning: Conditioning, count: number): Promise<UnetInputs> {
  const { unet } = model;
  const { latent } = plan;
  const halves = plan.guided && conditioning.negative ? [conditioning.negative, conditioning.positive] : [conditioning.positive];
  const hidden = concatBatches(halves.map((c) => repeatBatch(c.hidden, count)));
  const width = conditioning.positive.width;
  const pooled = conditioning.positive.pooled && concatBatches(halves.map((c) => repeatBatch(c.pooled!, count)));
  const inpainting = model.inpaintingUnet ? await inpaintingChannels(model, plan, job) : undefined;
  const channels = (inpainting ? 9 : 4) as number;
  const totalRows = halves.length * count;

  return {
    feeds(sample, timestep, first, batch) {
      const rows = (data: Float32Array) => {
        const perRow = data.length / totalRows;
        return data.subarray(first * perRow, (first + batch) * perRow);
      };
      const feeds: Record<string, ort.Tensor> = {
        sample: unet.float("sample", sample, [batch, channels, latent.height, latent.width]),
        timestep: timestepTensor(model, timestep),
        encoder_hidden_states: unet.float("encoder_hidden_states", rows(hidden), [batch, hidden.length / totalRows / width, width]),
      };
      if (unet.has("text_embeds") && pooled) feeds.text_embeds = unet.float("text_embeds", rows(pooled), [batch, pooled.length / totalRows]);
      if (unet.has("time_ids")) feeds.time_ids = unet.float("time_ids", repeatBatch(sdxlTimeIds(plan), batch), [batch, 6]);
      if (unet.has("timestep_cond")) {
        const dim = unet.inputDim("timestep_cond", 1) ?? 256;
        feeds.timestep_cond = unet.float("timestep_cond", repeatBatch(guidanceEmbedding(plan.guidance - 1, dim), batch), [batch, dim]);
      }
      return feeds;
    },
    withInpaintingChannels(latents) {
      if (!inpainting) return latents;
      const plane = latent.width * latent.height;
      const out = new Float32Array(count * 9 * plane);
      for (let i = 0; i < count; i++) {
        out.set(latents.subarray(i * 4 * plane, (i + 1) * 4 * plane), i * 9 * plane);
        out.set(inpainting.mask, (i * 9 + 4) * plane);
        out.set(inpainting.maskedLatents, (i * 9 + 5) * plane);
      }
      return out;
    },
  };
}

/** The timestep in the type and shape the export declares (diffusers feeds one value for the whole batch). */
function timestepTensor(model: DiffusionModel, timestep: number): ort.Tensor {
  const type = model.unet.inputType("timestep");
  const dims = model.unet.inputRank("timestep") === 0 ? [] : [1];
  if (type === "int64") return new ort.Tensor("int64", BigInt64Array.of(BigInt(Math.round(timestep))), dims);
  return model.unet.float("timestep", Float32Array.of(timestep), dims);
}

/** SDXL's micro-conditioning: original size, crop top-left, target size — all the render size, no crop. */
function sdxlTimeIds(plan: Plan): Float32Array {
  const { width, height } = plan.render;
  return Float32Array.of(height, width, 0, 0, height, width);
}

/** LCM's guidance embedding of w (sinusoidal, as in diffusers' get_guidance_scale_embedding). */
export function guidanceEmbedding(w: number, dim: number): Float32Array {
  const half = Math.floor(dim / 2);
  const scale = Math.log(10000) / (half - 1);
  const out = new Float32Array(dim);
  for (let k = 0; k < half; k++) {
    const angle = w * 1000 * Math.exp(-scale * k);
    out[k] = Math.sin(angle);
    out[half + k] = Math.cos(angle);
  }
  return out;
}

/** The 9-channel UNet's extra inputs: the mask at latent size, and the latents of the picture with the masked area blanked. */
async function inpaintingChannels(model: DiffusionModel, plan: Plan, job: ImageJob): Promise<{ mask: Float32Array; maskedLatents: Float32Array }> {
  const plane = plan.render.width * plan.render.height;
  // Without an input picture (a plain generation) the whole canvas is the area to paint.
  const picture = plan.init ? toImageTensor(plan.init) : new Float32Array(3 * plane);
  const mask = plan.latentMask ?? new Float32Array(latentArea(plan)).fill(1);
  const pixelMask = job.mask ? binarise(await maskWeights(job.mask, plan.render)) : new Float32Array(plane).fill(1);
  for (let c = 0; c < 3; c++) for (let p = 0; p < plane; p++) if (pixelMask[p] >= 0.5) picture[c * plane + p] = 0;
  // The distribution's mean: the masked picture is a condition, not something to sample.
  const maskedLatents = sampleLatents(model.vae, await encodePicture(model.vae, picture, plan.render));
  return { mask, maskedLatents };
}

function latentArea(plan: Plan): number {
  return plan.latent.width * plan.latent.height;
}
