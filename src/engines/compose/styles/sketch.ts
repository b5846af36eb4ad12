// Pencil sketch: Sobel edges of the picture become graphite lines on paper,
// broken up by the paper's tooth; darker areas get diagonal hatching that
// wanders a little, the darkest cross-hatching. Quality sets the lines'
// fineness (edges found at half size, so about two pixels wide, or at full
// size at high) and how much shading is drawn (none at low, cross-hatching
// only at high).

import { grain, halfLuma, fieldReader, lumaOnWhite, noiseReader, noiseTile, sobel, unitOf, type StyleFilter } from "./pixels.js";

const PAPER = [246, 244, 238];
const GRAPHITE = [58, 60, 68];

export const sketch: StyleFilter = async (image, ctx) => {
  const { width: w, height: h, data } = image;
  const u = unitOf(image);
  let edge: (x: number, y: number) => number;
  let tone: (x: number, y: number) => number;
  if (ctx.quality === "high") {
    const luma = lumaOnWhite(image);
    const edges = sobel(luma, w, h);
    edge = (x, y) => edges[y * w + x];
    tone = (x, y) => luma[y * w + x];
  } else {
    // Judged over white, so a transparent picture's things get their outline too.
    const half = halfLuma(image);
    edge = fieldReader(sobel(half.values, half.width, half.height), half.width, half.height, w, h);
    tone = fieldReader(half.values, half.width, half.height, w, h);
  }
  const shading = ctx.quality !== "low";
  const crossHatch = ctx.quality === "high";
  const period = Math.max(3, Math.round(7 * u));
  // Strokes wander: hatching offset by smooth noise instead of ruler-straight.
  const wander = noiseReader(noiseTile(40 * Math.max(1, u)), ctx.seed, 1);
  const seed = ctx.seed;
  const out = Buffer.alloc(w * h * 4);
  for (let y = 0, p = 0; y < h; y++) {
    for (let x = 0; x < w; x++, p++) {
      const tooth = grain(x, y, seed);
      // Lines: strong edges dark, faint ones lighter; the paper's tooth breaks them up.
      let ink = Math.min(1, Math.max(0, edge(x, y) * 3.2 - 0.12)) * (0.7 + 0.3 * tooth);
      if (shading) {
        const dark = 1 - tone(x, y) / 255;
        if (dark > 0.3) {
          const offset = (wander(x, y) * period) >> 8;
          if ((x + y + offset) % period < period * 0.22 * (dark + 0.2)) ink = Math.max(ink, 0.28 + 0.25 * dark * tooth);
          if (crossHatch && dark > 0.58 && (((x - y + offset) % period) + period) % period < period * 0.2 * dark) {
            ink = Math.max(ink, 0.3 + 0.2 * tooth);
          }
        }
      }
      const paper = (1 - 0.03 * tooth) * (1 - ink);
      const o = p * 4;
      out[o] = PAPER[0] * paper + GRAPHITE[0] * ink;
      out[o + 1] = PAPER[1] * paper + GRAPHITE[1] * ink;
      out[o + 2] = PAPER[2] * paper + GRAPHITE[2] * ink;
      out[o + 3] = data[o + 3];
    }
  }
  return { data: out, width: w, height: h };
};
