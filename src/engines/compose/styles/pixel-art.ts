// Pixel art: the picture averaged onto a coarse grid, reduced to a small
// palette of its own colours (median cut), then blown up with hard
// nearest-neighbour edges. Quality buys a finer grid, more colours and, at
// high, ordered dithering so gradients (skies) read as dotted bands.

import type { RawImage } from "../../engine.js";
import { medianCut, paletteMapper, saturate } from "./palette.js";
import { byQuality, rawOf, pipelineOf, type StyleFilter } from "./pixels.js";

/** 4×4 Bayer matrix, values 0–15. */
const BAYER = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5];

export const pixelArt: StyleFilter = async (image, ctx) => {
  const { width, height } = image;
  const cellsOnShortSide = byQuality(ctx.quality, 40, 64, 96);
  const cell = Math.max(1, Math.min(width, height) / cellsOnShortSide);
  const gw = Math.max(1, Math.round(width / cell));
  const gh = Math.max(1, Math.round(height / cell));
  // sharp premultiplies alpha when it shrinks, so transparent pixels do not darken edge cells.
  const grid = await rawOf(pipelineOf(image).resize(gw, gh, { fit: "fill", kernel: "linear" }));
  quantise(grid, byQuality(ctx.quality, 12, 20, 28), ctx.quality === "high");
  return rawOf(pipelineOf(grid).resize(width, height, { fit: "fill", kernel: "nearest" }));
};

/** In place: every cell to its palette colour; alpha to fully on or off, as sprites have it. */
function quantise(grid: RawImage, colours: number, dither: boolean): void {
  // A little extra saturation: game palettes are bright.
  const palette = medianCut(grid, colours, 1e6).map((c) => saturate(c, 1.15));
  const nearest = paletteMapper(palette);
  const { data, width } = grid;
  for (let p = 0, i = 0; i < data.length; p++, i += 4) {
    if (data[i + 3] < 128) {
      data[i] = data[i + 1] = data[i + 2] = data[i + 3] = 0;
      continue;
    }
    // Dithering nudges each cell by up to ±12 levels in a fixed pattern before the lookup.
    const nudge = dither ? (BAYER[((p / width) & 3) * 4 + ((p % width) & 3)] - 7.5) * 1.6 : 0;
    const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);
    const [r, g, b] = palette[nearest(clamp(data[i] + nudge), clamp(data[i + 1] + nudge), clamp(data[i + 2] + nudge))];
    data[i] = r;
    data[i + 1] = g;
    data[i + 2] = b;
    data[i + 3] = 255;
  }
}
