// Turns an art file into an SVG fragment ready to place in a scene:
// recoloured, optionally without its outline layer, with ids made unique.
// OpenMoji SVGs are used as they are; other SVGs are cleaned of editor
// namespaces and framed to their drawn content; PNGs become an <image>.

import { readFileSync } from "node:fs";
import sharp from "sharp";
import type { ArtRef } from "./art-index.js";
import { lengthInPx, sanitiseSvg } from "./art/sanitise.js";
import { iconSvg, isIconSetArt } from "./art/icon-sets.js";
import { figMapSvg } from "./art/xfig-maps.js";
import { readArchivedFile } from "./art/zip-entries.js";
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
/**
 * viewBoxes cropped to the drawn content (art that is not OpenMoji's own 72×72
 * grid), set by `contentBox`. Never evicted, so a copy drawn later is framed
 * like the box measured earlier; one short string per art ever used.
 */
const framed = new Map<string, string>();
/** Large PNGs scaled down once, as data URIs. */
const pngData = new Map<string, { href: string; width: number; height: number }>();

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}

const COLOUR_ATTR = /\b(fill|stroke)(="|:\s*)(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b/g;

const isPng = (art: ArtRef) => art.file.toLowerCase().endsWith(".png");
/** A PNG's bytes: a file, or an icon inside a Sweet Home 3D library. */
const pngBytes = (art: ArtRef) => (art.source === "sweethome3d" ? readArchivedFile(art.file) : readFileSync(art.file));

function loadArt(art: ArtRef): LoadedArt {
  const hit = loaded.get(art.file);
  if (hit) return hit;
  const text = isPng(art) ? pngSvg(art) : svgText(art);
  const colours = new Map<string, number>();
  for (const m of text.matchAll(COLOUR_ATTR)) {
    const hex = m[3].toLowerCase();
    colours.set(hex, (colours.get(hex) ?? 0) + 1);
  }
  return remember(loaded, art.file, { svg: text, colours });
}

function svgText(art: ArtRef): string {
  const raw = isIconSetArt(art.source)
    ? iconSvg(art.file)
    : art.source === "xfig"
      ? figMapSvg(readFileSync(art.file, "latin1"))
      : readFileSync(art.file, "utf8");
  const text =
    art.source === "openmoji"
      ? raw.replace(/<\?xml[^>]*\?>/g, "").replace(/<!DOCTYPE[^>]*>/gi, "").replace(/<!--[\s\S]*?-->/g, "")
      : sanitiseSvg(raw, art.file);
  // Keep the art's own coordinate system but give it our 72×72 viewport.
  return text.replace(/<svg\b([^>]*)>/, (_all, attrs: string) => {
    const viewBox = framed.get(art.file) ?? /viewBox=["']([^"']*)["']/.exec(attrs)?.[1] ?? sizeViewBox(attrs);
    return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="${viewBox}" width="${ART_BOX}" height="${ART_BOX}">`;
  });
}

function sizeViewBox(attrs: string): string {
  const w = lengthInPx(/\bwidth=["']([^"']*)/.exec(attrs)?.[1]) ?? ART_BOX;
  const h = lengthInPx(/\bheight=["']([^"']*)/.exec(attrs)?.[1]) ?? ART_BOX;
  return `0 0 ${w} ${h}`;
}

/** A PNG's pixel size, from its IHDR chunk. */
function pngSize(data: Buffer): { width: number; height: number } {
  if (data.length < 24 || data.toString("latin1", 12, 16) !== "IHDR") throw new Error("not a PNG file");
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

/** A PNG as an SVG wrapper around one <image>, so it is placed, framed and measured like any other art. */
export function pngSvg(art: ArtRef): string {
  let image = pngData.get(art.file);
  if (!image) {
    const data = pngBytes(art);
    image = { href: `data:image/png;base64,${data.toString("base64")}`, ...pngSize(data) };
  }
  const { width, height, href } = image;
  const viewBox = framed.get(art.file) ?? `0 0 ${width} ${height}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="${viewBox}" width="${ART_BOX}" height="${ART_BOX}"><image width="${width}" height="${height}" href="${href}"/></svg>`;
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
  /** Where a thing set on the art rests: the drawing's top over its middle (a bed's mattress, not its headboard). */
  surface?: number;
}

/** Where the art is opaque, in pixels of a size × size rendering, or null when it draws nothing. */
async function opaqueBounds(svg: string, size: number): Promise<Required<ContentBox> | null> {
  const { data } = await sharp(Buffer.from(svg), { density: (72 * size) / ART_BOX })
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
  if (right < 0) return null;
  // The lowest column top over the middle third of the drawing's width: a bed's mattress, not its headboard,
  // and a sofa's back, not the lamp standing behind it.
  let surface = top;
  for (let x = Math.round(left + (right - left) / 3); x <= Math.round(right - (right - left) / 3); x++) {
    let y = top;
    while (y <= bottom && data[y * size + x] <= 16) y++;
    if (y <= bottom && y > surface) surface = y;
  }
  return { left, top, right: right + 1, bottom: bottom + 1, surface };
}

const EMPTY_BOX: ContentBox = { left: 0.1, top: 0.1, right: 0.9, bottom: 0.9 };
/** Share of the framed box left around the drawing, so outlines are not cut. */
const FRAME_MARGIN = 0.04;
/** PNGs larger than this (per side) are scaled down once: each placed copy embeds the image. */
const PNG_MAX_SIDE = 512;

/**
 * Measures where the art actually has pixels (OpenMoji leaves margins that
 * vary per emoji). Other art is first framed: OpenClipart drawings often sit
 * small on an A4 page, so its viewBox is cropped to the drawing, which then
 * fills the art box like an emoji does. Call before `artFragment` for such art.
 */
export async function contentBox(art: ArtRef): Promise<ContentBox> {
  const hit = boxes.get(art.file);
  if (hit) return hit;
  if (art.source === "openmoji" || framed.has(art.file)) {
    const size = 96;
    const px = await opaqueBounds(loadArt(art).svg, size);
    const box = px ? { left: px.left / size, top: px.top / size, right: px.right / size, bottom: px.bottom / size, surface: px.surface / size } : EMPTY_BOX;
    return remember(boxes, art.file, box);
  }
  if (isPng(art)) await shrinkPng(art);
  return remember(boxes, art.file, await frameToContent(art));
}

async function frameToContent(art: ArtRef): Promise<ContentBox> {
  const svg = loadArt(art).svg;
  const size = 256;
  const px = await opaqueBounds(svg, size);
  const [vx, vy, vw, vh] = (/viewBox="([^"]*)"/.exec(svg)?.[1] ?? "").split(/[\s,]+/).map(Number);
  if (!px || ![vx, vy, vw, vh].every(Number.isFinite) || vw <= 0 || vh <= 0) return EMPTY_BOX;
  // The root is drawn "xMidYMid meet": one scale, centred on the long side.
  const scale = size / Math.max(vw, vh);
  const toX = (p: number) => vx + (p - (size - vw * scale) / 2) / scale;
  const toY = (p: number) => vy + (p - (size - vh * scale) / 2) / scale;
  const [x0, x1, y0, y1] = [toX(px.left), toX(px.right), toY(px.top), toY(px.bottom)];
  const side = Math.max(x1 - x0, y1 - y0) / (1 - 2 * FRAME_MARGIN);
  const fx = (x0 + x1) / 2 - side / 2;
  const fy = (y0 + y1) / 2 - side / 2;
  framed.set(art.file, [fx, fy, side, side].map((n) => +n.toFixed(3)).join(" "));
  loaded.delete(art.file); // reload with the new frame
  return { left: (x0 - fx) / side, top: (y0 - fy) / side, right: (x1 - fx) / side, bottom: (y1 - fy) / side, surface: (toY(px.surface) - fy) / side };
}

/** Scales a large PNG down; the <image> keeps the original size in user units, so framing is unchanged. */
async function shrinkPng(art: ArtRef): Promise<void> {
  const data = pngBytes(art);
  const { width, height } = pngSize(data);
  if (Math.max(width, height) <= PNG_MAX_SIDE) return;
  const small = await sharp(data).resize(PNG_MAX_SIDE, PNG_MAX_SIDE, { fit: "inside" }).png().toBuffer();
  remember(pngData, art.file, { href: `data:image/png;base64,${small.toString("base64")}`, width, height });
  loaded.delete(art.file);
}
