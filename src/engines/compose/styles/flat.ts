// Flat vector and logo: the picture reduced to a handful of its own colours
// (median cut) with every pixel mapped to the nearest: gradients become flat
// bands, textures disappear. A logo uses fewer, bolder colours than flat
// vector art; quality allows a few more colours.

import type { RawImage } from "../../engine.js";
import { medianCut, paletteMapper, saturate } from "./palette.js";
import { byQuality, type StyleFilter } from "./pixels.js";

function reduce(image: RawImage, colours: number, saturation: number): RawImage {
  const palette = medianCut(image, colours).map((c) => saturate(c, saturation));
  const nearest = paletteMapper(palette);
  const src = image.data;
  const out = Buffer.alloc(src.length);
  for (let i = 0; i < src.length; i += 4) {
    const [r, g, b] = palette[nearest(src[i], src[i + 1], src[i + 2])];
    out[i] = r;
    out[i + 1] = g;
    out[i + 2] = b;
    out[i + 3] = src[i + 3];
  }
  return { data: out, width: image.width, height: image.height };
}

export const flatVector: StyleFilter = async (image, ctx) => reduce(image, byQuality(ctx.quality, 8, 12, 16), 1.05);

export const logo: StyleFilter = async (image, ctx) => reduce(image, byQuality(ctx.quality, 5, 6, 8), 1.2);
