import { describe, expect, it } from "vitest";
import { bitsOf, expectRandnMatches, readRandnFixture, type RandnCall } from "../../../../test/helpers/randn-fixture.js";
import { TorchGenerator } from "./torch-generator.js";

/** Reference output of torch.randn; see test/fixtures/diffusion/make-torch-randn.py. */
interface Fixture {
  torch: string;
  cpuCapability: string;
  cases: { seed: string; calls: number[]; results: RandnCall[] }[];
}

const fixture = readRandnFixture<Fixture>("torch-randn.json");

describe(`TorchGenerator matches torch ${fixture.torch} (${fixture.cpuCapability}) bit for bit`, () => {
  for (const { seed, calls, results } of fixture.cases) {
    it(`seed ${seed}, randn(${calls.join(") then randn(")})`, () => {
      const generator = new TorchGenerator(BigInt(seed));
      calls.forEach((count, i) => expectRandnMatches(generator.randn(count), results[i]!));
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
