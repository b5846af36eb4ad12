// Procedural background pieces, drawn as SVG. Each takes the random stream it
// should use so a seed decides every position and shade.

import type { Random } from "./random.js";

/** Short numbers keep the SVG small; a tenth of a pixel is plenty. */
export const f = (n: number): string => (Math.round(n * 10) / 10).toString();

export function linearGradient(id: string, stops: [number, string][], vertical = true): string {
  const dir = vertical ? 'x1="0" y1="0" x2="0" y2="1"' : 'x1="0" y1="0" x2="1" y2="0"';
  return `<linearGradient id="${id}" ${dir}>${stops
    .map(([o, c]) => `<stop offset="${o}" stop-color="${c}"/>`)
    .join("")}</linearGradient>`;
}

export function radialGlow(id: string, colour: string, opacity: number): string {
  return `<radialGradient id="${id}"><stop offset="0" stop-color="${colour}" stop-opacity="${opacity}"/><stop offset="1" stop-color="${colour}" stop-opacity="0"/></radialGradient>`;
}

export function rect(x: number, y: number, w: number, h: number, fill: string, extra = ""): string {
  return `<rect x="${f(x)}" y="${f(y)}" width="${f(w)}" height="${f(h)}" fill="${fill}"${extra}/>`;
}

/** A soft cloud: overlapping ellipses with a flat underside. */
export function cloud(rnd: Random, cx: number, cy: number, size: number, colour: string, opacity: number): string {
  const puffs: string[] = [];
  const n = rnd.int(3, 5);
  for (let i = 0; i < n; i++) {
    const t = n === 1 ? 0.5 : i / (n - 1);
    const r = size * rnd.range(0.22, 0.36) * (1 - Math.abs(t - 0.5) * 0.8);
    puffs.push(`<circle cx="${f(cx + (t - 0.5) * size)}" cy="${f(cy - r * 0.4)}" r="${f(r)}"/>`);
  }
  puffs.push(`<ellipse cx="${f(cx)}" cy="${f(cy)}" rx="${f(size * 0.62)}" ry="${f(size * 0.14)}"/>`);
  return `<g fill="${colour}" opacity="${opacity}">${puffs.join("")}</g>`;
}

/** A band of rolling hills between y and the bottom, as one closed path. */
export function hills(rnd: Random, width: number, bottom: number, y: number, amplitude: number, colour: string): string {
  const steps = rnd.int(3, 5);
  let d = `M0 ${f(bottom)} L0 ${f(y + rnd.range(-1, 1) * amplitude)}`;
  for (let i = 1; i <= steps; i++) {
    const x = (width * i) / steps;
    const cx = x - width / steps / 2;
    d += ` Q${f(cx)} ${f(y - rnd.range(0.3, 1) * amplitude)} ${f(x)} ${f(y + rnd.range(-0.3, 0.5) * amplitude)}`;
  }
  d += ` L${f(width)} ${f(bottom)} Z`;
  return `<path d="${d}" fill="${colour}"/>`;
}

/** Jagged mountains, optionally snow-capped. */
export function mountains(rnd: Random, width: number, base: number, height: number, colour: string, snow: string | null): string {
  const peaks = rnd.int(3, 5);
  let d = `M0 ${f(base)}`;
  const caps: string[] = [];
  for (let i = 0; i < peaks; i++) {
    const x0 = (width * i) / peaks;
    const px = x0 + (width / peaks) * rnd.range(0.3, 0.7);
    const py = base - height * rnd.range(0.55, 1);
    const x1 = (width * (i + 1)) / peaks;
    d += ` L${f(px)} ${f(py)} L${f(x1)} ${f(base - height * rnd.range(0.1, 0.3))}`;
    if (snow) {
      const k = 0.25;
      const lx = px - (px - x0) * k;
      const rx = px + (x1 - px) * k;
      const ly = py + (base - py) * k;
      caps.push(`<path d="M${f(px)} ${f(py)} L${f(rx)} ${f(ly)} L${f((px + rx) / 2)} ${f(ly - height * 0.04)} L${f(px)} ${f(ly)} L${f((px + lx) / 2)} ${f(ly - height * 0.05)} L${f(lx)} ${f(ly)} Z" fill="${snow}"/>`);
    }
  }
  d += ` L${f(width)} ${f(base)} Z`;
  return `<path d="${d}" fill="${colour}"/>${caps.join("")}`;
}

/**
 * Dots scattered over a region: stars, snowflakes, sand grains, speckle texture.
 * fill-opacity, not opacity: element opacity makes librsvg composite a layer per dot.
 */
export function scatter(
  rnd: Random, count: number, x: number, y: number, w: number, h: number,
  radius: [number, number], colour: string, opacity: [number, number],
): string {
  const dots: string[] = [];
  for (let i = 0; i < count; i++) {
    dots.push(`<circle cx="${f(x + rnd.next() * w)}" cy="${f(y + rnd.next() * h)}" r="${f(rnd.range(radius[0], radius[1]))}" fill-opacity="${rnd.range(opacity[0], opacity[1]).toFixed(2)}"/>`);
  }
  return `<g fill="${colour}">${dots.join("")}</g>`;
}

/** Short grass blades along the ground. */
export function grassTufts(rnd: Random, count: number, width: number, top: number, bottom: number, size: number, colour: string): string {
  const blades: string[] = [];
  for (let i = 0; i < count; i++) {
    const x = rnd.next() * width;
    const y = top + rnd.next() * (bottom - top);
    const s = size * (0.5 + (y - top) / Math.max(1, bottom - top));
    blades.push(`M${f(x - s * 0.4)} ${f(y)} Q${f(x - s * 0.3)} ${f(y - s * 0.6)} ${f(x - s * 0.5)} ${f(y - s)} M${f(x)} ${f(y)} L${f(x + s * 0.05)} ${f(y - s * 1.2)} M${f(x + s * 0.4)} ${f(y)} Q${f(x + s * 0.35)} ${f(y - s * 0.6)} ${f(x + s * 0.6)} ${f(y - s * 0.9)}`);
  }
  return `<path d="${blades.join(" ")}" fill="none" stroke="${colour}" stroke-width="${f(Math.max(1, size * 0.12))}" stroke-linecap="round"/>`;
}

export function sun(cx: number, cy: number, r: number, colour: string, glowId: string | null): string {
  const glow = glowId ? `<circle cx="${f(cx)}" cy="${f(cy)}" r="${f(r * 2.6)}" fill="url(#${glowId})"/>` : "";
  return `${glow}<circle cx="${f(cx)}" cy="${f(cy)}" r="${f(r)}" fill="${colour}"/>`;
}

/** A crescent moon cut with a mask, so it works over any sky gradient. */
export function crescent(id: string, cx: number, cy: number, r: number, colour: string, angle: number): string {
  const ox = Math.cos(angle) * r * 0.45;
  const oy = Math.sin(angle) * r * 0.45;
  return `<mask id="${id}"><circle cx="${f(cx)}" cy="${f(cy)}" r="${f(r)}" fill="#fff"/><circle cx="${f(cx + ox)}" cy="${f(cy + oy)}" r="${f(r * 0.85)}" fill="#000"/></mask><circle cx="${f(cx)}" cy="${f(cy)}" r="${f(r)}" fill="${colour}" mask="url(#${id})"/>`;
}
