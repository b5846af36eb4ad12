/**
 * The sampler interface the diffusion pipeline drives, and the factory that picks an
 * implementation from a model folder's `scheduler/scheduler_config.json`.
 *
 * Each scheduler reproduces the matching diffusers class (same timesteps, sigmas and step
 * arithmetic), so a run seeded like diffusers gives the same latents.
 */
import { schedulerNameForClass, type SchedulerConfig } from "./config.js";
import { DdimScheduler } from "./ddim.js";
import { DpmSolverMultistepScheduler } from "./dpmpp-2m.js";
import { EulerAncestralScheduler } from "./euler-ancestral.js";
import { EulerScheduler } from "./euler.js";
import { LcmScheduler } from "./lcm.js";

export {
  parseSchedulerConfig,
  parseSchedulerConfigText,
  schedulerNameForClass,
  type SchedulerConfig,
} from "./config.js";

export const SCHEDULER_NAMES = ["euler", "euler-ancestral", "ddim", "dpmpp-2m", "dpmpp-2m-karras", "lcm"] as const;
/** "dpmpp-2m-karras" is DPM++ 2M with Karras sigmas forced on; "dpmpp-2m" keeps the config's choice. */
export type SchedulerName = (typeof SCHEDULER_NAMES)[number];

/** Draws `count` standard normal float32 values (the pipeline passes a torch-compatible generator). */
export type NoiseSource = (count: number) => Float32Array;

export interface StepResult {
  prevSample: Float32Array;
  /** The current estimate of the clean latent x0 (for previews; LCM's "denoised"). */
  predOriginalSample: Float32Array;
}

export interface Scheduler {
  readonly name: SchedulerName;
  /** After setTimesteps: the model timesteps, one per denoising step, as the UNet receives them
   * (float values for Euler; integers for DDIM, DPM++ and LCM). */
  readonly timesteps: number[];
  /** Multiply fresh noise by this before the first step. */
  readonly initNoiseSigma: number;
  setTimesteps(steps: number): void;
  /**
   * Index of the first step img2img runs for `strength` in (0, 1], like diffusers' img2img
   * pipelines (init_timestep = min(int(steps * strength), steps); start = steps - init_timestep).
   * Steps carry their index, so no begin index is kept; DPM++ 2M restarts its history. LCM instead
   * re-plans its timesteps for the strength and returns 0, as diffusers' LCM img2img pipeline does:
   * read `timesteps` after calling this.
   */
  beginImg2Img(strength: number): number;
  /** Input scaling before the UNet call at step i (Euler: sample / sqrt(sigma^2 + 1); others identity). */
  scaleModelInput(sample: Float32Array, stepIndex: number): Float32Array;
  /** One denoising step from step `stepIndex` to the next. Steps must run in order (DPM++ keeps history). */
  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, noise: NoiseSource): StepResult;
  /** Noise a clean latent to the noise level of step `stepIndex` (img2img start, inpainting blend). */
  addNoise(original: Float32Array, noise: Float32Array, stepIndex: number): Float32Array;
}

/**
 * Builds the scheduler for a parsed config. `name` overrides the folder's `_class_name`, keeping
 * the folder's betas and options (like diffusers' `OtherScheduler.from_config(pipe.scheduler.config)`).
 */
export function createScheduler(config: SchedulerConfig, name?: SchedulerName): Scheduler {
  const chosen = name ?? schedulerNameForClass(config.className);
  switch (chosen) {
    case "euler":
      return new EulerScheduler(config);
    case "euler-ancestral":
      return new EulerAncestralScheduler(config);
    case "ddim":
      return new DdimScheduler(config);
    case "dpmpp-2m":
      return new DpmSolverMultistepScheduler(config, "dpmpp-2m");
    case "dpmpp-2m-karras":
      return new DpmSolverMultistepScheduler(
        { ...config, useKarrasSigmas: true, useExponentialSigmas: false },
        "dpmpp-2m-karras",
      );
    case "lcm":
      return new LcmScheduler(config);
    default:
      throw new Error(`unknown scheduler: ${String(chosen satisfies never)}`);
  }
}
