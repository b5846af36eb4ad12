/**
 * DPM-Solver++(2M) (Lu et al. 2022, Algorithm 2), as diffusers' DPMSolverMultistepScheduler with
 * algorithm_type "dpmsolver++". It integrates the diffusion ODE in the data-prediction form over
 * lambda = log(alpha_t / sigma_t), reusing the previous step's x0 prediction for a second-order
 * correction ("midpoint", or diffusers' "heun" variant).
 *
 * Only solver orders 1 and 2 are implemented (a config asking for 3 runs as 2), and only the
 * deterministic dpmsolver++ algorithm (the SDE variants and the deprecated "dpmsolver" are not).
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
  roundHalfEven,
  sigmaToTimestep,
  trailingTimesteps,
  trainingSigmas,
} from "./common.js";
import { withDefaults, type PredictionType, type SchedulerConfig, type TimestepSpacing } from "./config.js";
import type { NoiseSource, Scheduler, SchedulerName, StepResult } from "./scheduler.js";

interface DpmOptions extends BetaOptions {
  predictionType: PredictionType;
  timestepSpacing: TimestepSpacing;
  stepsOffset: number;
  solverOrder: number;
  solverType: "midpoint" | "heun";
  /** Fall back to first order on the last step of short (< 15 steps) schedules, for stability. */
  lowerOrderFinal: boolean;
  eulerAtFinal: boolean;
  useKarrasSigmas: boolean;
  useExponentialSigmas: boolean;
  finalSigmasType: "zero" | "sigma_min";
  /** Skip timesteps whose log-SNR / 2 is below this (cuts the noisiest end of the schedule). */
  lambdaMinClipped: number;
}

const DPM_DEFAULTS: DpmOptions = {
  numTrainTimesteps: 1000,
  betaStart: 0.0001,
  betaEnd: 0.02,
  betaSchedule: "linear",
  trainedBetas: undefined,
  rescaleBetasZeroSnr: false,
  predictionType: "epsilon",
  timestepSpacing: "linspace",
  stepsOffset: 0,
  solverOrder: 2,
  solverType: "midpoint",
  lowerOrderFinal: true,
  eulerAtFinal: false,
  useKarrasSigmas: false,
  useExponentialSigmas: false,
  finalSigmasType: "zero",
  lambdaMinClipped: -Infinity,
};

/** alpha_t = 1 / sqrt(sigma^2 + 1) and sigma_t = sigma * alpha_t (float32, as diffusers). */
function alphaSigma(sigma: number): [number, number] {
  const alpha = f32(1 / f32(Math.sqrt(f32(f32(sigma * sigma) + 1))));
  return [alpha, f32(sigma * alpha)];
}

/** lambda = log(alpha_t) - log(sigma_t), half the log signal-to-noise ratio. */
function lambdaOf(alpha: number, sigma: number): number {
  return f32(f32(Math.log(alpha)) - f32(Math.log(sigma)));
}

export class DpmSolverMultistepScheduler implements Scheduler {
  readonly initNoiseSigma = 1;
  timesteps: number[] = [];
  /** One sigma per step plus the final one (float32 values). */
  sigmas = new Float32Array(0);
  private readonly options: DpmOptions;
  private readonly alphasCumprod: Float32Array;
  /** The previous step's x0 prediction, for the second-order update. */
  private previous: { stepIndex: number; predOriginalSample: Float32Array } | undefined;

  constructor(
    config: SchedulerConfig,
    readonly name: SchedulerName = "dpmpp-2m",
  ) {
    this.options = withDefaults(config, DPM_DEFAULTS);
    this.alphasCumprod = makeAlphasCumprod(this.options, true);
  }

  /** One past the largest usable training timestep, after lambda_min_clipped. */
  private lastTimestep(): number {
    const ac = this.alphasCumprod;
    let clipped = 0; // timesteps whose lambda is below the clip (they are the noisiest ones)
    for (let t = 0; t < ac.length; t++) {
      const lambda = lambdaOf(f32(Math.sqrt(ac[t])), f32(Math.sqrt(f32(1 - ac[t]))));
      if (lambda < this.options.lambdaMinClipped) clipped++;
    }
    return this.options.numTrainTimesteps - clipped;
  }

  setTimesteps(steps: number): void {
    const o = this.options;
    checkSteps(steps, o.numTrainTimesteps);
    const last = this.lastTimestep();
    let timesteps: number[];
    switch (o.timestepSpacing) {
      case "linspace":
        // steps + 1 points, dropping the final 0: the solver ends at the last sigma instead.
        timesteps = numpyLinspace(0, last - 1, steps + 1).map(roundHalfEven).reverse().slice(0, steps);
        break;
      case "leading":
        timesteps = leadingTimesteps(steps + 1, last)
          .slice(0, steps)
          .map((t) => t + o.stepsOffset);
        break;
      case "trailing":
        timesteps = trailingTimesteps(steps, o.numTrainTimesteps, last);
        break;
    }
    const table = trainingSigmas(this.alphasCumprod);
    let sigmas: number[];
    if (o.useKarrasSigmas || o.useExponentialSigmas) {
      const schedule = o.useKarrasSigmas ? karrasSigmas : exponentialSigmas;
      sigmas = schedule(table[0], table[table.length - 1], steps);
      const logSigmas = float32Log(table);
      // Karras timesteps are rounded (except for the cosine schedule); all are then truncated to ints.
      const round = o.useKarrasSigmas && o.betaSchedule !== "squaredcos_cap_v2";
      timesteps = sigmas.map((sigma) => {
        const t = sigmaToTimestep(sigma, logSigmas);
        return Math.trunc(round ? roundHalfEven(t) : t);
      });
    } else {
      sigmas = timesteps.map((t) => interpolate(t, table));
    }
    const finalSigma = o.finalSigmasType === "sigma_min" ? table[0] : 0;
    this.sigmas = Float32Array.from([...sigmas, finalSigma]);
    this.timesteps = timesteps;
    this.previous = undefined;
  }

  beginImg2Img(strength: number): number {
    this.previous = undefined;
    return img2imgStartIndex(this.timesteps.length, strength);
  }

  scaleModelInput(sample: Float32Array, _stepIndex: number): Float32Array {
    return sample;
  }

  /** The data prediction x0 that DPM-Solver++ integrates. */
  private predictOriginal(modelOutput: Float32Array, sample: Float32Array, stepIndex: number): Float32Array {
    const [alpha, sigma] = alphaSigma(this.sigmas[stepIndex]);
    const out = new Float32Array(sample.length);
    for (let i = 0; i < out.length; i++) {
      if (this.options.predictionType === "epsilon") out[i] = f32(sample[i] - f32(sigma * modelOutput[i])) / alpha;
      else if (this.options.predictionType === "sample") out[i] = modelOutput[i];
      else out[i] = f32(alpha * sample[i]) - f32(sigma * modelOutput[i]);
    }
    return out;
  }

  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, _noise: NoiseSource): StepResult {
    checkStepIndex(stepIndex, this.timesteps.length);
    const o = this.options;
    const count = this.timesteps.length;
    const x0 = this.predictOriginal(modelOutput, sample, stepIndex);
    // The last step is first order when asked, and always when it ends at sigma 0 (where the
    // second-order term would vanish anyway but lambda is infinite).
    const lowerOrderFinal =
      stepIndex === count - 1 &&
      (o.eulerAtFinal || (o.lowerOrderFinal && count < 15) || o.finalSigmasType === "zero");
    const previous = this.previous?.stepIndex === stepIndex - 1 ? this.previous.predOriginalSample : undefined;

    const [alphaS0, sigmaS0] = alphaSigma(this.sigmas[stepIndex]);
    const [alphaT, sigmaT] = alphaSigma(this.sigmas[stepIndex + 1]);
    const lambdaS0 = lambdaOf(alphaS0, sigmaS0);
    const h = f32(lambdaOf(alphaT, sigmaT) - lambdaS0);
    const expMinusH = f32(Math.exp(-h));
    const sampleScale = f32(sigmaT / sigmaS0);
    const x0Scale = f32(alphaT * f32(expMinusH - 1));

    const prevSample = new Float32Array(sample.length);
    if (o.solverOrder === 1 || previous === undefined || lowerOrderFinal) {
      // First order: DDIM in the data-prediction form.
      for (let i = 0; i < sample.length; i++) prevSample[i] = f32(sampleScale * sample[i]) - f32(x0Scale * x0[i]);
    } else {
      const [alphaS1, sigmaS1] = alphaSigma(this.sigmas[stepIndex - 1]);
      const r0 = f32(f32(lambdaS0 - lambdaOf(alphaS1, sigmaS1)) / h);
      const invR0 = f32(1 / r0);
      // D1 = (x0 - previous x0) / r0 approximates h * dx0/dlambda.
      const d1Scale =
        o.solverType === "midpoint" ? -0.5 * x0Scale : f32(alphaT * f32(f32(f32(expMinusH - 1) / h) + 1));
      for (let i = 0; i < sample.length; i++) {
        const d1 = f32(invR0 * f32(x0[i] - previous[i]));
        prevSample[i] = f32(f32(sampleScale * sample[i]) - f32(x0Scale * x0[i])) + f32(d1Scale * d1);
      }
    }
    this.previous = { stepIndex, predOriginalSample: x0 };
    return { prevSample, predOriginalSample: x0 };
  }

  addNoise(original: Float32Array, noise: Float32Array, stepIndex: number): Float32Array {
    checkStepIndex(stepIndex, this.timesteps.length);
    const [alpha, sigma] = alphaSigma(this.sigmas[stepIndex]);
    return original.map((x, i) => f32(alpha * x) + f32(sigma * noise[i]));
  }
}
