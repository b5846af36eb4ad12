// Places people built: a city street and a room.

import { shiftHex } from "./colour.js";
import type { Scene } from "./scene.js";
import { f, linearGradient, rect } from "./scene-parts.js";
import { dusk, sceneGrade, sky, speckle, type SceneContext } from "./scene-sky.js";

export function city(ctx: SceneContext): Scene {
  const { rnd, w, h, u } = ctx;
  const groundY = h * rnd.range(0.66, 0.72);
  const s = sky(ctx, groundY, "#5b9bd5", "#e3eef7");
  const road = dusk(ctx, shiftHex("#5a5d63", rnd.range(-10, 10)), 0.35);
  const defs = s.defs + linearGradient("ground", [[0, road], [1, shiftHex(road, 0, 0, -0.08)]]);
  const base = s.base + rect(0, groundY, w, h - groundY, "url(#ground)");
  const buildings: string[] = [];
  const windows: string[] = [];
  const tone = shiftHex("#8c97a8", rnd.range(-20, 20), rnd.range(-0.1, 0.1));
  let x = -rnd.range(0, u * 0.05);
  while (x < w) {
    const bw = u * rnd.range(0.08, 0.16);
    const bh = (groundY) * rnd.range(0.25, 0.6);
    const colour = dusk(ctx, shiftHex(tone, rnd.range(-8, 8), 0, rnd.range(-0.12, 0.08)));
    buildings.push(rect(x, groundY - bh, bw, bh + 2, colour));
    if (ctx.level > 0.5) {
      const win = u * 0.012;
      for (let wy = groundY - bh + win * 2; wy < groundY - win * 3; wy += win * 2.6) {
        for (let wx = x + win; wx < x + bw - win * 1.5; wx += win * 2.2) {
          const lit = ctx.night ? rnd.chance(0.45) : rnd.chance(0.2);
          windows.push(rect(wx, wy, win, win * 1.4, lit ? (ctx.night ? "#ffd86b" : "#dfefff") : dusk(ctx, "#4a5568", 0.3)));
        }
      }
    }
    x += bw + u * rnd.range(0, 0.02);
  }
  const kerb = rect(0, groundY, w, u * 0.03, dusk(ctx, "#b8b8b0", 0.4));
  const dashes: string[] = [];
  const laneY = groundY + (h - groundY) * 0.55;
  for (let dx = rnd.range(0, u * 0.1); dx < w; dx += u * 0.12) dashes.push(rect(dx, laneY, u * 0.06, u * 0.008, "#f2f2e6"));
  return {
    defs, base, details: s.details + buildings.join("") + windows.join("") + kerb + dashes.join("") + speckle(ctx, groundY, "#2a2a2a"),
    groundY: groundY + u * 0.02, water: null, shadow: "#151515", grade: sceneGrade(ctx, "#e8f0ff", 0.05, 1.04),
  };
}

export function indoor(ctx: SceneContext): Scene {
  const { rnd, w, h, u } = ctx;
  const floorY = h * rnd.range(0.64, 0.72);
  const wall = dusk(ctx, shiftHex(rnd.pick(["#f3e3c7", "#dbe9e4", "#e8dff0", "#f6d8c8", "#dce6f2"]), rnd.range(-10, 10)), 0.4);
  const wood = dusk(ctx, shiftHex("#b07a45", rnd.range(-10, 10), 0, rnd.range(-0.06, 0.06)), 0.4);
  const defs = linearGradient("wall", [[0, shiftHex(wall, 0, 0, 0.03)], [1, shiftHex(wall, 0, 0, -0.06)]])
    + linearGradient("ground", [[0, shiftHex(wood, 0, 0, -0.06)], [1, wood]])
    + linearGradient("window", ctx.night ? [[0, "#0d1440"], [1, "#3a3570"]] : [[0, "#6aaee8"], [1, "#d8eefa"]]);
  const base = rect(0, 0, w, floorY, "url(#wall)") + rect(0, floorY, w, h - floorY, "url(#ground)");
  const parts: string[] = [];
  // A window on one side and a framed picture on the other leave the middle free for the subject.
  const winW = u * rnd.range(0.22, 0.3);
  const winH = floorY * rnd.range(0.35, 0.45);
  const left = rnd.chance(0.5);
  const winX = left ? w * 0.08 : w * 0.92 - winW;
  const winY = floorY * 0.15;
  parts.push(rect(winX - u * 0.012, winY - u * 0.012, winW + u * 0.024, winH + u * 0.024, "#f8f8f4"));
  parts.push(rect(winX, winY, winW, winH, "url(#window)"));
  parts.push(rect(winX + winW / 2 - u * 0.005, winY, u * 0.01, winH, "#f8f8f4") + rect(winX, winY + winH / 2 - u * 0.005, winW, u * 0.01, "#f8f8f4"));
  if (ctx.level > 0.5) {
    const pw = u * 0.14;
    const px = left ? w * 0.92 - pw : w * 0.08;
    parts.push(rect(px, floorY * 0.22, pw, pw * 0.75, dusk(ctx, "#6a462f", 0.3)));
    parts.push(rect(px + pw * 0.08, floorY * 0.22 + pw * 0.06, pw * 0.84, pw * 0.63, dusk(ctx, shiftHex("#92d3f5", rnd.range(-60, 60)), 0.3)));
  }
  parts.push(rect(0, floorY - u * 0.025, w, u * 0.025, dusk(ctx, "#fafaf6", 0.4)));
  const planks: string[] = [];
  for (let py = floorY + u * 0.05; py < h; py += u * 0.05 * (1 + (py - floorY) / (h - floorY))) {
    planks.push(`M0 ${f(py)} H${f(w)}`);
  }
  parts.push(`<path d="${planks.join(" ")}" stroke="${shiftHex(wood, 0, 0, -0.15)}" stroke-width="${f(u * 0.003)}" stroke-opacity="0.6"/>`);
  if (ctx.level > 1) {
    parts.push(`<ellipse cx="${f(w / 2)}" cy="${f(floorY + (h - floorY) * 0.55)}" rx="${f(w * 0.32)}" ry="${f((h - floorY) * 0.28)}" fill="${dusk(ctx, shiftHex("#c0504d", rnd.range(-120, 120)), 0.4)}" fill-opacity="0.55"/>`);
  }
  return {
    defs, base, details: parts.join("") + speckle(ctx, floorY, "#5a3a1a"),
    groundY: floorY, water: null, shadow: "#3a2410", grade: sceneGrade(ctx, "#ffe6c0", 0.08, 1.04),
  };
}
