// Where a thing goes when the prompt ties it to another: "a cat on a sofa"
// stacks, "next to" stands side by side, "holding" and "wearing" attach a
// small thing to the holder, "inside" puts it in the container's opening,
// "behind" tucks it partly out of sight. The anchor is laid out first (see
// layout.ts); this places each attached copy relative to the anchor's visible box.
import type { ContentBox } from "./art-svg.js";
import type { RelationKind } from "./prompt.js";
import type { Random } from "./random.js";

/** A copy tied to an earlier item: `slot` of `slots` copies share the same anchor and relation. */
export interface Anchor {
  to: number;
  relation: RelationKind;
  slot: number;
  slots: number;
  /** What the attached thing is called, for where worn things sit ("hat" on the head, "shoes" at the feet). */
  name: string;
  /** Which way the anchor faces, once it is placed: art faces left (OpenMoji's animals do) unless mirrored. */
  facing?: "left" | "right";
  /** The anchor is an animal drawn in profile, its head at the front, however tall the drawing is (a dog with its tail up). */
  hostInProfile?: boolean;
  /** The attached thing's everyday size against the anchor's (sizes.ts), for things side by side; 1 when absent. */
  kindRatio?: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
  flip: boolean;
}

/** The anchor's visible rectangle in canvas pixels. */
export interface Visible {
  left: number;
  top: number;
  right: number;
  bottom: number;
  /** Where a thing set on it rests (art-svg.ts ContentBox.surface); the top when absent. */
  surface?: number;
}

export interface AttachedPlacement {
  box: Box;
  /** Drawn just before the anchor (behind it) or just after (on, in, held, worn, in front). */
  order: "before" | "after";
  /** Stands on the ground beside the anchor, so it casts its own contact shadow. */
  grounded: boolean;
}

/** The attached thing's visible size relative to the anchor's, by relation. */
const SIZE: Record<RelationKind, number> = {
  "next to": 0.85, on: 0.55, under: 0.5, "in front of": 0.7, behind: 0.8, holding: 0.38, wearing: 0.42,
  inside: 0.42, above: 0.6, below: 0.6, around: 0.35, between: 0.8,
};

/** Where neck things sit; what is worn at or above it (head, face, neck) follows the head of a wearer drawn in profile. */
const NECK = 0.42;

/** Where worn things sit on the wearer, as a share of its height from the top. */
function wornAt(name: string): number {
  if (/hat|cap|crown|helmet|bonnet|hood|wig|tiara|headphone|bow/.test(name)) return 0.02;
  if (/glasses|goggles|mask|monocle/.test(name)) return 0.22;
  if (/scarf|necklace|tie|collar|medal|bandana/.test(name)) return NECK;
  if (/shoe|boot|sock|sneaker|slipper/.test(name)) return 0.88;
  return 0.45;
}

/** The canvas area the picture may use, in pixels. */
export interface Room {
  left: number;
  right: number;
  top: number;
}

export function placeAttached(anchor: Anchor, visible: Visible, content: ContentBox, aspect: number, rnd: Random, room: Room): AttachedPlacement {
  const anchorW = visible.right - visible.left;
  const anchorH = visible.bottom - visible.top;
  const anchorSize = Math.max(anchorW, anchorH);
  // Several copies on one anchor share it: smaller, spread across it.
  const crowd = anchor.slots > 1 ? Math.max(0.45, 1 / Math.sqrt(anchor.slots)) : 1;
  const visibleSize = anchorSize * SIZE[anchor.relation] * (anchor.kindRatio ?? 1) * crowd * rnd.range(0.92, 1.08);
  const contentW = (content.right - content.left) * aspect;
  const contentH = content.bottom - content.top;
  const height = visibleSize / Math.max(contentW, contentH, 0.05);
  const width = height * aspect;
  const w = contentW * height;
  const h = contentH * height;
  const centreX = (visible.left + visible.right) / 2;
  // Spread copies evenly across the anchor: slot 0 of 1 sits in the middle.
  const spread = anchor.slots > 1 ? (anchor.slot / (anchor.slots - 1) - 0.5) : 0;
  const side = anchor.slot % 2 === 0 ? 1 : -1;

  /** Puts the visible content's centre at (cx, cy), at `scale` times the size worked out above. */
  const at = (cx: number, cy: number, flip = false, scale = 1): Box => ({
    x: cx - (flip ? 1 - (content.left + content.right) / 2 : (content.left + content.right) / 2) * width * scale,
    y: cy - ((content.top + content.bottom) / 2) * height * scale,
    width: width * scale,
    height: height * scale,
    flip,
  });

  switch (anchor.relation) {
    case "on":
      // Resting on its surface (a bed's mattress, not its headboard): the thing's feet sink a little into it.
      return { box: at(centreX + spread * anchorW * 0.6, (visible.surface ?? visible.top) - h / 2 + h * 0.12), order: "after", grounded: false };
    case "above": {
      // Above with a gap, shrunk when the anchor leaves little room overhead.
      const gap = anchorH * 0.12;
      const fit = Math.min(1, Math.max(0.35, (visible.top - room.top - gap) / Math.max(1, h)));
      return { box: at(centreX + spread * anchorW * 0.8, visible.top - gap - (h * fit) / 2, false, fit), order: "after", grounded: false };
    }
    case "under":
      return { box: at(centreX + spread * anchorW * 0.6, visible.bottom - h / 2), order: "after", grounded: false };
    case "below":
      return { box: at(centreX + spread * anchorW * 0.8, visible.bottom + h / 2 + anchorH * 0.08), order: "after", grounded: false };
    case "inside": {
      // In the container's opening: lower half of the thing hidden behind the rim is not possible
      // with flat art, so it sits over the container's upper-middle, spread across its width.
      const cx = centreX + spread * anchorW * 0.55;
      const cy = visible.top + anchorH * 0.42 + (anchor.slots > 2 ? (anchor.slot % 2) * anchorH * 0.14 : 0);
      return { box: at(cx, cy), order: "after", grounded: false };
    }
    case "holding":
      return { box: at(side > 0 ? visible.right - w * 0.2 : visible.left + w * 0.2, visible.top + anchorH * 0.55, side < 0), order: "after", grounded: false };
    case "wearing": {
      // An animal drawn whole, or any wearer much wider than tall, is in profile: its head is at the front, a little below its top.
      const profile = (anchor.hostInProfile || anchorW > anchorH * 1.3) && wornAt(anchor.name) <= NECK;
      if (profile) {
        const front = anchor.facing === "right" ? visible.right - anchorW * 0.2 : visible.left + anchorW * 0.2;
        // Hats sit on the head's top (about a sixth down the wearer's height), neck things lower.
        return { box: at(front, visible.top + anchorH * (wornAt(anchor.name) + 0.16) - h * 0.25), order: "after", grounded: false };
      }
      return { box: at(centreX + spread * anchorW * 0.3, visible.top + anchorH * wornAt(anchor.name) + h * 0.2), order: "after", grounded: false };
    }
    case "in front of":
      return { box: at(centreX + spread * anchorW * 0.7 + anchorW * 0.15 * side, visible.bottom - h / 2 + anchorH * 0.12), order: "after", grounded: true };
    case "behind":
      return { box: at(centreX + spread * anchorW * 0.7 + anchorW * 0.3 * side, visible.bottom - h / 2 - anchorH * 0.1), order: "before", grounded: true };
    case "around": {
      const angle = (anchor.slot / Math.max(1, anchor.slots)) * Math.PI * 2 + rnd.range(0, 0.4);
      return { box: at(centreX + Math.cos(angle) * anchorW * 0.62, (visible.top + visible.bottom) / 2 + Math.sin(angle) * anchorH * 0.55), order: "after", grounded: false };
    }
    case "next to":
    case "between":
    default: {
      // Side by side on the anchor's line, on the side with room (shrunk to fit when the anchor is wide).
      const gap = anchorW * 0.06;
      const rightRoom = room.right - visible.right - gap;
      const leftRoom = visible.left - room.left - gap;
      const preferred = side > 0 ? rightRoom : leftRoom;
      const towards = preferred >= w * 0.8 || preferred >= Math.max(rightRoom, leftRoom) ? side : -side;
      const fit = Math.min(1, Math.max(0.35, (towards > 0 ? rightRoom : leftRoom) / Math.max(1, w)));
      const cx = towards > 0 ? visible.right + gap + (w * fit) / 2 : visible.left - gap - (w * fit) / 2;
      return { box: at(cx, visible.bottom - (h * fit) / 2, towards < 0 && rnd.chance(0.5), fit), order: "after", grounded: true };
    }
  }
}
