// Neon: the picture's edges become glowing tubes in their own colour, pushed
// to full saturation, over a darkened night version of the picture. Tubes
// and glow are made at half size (tubes two pixels wide, glow a cheap blur)
// and read back smoothly; high quality adds a second, wider halo. Colourless
// edges (black outlines between white areas) take a seeded neon hue.

import sharp from "sharp";
import { byQuality, colourReader, halfLuma, shrunk, sobel, unitOf, type StyleFilter } from "./pixels.js";

const NEON_HUES: [number, number, number][] = [[255, 60, 200], [40, 230, 255], [170, 80, 255], [60, 255, 140]];
const NIGHT = [10, 8, 30];

export const neon: StyleFilter = async (image, ctx) => {
  const { width: w, height: h, data } = image;
  const u = unitOf(image);
  const half = halfLuma(image);
  const hw = half.width, hh = half.height;
  const edges = sobel(half.values, hw, hh);
  // The colour around each edge, from a quarter-size blurred copy, so an edge between a black outline and a red fill glows red.
  const around = await shrunk(image, 4, 1);
  const fallback = NEON_HUES[ctx.seed % NEON_HUES.length];
  const tubes = Buffer.alloc(hw * hh * 3);
  for (let y = 0, p = 0; y < hh; y++) {
    const ay = Math.min(around.height - 1, y >> 1);
    for (let x = 0; x < hw; x++, p++) {
      const e = Math.min(1, Math.max(0, edges[p] * 4 - 0.4));
      if (e === 0) continue;
      const i = (ay * around.width + Math.min(around.width - 1, x >> 1)) * 4;
      const r = around.data[i], g = around.data[i + 1], b = around.data[i + 2];
      const top = Math.max(r, g, b), bottom = Math.min(r, g, b);
      const o = p * 3;
      if (top - bottom < 30) {
        tubes[o] = fallback[0] * e;
        tubes[o + 1] = fallback[1] * e;
        tubes[o + 2] = fallback[2] * e;
        continue;
      }
      // Full saturation: stretch the channels so the largest is 255 and the smallest 0.
      const k = (255 * e) / (top - bottom);
      tubes[o] = (r - bottom) * k;
      tubes[o + 1] = (g - bottom) * k;
      tubes[o + 2] = (b - bottom) * k;
    }
  }
  const blur = async (sigma: number) => sharp(tubes, { raw: { width: hw, height: hh, channels: 3 } }).blur(sigma).raw().toBuffer();
  // Light, all at half size: glow, the optional wide halo, the tube and its white-hot core, summed once.
  const glow = await blur(3.5 * u + 0.5);
  const halo = ctx.quality === "high" ? await blur(11 * u + 1) : null;
  const strength = byQuality(ctx.quality, 1.8, 2.2, 1.8);
  const light = Buffer.alloc(hw * hh * 3);
  for (let o = 0; o < light.length; o += 3) {
    const core = Math.max(tubes[o], tubes[o + 1], tubes[o + 2]) * 0.45;
    for (let c = 0; c < 3; c++) light[o + c] = Math.min(255, glow[o + c] * strength + (halo ? halo[o + c] * 1.2 : 0) + tubes[o + c] + core);
  }
  const lightAt = colourReader(light, 3, hw, hh, w, h);
  const l = new Float32Array(3);
  const out = Buffer.alloc(w * h * 4);
  const px = new Uint8ClampedArray(out.buffer, out.byteOffset, out.length);
  for (let y = 0, p = 0; y < h; y++) {
    for (let x = 0; x < w; x++, p++) {
      const i = p * 4;
      lightAt(x, y, l);
      px[i] = NIGHT[0] + data[i] * 0.16 + l[0];
      px[i + 1] = NIGHT[1] + data[i + 1] * 0.16 + l[1];
      px[i + 2] = NIGHT[2] + data[i + 2] * 0.16 + l[2];
      px[i + 3] = data[i + 3];
    }
  }
  return { data: out, width: w, height: h };
};
