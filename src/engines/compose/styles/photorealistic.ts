// "Photorealistic", honestly: no filter turns flat vector art into a
// photograph. What a photo adds on top of any scene is done: a filmic contrast
// curve, a little extra saturation, lens vignetting (opaque pictures only)
// and luminance-dependent film grain (per pixel at high, in 2-pixel clumps at
// medium, none at low), so the picture at least reads as photographed.

import { byQuality, grain, type StyleFilter } from "./pixels.js";

/** A smooth S-curve through (0,0) and (1,1): deeper shadows, brighter highlights. */
const CURVE = (() => {
  const lut = new Float32Array(256);
  for (let v = 0; v < 256; v++) {
    const t = v / 255;
    lut[v] = 255 * (0.55 * t * t * (3 - 2 * t) + 0.45 * t);
  }
  return lut;
})();

export const photorealistic: StyleFilter = async (image, ctx) => {
  const { width: w, height: h, data } = image;
  const amount = byQuality(ctx.quality, 0, 9, 7);
  const clump = ctx.quality === "high" ? 0 : 1;
  const cx = w / 2, cy = h / 2;
  const reach = 1 / (cx * cx + cy * cy);
  const vignetting = ctx.transparent ? 0 : 0.28;
  const seed = ctx.seed;
  const out = Buffer.alloc(w * h * 4);
  const px = new Uint8ClampedArray(out.buffer, out.byteOffset, out.length);
  for (let y = 0, p = 0; y < h; y++) {
    const dy = y - cy;
    for (let x = 0; x < w; x++, p++) {
      const i = p * 4;
      const dx = x - cx;
      const r2 = (dx * dx + dy * dy) * reach;
      const light = 1 - vignetting * r2 * r2;
      const r = CURVE[data[i]], g = CURVE[data[i + 1]], b = CURVE[data[i + 2]];
      const grey = 0.299 * r + 0.587 * g + 0.114 * b;
      // Film grain is strongest in the mid-tones; two hashes summed look less like digital noise.
      const gx = x >> clump, gy = y >> clump;
      const n = amount === 0 ? 0 : (grain(gx, gy, seed) + grain(gy, gx, seed) - 1) * amount * (1.2 - Math.abs(grey - 128) / 160);
      px[i] = (grey + (r - grey) * 1.08) * light + n;
      px[i + 1] = (grey + (g - grey) * 1.08) * light + n;
      px[i + 2] = (grey + (b - grey) * 1.08) * light + n;
      px[i + 3] = data[i + 3];
    }
  }
  return { data: out, width: w, height: h };
};
