/**
 * A bit-exact replica of numpy's legacy `np.random.RandomState(seed).randn(n).astype(np.float32)`.
 *
 * Why: diffusers' ONNX pipelines (OnnxStableDiffusionPipeline and friends) draw
 * their initial latents with `generator.randn(*shape).astype(np.float32)`, where
 * `generator` is `np.random` or a user's `np.random.RandomState(seed)`.
 * Reproducing that stream lets a seed give the same starting noise as those
 * pipelines.
 *
 * What numpy does (read from numpy/random and checked against numpy 2.4 output;
 * the legacy stream is frozen, so numpy 1.x gives the same values):
 *
 * - Engine: MT19937. An integer seed must lie in [0, 2^32 - 1] (numpy raises
 *   ValueError otherwise) and goes through the classic `init_genrand`
 *   (`mt19937_seed`), not `init_by_array`; seeding also clears the cached
 *   Gaussian below.
 * - Double uniform (`mt19937_next_double`): `a = next32() >> 5` (27 bits),
 *   `b = next32() >> 6` (26 bits), `(a * 2^26 + b) / 2^53`, in [0, 1).
 * - Normal (`legacy_gauss`, Marsaglia's polar method, all in float64): draw
 *   x1, x2 = 2u - 1 until 0 < r2 = x1² + x2² < 1, then f = sqrt(-2 log(r2) / r2);
 *   return f·x2 and cache f·x1 for the next draw. The cache lives in the
 *   generator, so it carries over between randn calls.
 * - `randn` fills a float64 array in index order; `.astype(np.float32)` rounds
 *   each value to nearest, which is what storing into a Float32Array does.
 *
 * `log` is the only step that is not exactly specified: V8's `Math.log` and
 * glibc's `log` differ in the last bit for about 7% of the r2 values here, so
 * about 3% of the float64 normals differ by 1 to 3 ulp. That changes the
 * float32 result only when the double sits right at a float32 rounding
 * boundary (odds around 2^-29 each): in 20 million values checked against
 * numpy none did, and the fixture hashes about 2 million of them.
 */

import { Mt19937 } from "./mt19937.js";

const TWO_POW_26 = 2 ** 26;
const TWO_POW_MINUS_53 = 2 ** -53;
const MAX_SEED = 2 ** 32 - 1;

export class NumpyRandomState {
  private readonly engine: Mt19937;
  /** `legacy_gauss`'s second polar value, waiting for the next draw (numpy's has_gauss/gauss). */
  private cachedGauss: number | undefined;

  /** Same as `np.random.RandomState(seed)` for an integer seed in [0, 2^32 - 1]. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
      throw new RangeError(`seed must be an integer in [0, 2^32 - 1], got ${seed}`);
    }
    this.engine = new Mt19937(seed);
    this.cachedGauss = undefined;
  }

  /**
   * Same as `rs.randn(count).astype(np.float32)` flattened (only the element
   * count matters, not the shape). Successive calls continue the stream,
   * including a cached second Gaussian left by an odd-sized call.
   */
  randn(count: number): Float32Array {
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new RangeError(`randn count must be a non-negative integer, got ${count}`);
    }
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.nextGauss();
    return out;
  }

  /** `mt19937_next_double`: 53 random bits from two draws, scaled into [0, 1). */
  private nextDouble(): number {
    const high = this.engine.nextUint32() >>> 5;
    const low = this.engine.nextUint32() >>> 6;
    return (high * TWO_POW_26 + low) * TWO_POW_MINUS_53;
  }

  /** `legacy_gauss`: the polar method in float64, returning one value and caching the other. */
  private nextGauss(): number {
    if (this.cachedGauss !== undefined) {
      const cached = this.cachedGauss;
      this.cachedGauss = undefined;
      return cached;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.nextDouble() - 1;
      x2 = 2 * this.nextDouble() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.cachedGauss = f * x1;
    return f * x2;
  }
}
