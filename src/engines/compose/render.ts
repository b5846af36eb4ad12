// Draws a planned picture: one SVG document per stage (scene, shadows,
// things), rasterised by sharp/librsvg, then finished (colour grade) and, for
// edits, laid over the input image and merged through the mask.

import sharp from "sharp";
import type { Background, Quality, RawImage } from "../engine.js";
import type { ArtRef } from "./art-index.js";
import { ART_BOX, artFragment } from "./art-svg.js";
import { colourMatrix, parseHex, type Matrix3 } from "./colour.js";
import type { LayoutItem, Placed } from "./layout.js";
import type { ElementOrigin } from "./plan-record.js";
import { placeholderSvg } from "./placeholder.js";
import type { Grade, Scene } from "./scene.js";
import { f } from "./scene-parts.js";

export type Drawable =
  | { kind: "art"; art: ArtRef; colour: string | null }
  /** An input image (edits): a PNG data URI, its mean colour for the blocked-in stage, and whether it needs a frame. */
  | { kind: "image"; href: string; meanColour: string; framed: boolean }
  | { kind: "placeholder"; prompt: string };

export interface Picture {
  width: number;
  height: number;
  quality: Quality;
  background: Background;
  /** The generated backdrop, or null (transparent output, or an input image as backdrop). */
  scene: Scene | null;
  grade: Grade | null;
  /** Contact-shadow colour, or null for none (transparent output). */
  shadow: string | null;
  drawables: Drawable[];
  items: LayoutItem[];
  placed: Placed[];
  /** An input image kept under everything, already width × height. */
  backdrop?: RawImage;
  /** Mask edits: pixels where mask alpha is 255 come from `image` unchanged. */
  keep?: { image: RawImage; mask: RawImage };
  /** For each drawable, the planned copy it draws (null for an edit's input images); generated pictures record it with their plan. */
  origins?: (ElementOrigin | null)[];
}

/** What one rendering includes; partial images are the earlier stages. */
export interface Layers {
  sceneDetails: boolean;
  things: "none" | "subject" | "all";
  /** "flat": colour shapes only, no outlines or words. */
  detail: "flat" | "full";
  /** Shadows, vignette and colour grade. */
  effects: boolean;
}

export const FINAL_LAYERS: Layers = { sceneDetails: true, things: "all", detail: "full", effects: true };

/**
 * The stages before the final picture, in drawing order. With a generated
 * scene: background only → background + flat things → outlined things (no
 * effects). Without one (transparent output, an input image as backdrop) the
 * first stage is the subject alone, so no stage is blank or just the input.
 */
export function partialLayers(count: number, hasScene: boolean): Layers[] {
  const stages: Layers[] = [
    hasScene
      ? { sceneDetails: false, things: "none", detail: "flat", effects: false }
      : { sceneDetails: false, things: "subject", detail: "flat", effects: false },
    { sceneDetails: true, things: "all", detail: "flat", effects: false },
    { sceneDetails: true, things: "all", detail: "full", effects: false },
  ];
  const pick: Record<number, number[]> = { 0: [], 1: [1], 2: [0, 2], 3: [0, 1, 2] };
  return (pick[Math.max(0, Math.min(3, count))] ?? []).map((i) => stages[i]);
}

/** Width of the frame around opaque input images, as a share of their short side (edit.ts counts it as visible). */
export const FRAME_SHARE = 0.035;

/** Low renders at half size and scales up; high supersamples and scales down. */
const RENDER_SCALE: Record<Quality, number> = { low: 0.5, medium: 1, high: 1.5 };

export async function renderPicture(p: Picture, layers: Layers): Promise<RawImage> {
  let image = await rasterise(p, layers);
  if (p.backdrop) image = await over(p.backdrop, image);
  if (p.keep) image = mergeThroughMask(p.keep.image, image, p.keep.mask);
  if (p.background === "opaque") image = await makeOpaque(image);
  return image;
}

function buildSvg(p: Picture, layers: Layers, scale: number): string {
  const { width: w, height: h } = p;
  const parts: string[] = [];
  const defs: string[] = [];
  if (p.scene) {
    defs.push(p.scene.defs);
    parts.push(p.scene.base);
    if (layers.sceneDetails) parts.push(p.scene.details);
  }
  const showShadows = layers.effects && p.shadow !== null && p.quality !== "low";
  if (showShadows) parts.push(shadows(p, defs));
  const chosen = layers.things === "none" ? [] : layers.things === "subject" ? p.placed.filter((x) => x.item === 0) : p.placed;
  chosen.forEach((placed, i) => parts.push(drawThing(p.drawables[placed.item], placed, layers.detail, `t${i}-`)));
  if (layers.effects && p.scene && p.quality !== "low") {
    defs.push(`<radialGradient id="vignette" cx="0.5" cy="0.5" r="0.75"><stop offset="0.6" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="0.22"/></radialGradient>`);
    parts.push(`<rect width="${w}" height="${h}" fill="url(#vignette)"/>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${Math.round(w * scale)}" height="${Math.round(h * scale)}" viewBox="0 0 ${w} ${h}" preserveAspectRatio="none"><defs>${defs.join("")}</defs>${parts.join("")}</svg>`;
}

function drawThing(d: Drawable, placed: Placed, detail: Layers["detail"], idPrefix: string): string {
  const { x, y, width, height, flip } = placed;
  const mirror = (boxW: number, boxH: number) =>
    flip
      ? `translate(${f(x + width)} ${f(y)}) scale(${-(width / boxW)} ${height / boxH})`
      : `translate(${f(x)} ${f(y)}) scale(${width / boxW} ${height / boxH})`;
  if (d.kind === "art") {
    return `<g transform="${mirror(ART_BOX, ART_BOX)}">${artFragment(d.art, { colour: d.colour, detail, idPrefix })}</g>`;
  }
  if (d.kind === "placeholder") {
    return `<g transform="${mirror(160, 100)}">${placeholderSvg(d.prompt, detail)}</g>`;
  }
  // Input images: a block of their mean colour first, the picture itself when detailed.
  const pad = Math.min(width, height) * FRAME_SHARE;
  const frame = d.framed
    ? `<rect x="${f(x - pad)}" y="${f(y - pad)}" width="${f(width + 2 * pad)}" height="${f(height + 2 * pad)}" rx="${f(pad)}" fill="#fbfbf8" stroke="#00000033" stroke-width="${f(pad * 0.15)}"/>`
    : "";
  if (detail === "flat") {
    return frame + `<rect x="${f(x)}" y="${f(y)}" width="${f(width)}" height="${f(height)}" fill="${d.meanColour}" rx="${d.framed ? 0 : f(pad * 2)}"/>`;
  }
  const transform = flip ? ` transform="translate(${f(2 * x + width)} 0) scale(-1 1)"` : "";
  return frame + `<image x="${f(x)}" y="${f(y)}" width="${f(width)}" height="${f(height)}" preserveAspectRatio="none" href="${d.href}"${transform}/>`;
}

/** Soft contact shadows under grounded things; blurred only at high quality. */
function shadows(p: Picture, defs: string[]): string {
  const u = Math.min(p.width, p.height);
  const blur = p.quality === "high";
  if (blur) defs.push(`<filter id="soft" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="${f(u * 0.008)}"/></filter>`);
  const ellipses = p.placed
    .filter((x) => x.grounded)
    .map((placed) => {
      const c = p.items[placed.item].content;
      const left = placed.flip ? 1 - c.right : c.left;
      const right = placed.flip ? 1 - c.left : c.right;
      const cx = placed.x + ((left + right) / 2) * placed.width;
      const rx = (right - left) * placed.width * 0.45;
      const cy = placed.y + c.bottom * placed.height - rx * 0.05;
      return `<ellipse cx="${f(cx)}" cy="${f(cy)}" rx="${f(rx)}" ry="${f(Math.max(2, rx * 0.16))}"/>`;
    });
  return `<g fill="${p.shadow}" opacity="0.3"${blur ? ' filter="url(#soft)"' : ""}>${ellipses.join("")}</g>`;
}

async function rasterise(p: Picture, layers: Layers): Promise<RawImage> {
  const scale = RENDER_SCALE[p.quality];
  let pipeline = sharp(Buffer.from(buildSvg(p, layers, scale)));
  if (scale !== 1) {
    pipeline = pipeline.resize(p.width, p.height, { fit: "fill", kernel: scale < 1 ? "mitchell" : "lanczos3" });
  }
  if (layers.effects && p.grade) pipeline = pipeline.recomb(gradeMatrix(p.grade));
  const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/**
 * The finishing grade as one colour matrix (one cheap libvips pass): a white
 * balance toward the scene's light, then a saturation and brightness change.
 * Gains are normalised to keep luminance, so the grade shifts colour, not exposure.
 */
export function gradeMatrix(grade: Grade): Matrix3 {
  const tint = parseHex(grade.tint) ?? [255, 255, 255];
  const raw = tint.map((c) => 1 - grade.amount + grade.amount * (c / 255));
  const luma = 0.2126 * raw[0] + 0.7152 * raw[1] + 0.0722 * raw[2];
  const gains = raw.map((g) => g / luma) as [number, number, number];
  return colourMatrix({ saturation: grade.saturation, brightness: grade.brightness, gains });
}

async function over(base: RawImage, top: RawImage): Promise<RawImage> {
  const raw = (img: RawImage) => ({ width: img.width, height: img.height, channels: 4 as const });
  const { data, info } = await sharp(base.data, { raw: raw(base) })
    .composite([{ input: top.data, raw: raw(top) }])
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/**
 * Mask alpha 255 keeps the original pixel byte for byte, alpha 0 takes the
 * new one, and soft mask edges blend the two.
 */
export function mergeThroughMask(original: RawImage, fresh: RawImage, mask: RawImage): RawImage {
  const out = Buffer.from(fresh.data);
  const o = original.data;
  const m = mask.data;
  for (let i = 0; i < out.length; i += 4) {
    const keep = m[i + 3];
    if (keep === 255) {
      out[i] = o[i];
      out[i + 1] = o[i + 1];
      out[i + 2] = o[i + 2];
      out[i + 3] = o[i + 3];
    } else if (keep !== 0) {
      const t = keep / 255;
      for (let c = 0; c < 4; c++) out[i + c] = Math.round(o[i + c] * t + out[i + c] * (1 - t));
    }
  }
  return { data: out, width: fresh.width, height: fresh.height };
}

export async function makeOpaque(image: RawImage): Promise<RawImage> {
  let opaque = true;
  for (let i = 3; i < image.data.length; i += 4) {
    if (image.data[i] !== 255) {
      opaque = false;
      break;
    }
  }
  if (opaque) return image;
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .flatten({ background: "#ffffff" })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
