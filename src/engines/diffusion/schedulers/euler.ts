/**
 * Euler sampler (Karras et al. 2022, Algorithm 2 without churn), as diffusers'
 * EulerDiscreteScheduler. The sample lives in the variance-exploding parameterisation
 * x = x0 + sigma * noise; each step follows dx/dsigma = (x - x0_pred) / sigma to the next sigma.
 */
import {
  type BetaOptions,
  checkStepIndex,
  checkSteps,
  exponentialSigmas,
  f32,
  float32Log,
  img2imgStartIndex,
  interpolate,
  karrasSigmas,
  leadingTimesteps,
  makeAlphasCumprod,
  numpyLinspace,
  sigmaToTimestep,
  torchLinspace,
  trailingTimesteps,
  trainingSigmas,
} from "./common.js";
import { withDefaults, type PredictionType, type SchedulerConfig, type TimestepSpacing } from "./config.js";
import type { NoiseSource, Scheduler, SchedulerName, StepResult } from "./scheduler.js";

export interface EulerOptions extends BetaOptions {
  predictionType: PredictionType;
  timestepSpacing: TimestepSpacing;
  stepsOffset: number;
  interpolationType: "linear" | "log_linear";
  useKarrasSigmas: boolean;
  useExponentialSigmas: boolean;
  /** Ends of the Karras / exponential schedule; default: the ends of the spaced schedule. */
  sigmaMin?: number;
  sigmaMax?: number;
  timestepType: "discrete" | "continuous";
  finalSigmasType: "zero" | "sigma_min";
}

const EULER_DEFAULTS: EulerOptions = {
  numTrainTimesteps: 1000,
  betaStart: 0.0001,
  betaEnd: 0.02,
  betaSchedule: "linear",
  trainedBetas: undefined,
  rescaleBetasZeroSnr: false,
  predictionType: "epsilon",
  timestepSpacing: "linspace",
  stepsOffset: 0,
  interpolationType: "linear",
  useKarrasSigmas: false,
  useExponentialSigmas: false,
  sigmaMin: undefined,
  sigmaMax: undefined,
  timestepType: "discrete",
  finalSigmasType: "zero",
};

export class EulerScheduler implements Scheduler {
  readonly name: SchedulerName = "euler";
  timesteps: number[] = [];
  /** One sigma per step plus the final one (float32 values, as diffusers stores them). */
  sigmas = new Float32Array(0);
  protected readonly options: EulerOptions;
  protected readonly alphasCumprod: Float32Array;

  constructor(config: SchedulerConfig) {
    this.options = withDefaults(config, EULER_DEFAULTS);
    this.alphasCumprod = makeAlphasCumprod(this.options, true);
  }

  get initNoiseSigma(): number {
    const max = this.sigmas.reduce((a, b) => Math.max(a, b), 0);
    // diffusers' convention: sigma_max for linspace/trailing, sqrt(sigma_max^2 + 1) for leading.
    const spacing = this.options.timestepSpacing;
    return spacing === "linspace" || spacing === "trailing" ? max : f32(Math.sqrt(f32(f32(max * max) + 1)));
  }

  setTimesteps(steps: number): void {
    const o = this.options;
    checkSteps(steps, o.numTrainTimesteps);
    let timesteps = this.spacedTimesteps(steps);
    const table = trainingSigmas(this.alphasCumprod);
    const logSigmas = float32Log(table);
    let sigmas: ArrayLike<number> =
      o.interpolationType === "log_linear"
        ? // n + 1 sigmas (then the final one is appended too): diffusers' log_linear schedule has
          // one sigma too many, so its last step ends at the smallest training sigma.
          torchLinspace(logSigmas[logSigmas.length - 1], logSigmas[0], steps + 1).map(Math.exp)
        : timesteps.map((t) => interpolate(t, table));
    if (o.useKarrasSigmas || o.useExponentialSigmas) {
      const sigmaMin = o.sigmaMin ?? sigmas[sigmas.length - 1];
      const sigmaMax = o.sigmaMax ?? sigmas[0];
      sigmas = (o.useKarrasSigmas ? karrasSigmas : exponentialSigmas)(sigmaMin, sigmaMax, steps);
      timesteps = Array.from(sigmas, (sigma) => f32(sigmaToTimestep(sigma, logSigmas)));
    }
    const finalSigma = o.finalSigmasType === "sigma_min" ? table[0] : 0;
    this.sigmas = Float32Array.from([...Array.from(sigmas), finalSigma]);
    if (o.timestepType === "continuous" && o.predictionType === "v_prediction") {
      // EDM-style conditioning on c_noise = log(sigma) / 4 instead of a training timestep.
      timesteps = Array.from(this.sigmas.subarray(0, steps), (sigma) => f32(0.25 * f32(Math.log(sigma))));
    }
    this.timesteps = timesteps;
  }

  /** The timestep spacings of diffusers' Euler schedulers (float32 values). */
  private spacedTimesteps(steps: number): number[] {
    const o = this.options;
    switch (o.timestepSpacing) {
      case "linspace":
        return numpyLinspace(0, o.numTrainTimesteps - 1, steps).reverse().map(f32);
      case "leading":
        return leadingTimesteps(steps, o.numTrainTimesteps).map((t) => t + o.stepsOffset);
      case "trailing":
        return trailingTimesteps(steps, o.numTrainTimesteps);
    }
  }

  /** Steps carry their index, so unlike diffusers there is no begin index to remember. */
  beginImg2Img(strength: number): number {
    return img2imgStartIndex(this.timesteps.length, strength);
  }

  scaleModelInput(sample: Float32Array, stepIndex: number): Float32Array {
    checkStepIndex(stepIndex, this.timesteps.length);
    const sigma = this.sigmas[stepIndex];
    // The UNet expects unit-variance input: x / sqrt(sigma^2 + 1) (float32 scalar in diffusers).
    const scale = f32(Math.sqrt(f32(f32(sigma * sigma) + 1)));
    return sample.map((x) => x / scale);
  }

  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, _noise: NoiseSource): StepResult {
    checkStepIndex(stepIndex, this.timesteps.length);
    const sigma = this.sigmas[stepIndex];
    const predOriginalSample = denoisedFromSigma(this.options.predictionType, modelOutput, sample, sigma);
    const dt = f32(this.sigmas[stepIndex + 1] - sigma);
    const prevSample = new Float32Array(sample.length);
    for (let i = 0; i < sample.length; i++) {
      const derivative = f32(f32(sample[i] - predOriginalSample[i]) / sigma);
      prevSample[i] = sample[i] + f32(derivative * dt);
    }
    return { prevSample, predOriginalSample };
  }

  addNoise(original: Float32Array, noise: Float32Array, stepIndex: number): Float32Array {
    checkStepIndex(stepIndex, this.timesteps.length);
    const sigma = this.sigmas[stepIndex];
    return original.map((x, i) => x + f32(noise[i] * sigma));
  }
}

/** x0 from the model output for a sample at noise level sigma (variance-exploding form). */
export function denoisedFromSigma(
  prediction: PredictionType,
  modelOutput: Float32Array,
  sample: Float32Array,
  sigma: number,
): Float32Array {
  const out = new Float32Array(sample.length);
  if (prediction === "sample") {
    out.set(modelOutput);
  } else if (prediction === "epsilon") {
    for (let i = 0; i < out.length; i++) out[i] = sample[i] - f32(sigma * modelOutput[i]);
  } else {
    // v = alpha * noise - sigma_t * x0 in the variance-preserving form, rewritten for sigma.
    const c = f32(Math.sqrt(f32(f32(sigma * sigma) + 1)));
    const outScale = f32(-sigma / c);
    const inScale = f32(f32(sigma * sigma) + 1);
    for (let i = 0; i < out.length; i++) out[i] = f32(modelOutput[i] * outScale) + f32(sample[i] / inScale);
  }
  return out;
}
