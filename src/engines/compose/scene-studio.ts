// A plain backdrop for "on a white background", "on a black background",
// "studio shot": one flat colour with a soft floor, so the things stand out
// as they would in a product photo.

import { parseHex, shiftHex } from "./colour.js";
import type { Scene } from "./scene.js";
import { linearGradient, rect } from "./scene-parts.js";
import type { SceneContext } from "./scene-sky.js";

export function studio(ctx: SceneContext, colour: string): Scene {
  const { w, h, u } = ctx;
  const groundY = h * 0.72;
  const [r, g, b] = parseHex(colour) ?? [255, 255, 255];
  const dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 96;
  // The floor is a touch darker (lighter on dark backdrops) so grounded things cast a visible shadow.
  const floor = shiftHex(colour, 0, 0, dark ? 0.05 : -0.05);
  const defs = linearGradient("studio-floor", [[0, colour], [1, floor]]);
  const base = rect(0, 0, w, h, colour) + rect(0, groundY - u * 0.06, w, h - groundY + u * 0.06, "url(#studio-floor)");
  return {
    defs, base, details: "", groundY, water: null,
    shadow: dark ? "#000000" : shiftHex(colour, 0, 0, -0.45),
    grade: { tint: colour, amount: 0, saturation: 1, brightness: 1 },
  };
}
