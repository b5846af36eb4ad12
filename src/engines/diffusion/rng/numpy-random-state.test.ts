import { describe, expect, it } from "vitest";
import { bitsOf, expectRandnMatches, readRandnFixture, type RandnCall } from "../../../../test/helpers/randn-fixture.js";
import { NumpyRandomState } from "./numpy-random-state.js";

/** Reference output of numpy's RandomState.randn; see test/fixtures/diffusion/make-numpy-randn.py. */
interface Fixture {
  numpy: string;
  cases: { seed: number; calls: number[]; results: RandnCall[] }[];
}

const fixture = readRandnFixture<Fixture>("numpy-randn.json");

describe(`NumpyRandomState matches numpy ${fixture.numpy} bit for bit`, () => {
  for (const { seed, calls, results } of fixture.cases) {
    it(`seed ${seed}, randn(${calls.join(") then randn(")})`, () => {
      const state = new NumpyRandomState(seed);
      calls.forEach((count, i) => expectRandnMatches(state.randn(count), results[i]!));
    });
  }
});

describe("NumpyRandomState", () => {
  it("continues the stream across calls, cached second value included", () => {
    const whole = bitsOf(new NumpyRandomState(99).randn(10));
    const state = new NumpyRandomState(99);
    const pieces = [1, 2, 3, 4].flatMap((count) => bitsOf(state.randn(count)));
    expect(pieces).toEqual(whole);
  });

  it("returns an empty array for randn(0) without touching the stream", () => {
    const state = new NumpyRandomState(5);
    expect(state.randn(0)).toHaveLength(0);
    expect(bitsOf(state.randn(3))).toEqual(bitsOf(new NumpyRandomState(5).randn(3)));
  });

  it("rejects seeds numpy rejects (outside 0 .. 2^32 - 1) or that are not integers", () => {
    expect(() => new NumpyRandomState(-1)).toThrow(RangeError);
    expect(() => new NumpyRandomState(2 ** 32)).toThrow(RangeError);
    expect(() => new NumpyRandomState(1.5)).toThrow(RangeError);
    expect(() => new NumpyRandomState(Number.NaN)).toThrow(RangeError);
    expect(() => new NumpyRandomState(2 ** 32 - 1)).not.toThrow();
  });

  it("rejects a count that is not a non-negative integer", () => {
    const state = new NumpyRandomState(0);
    expect(() => state.randn(-1)).toThrow(RangeError);
    expect(() => state.randn(2.5)).toThrow(RangeError);
  });
});
