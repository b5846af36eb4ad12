/**
 * PyTorch's AVX2 Box–Muller step (`NormalFill16<float>` in
 * aten/src/ATen/native/cpu/DistributionTemplates.h), replayed in float32
 * arithmetic.
 *
 * The kernel does not call libm: it uses `log256_ps` and `sincos256_ps` from
 * aten/src/ATen/native/cpu/avx_mathfun.h, Cephes-style float32 polynomials.
 * PyTorch compiles that file with `-mavx2 -mfma` and GCC's default
 * `-ffp-contract=fast`, so many `a * b + c` pairs became single-rounding `vfmadd`
 * instructions. Which pairs were fused was read from the disassembly of
 * libtorch_cpu.so (torch 2.13, GCC 13). Each fused instruction is an `fmaf`
 * below, or, where its product is provably exact, a plain float addition (said
 * so where it happens); each `f32(...)` is a separately rounded instruction.
 * Fusing one more or one less pair changes the last bits of the output (the
 * fixture test catches it).
 *
 * Like the SIMD kernel, every step runs over all lanes before the next step
 * starts. Besides mirroring the source, that keeps each loop tiny: the lanes are
 * independent, so the CPU overlaps them, and V8 inlines every `fmaf`. (One lane
 * at a time, start to finish, was several times slower.)
 */

import { f32, fmaf } from "./float32-ops.js";

// Constants exactly as the kernel holds them (C double literals cast to float).
const TWO_PI = f32(2 * Math.PI);
const SQRT_HALF_BITS = 0x3f3504f3; // f32(0.707106781186547524), checked in the test
const LOG_P = [
  7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1,
  -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
].map(f32);
const LOG_Q1 = f32(-2.1219444e-4);
const LOG_Q2 = f32(0.693359375);
const FOUR_OVER_PI = f32(1.27323954473516);
const MINUS_DP1 = f32(-0.78515625);
const MINUS_DP2 = f32(-2.4187564849853515625e-4);
const MINUS_DP3 = f32(-3.77489497744594108e-8);
const SIN_P = [-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1].map(f32);
const COS_P = [2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2].map(f32);

/** One float32 per lane: a `__m256` register stretched over every lane of a call. */
type Lanes = Float32Array;

/**
 * Box–Muller on `blockCount` consecutive blocks of 16 uniforms in [0, 1)
 * starting at `data[start]`, in place. In each block, lane j pairs data[j]
 * (radius) with data[j + 8] (angle) and writes r·cos to slot j and r·sin to
 * slot j + 8.
 */
export function boxMullerBlocks(data: Float32Array, start: number, blockCount: number): void {
  for (let done = 0; done < blockCount; done += CHUNK_BLOCKS) {
    boxMullerChunk(data, start + done * 16, Math.min(CHUNK_BLOCKS, blockCount - done));
  }
}

/** Blocks per pass: small enough that a pass's lane arrays stay in the CPU cache. */
const CHUNK_BLOCKS = 256;

function boxMullerChunk(data: Float32Array, start: number, blockCount: number): void {
  const laneCount = blockCount * 8;
  const u1 = new Float32Array(laneCount);
  const angle = new Float32Array(laneCount);
  gatherLanes(data, start, u1, angle);
  const logU1 = cephesLog(u1);
  const sinCos = cephesSinCos(angle);
  scatterLanes(data, start, logU1, sinCos.sin, sinCos.cos);
}

// Every loop below sits in a function of its own that returns right after it.
// V8 compiles a hot loop on the fly (on-stack replacement); code that follows
// the loop in the same function has not run yet and makes it deoptimise.

/** Index in `data` of a lane's first element (its second is 8 further). */
function laneSlot(start: number, lane: number): number {
  return start + (lane >>> 3) * 16 + (lane & 7);
}

function gatherLanes(data: Float32Array, start: number, u1: Lanes, angle: Lanes): void {
  for (let lane = 0; lane < u1.length; lane++) {
    const slot = laneSlot(start, lane);
    u1[lane] = 1 - data[slot]!; // [0, 1) -> (0, 1] so the log is finite
    angle[lane] = TWO_PI * data[slot + 8]!;
  }
}

function scatterLanes(data: Float32Array, start: number, logU1: Lanes, sin: Lanes, cos: Lanes): void {
  for (let lane = 0; lane < logU1.length; lane++) {
    const slot = laneSlot(start, lane);
    const radius = f32(Math.sqrt(-2 * logU1[lane]!));
    // The kernel ends with fma(n, std = 1, mean = 0); adding 0 turns -0 into +0 as it does.
    data[slot] = f32(radius * cos[lane]!) + 0;
    data[slot + 8] = f32(radius * sin[lane]!) + 0;
  }
}

/** `log256_ps` for positive, normal float32 inputs. */
export function cephesLog(input: Lanes): Lanes {
  // input = (1 + x) * 2^e, with 1 + x in [sqrt(1/2), sqrt(2)) so that the
  // polynomial's argument x stays small.
  const x = new Float32Array(input.length);
  const e = new Float32Array(input.length);
  splitExponent(input, x, e);
  const z = square(x);
  const y = polynomial(x, LOG_P);
  const out = new Float32Array(input.length);
  finishLog(x, y, z, e, out);
  return out;
}

function splitExponent(input: Lanes, x: Lanes, e: Lanes): void {
  const inputBits = new Uint32Array(input.buffer, input.byteOffset, input.length);
  const xBits = new Uint32Array(x.buffer, x.byteOffset, x.length);
  for (let i = 0; i < input.length; i++) {
    const bits = inputBits[i]!;
    const mantissaBits = (bits & ~0x7f800000) | 0x3f000000; // the mantissa, scaled to [0.5, 1)
    xBits[i] = mantissaBits;
    const mantissa = x[i]!;
    // 1 if mantissa < sqrt(1/2), else 0 (positive floats order like their bits).
    // The kernel uses a mask here too; a branch would be mispredicted half the time.
    const below = (mantissaBits - SQRT_HALF_BITS) >>> 31;
    e[i] = (bits >>> 23) - 127 + 1 - below;
    x[i] = f32(mantissa - 1) + below * mantissa; // mantissa - 1, or 2 * mantissa - 1 below sqrt(1/2)
  }
}

function finishLog(x: Lanes, y: Lanes, z: Lanes, e: Lanes, out: Lanes): void {
  for (let i = 0; i < out.length; i++) {
    let tail = f32(x[i]! * y[i]!);
    tail = fmaf(tail, z[i]!, f32(e[i]! * LOG_Q1));
    // The last two fused ops, fma(-z, 0.5, tail) and fma(e, Q2, x + tail), have
    // exact products (a halving; a small integer times 9 significant bits), so
    // they round like plain float additions.
    tail = f32(tail - z[i]! * 0.5);
    out[i] = f32(e[i]! * LOG_Q2 + f32(x[i]! + tail));
  }
}

/** `sincos256_ps` for float32 angles in [0, 2π), the only range Box–Muller feeds it. */
export function cephesSinCos(angle: Lanes): { sin: Lanes; cos: Lanes } {
  const octant = new Int32Array(angle.length);
  const x = new Float32Array(angle.length);
  reduceAngle(angle, octant, x);
  const z = square(x);
  const cosPoly = polynomial(z, COS_P);
  const sinPoly = polynomial(z, SIN_P);
  const sin = new Float32Array(angle.length);
  const cos = new Float32Array(angle.length);
  finishSinCos(octant, x, z, cosPoly, sinPoly, sin, cos);
  return { sin, cos };
}

/** Octant j (rounded up to even) and the angle minus j·π/4, subtracted in three parts (Cody–Waite). */
function reduceAngle(angle: Lanes, octant: Int32Array, x: Lanes): void {
  for (let i = 0; i < angle.length; i++) {
    const j = (Math.trunc(f32(angle[i]! * FOUR_OVER_PI)) + 1) & ~1;
    octant[i] = j;
    // j <= 8 and DP1, DP2 have 8 and 11 significant bits: their fused products
    // are exact, so only the DP3 step needs a real fma.
    let reduced = f32(j * MINUS_DP1 + angle[i]!);
    reduced = f32(j * MINUS_DP2 + reduced);
    x[i] = fmaf(j, MINUS_DP3, reduced);
  }
}

const pair = new Float32Array(2);

function finishSinCos(
  octant: Int32Array,
  x: Lanes,
  z: Lanes,
  cosPoly: Lanes,
  sinPoly: Lanes,
  sin: Lanes,
  cos: Lanes,
): void {
  for (let i = 0; i < sin.length; i++) {
    const zi = z[i]!;
    const cosValue = f32(fmaf(zi, f32(zi * cosPoly[i]!), -f32(zi * 0.5)) + 1);
    const sinValue = fmaf(x[i]!, f32(zi * sinPoly[i]!), x[i]!);
    // Octants 2, 3, 6, 7 swap the two polynomials; the octant also sets the
    // signs. Picked by index and multiplied by ±1, not branched on: these bits
    // are random, and mispredicted branches cost more than the maths here.
    const j = octant[i]!;
    const swap = (j >>> 1) & 1;
    pair[0] = sinValue;
    pair[1] = cosValue;
    sin[i] = pair[swap]! * (1 - ((j & 4) >>> 1));
    cos[i] = pair[1 - swap]! * ((((j - 2) & 4) >>> 1) - 1);
  }
}

function square(x: Lanes): Lanes {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! * x[i]!;
  return out;
}

/** Horner's rule with one fused multiply-add per step: ((c0·x + c1)·x + c2)… */
function polynomial(x: Lanes, coefficients: readonly number[]): Lanes {
  const y = new Float32Array(x.length);
  firstHornerStep(y, x, coefficients[0]!, coefficients[1]!);
  for (let k = 2; k < coefficients.length; k++) multiplyAdd(y, x, coefficients[k]!);
  return y;
}

/** y = fma(c0, x, c1) in every lane. */
function firstHornerStep(y: Lanes, x: Lanes, c0: number, c1: number): void {
  for (let i = 0; i < y.length; i++) y[i] = fmaf(c0, x[i]!, c1);
}

/** y = fma(y, x, c) in every lane. */
function multiplyAdd(y: Lanes, x: Lanes, c: number): void {
  for (let i = 0; i < y.length; i++) y[i] = fmaf(y[i]!, x[i]!, c);
}
