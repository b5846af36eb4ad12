/**
 * Euler ancestral sampler (k-diffusion's sample_euler_ancestral), as diffusers'
 * EulerAncestralDiscreteScheduler: a deterministic Euler step down to sigma_down, then fresh
 * noise of size sigma_up, with sigma_down^2 + sigma_up^2 = sigma_next^2.
 *
 * Its schedule is Euler's without the Karras / exponential / log-linear / final-sigma options.
 * diffusers raises for prediction_type "sample"; here it means x0 = model output, as in Euler.
 */
import { checkStepIndex, drawNoise, f32 } from "./common.js";
import type { SchedulerConfig } from "./config.js";
import { denoisedFromSigma, EulerScheduler } from "./euler.js";
import type { NoiseSource, SchedulerName, StepResult } from "./scheduler.js";

export class EulerAncestralScheduler extends EulerScheduler {
  override readonly name: SchedulerName = "euler-ancestral";

  constructor(config: SchedulerConfig) {
    super({
      ...config,
      interpolationType: "linear",
      useKarrasSigmas: false,
      useExponentialSigmas: false,
      timestepType: "discrete",
      finalSigmasType: "zero",
    });
  }

  override step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, noise: NoiseSource): StepResult {
    checkStepIndex(stepIndex, this.timesteps.length);
    const sigma = this.sigmas[stepIndex];
    const sigmaNext = this.sigmas[stepIndex + 1];
    const predOriginalSample = denoisedFromSigma(this.options.predictionType, modelOutput, sample, sigma);
    // diffusers computes these float32 scalars one operation at a time.
    const sigma2 = f32(sigma * sigma);
    const next2 = f32(sigmaNext * sigmaNext);
    const sigmaUp = f32(Math.sqrt(f32(f32(next2 * f32(sigma2 - next2)) / sigma2)));
    const sigmaDown = f32(Math.sqrt(f32(next2 - f32(sigmaUp * sigmaUp))));
    const dt = f32(sigmaDown - sigma);
    // Drawn on every step, the last included, like diffusers (keeps a shared generator in step).
    const fresh = drawNoise(noise, modelOutput.length);
    const prevSample = new Float32Array(sample.length);
    for (let i = 0; i < sample.length; i++) {
      const derivative = f32(f32(sample[i] - predOriginalSample[i]) / sigma);
      prevSample[i] = f32(sample[i] + f32(derivative * dt)) + f32(fresh[i] * sigmaUp);
    }
    return { prevSample, predOriginalSample };
  }
}
