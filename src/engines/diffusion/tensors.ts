// The pipeline computes in float32; ONNX graphs may want float16 (fp16
// exports) or int64 (some timestep inputs). These helpers convert at the
// session boundary so the recipe never has to care. Node 20 has no
// Float16Array, so half floats travel as their uint16 bit patterns, which is
// what onnxruntime-node takes for "float16" tensors.
import ort from "onnxruntime-node";

export type FloatType = "float32" | "float16";

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** Rounds to the nearest half float (ties to even), with infinities, NaN and subnormals. */
export function toHalfBits(value: number): number {
  scratch[0] = value;
  const x = scratchBits[0];
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    const half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    return sign | (half + (rest > midpoint || (rest === midpoint && half & 1) ? 1 : 0));
  }
  const half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // Carrying out of the mantissa correctly bumps the exponent (and overflows to infinity).
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}

export function fromHalfBits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** A float tensor in the element type the graph declares. */
export function floatTensor(data: Float32Array, dims: number[], type: FloatType): ort.Tensor {
  if (type === "float32") return new ort.Tensor("float32", data, dims);
  const bits = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) bits[i] = toHalfBits(data[i]);
  return new ort.Tensor("float16", bits, dims);
}

/** A graph's float output as float32, whatever its element type. */
export function readFloats(tensor: ort.Tensor): Float32Array {
  if (tensor.type === "float32") return tensor.data as Float32Array;
  if (tensor.type === "float16") {
    const bits = tensor.data as Uint16Array;
    const out = new Float32Array(bits.length);
    for (let i = 0; i < bits.length; i++) out[i] = fromHalfBits(bits[i]);
    return out;
  }
  throw new Error(`expected a float tensor, got ${tensor.type}`);
}

/** Joins equally shaped batches along the first axis (the batch). */
export function concatBatches(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Repeats one batch item `count` times. */
export function repeatBatch(item: Float32Array, count: number): Float32Array {
  return concatBatches(Array.from({ length: count }, () => item));
}
