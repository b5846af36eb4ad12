// A picture's own few colours (median cut) and the mapping of every pixel to
// the nearest of them. Pixel art, flat vector and logo styles all reduce the
// picture this way, so a "purple balloon" stays purple, not the nearest colour
// of some fixed retro palette.

import type { RawImage } from "../../engine.js";

export type Rgb = [number, number, number];

/** Up to `count` colours from the opaque pixels (alpha ≥ 128), sampled to about `maxSamples`. */
export function medianCut(image: RawImage, count: number, maxSamples = 20000): Rgb[] {
  const { data } = image;
  const n = image.width * image.height;
  const step = Math.max(1, Math.floor(n / maxSamples));
  const samples: number[] = [];
  for (let p = 0; p < n; p += step) {
    const i = p * 4;
    if (data[i + 3] >= 128) samples.push((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
  }
  if (samples.length === 0) return [[255, 255, 255]];
  let boxes: number[][] = [samples];
  while (boxes.length < count) {
    // Split the box whose widest channel spans most, weighted only a little by how many pixels it holds,
    // so a small but distinct colour (a red fox on a big beach) still gets its own box.
    let best = -1;
    let bestScore = 0;
    let bestShift = 0;
    boxes.forEach((box, b) => {
      if (box.length < 2) return;
      const { shift, span } = widestChannel(box);
      const score = span * Math.pow(box.length, 0.2);
      if (score > bestScore) [best, bestScore, bestShift] = [b, score, shift];
    });
    if (best < 0) break;
    const box = boxes[best].sort((a, b) => ((a >> bestShift) & 255) - ((b >> bestShift) & 255));
    // Cut where the channel crosses its mean rather than at the median: clusters separate cleanly.
    let mean = 0;
    for (const c of box) mean += (c >> bestShift) & 255;
    mean /= box.length;
    let half = box.findIndex((c) => ((c >> bestShift) & 255) > mean);
    if (half <= 0) half = box.length >> 1;
    boxes = [...boxes.slice(0, best), box.slice(0, half), box.slice(half), ...boxes.slice(best + 1)];
  }
  return boxes.map(meanColour);
}

function widestChannel(box: number[]): { shift: number; span: number } {
  let best = { shift: 16, span: -1 };
  for (const shift of [16, 8, 0]) {
    let lo = 255;
    let hi = 0;
    for (const c of box) {
      const v = (c >> shift) & 255;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi - lo > best.span) best = { shift, span: hi - lo };
  }
  return best;
}

function meanColour(box: number[]): Rgb {
  let r = 0, g = 0, b = 0;
  for (const c of box) {
    r += (c >> 16) & 255;
    g += (c >> 8) & 255;
    b += c & 255;
  }
  return [Math.round(r / box.length), Math.round(g / box.length), Math.round(b / box.length)];
}

/**
 * Nearest palette colour, weighted toward how eyes see differences (green
 * counts most). Looked up through a 15-bit cache: a megapixel picture has at
 * most 32,768 distinct keys, so each is searched once.
 */
export function paletteMapper(palette: Rgb[]): (r: number, g: number, b: number) => number {
  const cache = new Int16Array(32768).fill(-1);
  return (r, g, b) => {
    const key = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
    const hit = cache[key];
    if (hit >= 0) return hit;
    let best = 0;
    let bestD = Infinity;
    for (let k = 0; k < palette.length; k++) {
      const [pr, pg, pb] = palette[k];
      const dr = r - pr, dg = g - pg, db = b - pb;
      const d = 2 * dr * dr + 4 * dg * dg + 3 * db * db;
      if (d < bestD) [best, bestD] = [k, d];
    }
    cache[key] = best;
    return best;
  };
}

/** Pushes a colour away from its grey by `amount` (1 = unchanged). */
export function saturate([r, g, b]: Rgb, amount: number): Rgb {
  const y = 0.299 * r + 0.587 * g + 0.114 * b;
  const c = (v: number) => Math.round(Math.max(0, Math.min(255, y + (v - y) * amount)));
  return [c(r), c(g), c(b)];
}
