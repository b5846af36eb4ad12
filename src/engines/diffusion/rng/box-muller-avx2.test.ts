import { describe, expect, it } from "vitest";

import { boxMullerBlocks, cephesLog, cephesSinCos } from "./box-muller-avx2.js";
import { f32 } from "./float32-ops.js";

function bits(value: number): number {
  return new Uint32Array(new Float32Array([value]).buffer)[0]!;
}

describe("AVX2 Box–Muller pieces", () => {
  it("uses the kernel's constants, as read from libtorch_cpu.so", () => {
    // sqrt(1/2) is hard-coded by its bits in the module; 2π as _mm256_set1_ps(2.0f * pi<double>).
    expect(bits(f32(0.707106781186547524))).toBe(0x3f3504f3);
    expect(bits(f32(2 * Math.PI))).toBe(0x40c90fdb);
  });

  it("cephesLog is a float32-accurate natural log", () => {
    const inputs = new Float32Array([1, 0.5, 2 ** -24, 0.75, 0.999999940395, 0.7071067, 0.123456]);
    const logs = cephesLog(inputs);
    expect(logs[0]).toBe(0);
    inputs.forEach((x, i) => expect(logs[i]).toBeCloseTo(Math.log(x), 6));
  });

  it("cephesSinCos is float32-accurate over [0, 2π) and exact at 0", () => {
    const angles = new Float32Array(64).map((_, i) => f32((i / 64) * 2 * Math.PI));
    const { sin, cos } = cephesSinCos(angles);
    expect([sin[0], cos[0]]).toEqual([0, 1]);
    angles.forEach((a, i) => {
      expect(sin[i]).toBeCloseTo(Math.sin(a), 6);
      expect(cos[i]).toBeCloseTo(Math.cos(a), 6);
    });
  });

  it("pairs lane j with lane j + 8 of each block of 16", () => {
    const data = new Float32Array(32).fill(0.25);
    data[3] = 0; // u1 = 1: radius 0 for lanes 3 and 11 of the first block only
    boxMullerBlocks(data, 0, 2);
    expect([data[3], data[11]]).toEqual([0, 0]);
    expect(data[19]).not.toBe(0);
    // u2 = 0.25: angle π/2, so cos ≈ 0 and sin = the radius
    expect(data[0]).toBeCloseTo(0, 6);
    expect(data[8]).toBeCloseTo(Math.sqrt(-2 * Math.log(0.75)), 6);
  });
});
