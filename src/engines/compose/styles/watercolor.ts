// Watercolour, modelled the way the paint behaves rather than as a filter
// stack: colour is pigment density on paper (subtractive); washes bleed (a
// blur, done at half size where it is cheap) with wobbly edges; pigment pools
// where a wash dries (darker region edges: the soft picture against a much
// wider blur), settles in the paper's valleys (granulation), blooms unevenly;
// and the whole is a little washed out against warm paper. Quality sets the
// paper's tooth (finer at high) and, at low, drops the edge wobble.

import { byQuality, grain, lumaOf, noiseReader, noiseTile, shrunk, unitOf, upscaleTables, type StyleFilter } from "./pixels.js";

const PAPER = [252, 249, 240];

export const watercolor: StyleFilter = async (image, ctx) => {
  const { width: w, height: h } = image;
  const u = unitOf(image);
  const soft = await shrunk(image, 2, 1.1 * Math.max(0.5, u));
  const wide = await shrunk(soft, 4, 1.5);
  const wideLuma = lumaOf(wide);
  const s = upscaleTables(soft.width, soft.height, w, h);
  const wv = upscaleTables(wide.width, wide.height, w, h);
  const seed = ctx.seed;
  const scale = Math.max(1, u);
  const tooth = noiseReader(noiseTile(byQuality(ctx.quality, 4, 2.5, 1.6) * scale), seed, 1);
  const blooms = noiseReader(noiseTile(24 * scale), seed, 2, 2);
  const wobble = ctx.quality === "low" ? null : noiseReader(noiseTile(14 * scale), seed, 3);
  const reach = Math.round(3 * u + 1);

  const src = soft.data;
  const sw = soft.width;
  const ww = wide.width;
  const alpha = image.data;
  const out = Buffer.alloc(w * h * 4);
  for (let y = 0, p = 0; y < h; y++) {
    for (let x = 0; x < w; x++, p++) {
      // Wobble: read the wash from a nearby point, so straight edges turn ragged.
      let sx = x, sy = y;
      if (wobble) {
        const shift = ((wobble(x, y) - 128) * reach) >> 7;
        sx = Math.min(w - 1, Math.max(0, x + shift));
        sy = Math.min(h - 1, Math.max(0, y - shift));
      }
      // Bilinear read of the half-size soft picture.
      const fx = s.fx[sx], fy = s.fy[sy];
      const r0 = s.y0[sy] * sw, r1 = s.y1[sy] * sw;
      const a = (r0 + s.x0[sx]) * 4, b = (r0 + s.x1[sx]) * 4, c = (r1 + s.x0[sx]) * 4, d = (r1 + s.x1[sx]) * 4;
      const w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
      const red = src[a] * w00 + src[b] * w01 + src[c] * w10 + src[d] * w11;
      const green = src[a + 1] * w00 + src[b + 1] * w01 + src[c + 1] * w10 + src[d + 1] * w11;
      const blue = src[a + 2] * w00 + src[b + 2] * w01 + src[c + 2] * w10 + src[d + 2] * w11;
      const wl = wideLuma[wv.y0[y] * ww + wv.x0[x]];
      const pool = Math.min(1, Math.abs(0.299 * red + 0.587 * green + 0.114 * blue - wl) / 40);
      const t = tooth(x, y) / 255;
      const density = (0.78 + 0.35 * pool) * (1.18 - 0.36 * t) * (0.9 + 0.2 * (blooms(x, y) / 255)) * 0.86;
      // Paper shows through in pale areas: a faint emboss of the tooth plus fibre speckle.
      const paper = 0.965 + 0.035 * t - 0.02 * grain(x, y, seed);
      const o = p * 4;
      // What the pigment leaves of the paper's light, per channel (never below none).
      const k = density / 255;
      out[o] = PAPER[0] * paper * Math.max(0, 1 - (255 - red) * k);
      out[o + 1] = PAPER[1] * paper * Math.max(0, 1 - (255 - green) * k);
      out[o + 2] = PAPER[2] * paper * Math.max(0, 1 - (255 - blue) * k);
      out[o + 3] = alpha[o + 3];
    }
  }
  return { data: out, width: w, height: h };
};
