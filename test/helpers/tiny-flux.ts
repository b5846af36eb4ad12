// Tiny FLUX.1 models ([schnell] and [dev]) written at test time in the folder layout optimum
// exports (model_index.json with FluxPipeline; text_encoder = CLIP, text_encoder_2 = T5,
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

/** A small deterministic pseudo-random table in [-scale, scale]. */
function table(count: number, seed: number, scale: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.sin((i + 1) * 12.9898 + seed * 78.233) * scale);
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
  /** The VAE decoder's 1×1 convolution from 16 channels to RGB, and its bias. */
  readonly rgb = table(3 * CHANNELS, 6, 0.35);
  readonly rgbBias = [0.05, -0.02, 0.03];

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
    const mean = new Array(T5_WIDTH).fill(0);
    for (let t = 0; t < t5Ids.length; t++) for (let d = 0; d < T5_WIDTH; d++) mean[d] += this.t5Table[t5Ids[t] * T5_WIDTH + d] / t5Ids.length;
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

  /** The decoded colour (0–1, clamped) of one latent pixel of scaled latents. */
  colourOf(latent: ArrayLike<number>): number[] {
    return [0, 1, 2].map((c) => {
      let value = this.rgbBias[c];
      for (let k = 0; k < CHANNELS; k++) value += this.rgb[c * CHANNELS + k] * (latent[k] / FLUX_VAE.scaling + FLUX_VAE.shift);
      return Math.min(1, Math.max(0, value / 2 + 0.5));
    });
  }

  /** The colour of latent pixel (x, y) of a packed latent. */
  pixelColour(packed: Float32Array, latent: { width: number; height: number }, x: number, y: number): number[] {
    const token = (Math.floor(y / 2) * (latent.width / 2) + Math.floor(x / 2)) * TOKEN_WIDTH;
    return this.colourOf(Array.from({ length: CHANNELS }, (_, c) => packed[token + c * 4 + (y % 2) * 2 + (x % 2)]));
  }

  /** Mean colour of the picture a packed latent decodes to. */
  meanColour(packed: Float32Array, latent: { width: number; height: number }): number[] {
    const sums = [0, 0, 0];
    const columns = latent.width / 2;
    for (let y = 0; y < latent.height; y++) {
      for (let x = 0; x < latent.width; x++) {
        const token = (Math.floor(y / 2) * columns + Math.floor(x / 2)) * TOKEN_WIDTH;
        const pixel = Array.from({ length: CHANNELS }, (_, c) => packed[token + c * 4 + (y % 2) * 2 + (x % 2)]);
        this.colourOf(pixel).forEach((v, c) => (sums[c] += v));
      }
    }
    return sums.map((sum) => sum / (latent.width * latent.height));
  }
}

/** Writes a tiny FLUX.1 folder as optimum lays it out; returns the model for its reference computations. */
export async function writeTinyFlux(dir: string, variant: "schnell" | "dev"): Promise<TinyFlux> {
  const model = new TinyFlux(variant);
  const json = (path: string, value: unknown) => writeFile(join(dir, path), JSON.stringify(value, null, 2) + "\n");
  for (const folder of ["scheduler", "text_encoder", "text_encoder_2", "tokenizer", "tokenizer_2", "transformer", "vae_decoder", "vae_encoder"]) {
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
  const vaeConfig = { _class_name: "AutoencoderKL", latent_channels: CHANNELS, scaling_factor: FLUX_VAE.scaling, shift_factor: FLUX_VAE.shift, use_quant_conv: false, use_post_quant_conv: false };
  await json("vae_decoder/config.json", vaeConfig);
  await json("vae_encoder/config.json", vaeConfig);

  await writeModel(join(dir, "text_encoder", "model.onnx"), textEncoderGraph(model.clip, 0).build({ opset: 17 }));
  for (const file of await readdir(CLIP_TOKENIZER_FIXTURE)) await copyFile(join(CLIP_TOKENIZER_FIXTURE, file), join(dir, "tokenizer", file));
  for (const file of await readdir(T5_TOKENIZER_FIXTURE)) await copyFile(join(T5_TOKENIZER_FIXTURE, file), join(dir, "tokenizer_2", file));
  await writeModel(join(dir, "text_encoder_2", "model.onnx"), t5Graph(model).build({ opset: 17 }));
  await writeModel(join(dir, "transformer", "model.onnx"), transformerGraph(model).build({ opset: 17 }));
  await writeModel(join(dir, "vae_decoder", "model.onnx"), vaeDecoderGraph(model).build({ opset: 17 }));
  await writeModel(join(dir, "vae_encoder", "model.onnx"), vaeEncoderGraph(model).build({ opset: 17 }));
  return model;
}

/** input_ids int64 [B, L] → last_hidden_state [B, L, 6]: an embedding table. */
function t5Graph(model: TinyFlux): GraphBuilder {
  const g = new GraphBuilder("t5_encoder");
  const ids = g.input("input_ids", "int64", ["batch_size", "sequence_length"]);
  const embedded = g.node("Gather", [g.initializer("shared.weight", "float32", [T5_VOCAB, T5_WIDTH], model.t5Table), ids], { axis: 0 }, { outputs: ["last_hidden_state"] });
  g.output(embedded, "float32", ["batch_size", "sequence_length", T5_WIDTH]);
  return g;
}

function transformerGraph(model: TinyFlux): GraphBuilder {
  const g = new GraphBuilder("flux_transformer");
  const hidden = g.input("hidden_states", "float32", ["batch_size", "packed_height_width", TOKEN_WIDTH]);
  const text = g.input("encoder_hidden_states", "float32", ["batch_size", "sequence_length", T5_WIDTH]);
  const pooled = g.input("pooled_projections", "float32", ["batch_size", model.clipWidth]);
  const timestep = g.input("timestep", "float32", ["step"]);
  const imgIds = g.input("img_ids", "float32", ["packed_height_width", 3]);
  const txtIds = g.input("txt_ids", "float32", ["sequence_length", 3]);
  let condition = g.node("Add", [
    g.node("MatMul", [pooled, g.initializer("a", "float32", [model.clipWidth, TOKEN_WIDTH], model.a)]),
    g.node("MatMul", [g.node("ReduceMean", [text], { axes: [1], keepdims: 0 }), g.initializer("b", "float32", [T5_WIDTH, TOKEN_WIDTH], model.b)]),
  ]);
  if (model.guided) {
    const guidance = g.input("guidance", "float32", ["batch_size"]);
    condition = g.node("Add", [condition, g.node("Mul", [g.node("Unsqueeze", [guidance, g.constant("int64", [1])]), g.initializer("g", "float32", [1, TOKEN_WIDTH], model.g)])]);
  }
  const position = g.node("MatMul", [imgIds, g.initializer("r", "float32", [3, TOKEN_WIDTH], model.r)]);
  const x0 = g.node("Tanh", [g.node("Add", [g.node("Unsqueeze", [condition, g.constant("int64", [1])]), position])]);
  const sigma = g.node("Reshape", [timestep, g.constant("int64", [-1, 1, 1])]);
  // txt_ids carry no information here (all zeros, as FluxPipeline sends), but the input is read.
  const zero = g.node("Mul", [g.node("ReduceSum", [txtIds], { keepdims: 0 }), g.constant("float32", 0)]);
  g.node("Add", [g.node("Div", [g.node("Sub", [hidden, x0]), sigma]), zero], {}, { outputs: ["out_hidden_states"] });
  g.output("out_hidden_states", "float32", ["batch_size", "packed_height_width", TOKEN_WIDTH]);
  return g;
}

/** latent_sample [B, 16, h, w] → sample [B, 3, 8h, 8w]: a 1×1 convolution, then ×8 nearest. */
function vaeDecoderGraph(model: TinyFlux): GraphBuilder {
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
function vaeEncoderGraph(model: TinyFlux): GraphBuilder {
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
