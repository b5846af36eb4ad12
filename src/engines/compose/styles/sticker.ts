// Sticker: the subject die-cut with a white border and a soft drop shadow.
// The border is the subject's silhouette grown by a blur-and-threshold (round
// corners for free); the shadow is that shape blurred and offset down-right.
// The silhouette comes from, in order: the picture's own alpha (transparent
// output), ctx.subjectMask (opaque pictures whose things were also drawn
// alone), or, lacking both, the whole picture as a rounded card on a plain
// backdrop. This is the one style that adds opaque pixels to a transparent
// picture: the border and shadow are the point of it.

import sharp from "sharp";
import type { RawImage } from "../../engine.js";
import { byQuality, fieldReader, hasTransparency, unitOf, type StyleFilter, type StyleContext } from "./pixels.js";

const BACKDROP_RGBA = (255 << 24) | (240 << 16) | (236 << 8) | 236;
const SHADOW_OPACITY = 0.32;

export const sticker: StyleFilter = async (image, ctx) => {
  if (ctx.transparent || hasTransparency(image)) return dieCut(image, alphaOf(image), ctx, null);
  if (ctx.subjectMask) return dieCut(image, alphaOf(ctx.subjectMask), ctx, image);
  return card(image, ctx);
};

function alphaOf(image: RawImage): Uint8Array {
  const n = image.width * image.height;
  const out = new Uint8Array(n);
  for (let p = 0; p < n; p++) out[p] = image.data[p * 4 + 3];
  return out;
}

/**
 * `subject` over a white border over a shadow, over `backdrop` (an opaque
 * picture) or over nothing. `mask` marks the subject, one byte a pixel. The
 * border and shadow shapes are smooth, so they are made at half size (two
 * small blurs) and read back bilinearly; the subject's own edge stays exact.
 */
async function dieCut(subject: RawImage, mask: Uint8Array, ctx: StyleContext, backdrop: RawImage | null): Promise<RawImage> {
  const { width: w, height: h } = subject;
  const u = unitOf(subject);
  const border = Math.max(4, byQuality(ctx.quality, 12, 14, 16) * u);
  const hw = w >> 1 || 1, hh = h >> 1 || 1;
  const half = new Uint8Array(hw * hh);
  for (let y = 0; y < hh; y++) {
    for (let x = 0; x < hw; x++) {
      const p = Math.min(h - 1, 2 * y) * w + Math.min(w - 1, 2 * x);
      half[y * hw + x] = (mask[p] + mask[Math.min(p + 1, mask.length - 1)] + mask[Math.min(p + w, mask.length - 1)] + mask[Math.min(p + w + 1, mask.length - 1)]) >> 2;
    }
  }
  // Grown silhouette: a straight edge's blur falls to about 2% (5/255) at two sigmas out, the border's outer rim.
  const grow = await blurMask(half, hw, hh, border / 4);
  const rimHalf = new Uint8Array(hw * hh);
  for (let p = 0; p < rimHalf.length; p++) rimHalf[p] = Math.max(half[p], Math.min(255, Math.max(0, (grow[p] - 3) * 64)));
  // Quality buys a softer, wider shadow.
  const shadowHalf = await blurMask(rimHalf, hw, hh, border * byQuality(ctx.quality, 0.15, 0.3, 0.4));
  const rimAt = fieldReader(rimHalf, hw, hh, w, h);
  const shadowAt = fieldReader(shadowHalf, hw, hh, w, h);
  const dx = Math.round(border * 0.35);
  const dy = Math.round(border * 0.7);

  const out = Buffer.alloc(w * h * 4);
  const px = new Uint8ClampedArray(out.buffer, out.byteOffset, out.length);
  const src = subject.data;
  const back = backdrop?.data;
  for (let y = 0, p = 0; y < h; y++) {
    for (let x = 0; x < w; x++, p++) {
      const i = p * 4;
      const a = back ? mask[p] / 255 : src[i + 3] / 255;
      const sx = x - dx, sy = y - dy;
      const shadow = sx >= 0 && sy >= 0 ? (shadowAt(sx, sy) / 255) * SHADOW_OPACITY : 0;
      const rim = a === 1 ? 1 : Math.max(a, rimAt(x, y) / 255);
      // Fast paths: the subject itself, and plain background away from border and shadow.
      if (a === 1 || (rim === 0 && shadow === 0)) {
        const from = a === 1 ? src : back;
        if (from) {
          out[i] = from[i];
          out[i + 1] = from[i + 1];
          out[i + 2] = from[i + 2];
          out[i + 3] = 255;
        }
        continue;
      }
      // Painter's order, premultiplied: shadow (black), then the white rim, then the subject.
      let alpha = back ? 1 : shadow;
      let r = 0, g = 0, b = 0;
      if (back) {
        r = back[i] * (1 - shadow);
        g = back[i + 1] * (1 - shadow);
        b = back[i + 2] * (1 - shadow);
      }
      r = 255 * rim + r * (1 - rim);
      g = 255 * rim + g * (1 - rim);
      b = 255 * rim + b * (1 - rim);
      alpha = rim + alpha * (1 - rim);
      r = src[i] * a + r * (1 - a);
      g = src[i + 1] * a + g * (1 - a);
      b = src[i + 2] * a + b * (1 - a);
      alpha = a + alpha * (1 - a);
      if (alpha <= 0) continue;
      px[i] = r / alpha;
      px[i + 1] = g / alpha;
      px[i + 2] = b / alpha;
      px[i + 3] = alpha * 255;
    }
  }
  return { data: out, width: w, height: h };
}

async function blurMask(mask: Uint8Array, width: number, height: number, sigma: number): Promise<Uint8Array> {
  const { data } = await sharp(mask, { raw: { width, height, channels: 1 } })
    // The border is read from the blur's faint tail, so the kernel must not be cut short (sharp's default drops values under 20%).
    .blur({ sigma: Math.max(0.3, sigma), minAmplitude: 0.01 })
    .extractChannel(0) // sharp would otherwise hand one band back as three (sRGB)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return new Uint8Array(data.buffer, data.byteOffset, width * height);
}

/** No silhouette to cut around: the whole picture becomes a rounded card sticker on a plain backdrop. */
async function card(image: RawImage, ctx: StyleContext): Promise<RawImage> {
  const { width: w, height: h } = image;
  const u = unitOf(image);
  const margin = Math.round(Math.max(6, 56 * u));
  const iw = w - 2 * margin;
  const ih = h - 2 * margin;
  const { data: inner } = await sharp(image.data, { raw: { width: w, height: h, channels: 4 } })
    .resize(iw, ih, { fit: "fill" })
    .extend({ top: margin, bottom: margin, left: margin, right: margin, background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  // Rounded corners: clear the alpha outside a rounded rectangle (a signed distance per pixel).
  const radius = Math.min(iw, ih) * 0.08;
  const reach = Math.ceil(radius) + 1;
  for (let y = 0; y < h; y++) {
    // Only the four corners need the distance: elsewhere the edge is straight and `extend` already cut it.
    if (y > margin + reach && y < h - margin - reach) continue;
    for (let x = 0; x < w; x++) {
      if (x > margin + reach && x < w - margin - reach) continue;
      const qx = Math.max(0, Math.abs(x + 0.5 - w / 2) - (iw / 2 - radius));
      const qy = Math.max(0, Math.abs(y + 0.5 - h / 2) - (ih / 2 - radius));
      const outside = Math.sqrt(qx * qx + qy * qy) - radius;
      const i = (y * w + x) * 4 + 3;
      inner[i] = Math.round(inner[i] * Math.min(1, Math.max(0, 0.5 - outside)));
    }
  }
  const cutout: RawImage = { data: inner, width: w, height: h };
  const backdrop = Buffer.alloc(w * h * 4);
  // One 32-bit store a pixel (bytes in memory order r, g, b, a on little-endian machines, which is all Node runs on).
  new Uint32Array(backdrop.buffer, backdrop.byteOffset, w * h).fill(BACKDROP_RGBA);
  return dieCut(cutout, alphaOf(cutout), ctx, { data: backdrop, width: w, height: h });
}
