// The built-in "compose" engine: pictures built from the prompt out of
// open-licence art (OpenMoji) over procedural scenes. No neural network:
// honest, deterministic and fast. The recipe for each job:
//   1. read the prompt into a plan (things, counts, colours, setting);
//   2. for picture i, with seed job.seed + i: build the scene, lay the things
//      out, and render — reporting earlier stages of the first picture as
//      partial images;
//   3. return raw RGBA frames of exactly job.width × job.height.

import type { Engine, ImageJob, RawImage, RunOptions } from "../engine.js";
import { getArtIndex } from "./art-index.js";
import { creditsFor } from "./attribution.js";
import { explainPlan } from "./explain.js";
import { editPicture } from "./edit.js";
import { generatePicture } from "./picture.js";
import { planPicture } from "./prompt.js";
import { FINAL_LAYERS, makeOpaque, partialLayers, renderPicture, type Picture } from "./render.js";
import { planVariation, renderVariation, VARIATION_STAGES, type VariationStage } from "./variation.js";

export { composeAttribution, OPENMOJI_ATTRIBUTION } from "./attribution.js";
export { planPicture, type PicturePlan, type ThingPlan, type Setting } from "./prompt.js";

export interface ComposeEngineOptions {
  /** Folders of extra SVG art; `red-barn.svg` is drawn for "red barn", ahead of OpenMoji. */
  artDirs?: string[];
}

const WARM_UP_JOB: ImageJob = {
  mode: "generate", model: "warm-up", prompt: "a cat next to a tree, with a label 'hello'", images: [], width: 64, height: 64,
  n: 1, quality: "low", background: "opaque", seed: 0, partialImages: 0, inputFidelity: "low",
};

type Report = ((frame: RawImage, index: number) => void) | undefined;

export function createComposeEngine(options: ComposeEngineOptions = {}): Engine {
  const artDirs = options.artDirs ?? [];
  return {
    name: "compose",
    async load() {
      getArtIndex(artDirs);
      // One tiny picture warms librsvg, fontconfig and sharp, so the first real job is not slower.
      await this.run(WARM_UP_JOB, { signal: new AbortController().signal });
    },
    async explain(job: ImageJob) {
      if (job.mode === "variation") return { engine: "compose", mode: "variation", note: "variations keep the input's composition and colours; there is no prompt to plan" };
      return { ...explainPlan(job.prompt, planPicture(job.prompt, { artDirs })), mode: job.mode };
    },
    async run(job: ImageJob, { signal, onPartial }: RunOptions): Promise<RawImage[]> {
      throwIfAborted(signal);
      const plan = job.mode === "variation" ? null : planPicture(job.prompt, { artDirs });
      const pictures: RawImage[] = [];
      for (let i = 0; i < job.n; i++) {
        throwIfAborted(signal);
        // Partial images describe the first picture only.
        const report: Report = i === 0 && job.partialImages > 0 ? onPartial : undefined;
        const seed = (job.seed + i) >>> 0;
        if (plan === null) {
          pictures.push(await vary(job, seed, report, signal));
          continue;
        }
        const picture = job.mode === "edit" ? await editPicture(job, plan, seed) : await generatePicture(job, plan, seed);
        pictures.push(await draw(picture, job, report, signal));
      }
      return pictures;
    },
  };
}

/** Renders the earlier stages (when asked for), then the finished picture. */
async function draw(picture: Picture, job: ImageJob, report: Report, signal: AbortSignal): Promise<RawImage> {
  if (report) {
    const stages = partialLayers(job.partialImages, picture.scene !== null);
    for (let index = 0; index < stages.length; index++) {
      throwIfAborted(signal);
      report(await renderPicture(picture, stages[index]), index);
    }
  }
  throwIfAborted(signal);
  const final = await renderPicture(picture, FINAL_LAYERS);
  return { ...final, credits: creditsFor(picture) };
}

async function vary(job: ImageJob, seed: number, report: Report, signal: AbortSignal): Promise<RawImage> {
  const input = job.images[0];
  if (!input) throw new Error("a variation needs one input image");
  const plan = planVariation(seed);
  const finish = (img: RawImage) => (job.background === "opaque" ? makeOpaque(img) : img);
  if (report) {
    const count = Math.min(3, job.partialImages);
    // The last `count` stages before the final one, in order.
    const stages: VariationStage[] = VARIATION_STAGES.slice(0, -1).slice(3 - count);
    for (let index = 0; index < stages.length; index++) {
      throwIfAborted(signal);
      report(await finish(await renderVariation(input, job, plan, stages[index])), index);
    }
  }
  throwIfAborted(signal);
  return finish(await renderVariation(input, job, plan, "final"));
}

function throwIfAborted(signal: AbortSignal): void {
  if (!signal.aborted) return;
  const error = new Error("The image job was aborted");
  error.name = "AbortError";
  throw error;
}

