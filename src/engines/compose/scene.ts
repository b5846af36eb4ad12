// Procedural backgrounds. A scene is SVG in two layers — a plain base (sky,
// ground) and details (hills, clouds, stars, waves, windows…) — plus the
// geometry the layout needs: where the ground starts, where water is.

import type { Quality } from "../engine.js";
import { drawsSkyBody, type PicturePlan } from "./prompt.js";
import { randomFor } from "./random.js";
import { city, indoor } from "./scene-built.js";
import { beach, desert, meadow, snow } from "./scene-nature.js";
import type { SceneContext } from "./scene-sky.js";
import { space } from "./scene-space.js";
import { studio } from "./scene-studio.js";

export interface Grade {
  /** Colour the finished picture leans toward, and how far (0..1). */
  tint: string;
  amount: number;
  saturation: number;
  brightness: number;
}

export interface Scene {
  defs: string;
  base: string;
  details: string;
  /** Where grounded things stand (the far edge of the ground); null where nothing has ground. */
  groundY: number | null;
  water: { top: number; bottom: number } | null;
  shadow: string;
  grade: Grade;
}

const DETAIL_LEVEL: Record<Quality, number> = { low: 0.35, medium: 1, high: 1.7 };

export function buildScene(plan: Pick<PicturePlan, "setting" | "things">, width: number, height: number, seed: number, quality: Quality): Scene {
  const { setting } = plan;
  const ctx: SceneContext = {
    w: width, h: height, u: Math.min(width, height), rnd: randomFor(seed, "scene"),
    level: DETAIL_LEVEL[quality], texture: quality === "high", night: setting.time === "night",
    sunset: setting.timeOfDay === "sunset",
    // A sun or moon the picture draws as a thing is the sky's own: the scene adds no second one.
    skyBody: !drawsSkyBody(plan),
  };
  switch (setting.place) {
    case "space": return space(ctx, false);
    case "moon": return space(ctx, true);
    case "indoor": return indoor(ctx);
    case "city": return city(ctx);
    case "water": return beach(ctx);
    case "desert": return desert(ctx);
    case "snow": return snow(ctx);
    case "studio": return studio(ctx, setting.backdrop ?? "#ffffff");
    default: return meadow(ctx);
  }
}

