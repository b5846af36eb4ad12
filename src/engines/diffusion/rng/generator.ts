// The random streams a model can draw its noise from: PyTorch's CPU generator
// (the default: same seed, same latents as diffusers' PyTorch pipelines) or
// numpy's legacy RandomState (what diffusers' own ONNX pipelines use).
import { NumpyRandomState } from "./numpy-random-state.js";
import { TorchGenerator } from "./torch-generator.js";

export const RNG_NAMES = ["torch", "numpy"] as const;
export type RngName = (typeof RNG_NAMES)[number];

export interface NoiseGenerator {
  /** `count` standard normal float32 values; successive calls continue the stream. */
  randn(count: number): Float32Array;
}

export function createGenerator(rng: RngName, seed: number): NoiseGenerator {
  return rng === "numpy" ? new NumpyRandomState(seed) : new TorchGenerator(seed);
}
