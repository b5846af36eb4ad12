// Comic / cartoon: cel shading (lightness in four flat bands, hue kept), bold
// black ink where edges are strong, Ben-Day halftone dots in the darker
// bands, and punchier colour. Edges are found at half size (smooth, bold
// lines) except at high quality, which inks at full size (finer lines); low
// drops the halftone.

import { byQuality, halfLuma, fieldReader, lumaOnWhite, sobel, unitOf, type StyleFilter } from "./pixels.js";

const BANDS = [0.42, 0.66, 0.86, 1.0];

export const comic: StyleFilter = async (image, ctx) => {
  const { width: w, height: h, data } = image;
  const u = unitOf(image);
  let edge: (x: number, y: number) => number;
  if (ctx.quality === "high") {
    const full = sobel(lumaOnWhite(image), w, h);
    edge = (x, y) => full[y * w + x];
  } else {
    const half = halfLuma(image);
    edge = fieldReader(sobel(half.values, half.width, half.height), half.width, half.height, w, h);
  }
  const halftone = ctx.quality !== "low";
  const period = Math.max(4, byQuality(ctx.quality, 10, 9, 8) * u) * Math.SQRT2;
  const out = Buffer.alloc(w * h * 4);
  const px = new Uint8ClampedArray(out.buffer, out.byteOffset, out.length);
  for (let y = 0, p = 0; y < h; y++) {
    for (let x = 0; x < w; x++, p++) {
      const i = p * 4;
      const r = data[i], g = data[i + 1], b = data[i + 2];
      const top = Math.max(r, g, b, 1);
      const lightness = top / 255;
      let gain = (BANDS[Math.min(3, Math.floor(lightness * 4))] * 255) / top;
      // Dots on a 45° grid, larger where darker, in the two lower bands.
      if (halftone && lightness < 0.5) {
        const a = (x + y) / period, c = (x - y) / period;
        const fa = a - Math.round(a), fc = c - Math.round(c);
        if (fa * fa + fc * fc < 0.18 * (1 - lightness)) gain *= 0.7;
      }
      const e = edge(x, y);
      const ink = e > 0.22 ? 1 : e > 0.14 ? (e - 0.14) / 0.08 : 0;
      const grey = 0.299 * r + 0.587 * g + 0.114 * b;
      const keep = (1 - ink) * gain;
      px[i] = (grey + (r - grey) * 1.25) * keep + 20 * ink;
      px[i + 1] = (grey + (g - grey) * 1.25) * keep + 16 * ink;
      px[i + 2] = (grey + (b - grey) * 1.25) * keep + 24 * ink;
      px[i + 3] = data[i + 3];
    }
  }
  return { data: out, width: w, height: h };
};
