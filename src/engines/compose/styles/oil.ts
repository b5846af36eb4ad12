// Oil painting: a Kuwahara filter (each pixel takes the mean colour of the
// calmest of its four neighbouring squares) flattens areas into dabs of paint
// while keeping edges sharp; then brush texture: bristle streaks whose
// direction changes from patch to patch, light catching the paint's ridges
// (impasto), and the canvas weave (high quality). The filter runs on a
// quarter-size copy (half size at high: the dabs are larger than pixels
// anyway) and is read back smoothly; quality sets the dab size too, so high
// paints finer strokes.

import type { RawImage } from "../../engine.js";
import { byQuality, colourReader, lumaOf, noiseReader, noiseTile, shrunk, unitOf, type StyleFilter } from "./pixels.js";

export const oilPainting: StyleFilter = async (image, ctx) => {
  const { width: w, height: h, data } = image;
  const u = unitOf(image);
  const scale = byQuality(ctx.quality, 0.25, 0.25, 0.5);
  const dab = byQuality(ctx.quality, 10, 8, 7) * u;
  const small = await shrunk(image, 1 / scale);
  const painted = kuwahara(small, Math.max(1, Math.round(dab * scale)));
  const sw = painted.width, sh = painted.height;
  // At the painted size, cheaply: impasto (light from the upper left lifts the paint's ridges: an emboss of its luma)
  // and richer colour (20% further from grey), so the full-size pass only reads one colour and adds bristles.
  const luma = lumaOf(painted);
  const pd = painted.data;
  for (let y = sh - 1; y >= 0; y--) {
    for (let x = sw - 1; x >= 0; x--) {
      const p = y * sw + x;
      const ridge = x > 0 && y > 0 ? (luma[p] - luma[p - sw - 1]) / 255 : 0;
      const shade = 1 + 0.22 * ridge;
      const i = p * 4;
      const grey = luma[p];
      for (let c = 0; c < 3; c++) pd[i + c] = Math.max(0, Math.min(255, (grey + (pd[i + c] - grey) * 1.2) * shade));
    }
  }
  const paint = colourReader(pd, 4, sw, sh, w, h);

  const seed = ctx.seed;
  const cell = Math.max(1, u) * 2.2;
  const streaks = noiseTile(cell, 6);
  const across = noiseReader(streaks, seed, 1);
  const down = noiseReader(streaks, seed, 2);
  const patches = noiseReader(noiseTile(15 * Math.max(1, u)), seed, 3, 2);
  const weave = ctx.quality === "high";
  const colour = new Float32Array(3);
  const out = Buffer.alloc(w * h * 4);
  const px = new Uint8ClampedArray(out.buffer, out.byteOffset, out.length);
  for (let y = 0, p = 0; y < h; y++) {
    for (let x = 0; x < w; x++, p++) {
      // Each patch of canvas has its own stroke direction: horizontal, vertical (the streak tile read transposed), or a blend.
      const t = (patches(x, y) - 96) / 64;
      const streak = t <= 0 ? across(x, y) : t >= 1 ? down(y, x) : (1 - t) * across(x, y) + t * down(y, x);
      const canvas = weave ? (((x >> 1) ^ (y >> 1)) & 1 ? 3 : -3) : 0;
      const shade = 1 + 0.16 * (streak / 255 - 0.5);
      paint(x, y, colour);
      const i = p * 4;
      px[i] = colour[0] * shade + canvas;
      px[i + 1] = colour[1] * shade + canvas;
      px[i + 2] = colour[2] * shade + canvas;
      px[i + 3] = data[i + 3];
    }
  }
  return { data: out, width: w, height: h };
};

/**
 * Kuwahara with summed-area tables, so each quadrant's mean and variance cost
 * four lookups whatever the radius. Variance is judged on luma; the colour is
 * the chosen quadrant's mean, weighted by alpha so a transparent background
 * (black at alpha 0) does not darken the things' edges.
 */
export function kuwahara(image: RawImage, radius: number): RawImage {
  const { width: w, height: h, data } = image;
  const sw = w + 1;
  // Interleaved sums per table cell: r·a, g·a, b·a, a, luma·a, (luma·a)², all with a in 0–1.
  const K = 6;
  const sums = new Float64Array(sw * (h + 1) * K);
  const row = new Float64Array(K);
  for (let y = 0; y < h; y++) {
    row.fill(0);
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      const a = data[i + 3] / 255;
      const l = (0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2]) * a;
      row[0] += data[i] * a;
      row[1] += data[i + 1] * a;
      row[2] += data[i + 2] * a;
      row[3] += a;
      row[4] += l;
      row[5] += l * l;
      const at = ((y + 1) * sw + x + 1) * K;
      const above = (y * sw + x + 1) * K;
      for (let k = 0; k < K; k++) sums[at + k] = sums[above + k] + row[k];
    }
  }
  const out = Buffer.alloc(w * h * 4);
  // Sum of channel k over the rectangle [x0, x1) × [y0, y1).
  const box = (k: number, x0: number, y0: number, x1: number, y1: number) =>
    sums[(y1 * sw + x1) * K + k] - sums[(y0 * sw + x1) * K + k] - sums[(y1 * sw + x0) * K + k] + sums[(y0 * sw + x0) * K + k];
  for (let y = 0; y < h; y++) {
    const top = Math.max(0, y - radius);
    const bottom = Math.min(h, y + radius + 1);
    for (let x = 0; x < w; x++) {
      const left = Math.max(0, x - radius);
      const right = Math.min(w, x + radius + 1);
      // The four overlapping quadrants that meet at this pixel: q bit 0 picks right, bit 1 picks lower.
      let bx0 = 0, by0 = 0, bx1 = 0, by1 = 0;
      let bestVar = Infinity;
      for (let q = 0; q < 4; q++) {
        const x0 = q & 1 ? x : left, x1 = q & 1 ? right : x + 1;
        const y0 = q & 2 ? y : top, y1 = q & 2 ? bottom : y + 1;
        const n = (x1 - x0) * (y1 - y0);
        const mean = box(4, x0, y0, x1, y1) / n;
        const variance = box(5, x0, y0, x1, y1) / n - mean * mean;
        if (variance < bestVar) {
          bestVar = variance;
          bx0 = x0;
          by0 = y0;
          bx1 = x1;
          by1 = y1;
        }
      }
      const o = (y * w + x) * 4;
      const alpha = box(3, bx0, by0, bx1, by1);
      const n = (bx1 - bx0) * (by1 - by0);
      if (alpha > 1e-6) for (let k = 0; k < 3; k++) out[o + k] = Math.round(box(k, bx0, by0, bx1, by1) / alpha);
      out[o + 3] = Math.round((alpha / n) * 255);
    }
  }
  return { data: out, width: w, height: h };
}
