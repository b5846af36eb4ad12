// The built-in "compose" engine: pictures built from the prompt out of
// open-licence art (OpenMoji, Debian's OpenClipart, the operator's folders)
// over procedural scenes. No neural network: honest, deterministic and fast.
// The recipe for each job:
//   1. read the prompt (wink-nlp): things with counts, colours, sizes and
//      materials, their relations, the setting, the style, quoted text;
//   2. for picture i, with seed job.seed + i: build the scene, lay the things
//      out (relations first: "on", "inside", "holding" …), and render —
//      reporting earlier stages of the first picture as partial images;
//   3. finish: the prompt's style as image processing, then its quoted text;
//   4. return raw RGBA frames of exactly job.width × job.height.

import type { Engine, ImageJob, RawImage, RunOptions } from "../engine.js";
import { getArtIndex } from "./art-index.js";
import { creditsFor } from "./attribution.js";
import { explainPlan } from "./explain.js";
import { dropTextCarriers, finishPicture, type Finish } from "./finish.js";
import { quotedTexts } from "./quoted-text.js";
import { detectStyle } from "./style.js";
import { editPicture } from "./edit.js";
import { generatePicture } from "./picture.js";
import { changePlan, type ChangedPlan } from "./plan-change.js";
import { makeRecord, readRecord, showsRecord, type ComposeRecord, type ElementOrigin, type RecordInput } from "./plan-record.js";
import { planPicture } from "./prompt.js";
import { FINAL_LAYERS, makeOpaque, partialLayers, renderPicture, type Picture } from "./render.js";
import { planVariation, renderVariation, VARIATION_STAGES, type VariationStage } from "./variation.js";

export { composeAttribution, OPENMOJI_ATTRIBUTION } from "./attribution.js";
export { planPicture, type PicturePlan, type ThingPlan, type Setting } from "./prompt.js";

export interface ComposeEngineOptions {
  /** Folders of extra SVG or PNG art; `red-barn.svg` is drawn for "red barn", ahead of OpenMoji. */
  artDirs?: string[];
  /** Where the art index is cached between starts (the data dir's cache folder); built in memory without one. */
  cacheDir?: string;
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
      // Built (or read from the cache) before the first job; the prompt reader's later calls reuse it.
      getArtIndex(artDirs, { cacheDir: options.cacheDir });
      // One tiny picture warms librsvg, fontconfig and sharp, so the first real job is not slower.
      await this.run(WARM_UP_JOB, { signal: new AbortController().signal });
    },
    async explain(job: ImageJob) {
      if (job.mode === "variation") return { engine: "compose", mode: "variation", note: "variations keep the input's composition and colours; there is no prompt to plan" };
      const record = await planEditOf(job);
      if (record) {
        const changed = changePlan(record, job.prompt, job, artDirs);
        return {
          ...explainPlan(job.prompt, changed.plan),
          style: changed.style && { name: changed.style },
          texts: changed.texts.map(({ text, role }) => ({ text, role })),
          mode: job.mode,
          edit: { kind: "plan", seed: record.seed, change: changed.change },
        };
      }
      const { plan, style, texts } = readPrompt(job.prompt, artDirs);
      return {
        ...explainPlan(job.prompt, plan),
        style: style && { name: style.style, phrase: style.phrase },
        texts: texts.map(({ text, role }) => ({ text, role })),
        mode: job.mode,
      };
    },
    async run(job: ImageJob, { signal, onPartial }: RunOptions): Promise<RawImage[]> {
      throwIfAborted(signal);
      const record = await planEditOf(job);
      if (record) return redraw(job, record, changePlan(record, job.prompt, job, artDirs), { signal, onPartial });
      const reading = job.mode === "variation" ? null : readPrompt(job.prompt, artDirs);
      const plan = reading?.plan ?? null;
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
        const style = reading!.style?.style ?? null;
        const finish: Finish = { style, texts: reading!.texts, seed };
        const drawn = await draw(picture, job, report, signal, finish);
        // Only a picture drawn wholly from its plan can be drawn again from it; one built on an input image cannot.
        pictures.push(job.mode === "generate" ? { ...drawn, plan: await recordOf(job, picture, drawn, { seed, plan, style, texts: reading!.texts }) } : drawn);
      }
      return pictures;
    },
  };
}

/**
 * The recorded plan of the one picture an edit changes, when it has one and
 * the picture still shows it: the edit then changes the plan (plan-change.ts).
 */
async function planEditOf(job: ImageJob): Promise<ComposeRecord | null> {
  if (job.mode !== "edit" || job.images.length !== 1 || job.mask) return null;
  const record = readRecord(job.images[0].plan);
  return record && (await showsRecord(job.images[0], record)) ? record : null;
}

/**
 * A plan edit: the changed plan drawn again with the first picture's seed, so
 * its scene and the things that stayed are where they were. Picture i > 0 of
 * the job lays new things out with another seed.
 */
async function redraw(job: ImageJob, record: ComposeRecord, changed: ChangedPlan, { signal, onPartial }: RunOptions): Promise<RawImage[]> {
  const pictures: RawImage[] = [];
  for (let i = 0; i < job.n; i++) {
    throwIfAborted(signal);
    const report: Report = i === 0 && job.partialImages > 0 ? onPartial : undefined;
    const picture = await generatePicture(job, changed.plan, record.seed, { kept: changed.kept, layoutSeed: (record.seed + i) >>> 0 });
    const finish: Finish = { style: changed.style, texts: changed.texts, seed: record.seed };
    const drawn = await draw(picture, job, report, signal, finish);
    pictures.push({ ...drawn, plan: await recordOf(job, picture, drawn, { seed: record.seed, plan: changed.plan, style: changed.style, texts: changed.texts }) });
  }
  return pictures;
}

function recordOf(job: ImageJob, picture: Picture, finished: RawImage, drawn: Pick<RecordInput, "seed" | "plan" | "style" | "texts">): Promise<ComposeRecord> {
  const origins = picture.origins ?? [];
  const placed = picture.placed.filter((p) => origins[p.item]);
  return makeRecord({ ...drawn, picture: finished, prompt: job.prompt, placed, origins: origins as ElementOrigin[], width: job.width, height: job.height });
}

/** Everything compose reads from a prompt: things, relations and setting; the style; the quoted text. */
function readPrompt(prompt: string, artDirs: string[]) {
  const texts = quotedTexts(prompt);
  return { plan: dropTextCarriers(planPicture(prompt, { artDirs }), texts), style: detectStyle(prompt), texts };
}

/** Renders the earlier stages (when asked for), then the finished picture: styled, lettered, credited. */
async function draw(picture: Picture, job: ImageJob, report: Report, signal: AbortSignal, finish: Finish): Promise<RawImage> {
  if (report) {
    const stages = partialLayers(job.partialImages, picture.scene !== null);
    for (let index = 0; index < stages.length; index++) {
      throwIfAborted(signal);
      report(await renderPicture(picture, stages[index]), index);
    }
  }
  throwIfAborted(signal);
  const final = await finishPicture(picture, await renderPicture(picture, FINAL_LAYERS), finish);
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

