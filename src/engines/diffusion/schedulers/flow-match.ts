/**
 * diffusers' FlowMatchEulerDiscreteScheduler as FluxPipeline drives it: sigmas from 1 down to
 * 1/steps, shifted (by `shift`, or for FLUX.1 [dev] by a `mu` that grows with the picture's
 * size), then Euler steps along the predicted velocity: x ← x + (σ_next − σ)·v.
 *
 * The arithmetic is float32 where diffusers' is (numpy float32 arrays, float32 tensors), so the
 * sigmas and timesteps equal diffusers' bit for bit (test/fixtures/diffusion/flow-match.json,
 * made by make-flow-match-references.py).
 */
const f = Math.fround;

export interface FlowMatchConfig {
  numTrainTimesteps: number;
  shift: number;
  useDynamicShifting: boolean;
  baseShift: number;
  maxShift: number;
  baseImageSeqLen: number;
  maxImageSeqLen: number;
  /** Options the folder turns on that Easel does not reproduce (worth a warning). */
  unsupported: string[];
}

/** Options Easel does not implement: each changes the sigmas. */
const UNSUPPORTED = ["invert_sigmas", "shift_terminal", "use_karras_sigmas", "use_exponential_sigmas", "use_beta_sigmas", "stochastic_sampling"];

/** Reads scheduler/scheduler_config.json with FlowMatchEulerDiscreteScheduler's defaults. */
export function parseFlowMatchConfig(raw: Record<string, unknown>): FlowMatchConfig {
  const number = (key: string, fallback: number) => {
    const value = raw[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`scheduler config: ${key} must be a number`);
    return value;
  };
  const config = {
    numTrainTimesteps: number("num_train_timesteps", 1000),
    shift: number("shift", 1),
    useDynamicShifting: raw.use_dynamic_shifting === true,
    baseShift: number("base_shift", 0.5),
    maxShift: number("max_shift", 1.15),
    baseImageSeqLen: number("base_image_seq_len", 256),
    maxImageSeqLen: number("max_image_seq_len", 4096),
    unsupported: UNSUPPORTED.filter((key) => raw[key] !== undefined && raw[key] !== null && raw[key] !== false),
  };
  if (config.numTrainTimesteps < 1 || config.shift <= 0 || config.maxImageSeqLen === config.baseImageSeqLen) {
    throw new Error("scheduler config: num_train_timesteps, shift or the image sequence lengths are out of range");
  }
  return config;
}

/** FluxPipeline's calculate_shift: mu grows linearly with the packed latent's length. */
export function dynamicShift(config: FlowMatchConfig, imageSeqLen: number): number {
  const m = (config.maxShift - config.baseShift) / (config.maxImageSeqLen - config.baseImageSeqLen);
  const b = config.baseShift - m * config.baseImageSeqLen;
  return imageSeqLen * m + b;
}

export interface FlowSchedule {
  /** steps + 1 values, the last 0. */
  sigmas: Float32Array;
  /** σ · num_train_timesteps, one per step. */
  timesteps: Float32Array;
  /** What the transformer receives: FLUX's timestep / 1000; SD3's timestep itself. */
  modelTimesteps: Float32Array;
  /** The dynamic shift used (FLUX.1 [dev]), for explain. */
  mu?: number;
}

export function flowSchedule(config: FlowMatchConfig, steps: number, imageSeqLen: number): FlowSchedule {
  const mu = config.useDynamicShifting ? dynamicShift(config, imageSeqLen) : undefined;
  const sigmas = new Float32Array(steps + 1);
  const timesteps = new Float32Array(steps);
  const modelTimesteps = new Float32Array(steps);
  // np.linspace(1, 1/steps, steps): start + i·step in float64, the last value exact; then float32.
  const step = steps > 1 ? (1 / steps - 1) / (steps - 1) : 0;
  for (let i = 0; i < steps; i++) {
    const s = f(i === steps - 1 ? 1 / steps : 1 + i * step);
    const shifted =
      mu !== undefined
        ? f(f(Math.exp(mu)) / f(f(Math.exp(mu)) + f(f(1 / s) - 1)))
        : f(f(f(config.shift) * s) / f(1 + f(f(config.shift - 1) * s)));
    sigmas[i] = shifted;
    timesteps[i] = f(shifted * config.numTrainTimesteps);
    modelTimesteps[i] = f(timesteps[i] / 1000);
  }
  return { sigmas, timesteps, modelTimesteps, mu };
}

/**
 * StableDiffusion3Pipeline's schedule, from the step count alone: timesteps evenly spaced
 * between the ends of the training sigmas (already shifted, in float32), then shifted again,
 * in float64, and cast to float32, as diffusers' set_timesteps does without `sigmas`.
 */
export function flowScheduleFromSteps(config: FlowMatchConfig, steps: number): FlowSchedule {
  const n = config.numTrainTimesteps;
  const shift = f(config.shift);
  const trained = (t: number) => {
    const s = f(t / n);
    return f(f(shift * s) / f(1 + f(f(shift - 1) * s)));
  };
  const [sigmaMax, sigmaMin] = [trained(n), trained(1)];
  const sigmas = new Float32Array(steps + 1);
  const timesteps = new Float32Array(steps);
  const start = sigmaMax * n;
  const step = steps > 1 ? (sigmaMin * n - start) / (steps - 1) : 0;
  for (let i = 0; i < steps; i++) {
    const s = (i === steps - 1 && steps > 1 ? sigmaMin * n : start + i * step) / n;
    sigmas[i] = f((config.shift * s) / (1 + (config.shift - 1) * s));
    timesteps[i] = f(sigmas[i] * n);
  }
  return { sigmas, timesteps, modelTimesteps: timesteps.slice() };
}

/** FluxImg2ImgPipeline's first step for a strength: the schedule runs from there. */
export function img2imgStart(steps: number, strength: number): number {
  const init = Math.min(steps * strength, steps);
  return Math.trunc(Math.max(steps - init, 0));
}

/** One Euler step along the velocity, in place: x ← x + (σ_next − σ)·v. */
export function flowStep(sample: Float32Array, velocity: Float32Array, sigma: number, sigmaNext: number): void {
  const delta = f(sigmaNext - sigma);
  for (let i = 0; i < sample.length; i++) sample[i] = f(sample[i] + f(delta * velocity[i]));
}

/** The forward process at σ (img2img's start, inpainting's blend): σ·noise + (1 − σ)·x0. */
export function scaleNoise(clean: Float32Array, noise: Float32Array, sigma: number): Float32Array {
  const keep = f(1 - sigma);
  return clean.map((x, i) => f(f(sigma * noise[i]) + f(keep * x)));
}
