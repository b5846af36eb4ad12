/**
 * A bit-exact replica of `torch.Generator("cpu")` + `torch.randn(..., dtype=float32)`.
 *
 * Why: diffusers draws the initial latents with
 * `torch.randn(shape, generator=torch.Generator("cpu").manual_seed(seed))`.
 * Reproducing that stream exactly means a given seed gives the same starting
 * noise, and so (up to the model's own float differences) the same image, as
 * Hugging Face diffusers on CPU.
 *
 * What PyTorch does (read from ATen and checked against torch 2.13 output):
 *
 * - Engine: MT19937 seeded with the low 32 bits of the uint64 seed
 *   (`at::mt19937`, classic init_genrand). `manual_seed` also clears the cached
 *   Box–Muller value below. Negative seeds are taken modulo 2^64, so only
 *   `seed mod 2^32` matters in the end.
 * - Float uniform: `(next32() & (2^24 - 1)) * 2^-24`, in [0, 1).
 *   Double uniform: 64 bits from two draws, `(hi << 32 | lo) & (2^53 - 1)`, times 2^-53.
 * - `randn` with 16 or more elements (contiguous float32, `normal_fill`):
 *   1. fill the whole output with float uniforms;
 *   2. for every full block of 16, Box–Muller pairs element j (radius, from
 *      1 - u) with element j + 8 (angle) and writes cos to j, sin to j + 8;
 *   3. if the size is not a multiple of 16, draw 16 *fresh* uniforms into the
 *      last 16 slots (overwriting values already computed) and transform them.
 *   So a call of n >= 16 consumes n draws, plus 16 if n % 16 != 0.
 *   On x86 with AVX2 (AVX-512 machines use the same kernel) step 2 uses Cephes
 *   float32 log/sincos with FMA, not libm: see box-muller-avx2.ts. (Torch builds
 *   without AVX2, e.g. on ARM, use libm there and give slightly different bits.)
 * - `randn` with fewer than 16 elements (`normal_distribution<double>`): each
 *   element takes two double uniforms u1, u2 and returns
 *   `sqrt(-2 log1p(-u2)) * cos(2π u1)` rounded to float32, caching the matching
 *   `sin` value in the generator; the next small-tensor element (in this call or
 *   a later one) uses the cached value instead of drawing. Large tensors neither
 *   read nor clear that cache.
 *
 * The small path uses double `log1p`/`sin`/`cos`; V8's and glibc's may differ in
 * the last double bit, which changes the float32 result only with probability
 * around 2^-29 per value.
 */

import { boxMullerBlocks } from "./box-muller-avx2.js";
import { Mt19937 } from "./mt19937.js";

const FLOAT_MANTISSA_MASK = 0xffffff; // 24 bits
const TWO_POW_MINUS_24 = 2 ** -24;
const TWO_POW_MINUS_53 = 2 ** -53;
const TWO_POW_32 = 2 ** 32;
const DOUBLE_HIGH_MASK = 0x1fffff; // the top 21 of the 53 bits

/** The smallest tensor that takes PyTorch's vectorised `normal_fill` path. */
const VECTOR_BLOCK = 16;

export class TorchGenerator {
  private engine!: Mt19937;
  private cachedNormal: number | undefined;

  /** Same as `torch.Generator("cpu").manual_seed(seed)`. */
  constructor(seed: number | bigint) {
    this.manualSeed(seed);
  }

  /** Reseed, like `Generator.manual_seed`: restarts the stream and drops the cached normal. */
  manualSeed(seed: number | bigint): this {
    this.engine = new Mt19937(lowSeedBits(seed));
    this.cachedNormal = undefined;
    return this;
  }

  /**
   * Same as `torch.randn(count, generator=g, dtype=torch.float32)` flattened.
   * Successive calls continue the stream exactly like successive torch.randn
   * calls on the same generator. Only the element count matters, not the shape.
   */
  randn(count: number): Float32Array {
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new RangeError(`randn count must be a non-negative integer, got ${count}`);
    }
    const out = new Float32Array(count);
    if (count >= VECTOR_BLOCK) this.fillNormalVectorised(out);
    else for (let i = 0; i < count; i++) out[i] = this.nextScalarNormal();
    return out;
  }

  /** `uniform_real_distribution<float>(0, 1)` into data[start..end). */
  private fillFloatUniforms(data: Float32Array, start: number, end: number): void {
    const engine = this.engine;
    for (let i = start; i < end; i++) {
      data[i] = (engine.nextUint32() & FLOAT_MANTISSA_MASK) * TWO_POW_MINUS_24;
    }
  }

  private nextDoubleUniform(): number {
    const high = this.engine.nextUint32() & DOUBLE_HIGH_MASK;
    const low = this.engine.nextUint32();
    return (high * TWO_POW_32 + low) * TWO_POW_MINUS_53;
  }

  /** ATen `normal_fill` for float32: uniforms first, then Box–Muller in blocks of 16. */
  private fillNormalVectorised(data: Float32Array): void {
    const size = data.length;
    this.fillFloatUniforms(data, 0, size);
    boxMullerBlocks(data, 0, Math.floor(size / VECTOR_BLOCK));
    if (size % VECTOR_BLOCK !== 0) {
      const tail = size - VECTOR_BLOCK;
      this.fillFloatUniforms(data, tail, size);
      boxMullerBlocks(data, tail, 1);
    }
  }

  /** ATen `normal_distribution<double>`, with its cached second value. */
  private nextScalarNormal(): number {
    if (this.cachedNormal !== undefined) {
      const cached = this.cachedNormal;
      this.cachedNormal = undefined;
      return cached + 0; // `* std + mean` with std 1, mean 0: only turns -0 into +0
    }
    const u1 = this.nextDoubleUniform();
    const u2 = this.nextDoubleUniform();
    const radius = Math.sqrt(-2 * Math.log1p(-u2));
    const theta = 2 * Math.PI * u1;
    this.cachedNormal = radius * Math.sin(theta);
    return radius * Math.cos(theta) + 0;
  }
}

/**
 * torch accepts seeds in [-2^63, 2^64) and treats them as uint64 (two's
 * complement); MT19937 then keeps only the low 32 bits.
 */
function lowSeedBits(seed: number | bigint): number {
  if (typeof seed === "bigint") {
    if (seed < -(2n ** 63n) || seed >= 2n ** 64n) {
      throw new RangeError(`seed must be in [-2^63, 2^64), got ${seed}`);
    }
    return Number(BigInt.asUintN(32, seed));
  }
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`seed must be a safe integer (use a bigint beyond 2^53), got ${seed}`);
  }
  // `>>> 0` is ToUint32: the value modulo 2^32, exact for any safe integer.
  return seed >>> 0;
}
