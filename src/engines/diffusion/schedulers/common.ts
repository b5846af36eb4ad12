/**
 * Noise-schedule math shared by the schedulers: betas, alphas_cumprod, timestep spacings,
 * sigma schedules (Karras et al. 2022) and the sigma <-> timestep interpolation.
 *
 * Constants are computed in float64, except where diffusers keeps them in float32 torch tensors
 * (betas, alphas_cumprod, sigmas): there every operation is rounded with Math.fround, which gives
 * the same bits as torch's float32 arithmetic (a float64 result of +, -, *, / or sqrt on float32
 * inputs rounds to the correctly rounded float32 result). Tables that diffusers holds in float32
 * are Float32Arrays here. The step functions round each element-wise operation the same way, which
 * matters where large terms cancel (sigma ~ 4096 at the first step of a zero-terminal-SNR schedule).
 */
import type { BetaSchedule } from "./config.js";

export const f32 = Math.fround;

export interface BetaOptions {
  numTrainTimesteps: number;
  betaStart: number;
  betaEnd: number;
  betaSchedule: BetaSchedule;
  trainedBetas?: number[];
  rescaleBetasZeroSnr: boolean;
}

/** torch.linspace(start, end, steps, dtype=float32) bit for bit: the CPU kernel works in float32,
 * fills the first half upwards from start and the second half downwards from end, and the
 * compiler fuses `start + step * i` into one multiply-add (a single rounding). */
export function torchLinspace(start: number, end: number, steps: number): Float32Array {
  const out = new Float32Array(steps);
  const s = f32(start);
  const e = f32(end);
  if (steps === 1) {
    out[0] = s;
    return out;
  }
  const step = f32(f32(e - s) / (steps - 1));
  const halfway = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) out[i] = i < halfway ? s + step * i : e - step * (steps - i - 1);
  return out;
}

/** np.linspace(start, stop, num, endpoint) in float64. */
export function numpyLinspace(start: number, stop: number, num: number, endpoint = true): number[] {
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  const out = Array.from({ length: num }, (_, i) => i * step + start);
  if (endpoint && num > 1) out[num - 1] = stop;
  return out;
}

/** np.arange(start, stop, step) for floats: the length is ceil((stop - start) / step) and the
 * values come from the first difference, exactly as numpy fills them. */
export function numpyArange(start: number, stop: number, step: number): number[] {
  const length = Math.max(Math.ceil((stop - start) / step), 0);
  const out: number[] = [];
  const delta = start + step - start;
  for (let i = 0; i < length; i++) out.push(i === 0 ? start : i === 1 ? start + step : start + i * delta);
  return out;
}

/** np.round: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Glide's cosine schedule (Nichol & Dhariwal 2021), computed in float64 and stored as float32. */
function squaredCosineBetas(count: number, maxBeta = 0.999): Float32Array {
  const alphaBar = (t: number) => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
  const betas = new Float32Array(count);
  for (let i = 0; i < count; i++) betas[i] = Math.min(1 - alphaBar((i + 1) / count) / alphaBar(i / count), maxBeta);
  return betas;
}

export function makeBetas(o: BetaOptions): Float32Array {
  if (o.trainedBetas) return Float32Array.from(o.trainedBetas);
  switch (o.betaSchedule) {
    case "linear":
      return torchLinspace(o.betaStart, o.betaEnd, o.numTrainTimesteps);
    case "scaled_linear":
      // Linear in sqrt(beta): the latent-diffusion schedule of Stable Diffusion.
      return torchLinspace(Math.sqrt(o.betaStart), Math.sqrt(o.betaEnd), o.numTrainTimesteps).map((b) => b * b);
    case "squaredcos_cap_v2":
      return squaredCosineBetas(o.numTrainTimesteps);
  }
}

/** torch.cumprod on float32: the CPU kernel accumulates in float64 and rounds each output. */
function cumprod(values: Float32Array): Float32Array {
  const out = new Float32Array(values.length);
  let product = 1;
  for (let i = 0; i < values.length; i++) out[i] = product *= values[i];
  return out;
}

/** Lin et al. 2023 ("Common diffusion noise schedules and sample steps are flawed"): shift and
 * scale sqrt(alphas_cumprod) so the last timestep has exactly zero signal. */
export function rescaleZeroTerminalSnr(betas: Float32Array): Float32Array {
  const root = cumprod(betas.map((b) => 1 - b)).map(Math.sqrt);
  const first = root[0];
  const last = root[root.length - 1];
  const scale = f32(first / f32(first - last));
  const bar = root.map((r) => f32(f32(r - last) * scale) ** 2);
  return bar.map((b, i) => 1 - (i === 0 ? b : f32(b / bar[i - 1])));
}

/**
 * alphas_cumprod (alpha-bar) for each training timestep. With zero terminal SNR the sigma-based
 * schedulers pin the last value to 2^-24 so that its sigma stays finite; DDIM and LCM keep 0.
 */
export function makeAlphasCumprod(o: BetaOptions, sigmaBased: boolean): Float32Array {
  let betas = makeBetas(o);
  if (o.rescaleBetasZeroSnr) betas = rescaleZeroTerminalSnr(betas);
  const alphasCumprod = cumprod(betas.map((b) => 1 - b));
  if (o.rescaleBetasZeroSnr && sigmaBased) alphasCumprod[alphasCumprod.length - 1] = 2 ** -24;
  return alphasCumprod;
}

/** sigma(t) = sqrt((1 - alpha_bar) / alpha_bar), the noise level in the variance-exploding view. */
export function trainingSigmas(alphasCumprod: Float32Array): Float32Array {
  return alphasCumprod.map((a) => Math.sqrt(f32(f32(1 - a) / a)));
}

/** log of a float32 table, correctly rounded to float32. (numpy's SIMD float32 log is off by one
 * ulp for some inputs, differently per CPU; diffusers' Karras timesteps vary by ~1e-4 with it.) */
export function float32Log(values: Float32Array): Float32Array {
  return values.map(Math.log);
}

/** np.interp(x, [0, 1, ..., n-1], table). */
export function interpolate(x: number, table: ArrayLike<number>): number {
  const last = table.length - 1;
  if (x <= 0) return table[0];
  if (x >= last) return table[last];
  const j = Math.floor(x);
  if (x === j) return table[j];
  return (table[j + 1] - table[j]) * (x - j) + table[j];
}

/** Karras et al. 2022, eq. 5: sigmas evenly spaced in sigma^(1/rho), rho = 7. */
export function karrasSigmas(sigmaMin: number, sigmaMax: number, count: number): number[] {
  const rho = 7;
  const minInvRho = sigmaMin ** (1 / rho);
  const maxInvRho = sigmaMax ** (1 / rho);
  return numpyLinspace(0, 1, count).map((ramp) => (maxInvRho + ramp * (minInvRho - maxInvRho)) ** rho);
}

/** Sigmas evenly spaced in log(sigma). */
export function exponentialSigmas(sigmaMin: number, sigmaMax: number, count: number): number[] {
  return numpyLinspace(Math.log(sigmaMax), Math.log(sigmaMin), count).map(Math.exp);
}

/** The (fractional) training timestep whose sigma is `sigma`: linear interpolation in log(sigma)
 * between the two neighbouring training timesteps, clamped to the table. */
export function sigmaToTimestep(sigma: number, logSigmas: Float32Array): number {
  const logSigma = Math.log(Math.max(sigma, 1e-10));
  let low = 0;
  for (let i = 0; i < logSigmas.length; i++) if (logSigmas[i] <= logSigma) low = i;
  low = Math.min(low, logSigmas.length - 2);
  const w = Math.min(Math.max((logSigmas[low] - logSigma) / (logSigmas[low] - logSigmas[low + 1]), 0), 1);
  return (1 - w) * low + w * (low + 1);
}

/** "leading" spacing before steps_offset: multiples of floor(range / count), largest first. */
export function leadingTimesteps(count: number, range: number): number[] {
  const ratio = Math.floor(range / count);
  return Array.from({ length: count }, (_, i) => (count - 1 - i) * ratio);
}

/** "trailing" spacing (Lin et al. 2023): count back from `start` in steps of numTrain / steps,
 * so the first step is always the last training timestep. */
export function trailingTimesteps(steps: number, numTrainTimesteps: number, start = numTrainTimesteps): number[] {
  return numpyArange(start, 0, -numTrainTimesteps / steps).map((t) => roundHalfEven(t) - 1);
}

/** diffusers' img2img start: skip the first (1 - strength) of the steps. */
export function img2imgStartIndex(steps: number, strength: number): number {
  if (!(strength > 0 && strength <= 1)) throw new RangeError(`strength must be in (0, 1], got ${strength}`);
  const initTimestep = Math.min(Math.trunc(steps * strength), steps);
  return Math.max(steps - initTimestep, 0);
}

export function checkSteps(steps: number, max: number): void {
  if (!Number.isInteger(steps) || steps < 1 || steps > max) {
    throw new RangeError(`number of steps must be an integer from 1 to ${max}, got ${steps}`);
  }
}

export function checkStepIndex(stepIndex: number, count: number): void {
  if (!Number.isInteger(stepIndex) || stepIndex < 0 || stepIndex >= count) {
    throw new RangeError(`step index ${stepIndex} is outside the ${count} planned steps (call setTimesteps first)`);
  }
}

/** Draws one noise tensor of `count` values and checks the generator kept its promise. */
export function drawNoise(noise: (count: number) => Float32Array, count: number): Float32Array {
  const values = noise(count);
  if (values.length !== count) throw new Error(`noise source returned ${values.length} values, expected ${count}`);
  return values;
}
