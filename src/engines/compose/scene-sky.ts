// What every place shares: the drawing context, the sky (sun or moon,
// stars, clouds), night shading, texture and the finishing grade.

import { mixHex, shiftHex } from "./colour.js";
import type { Random } from "./random.js";
import type { Grade } from "./scene.js";
import { cloud, crescent, f, linearGradient, radialGlow, rect, scatter, sun } from "./scene-parts.js";

export interface SceneContext {
  w: number;
  h: number;
  /** The short side: sizes scale with it so portrait and landscape look alike. */
  u: number;
  rnd: Random;
  /** How many details to draw: fewer at low quality, more at high. */
  level: number;
  texture: boolean;
  night: boolean;
  /** A low sun in a warm sky ("beach at sunset"); never with night. */
  sunset: boolean;
  /** Whether the sky shows its own sun or moon (not when the picture draws one as a thing). */
  skyBody: boolean;
}

const NIGHT_SHADE = "#0b1030";

export const n = (ctx: SceneContext, count: number) => Math.max(0, Math.round(count * ctx.level));

/** Darkens a daytime colour for night scenes. */
export const dusk = (ctx: SceneContext, colour: string, amount = 0.55) => (ctx.night ? mixHex(colour, NIGHT_SHADE, amount) : colour);

/** Sky gradient, sun or moon and stars, clouds: shared by every outdoor place. */
export function sky(ctx: SceneContext, horizon: number, dayTop: string, dayBottom: string): { defs: string; base: string; details: string } {
  const { rnd, w, u } = ctx;
  const hue = rnd.range(-14, 14);
  const top = ctx.night
    ? shiftHex("#0d1440", hue, 0, rnd.range(-0.04, 0.04))
    : ctx.sunset ? shiftHex("#3b3f8f", hue * 0.5) : shiftHex(dayTop, hue, rnd.range(-0.1, 0.05), rnd.range(-0.06, 0.06));
  const bottom = ctx.night ? shiftHex("#3a3570", hue) : ctx.sunset ? shiftHex("#ffb347", hue * 0.3) : shiftHex(dayBottom, hue * 0.5, 0, rnd.range(-0.04, 0.03));
  // A sunset sky runs from dusky blue through rose to orange at the horizon.
  const stops: [number, string][] = ctx.sunset ? [[0, top], [0.55, shiftHex("#e8607a", hue * 0.3)], [1, bottom]] : [[0, top], [1, bottom]];
  const defs = linearGradient("sky", stops) + radialGlow("glow", ctx.night ? "#fffbe0" : ctx.sunset ? "#ffd27a" : "#fff7c0", 0.55);
  const base = rect(0, 0, w, horizon + 2, "url(#sky)");
  const parts: string[] = [];
  const bodyX = w * rnd.pick([rnd.range(0.1, 0.3), rnd.range(0.7, 0.9)]);
  const bodyY = ctx.sunset ? horizon * rnd.range(0.78, 0.9) : horizon * rnd.range(0.18, 0.38);
  // The sun or moon is worked out whether or not it is shown, so the clouds after it fall in the same places.
  let body: string[];
  if (ctx.night) {
    parts.push(scatter(rnd, n(ctx, 90), 0, 0, w, horizon * 0.95, [u * 0.0012, u * 0.0035], "#ffffff", [0.4, 1]));
    body = [`<circle cx="${f(bodyX)}" cy="${f(bodyY)}" r="${f(u * 0.14)}" fill="url(#glow)"/>`, crescent("moonmask", bodyX, bodyY, u * 0.055, "#fdf3c4", rnd.range(-2.5, -0.6))];
  } else if (ctx.sunset) {
    // Large and low, as the sun looks at the horizon.
    body = [sun(w * rnd.range(0.35, 0.65), bodyY, u * 0.09, "#ff8c42", ctx.level > 0.5 ? "glow" : null)];
  } else {
    body = [sun(bodyX, bodyY, u * 0.06, "#ffe066", ctx.level > 0.5 ? "glow" : null)];
  }
  if (ctx.skyBody) parts.push(...body);
  const clouds = n(ctx, rnd.int(2, 4));
  for (let i = 0; i < clouds; i++) {
    const size = u * rnd.range(0.14, 0.26);
    const colour = ctx.night ? "#8a8fb8" : ctx.sunset ? "#ffc2a8" : "#ffffff";
    parts.push(cloud(rnd, rnd.range(0, w), rnd.range(horizon * 0.12, horizon * 0.7), size, colour, ctx.night ? 0.35 : 0.85));
  }
  return { defs, base, details: parts.join("") };
}

export function speckle(ctx: SceneContext, y: number, colour: string): string {
  if (!ctx.texture) return "";
  return scatter(ctx.rnd, 500, 0, y, ctx.w, ctx.h - y, [ctx.u * 0.001, ctx.u * 0.003], colour, [0.15, 0.4]);
}

export function sceneGrade(ctx: SceneContext, tint: string, amount: number, saturation = 1.08, brightness = 1): Grade {
  if (ctx.night) return { tint: "#2b3a8a", amount: 0.12, saturation: 0.95, brightness: 0.97 };
  // Sunset light warms everything it falls on.
  if (ctx.sunset) return { tint: "#ff9a4d", amount: 0.16, saturation: 1.05, brightness: 0.97 };
  return { tint, amount, saturation, brightness };
}

