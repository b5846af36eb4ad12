// Variations keep the input's composition and colours and vary it per seed:
// a small reframing (crop, shift, sometimes a mirror), a slight colour shift,
// a change of surface detail and a change of light. Clearly the same picture,
// visibly a different take.

import sharp from "sharp";
import type { ImageJob, RawImage } from "../engine.js";
import { colourMatrix } from "./colour.js";
import { f } from "./scene-parts.js";
import { randomFor } from "./random.js";

export interface VariationPlan {
  mirror: boolean;
  /** Fraction of the picture kept by the crop (zooming in 4–14 %). */
  keep: number;
  /** Where the crop sits in the spare margin, 0..1 each way. */
  offsetX: number;
  offsetY: number;
  hue: number;
  saturation: number;
  brightness: number;
  detail: "soften" | "repaint" | "crisp";
  light: { x: number; y: number; warm: boolean };
}

export function planVariation(seed: number): VariationPlan {
  const rnd = randomFor(seed, "variation");
  return {
    mirror: rnd.chance(0.5),
    keep: rnd.range(0.86, 0.96),
    offsetX: rnd.next(),
    offsetY: rnd.next(),
    hue: rnd.range(-16, 16),
    saturation: rnd.range(0.88, 1.18),
    brightness: rnd.range(0.94, 1.07),
    detail: rnd.pick(["soften", "repaint", "crisp"] as const),
    light: { x: rnd.next(), y: rnd.next() * 0.6, warm: rnd.chance(0.5) },
  };
}

/** The stages of a variation, in order; the last is the finished picture. */
export type VariationStage = "reframe" | "colour" | "detail" | "final";
export const VARIATION_STAGES: VariationStage[] = ["reframe", "colour", "detail", "final"];

const raw = (img: RawImage) => ({ raw: { width: img.width, height: img.height, channels: 4 as const } });

export async function renderVariation(
  input: RawImage, job: Pick<ImageJob, "width" | "height" | "quality">, plan: VariationPlan, stage: VariationStage,
): Promise<RawImage> {
  const upTo = (s: VariationStage) => VARIATION_STAGES.indexOf(stage) >= VARIATION_STAGES.indexOf(s);
  const { width, height } = job;
  // Low quality works at half size and scales up at the end.
  const work = job.quality === "low" ? 0.5 : 1;
  const ww = Math.max(1, Math.round(width * work));
  const wh = Math.max(1, Math.round(height * work));

  const cropW = Math.max(1, Math.round(input.width * plan.keep));
  const cropH = Math.max(1, Math.round(input.height * plan.keep));
  let pipeline = sharp(input.data, raw(input))
    .extract({
      left: Math.round((input.width - cropW) * plan.offsetX),
      top: Math.round((input.height - cropH) * plan.offsetY),
      width: cropW,
      height: cropH,
    })
    .resize(ww, wh, { fit: "cover", kernel: job.quality === "high" ? "lanczos3" : "cubic" });
  if (plan.mirror) pipeline = pipeline.flop();
  if (upTo("colour")) {
    pipeline = pipeline.recomb(colourMatrix({ hue: plan.hue, saturation: plan.saturation, brightness: plan.brightness }));
  }
  if (upTo("detail") && plan.detail === "soften") pipeline = pipeline.blur(0.8 * work + 0.4);
  // A light unsharp kernel; sharp's own sharpen works in Lab and costs ten times more.
  if (upTo("detail") && plan.detail === "crisp") pipeline = pipeline.convolve({ width: 3, height: 3, kernel: [0, -0.35, 0, -0.35, 2.4, -0.35, 0, -0.35, 0] });
  let out = await toRaw(pipeline);
  // Repainting: a median filter at half size flattens fine texture into patches of colour.
  if (upTo("detail") && plan.detail === "repaint") {
    const half = await toRaw(sharp(out.data, raw(out)).resize(Math.max(1, Math.round(ww / 2)), Math.max(1, Math.round(wh / 2))).median(3));
    out = await toRaw(sharp(half.data, raw(half)).resize(ww, wh, { fit: "fill", kernel: "cubic" }));
  }

  if (upTo("final")) out = await relight(out, plan);
  if (work !== 1) out = await toRaw(sharp(out.data, raw(out)).resize(width, height, { fit: "fill" }));
  return out;
}

async function toRaw(pipeline: sharp.Sharp): Promise<RawImage> {
  const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** A soft light from a seeded direction, laid only on existing pixels ("atop" keeps alpha). */
async function relight(img: RawImage, plan: VariationPlan): Promise<RawImage> {
  const { width: w, height: h } = img;
  const colour = plan.light.warm ? "#ffd9a0" : "#cfe3ff";
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><defs><radialGradient id="l" cx="${plan.light.x.toFixed(3)}" cy="${plan.light.y.toFixed(3)}" r="0.9"><stop offset="0" stop-color="${colour}" stop-opacity="0.28"/><stop offset="1" stop-color="#000" stop-opacity="0.12"/></radialGradient></defs><rect width="${f(w)}" height="${f(h)}" fill="url(#l)"/></svg>`;
  const { data, info } = await sharp(img.data, raw(img))
    .composite([{ input: Buffer.from(svg), blend: "atop" }])
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

