// Children's book illustration: soft pastel colour (a touch less saturated and
// lifted toward warm paper), gentle warm-brown outlines where colour areas
// meet (edges found at half size, so they come out soft and rounded), and
// paper grain. Quality adds a crayon texture (streaky, strongest in darker
// areas) at high and drops the paper's tooth at low.

import { byQuality, grain, halfLuma, fieldReader, noiseReader, noiseTile, sobel, unitOf, type StyleFilter } from "./pixels.js";

const PAPER = [253, 248, 236];
const OUTLINE = [84, 58, 44];

export const childrensBook: StyleFilter = async (image, ctx) => {
  const { width: w, height: h, data } = image;
  const half = halfLuma(image);
  const edge = fieldReader(sobel(half.values, half.width, half.height), half.width, half.height, w, h);
  const seed = ctx.seed;
  const scale = Math.max(1, unitOf(image));
  const tooth = ctx.quality === "low" ? null : noiseReader(noiseTile(2.5 * scale), seed, 1);
  const crayon = ctx.quality === "high" ? noiseReader(noiseTile(2 * scale, 5), seed, 2) : null;
  const lineStrength = byQuality(ctx.quality, 2.0, 2.2, 2.4);
  const out = Buffer.alloc(w * h * 4);
  const px = new Uint8ClampedArray(out.buffer, out.byteOffset, out.length);
  for (let y = 0, p = 0; y < h; y++) {
    for (let x = 0; x < w; x++, p++) {
      const i = p * 4;
      const r = data[i], g = data[i + 1], b = data[i + 2];
      const grey = 0.299 * r + 0.587 * g + 0.114 * b;
      const line = Math.min(0.6, Math.max(0, edge(x, y) * lineStrength - 0.15));
      let texture = 1 + 0.03 * (grain(x, y, seed) - 0.5);
      if (tooth) texture += 0.06 * (tooth(x, y) / 255 - 0.5);
      if (crayon) texture += 0.08 * (crayon(x, y) / 255 - 0.5) * (1 - grey / 255);
      // Pastel: 10% less saturated, then 14% of the way to the paper colour; then the outline over it.
      const keep = (1 - line) * texture;
      px[i] = ((grey + (r - grey) * 0.9) * 0.86 + PAPER[0] * 0.14) * keep + OUTLINE[0] * line;
      px[i + 1] = ((grey + (g - grey) * 0.9) * 0.86 + PAPER[1] * 0.14) * keep + OUTLINE[1] * line;
      px[i + 2] = ((grey + (b - grey) * 0.9) * 0.86 + PAPER[2] * 0.14) * keep + OUTLINE[2] * line;
      px[i + 3] = data[i + 3];
    }
  }
  return { data: out, width: w, height: h };
};
