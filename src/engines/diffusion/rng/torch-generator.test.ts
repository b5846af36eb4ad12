import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

import { TorchGenerator } from "./torch-generator.js";

/** Reference output of torch.randn; see test/fixtures/diffusion/make-torch-randn.py. */
interface Fixture {
  torch: string;
  cpuCapability: string;
  cases: { seed: string; calls: number[]; results: CallResult[] }[];
}
type CallResult =
  | { count: number; bits: number[] }
  | {
      count: number;
      head: number[];
      tail: number[];
      samples: [number, number][];
      sum: number;
      sha256: string;
    };

const fixture = JSON.parse(
  readFileSync(new URL("../../../../test/fixtures/diffusion/torch-randn.json", import.meta.url), "utf8"),
) as Fixture;

function bitsOf(values: Float32Array): number[] {
  return Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));
}

function expectMatches(values: Float32Array, expected: CallResult): void {
  expect(values.length).toBe(expected.count);
  const bits = bitsOf(values);
  if ("bits" in expected) {
    expect(bits).toEqual(expected.bits);
    return;
  }
  expect(bits.slice(0, expected.head.length)).toEqual(expected.head);
  expect(bits.slice(-expected.tail.length)).toEqual(expected.tail);
  expect(expected.samples.map(([index]) => [index, bits[index]])).toEqual(expected.samples);
  let sum = 0;
  for (const value of values) sum += value; // index order, as the fixture's cumsum
  expect(sum).toBe(expected.sum);
  const digest = createHash("sha256")
    .update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength))
    .digest("hex");
  expect(digest).toBe(expected.sha256);
}

describe(`TorchGenerator matches torch ${fixture.torch} (${fixture.cpuCapability}) bit for bit`, () => {
  for (const { seed, calls, results } of fixture.cases) {
    it(`seed ${seed}, randn(${calls.join(") then randn(")})`, () => {
      const generator = new TorchGenerator(BigInt(seed));
      calls.forEach((count, i) => expectMatches(generator.randn(count), results[i]!));
    });
  }
});

describe("TorchGenerator seeds", () => {
  it("accepts a number or a bigint for the same seed", () => {
    expect(bitsOf(new TorchGenerator(12345).randn(40))).toEqual(
      bitsOf(new TorchGenerator(12345n).randn(40)),
    );
    expect(bitsOf(new TorchGenerator(2 ** 53 - 1).randn(7))).toEqual(
      bitsOf(new TorchGenerator(2n ** 53n - 1n).randn(7)),
    );
  });

  it("keeps only the low 32 bits, with negative seeds in two's complement like torch", () => {
    expect(bitsOf(new TorchGenerator(2n ** 32n + 5n).randn(20))).toEqual(
      bitsOf(new TorchGenerator(5).randn(20)),
    );
    expect(bitsOf(new TorchGenerator(-1).randn(20))).toEqual(
      bitsOf(new TorchGenerator(2n ** 64n - 1n).randn(20)),
    );
  });

  it("rejects seeds torch would reject or a number cannot hold exactly", () => {
    expect(() => new TorchGenerator(2n ** 64n)).toThrow(RangeError);
    expect(() => new TorchGenerator(1.5)).toThrow(RangeError);
    expect(() => new TorchGenerator(2 ** 60)).toThrow(RangeError);
  });

  it("manualSeed restarts the stream and forgets the cached normal", () => {
    const generator = new TorchGenerator(3);
    const first = bitsOf(generator.randn(1)); // leaves a cached value behind
    generator.manualSeed(3);
    expect(bitsOf(generator.randn(1))).toEqual(first);
  });
});
