// Tiny flow-matching models written at test time in the folder layouts optimum exports.
//
// FLUX.1 ([schnell] and [dev]) (model_index.json with FluxPipeline; text_encoder = CLIP, text_encoder_2 = T5,
// transformer, vae_decoder, vae_encoder, tokenizers, scheduler), with the input and output
// names, ranks and dtypes of optimum's FluxTransformerOnnxConfig (optimum/exporters/onnx/
// model_configs.py): hidden_states [B, tokens, 64], encoder_hidden_states [B, L, D],
// pooled_projections [B, P], timestep [B], img_ids [tokens, 3], txt_ids [L, 3], guidance [B]
// ([dev] only) → out_hidden_states [B, tokens, 64].
//
// The transformer is an exact "oracle": it knows a clean packed latent x0 that depends on the
// prompt (CLIP's pooled embedding, T5's mean token), on each token's position (img_ids), and
// for [dev] on the guidance, and returns the velocity (x_t − x0) / σ that points at it, so a
// correct pipeline lands on x0 whatever the seed. `TinyFlux` recomputes x0 in TypeScript.
//
// Stable Diffusion 3 (SD3TransformerOnnxConfig): hidden_states [B, 16, h, w],
// encoder_hidden_states [B, 77 + L, W], pooled_projections [B, P], timestep [B] (0–1000) →
// out_hidden_states [B, 16, h, w]; both CLIPs with projections and hidden states, T5 optional.
// Its oracle's x0 depends on the pooled embedding, the mean text token and the pixel's place;
// with classifier-free guidance a correct pipeline lands on x0(negative) + g·(x0(prompt) − it).
import { copyFile, mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GraphBuilder, writeModel } from "./onnx-graph.js";
import { textEncoderGraph } from "./tiny-diffusion-graphs.js";
import { CLIP_TOKENIZER_FIXTURE, TinyModel } from "./tiny-diffusion.js";

export const T5_TOKENIZER_FIXTURE = fileURLToPath(new URL("../fixtures/diffusion/t5-tokenizer/", import.meta.url));

const CHANNELS = 16;
const TOKEN_WIDTH = CHANNELS * 4;
const T5_WIDTH = 6;
const T5_VOCAB = 122;
export const FLUX_VAE = { scaling: 0.3611, shift: 0.1159 };
export const SD3_VAE = { scaling: 1.5305, shift: 0.0609 };

/** A small deterministic pseudo-random table in [-scale, scale]. */
function table(count: number, seed: number, scale: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.sin((i + 1) * 12.9898 + seed * 78.233) * scale);
}

/** The 16-channel VAE both families share here: a 1×1 convolution to RGB and its pseudo-inverse. */
class TinyVae {
  /** The VAE decoder's 1×1 convolution from 16 channels to RGB, and its bias. */
  readonly rgb = table(3 * CHANNELS, 6, 0.35);
  readonly rgbBias = [0.05, -0.02, 0.03];

  constructor(readonly factors: { scaling: number; shift: number }) {}

  /** The decoded colour (0–1, clamped) of one latent pixel of scaled latents. */
  colourOf(latent: ArrayLike<number>): number[] {
    return [0, 1, 2].map((c) => {
      let value = this.rgbBias[c];
      for (let k = 0; k < CHANNELS; k++) value += this.rgb[c * CHANNELS + k] * (latent[k] / this.factors.scaling + this.factors.shift);
      return Math.min(1, Math.max(0, value / 2 + 0.5));
    });
  }
}

export class TinyFlux {
  readonly clip = new TinyModel({ family: "sd1" });
  readonly guided: boolean;
  readonly t5Table = table(T5_VOCAB * T5_WIDTH, 1, 0.8);
  /** x0 = tanh(pooled·A + meanT5·B + guidance·g + ids·R), per token and value. */
  readonly a: number[];
  readonly b = table(T5_WIDTH * TOKEN_WIDTH, 3, 0.6);
  readonly g = table(TOKEN_WIDTH, 4, 0.1);
  readonly r = [...new Array(TOKEN_WIDTH).fill(0), ...table(TOKEN_WIDTH, 5, 0.05), ...table(TOKEN_WIDTH, 7, 0.02)];
  readonly vae = new TinyVae(FLUX_VAE);

  constructor(readonly variant: "schnell" | "dev") {
    this.guided = variant === "dev";
    this.a = table(this.clipWidth * TOKEN_WIDTH, 2, 0.9);
  }

  get clipWidth(): number {
    return this.clip.textEncoders[0].hidden;
  }

  /** The clean packed latent [tokens, 64] for a prompt's CLIP and T5 ids on a latent grid. */
  cleanLatent(clipIds: ArrayLike<number>, t5Ids: ArrayLike<number>, latent: { width: number; height: number }, guidance: number): Float32Array {
    const pooled = this.clip.encodeTokens(clipIds, 0).pooled;
    const mean = meanToken(this.t5Table, T5_WIDTH, t5Ids);
    const columns = latent.width / 2;
    const tokens = columns * (latent.height / 2);
    const x0 = new Float32Array(tokens * TOKEN_WIDTH);
    for (let n = 0; n < tokens; n++) {
      const ids = [0, Math.floor(n / columns), n % columns];
      for (let k = 0; k < TOKEN_WIDTH; k++) {
        let value = this.guided ? guidance * this.g[k] : 0;
        for (let p = 0; p < this.clipWidth; p++) value += pooled[p] * this.a[p * TOKEN_WIDTH + k];
        for (let d = 0; d < T5_WIDTH; d++) value += mean[d] * this.b[d * TOKEN_WIDTH + k];
        for (let j = 0; j < 3; j++) value += ids[j] * this.r[j * TOKEN_WIDTH + k];
        x0[n * TOKEN_WIDTH + k] = Math.tanh(value);
      }
    }
    return x0;
  }

  /** The colour of latent pixel (x, y) of a packed latent. */
  pixelColour(packed: Float32Array, latent: { width: number; height: number }, x: number, y: number): number[] {
    const token = (Math.floor(y / 2) * (latent.width / 2) + Math.floor(x / 2)) * TOKEN_WIDTH;
    return this.vae.colourOf(Array.from({ length: CHANNELS }, (_, c) => packed[token + c * 4 + (y % 2) * 2 + (x % 2)]));
  }

  /** Mean colour of the picture a packed latent decodes to. */
  meanColour(packed: Float32Array, latent: { width: number; height: number }): number[] {
    const sums = [0, 0, 0];
    for (let y = 0; y < latent.height; y++) for (let x = 0; x < latent.width; x++) this.pixelColour(packed, latent, x, y).forEach((v, c) => (sums[c] += v));
    return sums.map((sum) => sum / (latent.width * latent.height));
  }
}

function meanToken(embeddings: number[], width: number, ids: ArrayLike<number>): number[] {
  const mean = new Array(width).fill(0);
  for (let t = 0; t < ids.length; t++) for (let d = 0; d < width; d++) mean[d] += embeddings[ids[t] * width + d] / ids.length;
  return mean;
}

/** Writes a tiny FLUX.1 folder as optimum lays it out; returns the model for its reference computations. */
export async function writeTinyFlux(dir: string, variant: "schnell" | "dev", options: { transformerDtype?: "float32" | "float16" } = {}): Promise<TinyFlux> {
  const model = new TinyFlux(variant);
  const json = (path: string, value: unknown) => writeFile(join(dir, path), JSON.stringify(value, null, 2) + "\n");
  for (const folder of ["scheduler", "text_encoder", "text_encoder_2", "tokenizer", "tokenizer_2", "transformer"]) {
    await mkdir(join(dir, folder), { recursive: true });
  }
  await json("model_index.json", {
    _class_name: "FluxPipeline",
    _diffusers_version: "0.32.0",
    scheduler: ["diffusers", "FlowMatchEulerDiscreteScheduler"],
    text_encoder: ["optimum", "ORTModelTextEncoder"],
    text_encoder_2: ["optimum", "ORTModelTextEncoder"],
    tokenizer: ["transformers", "CLIPTokenizer"],
    tokenizer_2: ["transformers", "T5TokenizerFast"],
    transformer: ["optimum", "ORTModelTransformer"],
    vae: ["optimum", "ORTModelVae"],
  });
  await json(
    "scheduler/scheduler_config.json",
    variant === "dev"
      ? { _class_name: "FlowMatchEulerDiscreteScheduler", num_train_timesteps: 1000, shift: 3.0, use_dynamic_shifting: true, base_shift: 0.5, max_shift: 1.15, base_image_seq_len: 256, max_image_seq_len: 4096 }
      : { _class_name: "FlowMatchEulerDiscreteScheduler", num_train_timesteps: 1000, shift: 1.0, use_dynamic_shifting: false },
  );
  await json("transformer/config.json", { _class_name: "FluxTransformer2DModel", in_channels: TOKEN_WIDTH, guidance_embeds: model.guided, joint_attention_dim: T5_WIDTH, pooled_projection_dim: model.clipWidth });

  await writeModel(join(dir, "text_encoder", "model.onnx"), textEncoderGraph(model.clip, 0).build({ opset: 17 }));
  for (const file of await readdir(CLIP_TOKENIZER_FIXTURE)) await copyFile(join(CLIP_TOKENIZER_FIXTURE, file), join(dir, "tokenizer", file));
  for (const file of await readdir(T5_TOKENIZER_FIXTURE)) await copyFile(join(T5_TOKENIZER_FIXTURE, file), join(dir, "tokenizer_2", file));
  await writeModel(join(dir, "text_encoder_2", "model.onnx"), t5Graph(model.t5Table, T5_WIDTH).build({ opset: 17 }));
  await writeModel(join(dir, "transformer", "model.onnx"), transformerGraph(model, options.transformerDtype).build({ opset: 17 }));
  await writeVae(dir, model.vae);
  return model;
}

async function writeVae(dir: string, vae: TinyVae): Promise<void> {
  const config = { _class_name: "AutoencoderKL", latent_channels: CHANNELS, scaling_factor: vae.factors.scaling, shift_factor: vae.factors.shift, use_quant_conv: false, use_post_quant_conv: false };
  for (const part of ["vae_decoder", "vae_encoder"]) {
    await mkdir(join(dir, part), { recursive: true });
    await writeFile(join(dir, part, "config.json"), JSON.stringify(config, null, 2) + "\n");
  }
  await writeModel(join(dir, "vae_decoder", "model.onnx"), vaeDecoderGraph(vae).build({ opset: 17 }));
  await writeModel(join(dir, "vae_encoder", "model.onnx"), vaeEncoderGraph(vae).build({ opset: 17 }));
}

/** input_ids int64 [B, L] → last_hidden_state [B, L, width]: an embedding table. */
function t5Graph(embeddings: number[], width: number): GraphBuilder {
  const g = new GraphBuilder("t5_encoder");
  const ids = g.input("input_ids", "int64", ["batch_size", "sequence_length"]);
  const embedded = g.node("Gather", [g.initializer("shared.weight", "float32", [T5_VOCAB, width], embeddings), ids], { axis: 0 }, { outputs: ["last_hidden_state"] });
  g.output(embedded, "float32", ["batch_size", "sequence_length", width]);
  return g;
}

/** The oracle transformer; with `dtype` float16 every input and the output are half floats, as fp16 exports have them. */
function transformerGraph(model: TinyFlux, dtype: "float32" | "float16" = "float32"): GraphBuilder {
  const g = new GraphBuilder("flux_transformer");
  // Inputs in the export's type, computed in float32.
  const input = (name: string, dims: (string | number)[]) => {
    const value = g.input(name, dtype, dims);
    return dtype === "float32" ? value : g.node("Cast", [value], { to: 1 /* FLOAT */ });
  };
  const hidden = input("hidden_states", ["batch_size", "packed_height_width", TOKEN_WIDTH]);
  const text = input("encoder_hidden_states", ["batch_size", "sequence_length", T5_WIDTH]);
  const pooled = input("pooled_projections", ["batch_size", model.clipWidth]);
  const timestep = input("timestep", ["step"]);
  const imgIds = input("img_ids", ["packed_height_width", 3]);
  const txtIds = input("txt_ids", ["sequence_length", 3]);
  let condition = g.node("Add", [
    g.node("MatMul", [pooled, g.initializer("a", "float32", [model.clipWidth, TOKEN_WIDTH], model.a)]),
    g.node("MatMul", [g.node("ReduceMean", [text], { axes: [1], keepdims: 0 }), g.initializer("b", "float32", [T5_WIDTH, TOKEN_WIDTH], model.b)]),
  ]);
  if (model.guided) {
    const guidance = input("guidance", ["batch_size"]);
    condition = g.node("Add", [condition, g.node("Mul", [g.node("Unsqueeze", [guidance, g.constant("int64", [1])]), g.initializer("g", "float32", [1, TOKEN_WIDTH], model.g)])]);
  }
  const position = g.node("MatMul", [imgIds, g.initializer("r", "float32", [3, TOKEN_WIDTH], model.r)]);
  const x0 = g.node("Tanh", [g.node("Add", [g.node("Unsqueeze", [condition, g.constant("int64", [1])]), position])]);
  const sigma = g.node("Reshape", [timestep, g.constant("int64", [-1, 1, 1])]);
  // txt_ids carry no information here (all zeros, as FluxPipeline sends), but the input is read.
  const zero = g.node("Mul", [g.node("ReduceSum", [txtIds], { keepdims: 0 }), g.constant("float32", 0)]);
  const velocity = g.node("Add", [g.node("Div", [g.node("Sub", [hidden, x0]), sigma]), zero]);
  g.node(dtype === "float32" ? "Identity" : "Cast", [velocity], dtype === "float32" ? {} : { to: 10 /* FLOAT16 */ }, { outputs: ["out_hidden_states"] });
  g.output("out_hidden_states", dtype, ["batch_size", "packed_height_width", TOKEN_WIDTH]);
  return g;
}

/** latent_sample [B, 16, h, w] → sample [B, 3, 8h, 8w]: a 1×1 convolution, then ×8 nearest. */
function vaeDecoderGraph(model: TinyVae): GraphBuilder {
  const g = new GraphBuilder("vae_decoder");
  const latents = g.input("latent_sample", "float32", ["batch_size", CHANNELS, "latent_height", "latent_width"]);
  const rgb = g.node("Conv", [latents, g.initializer("conv.weight", "float32", [3, CHANNELS, 1, 1], model.rgb), g.initializer("conv.bias", "float32", [3], model.rgbBias)]);
  g.node("Resize", [rgb, "", g.constant("float32", [1, 1, 8, 8])], { mode: "nearest" }, { outputs: ["sample"] });
  g.output("sample", "float32", ["batch_size", 3, "latent_height * 8", "latent_width * 8"]);
  return g;
}

/**
 * sample [B, 3, H, W] → latent_parameters [B, 32, H/8, W/8] (mean | log-variance): 8×8 average,
 * then the decoder's pseudo-inverse, so decode(encode(rgb)) = rgb; the log-variance is so
 * negative that sampling adds no visible noise.
 */
function vaeEncoderGraph(model: TinyVae): GraphBuilder {
  const g = new GraphBuilder("vae_encoder");
  const image = g.input("sample", "float32", ["batch_size", 3, "sample_height", "sample_width"]);
  const pooled = g.node("AveragePool", [image], { kernel_shape: [8, 8], strides: [8, 8] });
  const w = Array.from({ length: 3 }, (_, c) => model.rgb.slice(c * CHANNELS, (c + 1) * CHANNELS));
  // pinv(W) = Wᵀ (W Wᵀ)⁻¹ for the 3×16 W.
  const gram = w.map((row) => w.map((other) => row.reduce((sum, v, k) => sum + v * other[k], 0)));
  const inverse = invert3(gram);
  const pinv = Array.from({ length: CHANNELS }, (_, k) => [0, 1, 2].map((c) => w.reduce((sum, row, j) => sum + row[k] * inverse[j][c], 0)));
  // The decoder computes W·u + b with u = latent/scaling + shift: u = pinv·(rgb − b).
  const weights = [...pinv.flat(), ...new Array(CHANNELS * 3).fill(0)];
  const bias = [...pinv.map((row) => -row.reduce((sum, v, c) => sum + v * model.rgbBias[c], 0)), ...new Array(CHANNELS).fill(-30)];
  g.node("Conv", [pooled, g.initializer("conv.weight", "float32", [2 * CHANNELS, 3, 1, 1], weights), g.initializer("conv.bias", "float32", [2 * CHANNELS], bias)], {}, { outputs: ["latent_parameters"] });
  g.output("latent_parameters", "float32", ["batch_size", 2 * CHANNELS, "sample_height / 8", "sample_width / 8"]);
  return g;
}

function invert3(m: number[][]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ];
}

// --- Stable Diffusion 3 ---------------------------------------------------------------

/** T5's width in the tiny SD3: the transformer's joint width, wider than both CLIPs side by side (32 + 48). */
const SD3_JOINT_WIDTH = 96;
const SD3_T5_TOKENS = 256;

export class TinySd3 {
  /** SDXL's two tiny CLIPs (hidden states exported); the first gets a projection too, as SD3's CLIP-L has. */
  readonly clips = new TinyModel({ family: "sdxl" });
  readonly t5Table = table(T5_VOCAB * SD3_JOINT_WIDTH, 11, 0.8);
  readonly a: number[];
  readonly b = table(SD3_JOINT_WIDTH * CHANNELS, 13, 0.5);
  readonly rows = table(CHANNELS, 14, 0.004);
  readonly columns = table(CHANNELS, 15, 0.003);
  readonly vae = new TinyVae(SD3_VAE);

  constructor(readonly withT5: boolean) {
    const first = this.clips.textEncoders[0];
    this.clips.textEncoders[0] = { ...first, projection: 24, projectionWeight: Float32Array.from(table(first.hidden * 24, 12, 1 / Math.sqrt(first.hidden))) };
    this.a = table(this.pooledWidth * CHANNELS, 16, 0.4);
  }

  get pooledWidth(): number {
    return this.clips.textEncoders.reduce((sum, encoder) => sum + encoder.projection!, 0);
  }

  /** What StableDiffusion3Pipeline conditions on for one prompt: tokens [77 + 256, 96] and the pooled [64]. */
  conditioning(clipIds: ArrayLike<number>, clip2Ids: ArrayLike<number>, t5Ids: ArrayLike<number> | undefined): { tokens: Float32Array; pooled: Float32Array } {
    const first = this.clips.encodeTokens(clipIds, 0);
    const second = this.clips.encodeTokens(clip2Ids, 1);
    const [w1, w2] = this.clips.textEncoders.map((encoder) => encoder.hidden);
    const penultimate = (encoding: { hiddenStates: Float32Array[] }) => encoding.hiddenStates[encoding.hiddenStates.length - 2];
    const tokens = new Float32Array((77 + SD3_T5_TOKENS) * SD3_JOINT_WIDTH);
    for (let t = 0; t < 77; t++) {
      tokens.set(penultimate(first).subarray(t * w1, (t + 1) * w1), t * SD3_JOINT_WIDTH);
      tokens.set(penultimate(second).subarray(t * w2, (t + 1) * w2), t * SD3_JOINT_WIDTH + w1);
    }
    if (t5Ids) for (let t = 0; t < t5Ids.length; t++) tokens.set(this.t5Table.slice(t5Ids[t] * SD3_JOINT_WIDTH, (t5Ids[t] + 1) * SD3_JOINT_WIDTH), (77 + t) * SD3_JOINT_WIDTH);
    return { tokens, pooled: Float32Array.from([...first.textEmbeds!, ...second.textEmbeds!]) };
  }

  /** The clean latent [16, h, w] the oracle points at for a conditioning. */
  cleanLatent(condition: { tokens: Float32Array; pooled: Float32Array }, latent: { width: number; height: number }): Float32Array {
    const count = condition.tokens.length / SD3_JOINT_WIDTH;
    const mean = new Array(SD3_JOINT_WIDTH).fill(0);
    for (let t = 0; t < count; t++) for (let d = 0; d < SD3_JOINT_WIDTH; d++) mean[d] += condition.tokens[t * SD3_JOINT_WIDTH + d] / count;
    const x0 = new Float32Array(CHANNELS * latent.width * latent.height);
    for (let c = 0; c < CHANNELS; c++) {
      let level = 0;
      for (let p = 0; p < this.pooledWidth; p++) level += condition.pooled[p] * this.a[p * CHANNELS + c];
      for (let d = 0; d < SD3_JOINT_WIDTH; d++) level += mean[d] * this.b[d * CHANNELS + c];
      for (let y = 0; y < latent.height; y++) {
        for (let x = 0; x < latent.width; x++) x0[(c * latent.height + y) * latent.width + x] = Math.tanh(level + y * this.rows[c] + x * this.columns[c]);
      }
    }
    return x0;
  }

  /** The colour of latent pixel (x, y) of a [16, h, w] latent. */
  pixelColour(latent: Float32Array, size: { width: number; height: number }, x: number, y: number): number[] {
    return this.vae.colourOf(Array.from({ length: CHANNELS }, (_, c) => latent[(c * size.height + y) * size.width + x]));
  }

  meanColour(latent: Float32Array, size: { width: number; height: number }): number[] {
    const sums = [0, 0, 0];
    for (let y = 0; y < size.height; y++) for (let x = 0; x < size.width; x++) this.pixelColour(latent, size, x, y).forEach((v, c) => (sums[c] += v));
    return sums.map((sum) => sum / (size.width * size.height));
  }
}

/** Writes a tiny SD3 folder as optimum lays it out (with or without T5); returns the model for its reference computations. */
export async function writeTinySd3(dir: string, options: { withT5: boolean }): Promise<TinySd3> {
  const model = new TinySd3(options.withT5);
  const json = (path: string, value: unknown) => writeFile(join(dir, path), JSON.stringify(value, null, 2) + "\n");
  const folders = ["scheduler", "text_encoder", "text_encoder_2", "tokenizer", "tokenizer_2", "transformer", ...(options.withT5 ? ["text_encoder_3", "tokenizer_3"] : [])];
  for (const folder of folders) await mkdir(join(dir, folder), { recursive: true });
  await json("model_index.json", {
    _class_name: "StableDiffusion3Pipeline",
    _diffusers_version: "0.32.0",
    scheduler: ["diffusers", "FlowMatchEulerDiscreteScheduler"],
    text_encoder: ["optimum", "ORTModelTextEncoder"],
    text_encoder_2: ["optimum", "ORTModelTextEncoder"],
    text_encoder_3: options.withT5 ? ["optimum", "ORTModelTextEncoder"] : [null, null],
    transformer: ["optimum", "ORTModelTransformer"],
    vae: ["optimum", "ORTModelVae"],
  });
  await json("scheduler/scheduler_config.json", { _class_name: "FlowMatchEulerDiscreteScheduler", num_train_timesteps: 1000, shift: 3.0 });
  await json("transformer/config.json", { _class_name: "SD3Transformer2DModel", in_channels: CHANNELS, joint_attention_dim: SD3_JOINT_WIDTH, pooled_projection_dim: model.pooledWidth, patch_size: 2 });
  await writeModel(join(dir, "text_encoder", "model.onnx"), textEncoderGraph(model.clips, 0).build({ opset: 17 }));
  await writeModel(join(dir, "text_encoder_2", "model.onnx"), textEncoderGraph(model.clips, 1).build({ opset: 17 }));
  for (const tokenizer of ["tokenizer", "tokenizer_2"]) {
    for (const file of await readdir(CLIP_TOKENIZER_FIXTURE)) await copyFile(join(CLIP_TOKENIZER_FIXTURE, file), join(dir, tokenizer, file));
  }
  if (options.withT5) {
    for (const file of await readdir(T5_TOKENIZER_FIXTURE)) await copyFile(join(T5_TOKENIZER_FIXTURE, file), join(dir, "tokenizer_3", file));
    await writeModel(join(dir, "text_encoder_3", "model.onnx"), t5Graph(model.t5Table, SD3_JOINT_WIDTH).build({ opset: 17 }));
  }
  await writeModel(join(dir, "transformer", "model.onnx"), sd3TransformerGraph(model).build({ opset: 17 }));
  await writeVae(dir, model.vae);
  return model;
}

function sd3TransformerGraph(model: TinySd3): GraphBuilder {
  const g = new GraphBuilder("sd3_transformer");
  const hidden = g.input("hidden_states", "float32", ["batch_size", CHANNELS, "height", "width"]);
  const text = g.input("encoder_hidden_states", "float32", ["batch_size", "sequence_length", SD3_JOINT_WIDTH]);
  const pooled = g.input("pooled_projections", "float32", ["batch_size", model.pooledWidth]);
  const timestep = g.input("timestep", "float32", ["step"]);
  const level = g.node("Add", [
    g.node("MatMul", [pooled, g.initializer("a", "float32", [model.pooledWidth, CHANNELS], model.a)]),
    g.node("MatMul", [g.node("ReduceMean", [text], { axes: [1], keepdims: 0 }), g.initializer("b", "float32", [SD3_JOINT_WIDTH, CHANNELS], model.b)]),
  ]);
  const shape = g.node("Shape", [hidden]);
  const axis = (index: number, view: number[]) => {
    const size = g.node("Gather", [shape, g.constant("int64", index)], { axis: 0 });
    const range = g.node("Cast", [g.node("Range", [g.constant("int64", 0), size, g.constant("int64", 1)])], { to: 1 /* FLOAT */ });
    return g.node("Reshape", [range, g.constant("int64", view)]);
  };
  const rows = g.node("Mul", [axis(2, [1, 1, -1, 1]), g.initializer("rows", "float32", [1, CHANNELS, 1, 1], model.rows)]);
  const columns = g.node("Mul", [axis(3, [1, 1, 1, -1]), g.initializer("columns", "float32", [1, CHANNELS, 1, 1], model.columns)]);
  const x0 = g.node("Tanh", [g.node("Add", [g.node("Add", [g.node("Reshape", [level, g.constant("int64", [-1, CHANNELS, 1, 1])]), rows]), columns])]);
  const sigma = g.node("Reshape", [g.node("Div", [timestep, g.constant("float32", 1000)]), g.constant("int64", [-1, 1, 1, 1])]);
  g.node("Div", [g.node("Sub", [hidden, x0]), sigma], {}, { outputs: ["out_hidden_states"] });
  g.output("out_hidden_states", "float32", ["batch_size", CHANNELS, "height", "width"]);
  return g;
}
