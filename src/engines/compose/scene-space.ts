// Outer space, and the moon's surface with Earth in its sky.

import { shiftHex } from "./colour.js";
import type { Scene } from "./scene.js";
import { f, hills, linearGradient, radialGlow, rect, scatter } from "./scene-parts.js";
import { n, speckle, type SceneContext } from "./scene-sky.js";

export function space(ctx: SceneContext, moonSurface: boolean): Scene {
  const { rnd, w, h, u } = ctx;
  const hue = rnd.range(-30, 30);
  const defs = `<radialGradient id="void" cx="${rnd.range(0.3, 0.7).toFixed(2)}" cy="0.4" r="0.9"><stop offset="0" stop-color="${shiftHex("#2a1d5c", hue)}"/><stop offset="1" stop-color="${shiftHex("#05060f", hue)}"/></radialGradient>`
    + radialGlow("nebula", shiftHex("#c04ad0", hue * 3), 0.35) + radialGlow("nebula2", shiftHex("#3aa0e0", hue * 2), 0.3)
    + linearGradient("ground", [[0, "#9a9aa0"], [1, "#5e5e66"]]);
  const groundY = moonSurface ? h * rnd.range(0.64, 0.7) : null;
  let base = rect(0, 0, w, h, "url(#void)");
  if (groundY !== null) base += rect(0, groundY, w, h - groundY, "url(#ground)");
  const parts: string[] = [];
  if (ctx.level > 0.5) {
    parts.push(`<ellipse cx="${f(rnd.range(0, w))}" cy="${f(rnd.range(0, h * 0.6))}" rx="${f(u * 0.5)}" ry="${f(u * 0.3)}" fill="url(#nebula)"/>`);
    parts.push(`<ellipse cx="${f(rnd.range(0, w))}" cy="${f(rnd.range(0, h * 0.6))}" rx="${f(u * 0.4)}" ry="${f(u * 0.25)}" fill="url(#nebula2)"/>`);
  }
  parts.push(scatter(rnd, n(ctx, 160), 0, 0, w, groundY ?? h, [u * 0.001, u * 0.004], "#ffffff", [0.35, 1]));
  const px = w * rnd.pick([0.15, 0.82]);
  const py = h * rnd.range(0.12, 0.25);
  if (moonSurface) {
    // Earth hangs in the lunar sky.
    parts.push(`<circle cx="${f(px)}" cy="${f(py)}" r="${f(u * 0.07)}" fill="#2f7ad0"/><ellipse cx="${f(px - u * 0.02)}" cy="${f(py - u * 0.01)}" rx="${f(u * 0.03)}" ry="${f(u * 0.02)}" fill="#4caf50"/><ellipse cx="${f(px + u * 0.025)}" cy="${f(py + u * 0.03)}" rx="${f(u * 0.02)}" ry="${f(u * 0.012)}" fill="#4caf50"/>`);
    parts.push(hills(rnd, w, groundY! + 2, groundY! - u * 0.02, u * 0.03, "#b4b4ba"));
    const craters: string[] = [];
    for (let i = 0; i < n(ctx, 12); i++) {
      const cy = rnd.range(groundY! + u * 0.03, h);
      const r = u * rnd.range(0.015, 0.05) * (0.5 + (cy - groundY!) / (h - groundY!));
      craters.push(`<ellipse cx="${f(rnd.range(0, w))}" cy="${f(cy)}" rx="${f(r)}" ry="${f(r * 0.35)}" fill="#6e6e76" stroke="#c8c8ce" stroke-width="${f(u * 0.003)}"/>`);
    }
    parts.push(craters.join(""));
  } else {
    const planet = shiftHex("#e0a050", rnd.range(-180, 180));
    const r = u * rnd.range(0.06, 0.1);
    parts.push(`<circle cx="${f(px)}" cy="${f(py)}" r="${f(r)}" fill="${planet}"/><ellipse cx="${f(px)}" cy="${f(py)}" rx="${f(r * 1.8)}" ry="${f(r * 0.35)}" fill="none" stroke="${shiftHex(planet, 30, 0, 0.15)}" stroke-width="${f(r * 0.15)}" transform="rotate(-15 ${f(px)} ${f(py)})"/>`);
  }
  return {
    defs, base, details: parts.join("") + (groundY !== null ? speckle(ctx, groundY, "#3a3a40") : ""),
    groundY, water: null, shadow: "#000000", grade: { tint: "#6a5acd", amount: 0.06, saturation: 1.1, brightness: 1 },
  };
}
