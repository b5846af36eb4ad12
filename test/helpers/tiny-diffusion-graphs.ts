// The ONNX graphs of the tiny diffusion models (see tiny-diffusion.ts for what they compute).
// Names, dtypes and ranks of inputs and outputs follow optimum's export configs
// (`exporters/onnx/model_configs.py`: CLIPTextOnnxConfig, CLIPTextWithProjectionOnnxConfig,
// UNetOnnxConfig, VaeEncoderOnnxConfig, VaeDecoderOnnxConfig) or diffusers' old conversion
// script. Float16 models store every float weight, input and output as float16 but compute
// in float32 (Cast after loading, Cast before returning), so they run on any provider.

import { GraphBuilder, typeCode, floatAttr, type DataType, type Dim } from "./onnx-graph.js";
import type { TinyModel, TextEncoderWeights } from "./tiny-diffusion.js";

const F32 = typeCode("float32");

/** Graph helpers shared by the components: weights in the model dtype, float32 inside. */
class TinyGraph extends GraphBuilder {
  constructor(name: string, readonly dtype: DataType) {
    super(name);
  }

  /** A weight stored in the model dtype, as a float32 value for computing. */
  weight(name: string, dims: number[], values: ArrayLike<number>): string {
    const stored = this.initializer(name, this.dtype, dims, values);
    return this.dtype === "float32" ? stored : this.node("Cast", [stored], { to: F32 });
  }

  /** A float input in the model dtype, as a float32 value. */
  floatInput(name: string, dims: Dim[]): string {
    this.input(name, this.dtype, dims);
    return this.toFloat32(name);
  }

  toFloat32(value: string): string {
    return this.node("Cast", [value], { to: F32 });
  }

  /** Publishes a float32 value as output `name` in the model dtype. */
  floatOutput(value: string, name: string, dims: Dim[]): void {
    if (this.dtype === "float32") this.node("Identity", [value], {}, { outputs: [name] });
    else this.node("Cast", [value], { to: typeCode(this.dtype) }, { outputs: [name] });
    this.output(name, this.dtype, dims);
  }

  f(value: number): string {
    return this.constant("float32", value);
  }

  i64(values: number | number[]): string {
    return this.constant("int64", values);
  }

  /** Dimension `axis` of `value` as an int64 scalar. */
  dim(value: string, axis: number): string {
    return this.node("Gather", [this.node("Shape", [value]), this.i64(axis)], { axis: 0 });
  }
}

/** Dimension names of the exporter, per graph. */
function names(model: TinyModel) {
  const optimum = model.exporter === "optimum";
  return optimum
    ? { batch: "batch_size", sequence: "sequence_length", channels: null, steps: "steps", height: "height", width: "width" }
    : { batch: "batch", sequence: "sequence", channels: "channels", steps: "batch", height: "height", width: "width" };
}

// --- text encoders ---------------------------------------------------------------------

/**
 * CLIPTextModel (`pooler_output`) or, with a projection, CLIPTextModelWithProjection
 * (`text_embeds`). SDXL exports (output_hidden_states) add `hidden_states.0` … `hidden_states.N`:
 * the embeddings and each layer's output (N = number of layers), before the final LayerNorm.
 */
export function textEncoderGraph(model: TinyModel, index: number): GraphBuilder {
  const enc: TextEncoderWeights = model.textEncoders[index];
  const { batch, sequence } = names(model);
  const d = enc.hidden;
  const g = new TinyGraph(index === 0 ? "text_encoder" : "text_encoder_2", model.dtype);
  const ids = g.input("input_ids", model.inputIdsType, [batch, sequence]);
  const withHiddenStates = model.family === "sdxl";

  const tokens = g.node("Gather", [g.weight("token_embedding", [enc.tokenEmbedding.length / d, d], enc.tokenEmbedding), ids], { axis: 0 });
  const length = g.dim(ids, 1);
  const positionIds = g.node("Range", [g.i64(0), length, g.i64(1)]);
  const positions = g.node("Gather", [g.weight("position_embedding", [enc.positionEmbedding.length / d, d], enc.positionEmbedding), positionIds], { axis: 0 });
  let h = g.node("Add", [tokens, positions]);
  const hiddenStates = [h];

  // Each layer mixes in the mean of the positions so far (CLIP's attention is causal too).
  const counts = g.node("Reshape", [g.node("Cast", [g.node("Range", [g.i64(1), g.node("Add", [length, g.i64(1)]), g.i64(1)])], { to: F32 }), g.i64([1, -1, 1])]);
  for (let l = 0; l < enc.layers; l++) {
    const causalMean = g.node("Div", [g.node("CumSum", [h, g.i64(1)]), counts]);
    const mixed = g.node("Add", [h, causalMean]);
    const update = g.node("Tanh", [g.node("Add", [g.node("MatMul", [mixed, g.weight(`layers.${l}.weight`, [d, d], enc.layerWeights[l])]), g.weight(`layers.${l}.bias`, [d], enc.layerBiases[l])])]);
    h = g.node("Add", [h, update]);
    hiddenStates.push(h);
  }
  const last = g.node("LayerNormalization", [h, g.weight("final_layer_norm.weight", [d], enc.normScale), g.weight("final_layer_norm.bias", [d], enc.normBias)], { axis: -1, epsilon: floatAttr(1e-5) });

  // CLIP pools at the end-of-text token, which has the largest id in the vocabulary.
  const eos = g.node("ArgMax", [g.node("Cast", [ids], { to: typeCode("int32") })], { axis: 1, keepdims: 1 });
  const pooled = g.node("GatherND", [last, eos], { batch_dims: 1 });

  if (enc.projection && enc.projectionWeight) {
    const embeds = g.node("MatMul", [pooled, g.weight("text_projection", [d, enc.projection], enc.projectionWeight)]);
    // optimum declares dim 1 of text_embeds as "sequence_length" (CLIPTextWithProjectionOnnxConfig), though it is the projection size.
    g.floatOutput(embeds, "text_embeds", [batch, sequence]);
    g.floatOutput(last, "last_hidden_state", [batch, sequence, d]);
  } else {
    g.floatOutput(last, "last_hidden_state", [batch, sequence, d]);
    g.floatOutput(pooled, "pooler_output", [batch, d]);
  }
  if (withHiddenStates) hiddenStates.forEach((state, i) => g.floatOutput(state, `hidden_states.${i}`, [batch, sequence, d]));
  return g;
}

// --- UNet ----------------------------------------------------------------------------------

/** The oracle UNet: returns the epsilon (or v) that leads `sample` to the clean latent x0(conditioning). */
export function unetGraph(model: TinyModel): GraphBuilder {
  const { batch, sequence, channels, steps, height, width } = names(model);
  const u = model.unet;
  const g = new TinyGraph("unet", model.dtype);

  const sampleIn = g.floatInput("sample", [batch, channels ?? model.inChannels, height, width]);
  g.input("timestep", model.timestepType, model.timestepRank === 0 ? [] : [steps]);
  const context = g.floatInput("encoder_hidden_states", [batch, sequence, u.contextDim]);

  // x0's per-channel level from the conditioning
  const extremes = g.node("Add", [
    g.node("ReduceMax", [context], { axes: [1], keepdims: 0 }),
    g.node("ReduceMin", [context], { axes: [1], keepdims: 0 }),
  ]);
  let level = g.node("Add", [g.node("MatMul", [extremes, g.weight("context.weight", [u.contextDim, 4], u.context)]), g.weight("context.bias", [4], u.bias)]);
  const addTerm = (input: string, size: number, weights: Float32Array, scale = 1) => {
    let value = g.floatInput(input, [batch, size]);
    if (scale !== 1) value = g.node("Mul", [value, g.f(scale)]);
    level = g.node("Add", [level, g.node("MatMul", [value, g.weight(`${input}.weight`, [size, 4], weights)])]);
  };
  // SDXL's added conditions (optimum names: text_embeds, time_ids) and LCM's guidance embedding
  if (u.textEmbeds) addTerm("text_embeds", u.textEmbeds.length / 4, u.textEmbeds);
  if (u.timeIds) addTerm("time_ids", u.timeIds.length / 4, u.timeIds, 1 / 1024);
  if (u.timestepCond) addTerm("timestep_cond", u.timestepCond.length / 4, u.timestepCond);
  level = g.node("Unsqueeze", [g.node("Mul", [g.node("Tanh", [level]), g.f(0.9)]), g.i64([2, 3])]);

  // plus a smooth spatial pattern that works at any latent size
  const centres = (axis: number) => {
    const size = g.dim(sampleIn, axis);
    const index = g.node("Cast", [g.node("Range", [g.i64(0), size, g.i64(1)])], { to: F32 });
    const twice = g.node("Add", [g.node("Mul", [index, g.f(2)]), g.f(1)]);
    return g.node("Sub", [g.node("Div", [twice, g.node("Cast", [size], { to: F32 })]), g.f(1)]);
  };
  const across = g.node("Mul", [g.weight("pattern.x", [4, 1, 1], u.patternX), centres(3)]);
  const down = g.node("Mul", [g.weight("pattern.y", [4, 1, 1], u.patternY), g.node("Unsqueeze", [centres(2), g.i64(1)])]);
  let x0 = g.node("Add", [level, g.node("Add", [across, down])]);

  let latents = sampleIn;
  if (model.inpainting) {
    const slice = (from: number, to: number) => g.node("Slice", [sampleIn, g.i64([from]), g.i64([to]), g.i64([1])]);
    latents = slice(0, 4);
    const mask = slice(4, 5);
    const keep = g.node("Sub", [g.f(1), mask]);
    x0 = g.node("Add", [g.node("Mul", [mask, x0]), g.node("Mul", [keep, slice(5, 9)])]);
  }

  // σ(t) from the training schedule, interpolated at fractional timesteps like Euler schedulers
  const last = u.sigmas.length - 1;
  const t = g.node("Clip", [g.node("Reshape", [g.toFloat32("timestep"), g.i64([-1])]), g.f(0), g.f(last)]);
  const floor = g.node("Floor", [t]);
  const fraction = g.node("Sub", [t, floor]);
  const low = g.node("Cast", [floor], { to: typeCode("int64") });
  const high = g.node("Min", [g.node("Add", [low, g.i64(1)]), g.i64(last)]);
  const sigmas = g.weight("sigmas", [u.sigmas.length], u.sigmas);
  const at = (index: string) => g.node("Gather", [sigmas, index], { axis: 0 });
  const sigma = g.node("Add", [g.node("Mul", [at(low), g.node("Sub", [g.f(1), fraction])]), g.node("Mul", [at(high), fraction])]);
  const sigma4d = g.node("Reshape", [sigma, g.i64([-1, 1, 1, 1])]);
  const sqrtAlphaBar = g.node("Reciprocal", [g.node("Sqrt", [g.node("Add", [g.f(1), g.node("Mul", [sigma4d, sigma4d])])])]);
  const sqrtOneMinus = g.node("Mul", [sigma4d, sqrtAlphaBar]);

  const eps = g.node("Div", [g.node("Sub", [latents, g.node("Mul", [sqrtAlphaBar, x0])]), sqrtOneMinus]);
  const prediction =
    model.predictionType === "epsilon"
      ? eps
      : g.node("Sub", [g.node("Mul", [sqrtAlphaBar, eps]), g.node("Mul", [sqrtOneMinus, x0])]);
  g.floatOutput(prediction, "out_sample", [batch, 4, height, width]);
  return g;
}

// --- VAE ---------------------------------------------------------------------------------

/** latent_sample [B, 4, h, w] → sample [B, 3, 8h, 8w]: a 1×1 convolution, then nearest ×8. */
export function vaeDecoderGraph(model: TinyModel): GraphBuilder {
  const optimum = model.exporter === "optimum";
  const [batch, h, w] = optimum ? ["batch_size", "latent_height", "latent_width"] : ["batch", "height", "width"];
  const g = new TinyGraph("vae_decoder", model.dtype);
  const latents = g.floatInput("latent_sample", [batch, optimum ? 4 : "channels", h, w]);
  const weights = model.decoderWeights;
  const rgb = g.node("Conv", [latents, g.weight("conv.weight", [3, 4, 1, 1], weights.flat()), g.weight("conv.bias", [3], model.decoderBias)]);
  const scales = g.constant("float32", [1, 1, 8, 8]);
  const image = g.node("Resize", [rgb, "", scales], { mode: "nearest" });
  g.floatOutput(image, "sample", [batch, 3, `${h} * 8`, `${w} * 8`]);
  return g;
}

/**
 * A tiny autoencoder's decoder (TAESD's place): latents as the UNet sees them (no scaling
 * factor) → pictures, in [-1, 1] like diffusers' AutoencoderTiny or in [0, 1] like
 * madebyollin's ONNX files. It agrees with the model's VAE decoder up to `tint` (added to
 * each RGB channel, in [-1, 1] units), so a test can tell which decoder drew a picture.
 */
export function fastDecoderGraph(model: TinyModel, output: "-1..1" | "0..1", tint: number[] = [0, 0, 0]): GraphBuilder {
  const g = new TinyGraph("taesd_decoder", "float32");
  const latents = g.floatInput("latent_sample", ["batch", 4, "height", "width"]);
  const half = output === "0..1" ? 0.5 : 1;
  const weights = model.decoderWeights.map((row) => row.map((w) => (w / model.vaeScalingFactor) * half));
  const bias = model.decoderBias.map((b, c) => (b + tint[c]) * half + (output === "0..1" ? 0.5 : 0));
  const rgb = g.node("Conv", [latents, g.weight("conv.weight", [3, 4, 1, 1], weights.flat()), g.weight("conv.bias", [3], bias)]);
  const image = g.node("Resize", [rgb, "", g.constant("float32", [1, 1, 8, 8])], { mode: "nearest" });
  g.floatOutput(image, "sample", ["batch", 3, "height * 8", "width * 8"]);
  return g;
}

/** sample [B, 3, H, W] → latent_parameters [B, 8, H/8, W/8] (mean | logvar) or latent_sample [B, 4, …]. */
export function vaeEncoderGraph(model: TinyModel): GraphBuilder {
  const optimum = model.exporter === "optimum";
  const [batch, h, w] = optimum ? ["batch_size", "sample_height", "sample_width"] : ["batch", "height", "width"];
  const parameters = model.vaeEncoder === "latent_parameters";
  const g = new TinyGraph("vae_encoder", model.dtype);
  const image = g.floatInput("sample", [batch, optimum ? 3 : "channels", h, w]);
  const pooled = g.node("AveragePool", [image], { kernel_shape: [8, 8], strides: [8, 8] });
  const { weights, bias } = model.encoderWeights;
  const outChannels = parameters ? 8 : 4;
  // logvar channels: zero weights and a very negative bias, so sampling adds ~no noise
  const convWeights = [...weights.flat(), ...(parameters ? new Array(12).fill(0) : [])];
  const convBias = [...bias, ...(parameters ? new Array(4).fill(model.encoderLogvar) : [])];
  const latents = g.node("Conv", [pooled, g.weight("conv.weight", [outChannels, 3, 1, 1], convWeights), g.weight("conv.bias", [outChannels], convBias)]);
  g.floatOutput(latents, parameters ? "latent_parameters" : "latent_sample", [batch, outChannels, `${h} / 8`, `${w} / 8`]);
  return g;
}
