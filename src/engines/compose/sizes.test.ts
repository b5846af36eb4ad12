import { describe, expect, it } from "vitest";
import { planElements } from "./picture.js";
import { planPicture } from "./prompt.js";
import { kindRatio, sizeOfKind } from "./sizes.js";

describe("sizes by kind", () => {
  it("knows roughly how big things are", () => {
    expect(sizeOfKind("honeybee")).toBeLessThan(sizeOfKind("apple"));
    expect(sizeOfKind("cat")).toBeLessThan(sizeOfKind("man"));
    expect(sizeOfKind("horse")).toBeLessThan(sizeOfKind("elephant"));
    expect(sizeOfKind("elephant")).toBeLessThan(sizeOfKind("house"));
    // Smallest class first: a teddy bear is a toy.
    expect(sizeOfKind("teddy bear")).toBeLessThan(sizeOfKind("polar bear"));
    expect(kindRatio("mouse", "elephant")).toBe(0.3);
  });

  it("draws companions to scale with the subject", async () => {
    const elements = await planElements(planPicture("an elephant and a mouse and a bee"));
    const [elephant, mouse, bee] = elements.map((e) => e.item.scale ?? 1);
    expect(elephant).toBe(1);
    expect(mouse).toBeLessThan(0.5);
    expect(bee).toBeLessThanOrEqual(mouse);
    const [mouseFirst, elephantAfter] = (await planElements(planPicture("a mouse and an elephant"))).map((e) => e.item.scale ?? 1);
    expect(elephantAfter).toBeGreaterThan(mouseFirst);
  });

  it("keeps things side by side to scale too: a mouse next to an elephant is the small one", async () => {
    const [mouse, elephant] = await planElements(planPicture("a mouse next to an elephant"));
    // The elephant stands beside the mouse, named first, at its everyday size against it; the mouse shrinks so both fit.
    expect(elephant.item.anchor?.relation).toBe("next to");
    expect(elephant.item.anchor?.kindRatio).toBeGreaterThan(1);
    expect(mouse.item.scale ?? 1).toBeLessThan(1);
    const [cat, house] = await planElements(planPicture("a cat in front of a house"));
    expect(cat.item.anchor?.kindRatio).toBeLessThan(1);
    expect(house.item.scale ?? 1).toBe(1);
  });
});
