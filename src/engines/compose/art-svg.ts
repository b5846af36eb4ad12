// Turns an art file into an SVG fragment ready to place in a scene:
// recoloured, optionally without its outline layer, with ids made unique.

import { readFileSync } from "node:fs";
import sharp from "sharp";
import type { ArtRef } from "./art-index.js";
import { recolourMap } from "./colour.js";

/** The art box every fragment is drawn in; OpenMoji's own 72×72 grid. */
export const ART_BOX = 72;

interface LoadedArt {
  /** Root `<svg>` normalised to a 72×72 viewport. */
  svg: string;
  /** Colour → number of uses, for recolouring toward the main colour. */
  colours: Map<string, number>;
}

/** Small bounded cache: scenes reuse a handful of arts, the process may see thousands. */
const CACHE_LIMIT = 256;
const loaded = new Map<string, LoadedArt>();
const boxes = new Map<string, ContentBox>();

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}

const COLOUR_ATTR = /\b(fill|stroke)(="|:\s*)(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b/g;

function loadArt(art: ArtRef): LoadedArt {
  const hit = loaded.get(art.file);
  if (hit) return hit;
  let text = readFileSync(art.file, "utf8")
    .replace(/<\?xml[^>]*\?>/g, "")
    .replace(/<!DOCTYPE[^>]*>/gi, "")
    .replace(/<!--[\s\S]*?-->/g, "");
  // Keep the art's own coordinate system but give it our 72×72 viewport.
  text = text.replace(/<svg\b([^>]*)>/, (_all, attrs: string) => {
    const viewBox = /viewBox="([^"]*)"/.exec(attrs)?.[1] ?? sizeViewBox(attrs);
    return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${viewBox}" width="${ART_BOX}" height="${ART_BOX}">`;
  });
  const colours = new Map<string, number>();
  for (const m of text.matchAll(COLOUR_ATTR)) {
    const hex = m[3].toLowerCase();
    colours.set(hex, (colours.get(hex) ?? 0) + 1);
  }
  return remember(loaded, art.file, { svg: text, colours });
}

function sizeViewBox(attrs: string): string {
  const w = parseFloat(/width="([\d.]+)/.exec(attrs)?.[1] ?? `${ART_BOX}`);
  const h = parseFloat(/height="([\d.]+)/.exec(attrs)?.[1] ?? `${ART_BOX}`);
  return `0 0 ${w} ${h}`;
}

/** Removes `<g id="…">…</g>` including nested groups (OpenMoji keeps outlines in id="line"). */
function withoutGroup(svg: string, id: string): string {
  const open = new RegExp(`<g\\b[^>]*\\bid="${id}"[^>]*?(/?)>`).exec(svg);
  if (!open) return svg;
  if (open[1] === "/") return svg.slice(0, open.index) + svg.slice(open.index + open[0].length);
  const tag = /<(\/?)g\b[^>]*?(\/?)>/g;
  tag.lastIndex = open.index + open[0].length;
  let depth = 1;
  for (let m = tag.exec(svg); m; m = tag.exec(svg)) {
    if (m[2] === "/") continue;
    depth += m[1] === "/" ? -1 : 1;
    if (depth === 0) return svg.slice(0, open.index) + svg.slice(m.index + m[0].length);
  }
  return svg;
}

export interface FragmentOptions {
  /** Target colour (hex) or null to keep the art's own colours. */
  colour: string | null;
  /** "flat" leaves out the outline layer: an early, detail-free stage. */
  detail: "flat" | "full";
  /** Unique per placed copy so ids (gradients, clips) never collide. */
  idPrefix: string;
}

export function artFragment(art: ArtRef, options: FragmentOptions): string {
  const { svg, colours } = loadArt(art);
  let out = svg;
  if (options.detail === "flat") out = withoutGroup(out, "line");
  if (options.colour) {
    const map = recolourMap(colours, options.colour);
    out = out.replace(COLOUR_ATTR, (all, prop: string, sep: string, hex: string) => {
      const to = map.get(hex.toLowerCase());
      return to ? `${prop}${sep}${to}` : all;
    });
  }
  return out
    .replace(/\bid="([^"]*)"/g, (_a, id: string) => `id="${options.idPrefix}${id}"`)
    .replace(/url\(#([^)]*)\)/g, (_a, id: string) => `url(#${options.idPrefix}${id})`)
    .replace(/href="#([^"]*)"/g, (_a, id: string) => `href="#${options.idPrefix}${id}"`);
}

/** The drawn part of the art box, as fractions 0..1: for ground contact and overlap. */
export interface ContentBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Measures where the art actually has pixels (OpenMoji leaves margins that vary per emoji). */
export async function contentBox(art: ArtRef): Promise<ContentBox> {
  const hit = boxes.get(art.file);
  if (hit) return hit;
  const size = 96;
  const { data } = await sharp(Buffer.from(loadArt(art).svg), { density: (72 * size) / ART_BOX })
    .resize(size, size, { fit: "fill" })
    .ensureAlpha()
    .extractChannel(3)
    .raw()
    .toBuffer({ resolveWithObject: true });
  let left = size, top = size, right = -1, bottom = -1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (data[y * size + x] > 16) {
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        if (y > bottom) bottom = y;
      }
    }
  }
  const box = right < 0 ? { left: 0.1, top: 0.1, right: 0.9, bottom: 0.9 } : {
    left: left / size, top: top / size, right: (right + 1) / size, bottom: (bottom + 1) / size,
  };
  return remember(boxes, art.file, box);
}
