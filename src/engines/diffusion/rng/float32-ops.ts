/**
 * Float32 arithmetic in JavaScript doubles. `Math.fround(a op b)` is already the
 * exact float32 result for +, -, *, / and sqrt of float32 inputs (a double has
 * more than twice float32's precision, so rounding twice cannot go wrong). A
 * fused multiply-add is the one operation that needs care: see `fmaf`.
 */

export const f32 = Math.fround;

/**
 * `fma(a, b, c)` for float32 inputs, rounded once to float32, exactly like the
 * x86 `vfmadd` instructions that GCC emits for PyTorch's AVX2 kernels.
 *
 * `a * b` is exact in a double (24 + 24 bits < 53), so `a * b + c` is the true
 * result rounded once to a double. Rounding that double again to float32 is
 * correct unless the double landed exactly halfway between two floats while
 * the true sum was not; then the sign of the lost error decides.
 */
export function fmaf(a: number, b: number, c: number): number {
  const product = a * b;
  const sum = product + c;
  const rounded = f32(sum);
  // If `sum` is halfway between two floats, `mirror` is the other one of them.
  const mirror = 2 * sum - rounded;
  if (rounded === sum || f32(mirror) !== mirror) return rounded;
  // Halfway (rare): two-sum gives the exact error of `product + c`, whose sign
  // says which neighbour the true result is closer to. Plain operators only,
  // no calls: a call on this rarely taken path makes V8 deoptimise the loop.
  const cPart = sum - product;
  const productPart = sum - cPart;
  const error = product - productPart + (c - cPart);
  if (error === 0) return rounded; // a true tie: fround already rounded it to even
  return error > 0 === mirror > rounded ? mirror : rounded;
}
