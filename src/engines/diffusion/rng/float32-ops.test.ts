import { describe, expect, it } from "vitest";

import { f32, fmaf } from "./float32-ops.js";

describe("fmaf", () => {
  it("rounds once: a*b + c with no double rounding through the double sum", () => {
    // a*b + c lies just below the midpoint 1 + 3·2^-24, so the float answer is
    // 1 + 2^-23; the double sum lands exactly on the midpoint and a plain
    // fround would round it to even, 1 + 2^-22.
    const a = f32(2 ** -24 * (1 + 2 ** -18));
    const b = f32(1 - 2 ** -18);
    const c = f32(1 + 2 ** -23);
    expect(f32(a * b + c)).toBe(1 + 2 ** -22);
    expect(fmaf(a, b, c)).toBe(1 + 2 ** -23);
  });

  it("breaks a would-be tie upwards when the lost error is positive", () => {
    // a*b = 2^-24 + 2^-60: the double sum with 1 is the midpoint 1 + 2^-24.
    const a = f32(2 ** -24 * (1 + 2 ** -12));
    const b = f32(1 - 2 ** -12 + 2 ** -24);
    expect(f32(a * b + 1)).toBe(1);
    expect(fmaf(a, b, 1)).toBe(1 + 2 ** -23);
  });

  it("keeps true ties on ties-to-even and agrees with fround elsewhere", () => {
    expect(fmaf(2 ** -24, 1, 1)).toBe(1); // exactly halfway: even wins
    expect(fmaf(3 * 2 ** -24, 1, 1)).toBe(1 + 2 ** -22);
    expect(fmaf(f32(0.1), f32(0.3), f32(0.7))).toBe(f32(f32(0.1) * f32(0.3) + f32(0.7)));
  });
});
