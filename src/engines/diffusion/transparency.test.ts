import { describe, expect, it } from "vitest";
import { fromHalfBits, toHalfBits } from "./tensors.js";
import { matteBackground } from "./transparency.js";

describe("matteBackground", () => {
  it("keys out the border colour and keeps the subject opaque, with clean soft edges", () => {
    const size = 32;
    const data = Buffer.alloc(size * size * 4);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inside = x >= 8 && x < 24 && y >= 8 && y < 24;
        // A soft one-pixel edge: half subject red, half key green.
        const edge = x === 7 && y >= 8 && y < 24;
        const colour = inside ? [220, 30, 40] : edge ? [110, 120, 30] : [20, 210, 20];
        data.set([...colour, 255], (y * size + x) * 4);
      }
    }
    const matted = matteBackground({ data, width: size, height: size });
    const alpha = (x: number, y: number) => matted.data[(y * size + x) * 4 + 3];
    expect(alpha(0, 0)).toBe(0);
    expect(alpha(30, 16)).toBe(0);
    expect(alpha(16, 16)).toBe(255);
    expect(Array.from(matted.data.subarray((16 * size + 16) * 4, (16 * size + 16) * 4 + 3))).toEqual([220, 30, 40]);
    const edgeAlpha = alpha(7, 16);
    expect(edgeAlpha).toBeGreaterThan(0);
    expect(edgeAlpha).toBeLessThan(255);
    // Un-mixing the key colour leaves less green in the edge than the raw blend had.
    expect(matted.data[(16 * size + 7) * 4 + 1]).toBeLessThan(120);
  });
});

describe("half floats", () => {
  it("round-trips through float16 bits to the nearest half, ties to even", () => {
    for (const value of [0, 1, -2.5, 0.1, 65504, 1e-7, 6.1e-5]) {
      const back = fromHalfBits(toHalfBits(value));
      expect(Math.abs(back - value)).toBeLessThanOrEqual(Math.abs(value) * 2 ** -11 + 2 ** -25);
    }
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(toHalfBits(1e6)).toBe(0x7c00); // overflow → infinity
    expect(Number.isNaN(fromHalfBits(toHalfBits(NaN)))).toBe(true);
  });
});
