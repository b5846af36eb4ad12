import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, describe, expect, it } from "vitest";
import {
  GraphBuilder, encodeModel, float16ToFloat32, float32ToFloat16, floatAttr, fromFloat16Bits, toFloat16Bits, typeCode, writeModel,
} from "./onnx-graph.js";

const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

describe("float16 bits", () => {
  it("round-trips representable values and rounds to nearest even", () => {
    for (const v of [0, 1, -2, 0.5, 65504, 2 ** -24, 1 + 2 ** -10, -(2 ** -14), 3 * 2 ** -20]) {
      expect(fromFloat16Bits(toFloat16Bits(v))).toBe(v);
    }
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even (up)
    expect(toFloat16Bits(1e6)).toBe(0x7c00);
    expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(NaN)))).toBe(true);
    expect(Array.from(float16ToFloat32(float32ToFloat16([0.1, -3.25])))).toEqual([fromFloat16Bits(toFloat16Bits(0.1)), -3.25]);
  });
});

describe("GraphBuilder", () => {
  function matmulGraph(dtype: "float32" | "float16") {
    const g = new GraphBuilder("matmul");
    const x = g.input("x", dtype, ["batch", 2]);
    const w = g.initializer("w", dtype, [2, 600], Array.from({ length: 1200 }, (_, i) => (i % 7) - 3));
    const y = g.node("MatMul", [x, w]);
    const scaled = g.node("Mul", [y, g.constant(dtype, 0.5)]);
    const clipped = g.node("Clip", [scaled, g.constant(dtype, -4), g.constant(dtype, 4)]);
    g.node("Cast", [clipped], { to: typeCode("float32") }, { outputs: ["y"] });
    g.node("LeakyRelu", [g.node("Cast", [x], { to: typeCode("float32") })], { alpha: floatAttr(0.25) }, { outputs: ["z"] });
    g.output("y", "float32", ["batch", 600]);
    g.output("z", "float32", ["batch", 2]);
    return g.build();
  }

  it("builds models that onnxruntime runs, with symbolic dims in the metadata", async () => {
    for (const dtype of ["float32", "float16"] as const) {
      const session = await ort.InferenceSession.create(encodeModel(matmulGraph(dtype)));
      expect(session.inputNames).toEqual(["x"]);
      const meta = session.inputMetadata[0];
      expect(meta.isTensor && meta.type).toBe(dtype);
      expect(meta.isTensor && meta.shape).toEqual(["batch", 2]);
      const xs = [1, 2, -1, 0.5];
      const x = dtype === "float16" ? new ort.Tensor("float16", float32ToFloat16(xs), [2, 2]) : new ort.Tensor("float32", Float32Array.from(xs), [2, 2]);
      const { y, z } = await session.run({ x });
      expect(y.dims).toEqual([2, 600]);
      // y[0][j] = 0.5 * (1 * w[0][j] + 2 * w[1][j]), clipped to ±4
      const w = (r: number, c: number) => ((r * 600 + c) % 7) - 3;
      const expected = (c: number) => Math.max(-4, Math.min(4, 0.5 * (w(0, c) + 2 * w(1, c))));
      expect((y.data as Float32Array)[5]).toBeCloseTo(expected(5), 5);
      expect(Array.from(z.data as Float32Array)).toEqual([1, 2, -0.25, 0.5]);
    }
  });

  it("writes large weights to an external data file that onnxruntime loads", async () => {
    const dir = await mkdtemp(join(tmpdir(), "onnx-graph-"));
    dirs.push(dir);
    const path = join(dir, "sub", "model.onnx");
    await writeModel(path, matmulGraph("float32"), { externalData: { location: "model.onnx_data" } });
    expect((await stat(join(dir, "sub", "model.onnx_data"))).size).toBe(4800);
    expect((await stat(path)).size).toBeLessThan(2000);
    const session = await ort.InferenceSession.create(path);
    const { y } = await session.run({ x: new ort.Tensor("float32", Float32Array.from([1, 0]), [1, 2]) });
    expect((y.data as Float32Array)[3]).toBe(0.5 * (((3) % 7) - 3));
  });
});
