/**
 * DDIM (Song et al. 2021, eq. 12 with eta = 0), as diffusers' DDIMScheduler: predict x0 and the
 * noise from the model output, then re-noise x0 deterministically to the previous timestep's
 * alpha-bar. Stochastic DDIM (eta > 0) is not offered: the pipelines default to eta = 0.
 */
import {
  type BetaOptions,
  checkStepIndex,
  checkSteps,
  f32,
  img2imgStartIndex,
  leadingTimesteps,
  makeAlphasCumprod,
  numpyLinspace,
  roundHalfEven,
  trailingTimesteps,
} from "./common.js";
import { withDefaults, type PredictionType, type SchedulerConfig, type TimestepSpacing } from "./config.js";
import type { NoiseSource, Scheduler, SchedulerName, StepResult } from "./scheduler.js";

interface DdimOptions extends BetaOptions {
  predictionType: PredictionType;
  timestepSpacing: TimestepSpacing;
  stepsOffset: number;
  /** Whether the step after the last one has alpha-bar 1 (clean) or alpha-bar of timestep 0. */
  setAlphaToOne: boolean;
  clipSample: boolean;
  clipSampleRange: number;
}

const DDIM_DEFAULTS: DdimOptions = {
  numTrainTimesteps: 1000,
  betaStart: 0.0001,
  betaEnd: 0.02,
  betaSchedule: "linear",
  trainedBetas: undefined,
  rescaleBetasZeroSnr: false,
  predictionType: "epsilon",
  timestepSpacing: "leading",
  stepsOffset: 0,
  setAlphaToOne: true,
  clipSample: true,
  clipSampleRange: 1,
};

export class DdimScheduler implements Scheduler {
  readonly name: SchedulerName = "ddim";
  readonly initNoiseSigma = 1;
  timesteps: number[] = [];
  private readonly options: DdimOptions;
  private readonly alphasCumprod: Float32Array;
  private readonly finalAlphaCumprod: number;

  constructor(config: SchedulerConfig) {
    this.options = withDefaults(config, DDIM_DEFAULTS);
    this.alphasCumprod = makeAlphasCumprod(this.options, false);
    this.finalAlphaCumprod = this.options.setAlphaToOne ? 1 : this.alphasCumprod[0];
  }

  setTimesteps(steps: number): void {
    const o = this.options;
    checkSteps(steps, o.numTrainTimesteps);
    switch (o.timestepSpacing) {
      case "linspace":
        this.timesteps = numpyLinspace(0, o.numTrainTimesteps - 1, steps).map(roundHalfEven).reverse();
        break;
      case "leading":
        this.timesteps = leadingTimesteps(steps, o.numTrainTimesteps).map((t) => t + o.stepsOffset);
        break;
      case "trailing":
        this.timesteps = trailingTimesteps(steps, o.numTrainTimesteps);
        break;
    }
  }

  beginImg2Img(strength: number): number {
    return img2imgStartIndex(this.timesteps.length, strength);
  }

  scaleModelInput(sample: Float32Array, _stepIndex: number): Float32Array {
    return sample;
  }

  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, _noise: NoiseSource): StepResult {
    checkStepIndex(stepIndex, this.timesteps.length);
    const o = this.options;
    const t = this.timesteps[stepIndex];
    // diffusers always looks back num_train_timesteps // steps, whatever the spacing.
    const prevT = t - Math.floor(o.numTrainTimesteps / this.timesteps.length);
    const alphaProd = this.alphasCumprod[t];
    const alphaProdPrev = prevT >= 0 ? this.alphasCumprod[prevT] : this.finalAlphaCumprod;
    const sqrtAlpha = f32(Math.sqrt(alphaProd));
    const sqrtBeta = f32(Math.sqrt(f32(1 - alphaProd)));
    const sqrtAlphaPrev = f32(Math.sqrt(alphaProdPrev));
    const sqrtBetaPrev = f32(Math.sqrt(f32(1 - alphaProdPrev)));

    const predOriginalSample = new Float32Array(sample.length);
    const predEpsilon = new Float32Array(sample.length);
    for (let i = 0; i < sample.length; i++) {
      const x = sample[i];
      const m = modelOutput[i];
      if (o.predictionType === "epsilon") {
        predOriginalSample[i] = f32(x - f32(sqrtBeta * m)) / sqrtAlpha;
        predEpsilon[i] = m;
      } else if (o.predictionType === "sample") {
        predOriginalSample[i] = m;
        predEpsilon[i] = f32(x - f32(sqrtAlpha * m)) / sqrtBeta;
      } else {
        predOriginalSample[i] = f32(sqrtAlpha * x) - f32(sqrtBeta * m);
        predEpsilon[i] = f32(sqrtAlpha * m) + f32(sqrtBeta * x);
      }
    }
    if (o.clipSample) {
      const r = o.clipSampleRange;
      for (let i = 0; i < predOriginalSample.length; i++) {
        predOriginalSample[i] = Math.min(Math.max(predOriginalSample[i], -r), r);
      }
    }
    const prevSample = new Float32Array(sample.length);
    for (let i = 0; i < sample.length; i++) {
      prevSample[i] = f32(sqrtAlphaPrev * predOriginalSample[i]) + f32(sqrtBetaPrev * predEpsilon[i]);
    }
    return { prevSample, predOriginalSample };
  }

  addNoise(original: Float32Array, noise: Float32Array, stepIndex: number): Float32Array {
    checkStepIndex(stepIndex, this.timesteps.length);
    const alphaProd = this.alphasCumprod[this.timesteps[stepIndex]];
    const sqrtAlpha = f32(Math.sqrt(alphaProd));
    const sqrtBeta = f32(Math.sqrt(f32(1 - alphaProd)));
    return original.map((x, i) => f32(sqrtAlpha * x) + f32(sqrtBeta * noise[i]));
  }
}
