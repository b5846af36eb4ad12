// A small builder for ONNX graphs on top of `onnx-proto`, for tests and benchmarks that
// need real model files without Python. It covers what exported diffusion models use:
// typed initializers (float16 stored as its uint16 bit patterns), nodes with typed
// attributes, graph inputs/outputs with symbolic dims, opset imports, and writing a
// model file whose large weights can live in an external data file (as exporters do
// for models over protobuf's 2 GB limit).
//
//   const g = new GraphBuilder("tiny");
//   const x = g.input("x", "float32", ["batch", 4]);
//   const w = g.initializer("w", "float32", [4, 2], new Float32Array(8).fill(0.5));
//   g.node("MatMul", [x, w], {}, { outputs: ["y"] });
//   g.output("y", "float32", ["batch", 2]);
//   await writeModel("tiny.onnx", g.build());

import { open, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import onnxProto from "onnx-proto";
import { fromHalfBits, toHalfBits } from "../../src/engines/diffusion/tensors.js";
import type { onnx as proto } from "onnx-proto";

const { onnx } = onnxProto;
/** The onnx-proto message classes (value side); `proto` names their types. */
export { onnx };
export type { proto };

export type DataType = "float32" | "float16" | "float64" | "int64" | "int32" | "int8" | "uint8" | "bool";

/** A dimension: a fixed size, or a name (`dim_param`) for a size chosen at run time. */
export type Dim = number | string;

const TYPE_CODES: Record<DataType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float16: onnx.TensorProto.DataType.FLOAT16,
  float64: onnx.TensorProto.DataType.DOUBLE,
  int64: onnx.TensorProto.DataType.INT64,
  int32: onnx.TensorProto.DataType.INT32,
  int8: onnx.TensorProto.DataType.INT8,
  uint8: onnx.TensorProto.DataType.UINT8,
  bool: onnx.TensorProto.DataType.BOOL,
};

const BYTES_PER_ELEMENT: Record<DataType, number> = {
  float32: 4, float16: 2, float64: 8, int64: 8, int32: 4, int8: 1, uint8: 1, bool: 1,
};

/** The ONNX `TensorProto.DataType` code of a data type (e.g. for Cast's `to` attribute). */
export function typeCode(dtype: DataType): number {
  return TYPE_CODES[dtype];
}

/**
 * Tensor contents. Plain numbers are converted to the tensor's type (to float16 bit
 * patterns for float16). A Uint16Array given for a float16 tensor is taken as the bit
 * patterns themselves; a BigInt64Array fills int64 tensors exactly.
 */
export type TensorData = ArrayLike<number> | Uint16Array | BigInt64Array;

// --- float16 ---------------------------------------------------------------------

// The engine's own conversion (numpy's rounding: nearest, ties to even), so tests and runtime agree.
export { fromHalfBits as fromFloat16Bits, toHalfBits as toFloat16Bits } from "../../src/engines/diffusion/tensors.js";

export function float32ToFloat16(values: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = toHalfBits(values[i]);
  return out;
}

export function float16ToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = fromHalfBits(bits[i]);
  return out;
}

/** Little-endian bytes of tensor contents, as ONNX's `raw_data` holds them. */
export function tensorBytes(dtype: DataType, data: TensorData): Uint8Array {
  const n = data.length;
  let typed: ArrayBufferView;
  switch (dtype) {
    case "float32": typed = data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>); break;
    case "float64": typed = data instanceof Float64Array ? data : Float64Array.from(data as ArrayLike<number>); break;
    case "float16": typed = data instanceof Uint16Array ? data : float32ToFloat16(data as ArrayLike<number>); break;
    case "int32": typed = data instanceof Int32Array ? data : Int32Array.from(data as ArrayLike<number>); break;
    case "int8": typed = data instanceof Int8Array ? data : Int8Array.from(data as ArrayLike<number>); break;
    case "uint8": case "bool": typed = data instanceof Uint8Array ? data : Uint8Array.from(data as ArrayLike<number>); break;
    case "int64": {
      if (data instanceof BigInt64Array) { typed = data; break; }
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) out[i] = BigInt(Math.trunc((data as ArrayLike<number>)[i]));
      typed = out;
      break;
    }
  }
  // Node runs on little-endian machines only, so the typed array's memory is raw_data.
  return new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
}

// --- attributes --------------------------------------------------------------------

/** Attribute values: plain numbers are INT(S), strings STRING(S); wrap floats and tensors. */
export type AttributeValue =
  | number | number[] | string | string[]
  | { kind: "float"; value: number }
  | { kind: "floats"; value: number[] }
  | { kind: "tensor"; value: proto.ITensorProto };

export const floatAttr = (value: number) => ({ kind: "float", value }) as const;
export const floatsAttr = (value: number[]) => ({ kind: "floats", value }) as const;
export const tensorAttr = (value: proto.ITensorProto) => ({ kind: "tensor", value }) as const;

function toAttribute(name: string, value: AttributeValue): proto.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new Error(`attribute ${name}: wrap the float ${value} in floatAttr()`);
    return { name, type: T.INT, i: value };
  }
  if (typeof value === "string") return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === "string")) {
      return { name, type: T.STRINGS, strings: (value as string[]).map((v) => new TextEncoder().encode(v)) };
    }
    const ints = value as number[];
    if (!ints.every(Number.isInteger)) throw new Error(`attribute ${name}: wrap float lists in floatsAttr()`);
    return { name, type: T.INTS, ints };
  }
  switch (value.kind) {
    case "float": return { name, type: T.FLOAT, f: value.value };
    case "floats": return { name, type: T.FLOATS, floats: value.value };
    case "tensor": return { name, type: T.TENSOR, t: value.value };
  }
}

// --- graphs ------------------------------------------------------------------------

export function valueInfo(name: string, dtype: DataType, dims: Dim[]): proto.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: TYPE_CODES[dtype],
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export interface NodeOptions {
  /** Output names, or how many outputs to name automatically (default: one, named automatically). */
  outputs?: string[] | number;
  /** Node name (default: derived from the op type). */
  name?: string;
  /** Operator domain, e.g. "com.microsoft" (default: the standard ONNX domain). */
  domain?: string;
}

export interface BuildOptions {
  /** Opset versions by domain; a number means the standard domain only. Default 17. */
  opset?: number | Record<string, number>;
  irVersion?: number;
  producerName?: string;
  docString?: string;
}

export class GraphBuilder {
  readonly inputs: proto.IValueInfoProto[] = [];
  readonly outputs: proto.IValueInfoProto[] = [];
  readonly initializers: proto.ITensorProto[] = [];
  readonly nodes: proto.INodeProto[] = [];
  readonly valueInfos: proto.IValueInfoProto[] = [];
  private counter = 0;

  constructor(readonly name: string) {}

  /** A unique value name starting with `prefix`. */
  fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  input(name: string, dtype: DataType, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, dtype, dims));
    return name;
  }

  /** Declares an existing value (a node output or an input) as a graph output. */
  output(name: string, dtype: DataType, dims: Dim[]): string {
    this.outputs.push(valueInfo(name, dtype, dims));
    return name;
  }

  /** Records a known type/shape of an intermediate value (optional, for readers and tools). */
  annotate(name: string, dtype: DataType, dims: Dim[]): string {
    this.valueInfos.push(valueInfo(name, dtype, dims));
    return name;
  }

  /** Adds a weight tensor; `name` may be null for an automatic one. Returns its name. */
  initializer(name: string | null, dtype: DataType, dims: number[], data: TensorData): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (data.length !== count) {
      throw new Error(`initializer ${name ?? ""}: ${data.length} values for shape [${dims.join(", ")}]`);
    }
    const tensorName = name ?? this.fresh("const");
    this.initializers.push({ name: tensorName, dataType: TYPE_CODES[dtype], dims, rawData: tensorBytes(dtype, data) });
    return tensorName;
  }

  /** A constant tensor from plain values; a 0-d scalar when `dims` is omitted. */
  constant(dtype: DataType, values: number | number[], dims?: number[]): string {
    const data = typeof values === "number" ? [values] : values;
    return this.initializer(null, dtype, dims ?? (typeof values === "number" ? [] : [data.length]), data);
  }

  /** Adds a node and returns its first output's name (see `nodeOutputs` for several). */
  node(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, options: NodeOptions = {}): string {
    return this.nodeOutputs(opType, inputs, attributes, options)[0];
  }

  /** Adds a node and returns all its output names. Use "" in `inputs` for a skipped optional input. */
  nodeOutputs(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, options: NodeOptions = {}): string[] {
    const outputs = Array.isArray(options.outputs)
      ? options.outputs
      : Array.from({ length: options.outputs ?? 1 }, () => this.fresh(opType.toLowerCase()));
    this.nodes.push({
      name: options.name ?? this.fresh(opType),
      opType,
      domain: options.domain ?? "",
      input: inputs,
      output: outputs,
      attribute: Object.entries(attributes).map(([key, value]) => toAttribute(key, value)),
    });
    return outputs;
  }

  build(options: BuildOptions = {}): proto.ModelProto {
    const opsets = typeof options.opset === "object" ? options.opset : { "": options.opset ?? 17 };
    return onnx.ModelProto.create({
      irVersion: options.irVersion ?? 8,
      producerName: options.producerName ?? "easel-test-onnx-graph",
      docString: options.docString ?? "",
      opsetImport: Object.entries(opsets).map(([domain, version]) => ({ domain, version })),
      graph: {
        name: this.name,
        input: this.inputs,
        output: this.outputs,
        initializer: this.initializers,
        node: this.nodes,
        valueInfo: this.valueInfos,
      },
    });
  }
}

// --- writing -----------------------------------------------------------------------

export interface WriteOptions {
  /**
   * Store initializers outside the model file, in one file named `location` beside it
   * (optimum names it "model.onnx_data"; diffusers' old conversion script "weights.pb").
   * Only tensors of at least `sizeThreshold` bytes move there (default 1024).
   */
  externalData?: { location: string; sizeThreshold?: number };
}

// Offsets in the external file are aligned so that runtimes can memory-map tensors.
const EXTERNAL_ALIGNMENT = 4096;

/**
 * Writes `model` to `path` (creating parent folders). With `externalData`, large
 * initializers are streamed into the data file instead, so models far beyond
 * protobuf's 2 GB limit can be written as long as each tensor fits in memory.
 */
export async function writeModel(path: string, model: proto.IModelProto, options: WriteOptions = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  let toEncode = model;
  if (options.externalData) {
    const { location, sizeThreshold = 1024 } = options.externalData;
    const file = await open(join(dirname(path), location), "w");
    try {
      let offset = 0;
      const initializers: proto.ITensorProto[] = [];
      for (const tensor of model.graph?.initializer ?? []) {
        const raw = tensor.rawData;
        if (!raw || raw.byteLength < sizeThreshold) {
          initializers.push(tensor);
          continue;
        }
        offset = Math.ceil(offset / EXTERNAL_ALIGNMENT) * EXTERNAL_ALIGNMENT;
        await file.write(raw, 0, raw.byteLength, offset);
        initializers.push({
          ...tensor,
          rawData: undefined,
          dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
          externalData: [
            { key: "location", value: location },
            { key: "offset", value: String(offset) },
            { key: "length", value: String(raw.byteLength) },
          ],
        });
        offset += raw.byteLength;
      }
      toEncode = { ...model, graph: { ...model.graph, initializer: initializers } };
    } finally {
      await file.close();
    }
  }
  const bytes = onnx.ModelProto.encode(toEncode).finish();
  const out = await open(path, "w");
  try {
    await out.write(bytes);
  } finally {
    await out.close();
  }
}

/** Serialized bytes of a model (everything inline), e.g. for `InferenceSession.create(bytes)`. */
export function encodeModel(model: proto.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

/** Bytes one element of `dtype` takes. */
export function bytesPerElement(dtype: DataType): number {
  return BYTES_PER_ELEMENT[dtype];
}
