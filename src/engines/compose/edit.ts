// Edits, version 1. Three cases, chosen from the inputs:
//  - a mask: the input stays byte for byte where the mask is opaque; new
//    things (and the named scene, if any) appear only where it is clear;
//  - several images, or "with all the items": each image becomes an element
//    of a new scene, placed like a thing;
//  - one image: it stays as the backdrop and the prompt's things join it.

import sharp from "sharp";
import type { ImageJob, RawImage } from "../engine.js";
import type { ContentBox } from "./art-svg.js";
import { rgbToHex } from "./colour.js";
import { layoutThings, type Region, type Stage } from "./layout.js";
import { generatePicture, placeholderElement, planElements, type Element } from "./picture.js";
import type { PicturePlan } from "./prompt.js";
import { randomFor } from "./random.js";
import { FRAME_SHARE, type Picture } from "./render.js";
import { buildScene } from "./scene.js";

/** Input images are drawn well under this size, so they are shrunk before embedding. */
const ELEMENT_MAX_SIDE = 512;
/** Without a scene to say where the ground is, things stand in the lower part of a photo. */
const PHOTO_GROUND = 0.62;

const ALL_ITEMS = /\b(containing|with|of|featuring|including)\s+all\b|\ball\s+(of\s+)?(the\s+|these\s+|those\s+)?(items|things|objects|images|pictures|photos|elements)\b/i;

export function wantsAllItems(prompt: string): boolean {
  return ALL_ITEMS.test(prompt);
}

const rawInfo = (img: RawImage) => ({ raw: { width: img.width, height: img.height, channels: 4 as const } });

async function toRaw(pipeline: sharp.Sharp): Promise<RawImage> {
  const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

export function resizeRaw(img: RawImage, width: number, height: number, fit: "cover" | "fill"): Promise<RawImage> {
  if (img.width === width && img.height === height) return Promise.resolve(img);
  return toRaw(sharp(img.data, rawInfo(img)).resize(width, height, { fit }));
}

/**
 * The alpha-weighted mean colour. A plain loop: sharp's stats() also builds
 * histograms and costs twenty times as much for one number.
 */
export function meanColour(img: RawImage): string {
  let r = 0, g = 0, b = 0, weight = 0;
  const d = img.data;
  for (let i = 0; i < d.length; i += 4) {
    const a = d[i + 3];
    r += d[i] * a;
    g += d[i + 1] * a;
    b += d[i + 2] * a;
    weight += a;
  }
  return weight === 0 ? "#808080" : rgbToHex(r / weight, g / weight, b / weight);
}

/** An input image as a scene element: shrunk, encoded once as PNG, measured. */
async function imageElement(img: RawImage): Promise<Element> {
  const scale = Math.min(1, ELEMENT_MAX_SIDE / Math.max(img.width, img.height));
  const small = await resizeRaw(img, Math.max(1, Math.round(img.width * scale)), Math.max(1, Math.round(img.height * scale)), "fill");
  const png = await sharp(small.data, rawInfo(small)).png({ compressionLevel: 1 }).toBuffer();
  const framed = isOpaque(small);
  return {
    drawable: { kind: "image", href: `data:image/png;base64,${png.toString("base64")}`, meanColour: meanColour(small), framed },
    item: {
      aspect: small.width / small.height,
      content: framed ? frameBox(small.width / small.height) : alphaBox(small),
      placement: "ground",
      flippable: false,
      // The inputs are what the user asked to see: larger than an ordinary companion thing.
      scale: 1.4,
    },
  };
}

/** Opaque images get a frame (drawn in render.ts), which counts as visible for the layout. */
function frameBox(aspect: number): ContentBox {
  const padX = aspect >= 1 ? FRAME_SHARE / aspect : FRAME_SHARE;
  const padY = aspect >= 1 ? FRAME_SHARE : FRAME_SHARE * aspect;
  return { left: -padX, top: -padY, right: 1 + padX, bottom: 1 + padY };
}

function isOpaque(img: RawImage): boolean {
  for (let i = 3; i < img.data.length; i += 4) if (img.data[i] !== 255) return false;
  return true;
}

/** Where an image with transparency has visible pixels, as fractions. */
function alphaBox(img: RawImage): ContentBox {
  const r = boundsWhere(img, (a) => a > 16);
  if (!r) return { left: 0, top: 0, right: 1, bottom: 1 };
  return { left: r.x / img.width, top: r.y / img.height, right: (r.x + r.width) / img.width, bottom: (r.y + r.height) / img.height };
}

function boundsWhere(img: RawImage, test: (alpha: number) => boolean): Region | null {
  let left = img.width, top = img.height, right = -1, bottom = -1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (test(img.data[(y * img.width + x) * 4 + 3])) {
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        if (y > bottom) bottom = y;
      }
    }
  }
  return right < 0 ? null : { x: left, y: top, width: right - left + 1, height: bottom - top + 1 };
}

export async function editPicture(job: ImageJob, plan: PicturePlan, seed: number): Promise<Picture> {
  if (job.images.length === 0) return generatePicture(job, plan, seed);
  if (job.mask) return maskEdit(job, plan, seed, job.mask);
  if (job.images.length > 1 || wantsAllItems(job.prompt)) return composeImages(job, plan, seed);
  return addToImage(job, plan, seed);
}

async function promptElements(job: ImageJob, plan: PicturePlan): Promise<Element[]> {
  const elements = await planElements(plan);
  return elements.length > 0 ? elements : [placeholderElement(job.prompt)];
}

/** Containers the input images can go into when the prompt says they are "in" or "containing" them. */
const CONTAINERS = /\b(basket|hamper|box|bag|bowl|cart|trolley|chest|crate|jar|bucket|suitcase|backpack|tray|plate|pot|vase|shelf|drawer|case)\b/;
const HOLDS_ITEMS = /\b(containing|contains|filled with|full of|holding|with)\s+(all\s+)?(the\s+|these\s+|those\s+)?(items|things|objects|images|pictures|photos|products|elements)\b|\b(items|things|objects|products)\s+(in|inside)\b/i;

/**
 * Several inputs (or "with all the items"): prompt things first, then each
 * image as an element — inside the prompt's container when it has one ("a gift
 * basket containing all the items in the reference pictures").
 */
async function composeImages(job: ImageJob, plan: PicturePlan, seed: number): Promise<Picture> {
  const { width, height } = job;
  const scene = buildScene(plan, width, height, seed, job.quality);
  const things = await planElements(plan);
  const images = await Promise.all(job.images.map(imageElement));
  const container = HOLDS_ITEMS.test(job.prompt) ? containerElement(plan, things) : -1;
  if (container >= 0) {
    images.forEach((image, slot) => (image.item.anchor = { to: container, relation: "inside", slot, slots: images.length, name: "item" }));
  }
  const elements = [...things, ...images];
  const items = elements.map((e) => e.item);
  const stage: Stage = { region: { x: 0, y: 0, width, height }, groundY: scene.groundY, water: scene.water };
  const opaque = job.background === "opaque";
  return {
    width, height, quality: job.quality, background: job.background,
    scene: opaque ? scene : null, grade: scene.grade, shadow: opaque ? scene.shadow : null,
    drawables: elements.map((e) => e.drawable), items,
    placed: layoutThings(items, stage, randomFor(seed, "layout")),
  };
}

/** The first element of the plan's container thing (one the prompt puts things inside, or a basket, box, bag …), or -1. */
function containerElement(plan: PicturePlan, things: Element[]): number {
  const inside = plan.relations.find((r) => r.relation === "inside");
  const thing = inside ? plan.things[inside.object] : plan.things.find((t) => CONTAINERS.test(t.name));
  if (!thing) return -1;
  return things.findIndex((e) => e.drawable.kind === "art" && e.drawable.art === thing.art && !e.item.anchor);
}

/** One input, no mask: the input, cropped to the output shape, is the backdrop. */
async function addToImage(job: ImageJob, plan: PicturePlan, seed: number): Promise<Picture> {
  const { width, height } = job;
  const backdrop = await resizeRaw(job.images[0], width, height, "cover");
  const elements = await promptElements(job, plan);
  const items = elements.map((e) => e.item);
  const stage: Stage = { region: { x: 0, y: 0, width, height }, groundY: height * PHOTO_GROUND, water: null };
  return {
    width, height, quality: job.quality, background: job.background, backdrop,
    scene: null,
    // Things lean toward the photo's own colour so they sit in it.
    grade: { tint: meanColour(backdrop), amount: 0.1, saturation: 1, brightness: 1 },
    shadow: job.background === "opaque" ? "#000000" : null,
    drawables: elements.map((e) => e.drawable), items,
    placed: layoutThings(items, stage, randomFor(seed, "layout")),
  };
}

/** A mask: new content only inside the clear area, the input untouched elsewhere. */
async function maskEdit(job: ImageJob, plan: PicturePlan, seed: number, rawMask: RawImage): Promise<Picture> {
  const { width, height } = job;
  const source = job.images[0];
  // The mask belongs to images[0]; both go to the output size the same way so they stay aligned.
  const mask = await resizeRaw(await resizeRaw(rawMask, source.width, source.height, "fill"), width, height, "fill");
  const original = await resizeRaw(source, width, height, "fill");
  const region = boundsWhere(mask, (a) => a < 128);
  const elements = region ? await promptElements(job, plan) : [];
  const items = elements.map((e) => e.item);
  const opaque = job.background === "opaque";
  // A named setting repaints the clear area; otherwise things join the original there.
  const scene = plan.setting.named && opaque ? buildScene(plan, width, height, seed, job.quality) : null;
  const stage: Stage = {
    region: region ?? { x: 0, y: 0, width, height },
    groundY: scene?.groundY ?? null,
    water: scene?.water ?? null,
    subjectScale: 1.35,
  };
  return {
    width, height, quality: job.quality, background: job.background,
    scene,
    backdrop: scene || !opaque ? undefined : original,
    keep: { image: original, mask },
    grade: scene?.grade ?? { tint: meanColour(original), amount: 0.1, saturation: 1, brightness: 1 },
    shadow: opaque ? (scene?.shadow ?? "#000000") : null,
    drawables: elements.map((e) => e.drawable), items,
    placed: region ? layoutThings(items, stage, randomFor(seed, "layout")) : [],
  };
}
