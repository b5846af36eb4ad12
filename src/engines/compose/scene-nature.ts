// Open landscapes: meadow (the default), snow, beach and desert.

import { shiftHex } from "./colour.js";
import type { Scene } from "./scene.js";
import { grassTufts, hills, linearGradient, mountains, rect, scatter, f } from "./scene-parts.js";
import { dusk, n, sceneGrade, sky, speckle, type SceneContext } from "./scene-sky.js";

export function meadow(ctx: SceneContext): Scene {
  const { rnd, w, h, u } = ctx;
  const groundY = h * rnd.range(0.6, 0.68);
  const s = sky(ctx, groundY, "#4a90d9", "#d4ecfa");
  const green = shiftHex("#6cbf4a", rnd.range(-18, 18), rnd.range(-0.1, 0.05), rnd.range(-0.05, 0.05));
  const defs = s.defs + linearGradient("ground", [[0, dusk(ctx, green)], [1, dusk(ctx, shiftHex(green, 6, 0, -0.14))]]);
  const base = s.base + rect(0, groundY, w, h - groundY, "url(#ground)");
  const far = hills(rnd, w, groundY + 2, groundY - u * 0.06, u * 0.08, dusk(ctx, shiftHex(green, -10, -0.15, 0.1)));
  const near = hills(rnd, w, groundY + 2, groundY - u * 0.01, u * 0.04, dusk(ctx, shiftHex(green, 4, -0.05, 0.04)));
  const tufts = grassTufts(rnd, n(ctx, 40), w, groundY + u * 0.03, h, u * 0.02, dusk(ctx, shiftHex(green, 8, 0, -0.18)));
  const flowers = ctx.night ? "" : scatter(rnd, n(ctx, 30), 0, groundY + u * 0.04, w, h - groundY, [u * 0.003, u * 0.006], rnd.pick(["#ffffff", "#ffe066", "#f7a1c4"]), [0.7, 1]);
  return {
    defs, base, details: s.details + far + near + tufts + flowers + speckle(ctx, groundY, "#2f5d1e"),
    groundY, water: null, shadow: "#1f3a12", grade: sceneGrade(ctx, "#fff1c8", 0.06),
  };
}

export function snow(ctx: SceneContext): Scene {
  const { rnd, w, h, u } = ctx;
  const groundY = h * rnd.range(0.6, 0.68);
  const s = sky(ctx, groundY, "#8fb4d9", "#eef4fa");
  const snowWhite = shiftHex("#f4f8fc", rnd.range(-10, 10));
  const defs = s.defs + linearGradient("ground", [[0, dusk(ctx, snowWhite, 0.45)], [1, dusk(ctx, "#d4e2f0", 0.45)]]);
  const base = s.base + rect(0, groundY, w, h - groundY, "url(#ground)");
  const peaks = mountains(rnd, w, groundY + 2, u * rnd.range(0.18, 0.3), dusk(ctx, shiftHex("#7d8fa8", rnd.range(-10, 10))), dusk(ctx, "#ffffff", 0.4));
  const drifts = hills(rnd, w, groundY + 2, groundY - u * 0.015, u * 0.03, dusk(ctx, "#ffffff", 0.45));
  const flakes = scatter(rnd, n(ctx, 70), 0, 0, w, h, [u * 0.002, u * 0.006], "#ffffff", [0.5, 0.95]);
  return {
    defs, base, details: s.details + peaks + drifts + speckle(ctx, groundY, "#9fb6cc") + flakes,
    groundY, water: null, shadow: "#4a6a8a", grade: sceneGrade(ctx, "#dcecff", 0.08, 1.02),
  };
}

export function beach(ctx: SceneContext): Scene {
  const { rnd, w, h, u } = ctx;
  const horizon = h * rnd.range(0.4, 0.48);
  const shore = h * rnd.range(0.64, 0.7);
  const s = sky(ctx, horizon, "#3d8fd6", "#cfeaf8");
  const sea = shiftHex("#1f86c4", rnd.range(-15, 15), 0, rnd.range(-0.05, 0.05));
  const sand = shiftHex("#f0d9a0", rnd.range(-8, 8));
  const defs = s.defs
    + linearGradient("sea", [[0, dusk(ctx, shiftHex(sea, 0, 0, 0.12))], [1, dusk(ctx, shiftHex(sea, 5, 0, -0.08))]])
    + linearGradient("ground", [[0, dusk(ctx, sand)], [1, dusk(ctx, shiftHex(sand, 0, 0, -0.1))]]);
  const base = s.base + rect(0, horizon, w, shore - horizon + 2, "url(#sea)") + rect(0, shore, w, h - shore, "url(#ground)");
  const waves: string[] = [];
  for (let i = 0; i < n(ctx, 14); i++) {
    const y = horizon + (shore - horizon) * rnd.range(0.1, 0.95);
    const x = rnd.range(0, w);
    const len = u * rnd.range(0.03, 0.08) * (0.5 + (y - horizon) / (shore - horizon));
    waves.push(`M${f(x)} ${f(y)} q${f(len / 2)} ${f(-len * 0.25)} ${f(len)} 0`);
  }
  const waveLines = `<path d="${waves.join(" ")}" fill="none" stroke="#ffffff" stroke-opacity="0.6" stroke-width="${f(u * 0.004)}" stroke-linecap="round"/>`;
  const foam = hills(rnd, w, shore + u * 0.012, shore, u * 0.008, dusk(ctx, "#ffffff", 0.4));
  const wet = rect(0, shore + u * 0.01, w, u * 0.015, dusk(ctx, shiftHex(sand, 0, 0, -0.12)), ' fill-opacity="0.6"');
  const grains = scatter(rnd, n(ctx, 60), 0, shore, w, h - shore, [u * 0.0015, u * 0.004], "#b08d57", [0.3, 0.7]);
  return {
    defs, base, details: s.details + waveLines + foam + wet + grains + speckle(ctx, shore, "#a88450"),
    groundY: shore, water: { top: horizon, bottom: shore }, shadow: "#7a5a2a", grade: sceneGrade(ctx, "#fff0d0", 0.07, 1.1),
  };
}

export function desert(ctx: SceneContext): Scene {
  const { rnd, w, h, u } = ctx;
  const groundY = h * rnd.range(0.58, 0.66);
  const s = sky(ctx, groundY, "#e9a25a", "#fbe3b0");
  const sand = shiftHex("#e8b66c", rnd.range(-10, 10), 0, rnd.range(-0.04, 0.04));
  const defs = s.defs + linearGradient("ground", [[0, dusk(ctx, sand)], [1, dusk(ctx, shiftHex(sand, -4, 0, -0.12))]]);
  const base = s.base + rect(0, groundY, w, h - groundY, "url(#ground)");
  const dunes = hills(rnd, w, groundY + 2, groundY - u * 0.05, u * 0.07, dusk(ctx, shiftHex(sand, 6, 0, 0.06)))
    + hills(rnd, w, h, groundY + (h - groundY) * 0.35, u * 0.05, dusk(ctx, shiftHex(sand, -6, 0, -0.05)));
  const ripples: string[] = [];
  for (let i = 0; i < n(ctx, 16); i++) {
    const x = rnd.range(0, w);
    const y = rnd.range(groundY + u * 0.02, h);
    const len = u * rnd.range(0.04, 0.1);
    ripples.push(`M${f(x)} ${f(y)} q${f(len / 2)} ${f(-len * 0.12)} ${f(len)} 0`);
  }
  const lines = `<path d="${ripples.join(" ")}" fill="none" stroke="${dusk(ctx, shiftHex(sand, 0, 0, -0.2))}" stroke-opacity="0.5" stroke-width="${f(u * 0.003)}"/>`;
  return {
    defs, base, details: s.details + dunes + lines + speckle(ctx, groundY, "#9a6a30"),
    groundY, water: null, shadow: "#7a4a1a", grade: sceneGrade(ctx, "#ffd9a0", 0.1, 1.06),
  };
}
