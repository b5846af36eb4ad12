// Where each thing goes. Not a grid: the subject takes the focal point, the
// rest gather around it at seeded spots that avoid each other, standing on the
// ground where the scene has one, flying in the sky or swimming in water.

import type { Placement } from "./art-index.js";
import type { ContentBox } from "./art-svg.js";
import type { Random } from "./random.js";
import { placeAttached, type Anchor } from "./relations.js";

export interface LayoutItem {
  /** Width / height of the item's box (1 for art; the image's for raster elements). */
  aspect: number;
  /** Where the item's visible pixels are inside its box. */
  content: ContentBox;
  placement: Placement;
  /** Art may face either way; photos and labels must not be mirrored. */
  flippable: boolean;
  /** Size relative to an ordinary thing in the same place (a label is drawn smaller). */
  scale?: number;
  /** Tied to an earlier-laid-out item by a relation from the prompt ("on", "inside", "holding" …). */
  anchor?: Anchor;
  /** Where an earlier picture of the same plan drew it (plan edits): it stays there, and the rest avoid it. */
  fixed?: Fixed;
}

/** A box an item keeps, in canvas pixels. */
export type Fixed = Omit<Placed, "item">;

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Stage {
  /** The area things may use: the canvas, or a mask's bounding box for edits. */
  region: Region;
  groundY: number | null;
  water: { top: number; bottom: number } | null;
  /** Grows the subject: a mask's clear area is where the user wants it, so it may fill it. */
  subjectScale?: number;
}

export interface Placed {
  /** Index into the items given to layoutThings. */
  item: number;
  /** The item's box in canvas pixels. */
  x: number;
  y: number;
  width: number;
  height: number;
  flip: boolean;
  /** Stands on the ground (and so casts a contact shadow). */
  grounded: boolean;
}

interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const TRIES = 48;

/** The subject's visible size as a share of the region's short side, by how many things share it. */
function subjectShare(count: number): number {
  if (count === 1) return 0.56;
  if (count <= 3) return 0.42;
  if (count <= 6) return 0.34;
  if (count <= 12) return 0.27;
  return 0.2;
}

function contentRect(p: Omit<Placed, "item" | "grounded">, c: ContentBox): Rect {
  const left = p.flip ? 1 - c.right : c.left;
  const right = p.flip ? 1 - c.left : c.right;
  return { left: p.x + left * p.width, right: p.x + right * p.width, top: p.y + c.top * p.height, bottom: p.y + c.bottom * p.height };
}

function overlap(a: Rect, b: Rect, margin: number): number {
  const w = Math.min(a.right, b.right) + margin - (Math.max(a.left, b.left) - margin);
  const h = Math.min(a.bottom, b.bottom) + margin - (Math.max(a.top, b.top) - margin);
  return w > 0 && h > 0 ? w * h : 0;
}

function outside(r: Rect, region: Region): number {
  const dx = Math.max(0, region.x - r.left) + Math.max(0, r.right - (region.x + region.width));
  const dy = Math.max(0, region.y - r.top) + Math.max(0, r.bottom - (region.y + region.height));
  return dx + dy;
}

export function layoutThings(items: LayoutItem[], stage: Stage, rnd: Random): Placed[] {
  const { region } = stage;
  const short = Math.min(region.width, region.height);
  const margin = short * 0.03;
  const bottom = region.y + region.height;
  // Ground only counts when it lies inside the region (a mask may sit in the sky).
  const ground = stage.groundY !== null && stage.groundY > region.y && stage.groundY < bottom - short * 0.1 ? stage.groundY : null;
  const water = stage.water && stage.water.bottom > region.y && stage.water.top < bottom ? stage.water : null;
  const placedRects: Rect[] = [];
  const out: Placed[] = [];
  let subjectCentre = { x: region.x + region.width / 2, y: region.y + region.height / 2 };

  // Things tied to another by a relation are placed after their anchor (second pass).
  const attached = (index: number) => {
    const anchor = items[index].anchor;
    return anchor !== undefined && anchor.to !== index && anchor.to < items.length;
  };
  const firstFree = items.findIndex((_, index) => !attached(index));
  // Only free things share the stage: what sits on, in or at another thing shrinks with it.
  const freeCount = items.filter((_, index) => !attached(index)).length;
  const subjectSize = short * Math.min(0.8, subjectShare(freeCount) * (stage.subjectScale ?? 1));

  // Kept things first, where they were, so new ones find room around them.
  const free = items.map((_, index) => index).filter((index) => !attached(index));
  for (const index of free) {
    const fixed = items[index].fixed;
    if (!fixed) continue;
    const rect = contentRect(fixed, items[index].content);
    placedRects.push(rect);
    out.push({ item: index, ...fixed });
    if (index === firstFree) subjectCentre = { x: (rect.left + rect.right) / 2, y: (rect.top + rect.bottom) / 2 };
  }

  for (const index of free) {
    const item = items[index];
    if (item.fixed) continue;
    const isSubject = index === firstFree;
    const c = item.content;
    const visibleW = (c.right - c.left) * item.aspect;
    const visibleH = c.bottom - c.top;
    const baseTarget = (item.scale ?? 1) * (isSubject ? subjectSize : subjectSize * rnd.range(0.52, 0.68));
    let best: { score: number; placed: Placed; rect: Rect } | null = null;

    // Shrink and retry when a crowded region has no free spot at this size.
    for (let attempt = 0; attempt < 4 && !(best && best.score < 1); attempt++) {
      const target = baseTarget * Math.pow(0.85, attempt);
      for (let t = 0; t < (isSubject ? 1 : TRIES); t++) {
        const spot = chooseSpot(item.placement, isSubject, rnd, region, ground, water, margin);
        // Nearer things (lower on the ground) are drawn a little larger.
        const depth = spot.onGround && ground !== null ? (spot.y - ground) / Math.max(1, bottom - ground) : 0.5;
        const visible = target * (spot.onGround ? 0.8 + 0.4 * depth : 1);
        const height = visible / Math.max(visibleH, visibleW, 0.05);
        const width = height * item.aspect;
        const flip = rnd.chance(0.4) && !isSubject && item.flippable;
        const cx = spot.x - ((flip ? 1 - (c.left + c.right) / 2 : (c.left + c.right) / 2) - 0.5) * width;
        // Grounded things put their visible feet on the chosen spot; others centre on it.
        const y = spot.onGround ? spot.y - c.bottom * height : spot.y - ((c.top + c.bottom) / 2) * height;
        const box = nudgeInside({ x: cx - width / 2, y, width, height, flip }, c, region);
        const rect = contentRect(box, c);
        const crowd = placedRects.reduce((sum, r) => sum + overlap(rect, r, margin), 0);
        const dx = (rect.left + rect.right) / 2 - subjectCentre.x;
        const dy = (rect.top + rect.bottom) / 2 - subjectCentre.y;
        const score = crowd / (short * short) * 1000 + outside(rect, region) / short * 100 + Math.hypot(dx, dy) / short;
        if (!best || score < best.score) best = { score, rect, placed: { item: index, ...box, grounded: spot.onGround } };
      }
    }
    let chosen = best!;
    // A companion bigger than the subject stands beside it ("a mouse next to an elephant"): the subject steps aside to leave it room.
    const beside = isSubject ? Math.max(0, ...items.map((other) => (other.anchor?.to === index ? other.anchor.kindRatio ?? 0 : 0))) : 0;
    if (beside > 1) {
      const shift = Math.min(region.width * 0.25, (chosen.rect.right - chosen.rect.left) * beside * 0.45);
      const moved = nudgeInside({ ...chosen.placed, x: chosen.placed.x - shift }, c, region);
      chosen = { ...chosen, rect: contentRect(moved, c), placed: { ...chosen.placed, ...moved } };
    }
    placedRects.push(chosen.rect);
    out.push(chosen.placed);
    if (isSubject) subjectCentre = { x: (chosen.rect.left + chosen.rect.right) / 2, y: (chosen.rect.top + chosen.rect.bottom) / 2 };
  }

  // Painter's order: sky first, then from far (high on the ground) to near.
  const ordered = out.sort((a, b) => sortKey(a, items) - sortKey(b, items));
  return placeAttachedItems(items, ordered, region, rnd, attached);
}

/**
 * The second pass: each attached copy goes where its relation says, drawn just
 * before or after its anchor. Anchors may themselves be attached ("a cat on a
 * sofa next to a lamp"), so copies are placed once their anchor is.
 */
function placeAttachedItems(items: LayoutItem[], ordered: Placed[], region: Region, rnd: Random, attached: (index: number) => boolean): Placed[] {
  const placed = new Map(ordered.map((p) => [p.item, p]));
  const before = new Map<number, Placed[]>();
  const after = new Map<number, Placed[]>();
  let waiting = items.map((_, index) => index).filter(attached);
  while (waiting.length > 0) {
    const ready = waiting.filter((index) => placed.has(items[index].anchor!.to));
    // Whatever is left waits on a loop, which picture.ts never builds: lay it out nowhere rather than spin.
    if (ready.length === 0) break;
    for (const index of ready) {
      const item = items[index];
      const anchor = item.anchor!;
      const host = placed.get(anchor.to)!;
      const hostContent = items[anchor.to].content;
      const visible = { ...contentRect(host, hostContent), surface: host.y + (hostContent.surface ?? hostContent.top) * host.height };
      const facing = host.flip ? "right" : "left";
      const { box, order, grounded } = placeAttached({ ...anchor, facing }, visible, item.content, item.aspect, rnd, { left: region.x, right: region.x + region.width, top: region.y });
      const copy: Placed = item.fixed ? { item: index, ...item.fixed } : { item: index, ...nudgeInside(box, item.content, region), grounded: grounded && host.grounded };
      placed.set(index, copy);
      const list = order === "before" ? before : after;
      list.set(anchor.to, [...(list.get(anchor.to) ?? []), copy]);
    }
    waiting = waiting.filter((index) => !ready.includes(index));
  }
  // Painter's order: each anchor with what sits behind it first and on or in it after, recursively.
  const expand = (p: Placed): Placed[] => [...(before.get(p.item) ?? []).flatMap(expand), p, ...(after.get(p.item) ?? []).flatMap(expand)];
  return ordered.flatMap(expand);
}

/** Shifts a box so its visible part lies inside the region where it fits. */
function nudgeInside(box: Omit<Placed, "item" | "grounded">, c: ContentBox, region: Region): Omit<Placed, "item" | "grounded"> {
  const r = contentRect(box, c);
  const shift = (lo: number, hi: number, min: number, max: number) =>
    hi - lo > max - min ? (min + max) / 2 - (lo + hi) / 2 : lo < min ? min - lo : hi > max ? max - hi : 0;
  return {
    ...box,
    x: box.x + shift(r.left, r.right, region.x, region.x + region.width),
    y: box.y + shift(r.top, r.bottom, region.y, region.y + region.height),
  };
}

function sortKey(p: Placed, items: LayoutItem[]): number {
  const base = p.y + items[p.item].content.bottom * p.height;
  return p.grounded ? base + 1e6 : base;
}

interface Spot {
  x: number;
  y: number;
  onGround: boolean;
}

function chooseSpot(
  placement: Placement, isSubject: boolean, rnd: Random, region: Region,
  ground: number | null, water: { top: number; bottom: number } | null, margin: number,
): Spot {
  const bottom = region.y + region.height;
  const x = isSubject ? region.x + region.width * rnd.range(0.4, 0.6) : rnd.range(region.x + margin, region.x + region.width - margin);
  if (placement === "water" && water) {
    const top = Math.max(water.top, region.y);
    const low = Math.min(water.bottom, bottom);
    return { x, y: top + (low - top) * (isSubject ? rnd.range(0.5, 0.7) : rnd.range(0.3, 0.9)), onGround: false };
  }
  if (placement === "sky" && ground !== null) {
    const skyH = ground - region.y;
    return { x, y: region.y + skyH * (isSubject ? rnd.range(0.4, 0.55) : rnd.range(0.15, 0.75)), onGround: false };
  }
  if (ground !== null && placement !== "sky") {
    const depth = bottom - ground;
    return { x, y: ground + depth * (isSubject ? rnd.range(0.45, 0.65) : rnd.range(0.12, 0.9)), onGround: true };
  }
  // No ground: float across the whole region.
  const y = isSubject ? region.y + region.height * rnd.range(0.45, 0.58) : rnd.range(region.y + margin, bottom - margin);
  return { x, y, onGround: false };
}
