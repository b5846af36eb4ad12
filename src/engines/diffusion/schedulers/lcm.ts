/**
 * Latent Consistency Model sampler (Luo et al. 2023, Algorithm 1), as diffusers' LCMScheduler.
 * Each step maps the sample straight to a clean estimate with the consistency function
 * f(x, t) = c_skip(t) x + c_out(t) x0_pred, then (except on the last step) re-noises it to the
 * next timestep with fresh noise. Timesteps are a subset of the `original_inference_steps`-point
 * schedule the model was distilled on; `timestep_spacing` and `steps_offset` do not apply.
 */
import {
  type BetaOptions,
  checkStepIndex,
  checkSteps,
  drawNoise,
  f32,
  makeAlphasCumprod,
  numpyLinspace,
} from "./common.js";
import { withDefaults, type PredictionType, type SchedulerConfig } from "./config.js";
import type { NoiseSource, Scheduler, SchedulerName, StepResult } from "./scheduler.js";

interface LcmOptions extends BetaOptions {
  predictionType: PredictionType;
  originalInferenceSteps: number;
  setAlphaToOne: boolean;
  clipSample: boolean;
  clipSampleRange: number;
  /** Multiplies the timestep in the boundary-condition scalings c_skip and c_out. */
  timestepScaling: number;
}

const LCM_DEFAULTS: LcmOptions = {
  numTrainTimesteps: 1000,
  betaStart: 0.00085,
  betaEnd: 0.012,
  betaSchedule: "scaled_linear",
  trainedBetas: undefined,
  rescaleBetasZeroSnr: false,
  predictionType: "epsilon",
  originalInferenceSteps: 50,
  setAlphaToOne: true,
  clipSample: false,
  clipSampleRange: 1,
  timestepScaling: 10,
};

/** sigma_data of the consistency-model parameterisation. */
const SIGMA_DATA = 0.5;

export class LcmScheduler implements Scheduler {
  readonly name: SchedulerName = "lcm";
  readonly initNoiseSigma = 1;
  timesteps: number[] = [];
  private readonly options: LcmOptions;
  private readonly alphasCumprod: Float32Array;
  private readonly finalAlphaCumprod: number;
  /** Steps asked for, and steps planned (fewer when an img2img strength leaves too few timesteps). */
  private requestedSteps = 0;
  private steps = 0;

  constructor(config: SchedulerConfig) {
    this.options = withDefaults(config, LCM_DEFAULTS);
    this.alphasCumprod = makeAlphasCumprod(this.options, false);
    this.finalAlphaCumprod = this.options.setAlphaToOne ? 1 : this.alphasCumprod[0];
    if (this.options.originalInferenceSteps > this.options.numTrainTimesteps) {
      throw new Error("scheduler config: original_inference_steps exceeds num_train_timesteps");
    }
  }

  setTimesteps(steps: number): void {
    checkSteps(steps, this.options.originalInferenceSteps);
    this.requestedSteps = steps;
    this.plan(steps, 1);
  }

  /**
   * Re-plans over the first `strength` of the distillation schedule, as diffusers' LCM img2img
   * pipeline does, and runs every step of it (returns 0). diffusers raises when that part has
   * fewer timesteps than steps; here the run gets that many steps instead.
   */
  beginImg2Img(strength: number): number {
    if (!(strength > 0 && strength <= 1)) throw new RangeError(`strength must be in (0, 1], got ${strength}`);
    this.plan(this.requestedSteps, strength);
    return 0;
  }

  private plan(steps: number, strength: number): void {
    const o = this.options;
    const k = Math.floor(o.numTrainTimesteps / o.originalInferenceSteps);
    const count = Math.trunc(o.originalInferenceSteps * strength);
    if (count < 1) throw new RangeError(`strength ${strength} leaves no LCM timesteps`);
    // The distillation schedule k-1, 2k-1, ..., largest first.
    const origin = Array.from({ length: count }, (_, i) => (count - i) * k - 1);
    const used = Math.min(steps, count);
    this.timesteps = numpyLinspace(0, count, used, false).map((x) => origin[Math.floor(x)]);
    this.steps = used;
  }

  scaleModelInput(sample: Float32Array, _stepIndex: number): Float32Array {
    return sample;
  }

  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, noise: NoiseSource): StepResult {
    checkStepIndex(stepIndex, this.timesteps.length);
    const o = this.options;
    const t = this.timesteps[stepIndex];
    const last = stepIndex === this.steps - 1;
    const prevT = stepIndex + 1 < this.timesteps.length ? this.timesteps[stepIndex + 1] : t;
    const alphaProd = this.alphasCumprod[t];
    const alphaProdPrev = prevT >= 0 ? this.alphasCumprod[prevT] : this.finalAlphaCumprod;
    const sqrtAlpha = f32(Math.sqrt(alphaProd));
    const sqrtBeta = f32(Math.sqrt(f32(1 - alphaProd)));

    // Boundary-condition scalings: c_skip -> 1, c_out -> 0 as t -> 0 (float32 in diffusers,
    // since the timestep arrives as a tensor).
    const scaled = f32(t * o.timestepScaling);
    const scaled2 = f32(f32(scaled * scaled) + SIGMA_DATA ** 2);
    const cSkip = f32(SIGMA_DATA ** 2 / scaled2);
    const cOut = f32(scaled / f32(Math.sqrt(scaled2)));

    const denoised = new Float32Array(sample.length);
    const r = o.clipSampleRange;
    for (let i = 0; i < sample.length; i++) {
      const x = sample[i];
      const m = modelOutput[i];
      let x0: number;
      if (o.predictionType === "epsilon") x0 = f32(f32(x - f32(sqrtBeta * m)) / sqrtAlpha);
      else if (o.predictionType === "sample") x0 = m;
      else x0 = f32(f32(sqrtAlpha * x) - f32(sqrtBeta * m));
      if (o.clipSample) x0 = Math.min(Math.max(x0, -r), r);
      denoised[i] = f32(cOut * x0) + f32(cSkip * x);
    }
    if (last) return { prevSample: denoised.slice(), predOriginalSample: denoised };

    const fresh = drawNoise(noise, modelOutput.length);
    const sqrtAlphaPrev = f32(Math.sqrt(alphaProdPrev));
    const sqrtBetaPrev = f32(Math.sqrt(f32(1 - alphaProdPrev)));
    const prevSample = denoised.map((d, i) => f32(sqrtAlphaPrev * d) + f32(sqrtBetaPrev * fresh[i]));
    return { prevSample, predOriginalSample: denoised };
  }

  addNoise(original: Float32Array, noise: Float32Array, stepIndex: number): Float32Array {
    checkStepIndex(stepIndex, this.timesteps.length);
    const alphaProd = this.alphasCumprod[this.timesteps[stepIndex]];
    const sqrtAlpha = f32(Math.sqrt(alphaProd));
    const sqrtBeta = f32(Math.sqrt(f32(1 - alphaProd)));
    return original.map((x, i) => f32(sqrtAlpha * x) + f32(sqrtBeta * noise[i]));
  }
}
