import { describe, expect, it } from "vitest";
import { layoutThings, type LayoutItem, type Placed, type Stage } from "./layout.js";
import { randomFor } from "./random.js";
import type { RelationKind } from "./prompt.js";

const full = { left: 0, top: 0, right: 1, bottom: 1 };
const stage: Stage = { region: { x: 0, y: 0, width: 1024, height: 1024 }, groundY: 600, water: null };

function item(anchor?: { to: number; relation: RelationKind; slot?: number; slots?: number; name?: string }): LayoutItem {
  return {
    aspect: 1, content: full, placement: "ground", flippable: true,
    anchor: anchor && { slot: 0, slots: 1, name: "thing", ...anchor },
  };
}

const visible = (p: Placed) => ({ left: p.x, top: p.y, right: p.x + p.width, bottom: p.y + p.height, cx: p.x + p.width / 2, cy: p.y + p.height / 2 });

/** Lays out [thing, anchor] with the thing tied to the anchor, for several seeds. */
function pairs(relation: RelationKind, name = "thing") {
  return [1, 2, 3, 4, 5].map((seed) => {
    const placed = layoutThings([item({ to: 1, relation, name }), item()], stage, randomFor(seed, "layout"));
    const thing = placed.find((p) => p.item === 0)!;
    const anchor = placed.find((p) => p.item === 1)!;
    return { thing: visible(thing), anchor: visible(anchor), order: placed.map((p) => p.item) };
  });
}

describe("relations in the layout", () => {
  it("the anchor takes the focal spot and size, the tied thing is smaller", () => {
    for (const { thing, anchor } of pairs("on")) expect(thing.right - thing.left).toBeLessThan(anchor.right - anchor.left);
  });

  it("on: rests on the anchor's top edge", () => {
    for (const { thing, anchor } of pairs("on")) {
      expect(Math.abs(thing.bottom - anchor.top)).toBeLessThan((anchor.bottom - anchor.top) * 0.2);
      expect(thing.cx).toBeGreaterThan(anchor.left);
      expect(thing.cx).toBeLessThan(anchor.right);
    }
  });

  it("inside: sits within the container and is drawn after it", () => {
    for (const { thing, anchor, order } of pairs("inside")) {
      expect(thing.cx).toBeGreaterThan(anchor.left);
      expect(thing.cx).toBeLessThan(anchor.right);
      expect(thing.cy).toBeGreaterThan(anchor.top);
      expect(thing.cy).toBeLessThan(anchor.bottom);
      expect(order.indexOf(0)).toBeGreaterThan(order.indexOf(1));
    }
  });

  it("next to: side by side on the same line, not overlapping", () => {
    for (const { thing, anchor } of pairs("next to")) {
      expect(thing.right <= anchor.left + 2 || thing.left >= anchor.right - 2).toBe(true);
      expect(Math.abs(thing.bottom - anchor.bottom)).toBeLessThan(40);
    }
  });

  it("holding: overlaps the holder's side; wearing a hat: at the wearer's top", () => {
    for (const { thing, anchor } of pairs("holding")) {
      const nearSide = Math.min(Math.abs(thing.cx - anchor.left), Math.abs(thing.cx - anchor.right));
      expect(nearSide).toBeLessThan((anchor.right - anchor.left) * 0.35);
    }
    for (const { thing, anchor } of pairs("wearing", "top hat")) expect(thing.cy).toBeLessThan(anchor.top + (anchor.bottom - anchor.top) * 0.35);
  });

  it("wearing a hat: on the head at the front of an animal drawn in profile, however tall its drawing", () => {
    for (const seed of [1, 2, 3]) {
      const dog = item();
      const hat = item({ to: 1, relation: "wearing", name: "hat" });
      hat.anchor!.hostInProfile = true;
      const placed = layoutThings([hat, dog], stage, randomFor(seed, "layout"));
      const [worn, wearer] = [0, 1].map((i) => visible(placed.find((p) => p.item === i)!));
      // OpenMoji's animals face left unless mirrored: the hat sits over the front third.
      const front = placed.find((p) => p.item === 1)!.flip ? wearer.right - worn.cx : worn.cx - wearer.left;
      expect(front).toBeLessThan((wearer.right - wearer.left) * 0.34);
    }
  });

  it("a companion twice the subject's everyday size stands beside it, bigger, with the subject stepping aside", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const mouse = { ...item(), scale: 0.5 };
      const elephant = item({ to: 0, relation: "next to" });
      elephant.anchor!.kindRatio = 2;
      const placed = layoutThings([mouse, elephant], stage, randomFor(seed, "layout"));
      const [small, big] = [0, 1].map((i) => visible(placed.find((p) => p.item === i)!));
      expect(big.bottom - big.top).toBeGreaterThan((small.bottom - small.top) * 1.4);
      expect(big.right).toBeLessThanOrEqual(stage.region.width + 1);
      expect(big.left).toBeGreaterThanOrEqual(-1);
    }
  });

  it("behind is drawn before its anchor; above sits higher, under lower", () => {
    for (const { order } of pairs("behind")) expect(order.indexOf(0)).toBeLessThan(order.indexOf(1));
    for (const { thing, anchor } of pairs("above")) expect(thing.bottom).toBeLessThan(anchor.top);
    for (const { thing, anchor } of pairs("under")) expect(thing.cy).toBeGreaterThan(anchor.cy);
  });

  it("several copies in one container spread across it", () => {
    const items = [0, 1, 2].map((slot) => item({ to: 3, relation: "inside", slot, slots: 3 }));
    const placed = layoutThings([...items, item()], stage, randomFor(9, "layout"));
    const xs = placed.filter((p) => p.item < 3).map((p) => visible(p).cx).sort((a, b) => a - b);
    expect(xs[2] - xs[0]).toBeGreaterThan(50);
  });
});
