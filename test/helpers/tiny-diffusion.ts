// Tiny Stable-Diffusion-family models, written at test time in the folder layout that
// Hugging Face optimum's ONNX export (or diffusers' older ONNX conversion script) produces.
// Every input/output name, dtype and rank matches those exports; only sizes are tiny.
//
// The graphs compute something checkable rather than constants:
// - text encoders: token + position embeddings, then per layer a residual
//   `h += tanh((h + causalMean(h)) · W + b)` (the causal mean stands in for CLIP's causal
//   attention, so every position after a word carries it, padding included), a final
//   LayerNorm, the pooled state at the position of the largest token id (CLIP's EOS), and a
//   projection for SDXL's second encoder;
// - the UNet is an exact "oracle" denoiser: it knows a clean latent x0 that depends on the
//   conditioning (see `TinyModel.cleanLatent`) and returns the epsilon (or v) that points at
//   it for the given timestep, so any correct scheduler + pipeline converges to x0(prompt);
// - the VAE decoder is a 1×1 convolution (latents → RGB) upsampled ×8, the encoder its
//   pseudo-inverse after 8×8 average pooling, so encode → decode round-trips colours.
// `TinyModel` recomputes all of this in TypeScript so tests can predict outputs.

import { copyFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fromFloat16Bits, toFloat16Bits, writeModel, type GraphBuilder } from "./onnx-graph.js";
import { fastDecoderGraph, textEncoderGraph, unetGraph, vaeDecoderGraph, vaeEncoderGraph } from "./tiny-diffusion-graphs.js";

export type TinyFamily = "sd1" | "sd2" | "sdxl" | "lcm";
export type FloatType = "float32" | "float16";

export interface TinyModelOptions {
  family: TinyFamily;
  /** 9-channel UNet fed `cat([latents, mask, maskedImageLatents], dim=1)`. */
  inpainting?: boolean;
  /** Storage type of every float input, output and weight (fp16 exports). Default float32. */
  dtype?: FloatType;
  /**
   * Whose conventions the folder follows. "optimum" (default): `optimum-cli export onnx`,
   * with component config.json files and PyTorch class names in model_index.json.
   * "diffusers": diffusers' `convert_stable_diffusion_checkpoint_to_onnx.py` (SD 1.x/2.x
   * only): `OnnxStableDiffusionPipeline`, int32 input_ids, timestep of shape [batch],
   * `latent_sample` from the VAE encoder, UNet weights in `weights.pb`, no config.json files.
   */
  exporter?: "optimum" | "diffusers";
  /** model_index.json `_class_name` (default: what the exporter writes for the family). */
  pipelineClass?: string;
  /** Default: int64 for optimum, int32 for diffusers' script. */
  inputIdsType?: "int32" | "int64";
  /**
   * Default: the model dtype. optimum ≥ 1.24 exports a float scalar; optimum ≤ 1.23
   * exported int64 of shape [steps]; diffusers' script a float [batch].
   */
  timestepType?: "float32" | "float16" | "int64";
  /** 0: a scalar; 1: shape [n]. Default: 0 for optimum with a float timestep, else 1. */
  timestepRank?: 0 | 1;
  /** VAE encoder output: optimum's `latent_parameters` (mean | logvar) or the older `latent_sample`; false: none. */
  vaeEncoder?: "latent_parameters" | "latent_sample" | false;
  /** Which tokenizer files to copy from the fixture. Default "vocab-merges". */
  tokenizerFormat?: "vocab-merges" | "tokenizer-json";
  /**
   * Folder to copy the tokenizer from (default: the CLIP tokenizer fixture for the format).
   * Its vocabulary sizes the embedding tables; SD 2.x and SDXL's second copy pad with "!".
   */
  tokenizerSource?: string;
  /** scheduler/scheduler_config.json contents (default: the family's usual scheduler). */
  scheduler?: Record<string, unknown>;
  /** Default: v_prediction for sd2, else epsilon (or the scheduler config's prediction_type). */
  predictionType?: "epsilon" | "v_prediction";
  /** unet/config.json sample_size (latent pixels; images are 8× larger). Default 8. */
  sampleSize?: number;
  /** Write the UNet's weights to this external data file beside model.onnx (diffusers' script: "weights.pb"). */
  unetExternalData?: string | false;
}

// --- sizes and constants -----------------------------------------------------------

/** The CLIP tokenizer fixtures: vocab.json + merges.txt, and a tokenizer.json-only variant. */
export const CLIP_TOKENIZER_FIXTURE = fileURLToPath(new URL("../fixtures/diffusion/clip-tokenizer/", import.meta.url));
export const CLIP_TOKENIZER_JSON_FIXTURE = fileURLToPath(new URL("../fixtures/diffusion/clip-tokenizer-json/", import.meta.url));

const MAX_POSITIONS = 77;
const LATENT_CHANNELS = 4;
const TIME_IDS = 6; // SDXL: original size, crop top-left, target size
const LOGVAR = -20; // the tiny VAE encoder is (almost) deterministic

interface TextEncoderShape { hidden: number; layers: number; act: string; projection?: number }
const TEXT_ENCODERS: Record<TinyFamily, TextEncoderShape[]> = {
  sd1: [{ hidden: 32, layers: 2, act: "quick_gelu" }],
  lcm: [{ hidden: 32, layers: 2, act: "quick_gelu" }],
  sd2: [{ hidden: 40, layers: 3, act: "gelu" }],
  // SDXL: CLIP ViT-L (no projection) and OpenCLIP bigG with projection; the UNet sees both concatenated.
  sdxl: [{ hidden: 32, layers: 2, act: "quick_gelu" }, { hidden: 48, layers: 3, act: "gelu", projection: 40 }],
};
const TIME_COND_PROJ_DIM = 8; // LCM (real models: 256)

export const VAE_SCALING_FACTOR: Record<TinyFamily, number> = { sd1: 0.18215, sd2: 0.18215, lcm: 0.18215, sdxl: 0.13025 };

// Latent → RGB of the decoder (applied to scaled latents; a well-conditioned 3×4 matrix).
const LATENT_TO_RGB = [
  [0.45, 0.25, 0.1, -0.2],
  [0.1, 0.45, 0.25, 0.2],
  [-0.2, 0.1, 0.45, 0.25],
];
const RGB_BIAS = [0.05, 0, -0.05];
const CLEAN_LATENT_AMPLITUDE = 0.9;
const CONTEXT_GAIN = 2; // how strongly the prompt moves x0 (before tanh)


// --- deterministic weights ------------------------------------------------------------

function prng(seedText: string): () => number {
  let seed = 2166136261;
  for (const c of seedText) seed = Math.imul(seed ^ c.charCodeAt(0), 16777619);
  return () => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TextEncoderWeights extends TextEncoderShape {
  tokenEmbedding: Float32Array; // [vocab, hidden]
  positionEmbedding: Float32Array; // [77, hidden]
  layerWeights: Float32Array[]; // [hidden, hidden] each
  layerBiases: Float32Array[]; // [hidden] each
  normScale: Float32Array;
  normBias: Float32Array;
  projectionWeight?: Float32Array; // [hidden, projection]
}

export interface UnetWeights {
  contextDim: number;
  context: Float32Array; // [contextDim, 4]
  bias: Float32Array; // [4]
  textEmbeds?: Float32Array; // SDXL [projection, 4]
  timeIds?: Float32Array; // SDXL [6, 4], applied to time_ids / 1024
  timestepCond?: Float32Array; // LCM [timeCondProjDim, 4]
  patternX: Float32Array; // [4]: horizontal gradient per channel
  patternY: Float32Array; // [4]
  sigmas: Float32Array; // [numTrainTimesteps]: sqrt((1 - ᾱ) / ᾱ)
}

/** Resolved options (defaults filled in) plus weights and TypeScript reference computations. */
export class TinyModel {
  readonly family: TinyFamily;
  readonly inpainting: boolean;
  readonly dtype: FloatType;
  readonly exporter: "optimum" | "diffusers";
  readonly pipelineClass: string;
  readonly inputIdsType: "int32" | "int64";
  readonly timestepType: "float32" | "float16" | "int64";
  readonly timestepRank: 0 | 1;
  readonly vaeEncoder: "latent_parameters" | "latent_sample" | false;
  readonly tokenizerFormat: "vocab-merges" | "tokenizer-json";
  readonly tokenizerSource: string;
  /** Ids of the tokenizer's special tokens and its vocabulary size. */
  readonly vocabulary: ClipVocabulary;
  readonly scheduler: Record<string, unknown>;
  readonly predictionType: "epsilon" | "v_prediction";
  readonly sampleSize: number;
  readonly unetExternalData: string | false;
  readonly vaeScalingFactor: number;
  readonly textEncoders: TextEncoderWeights[];
  readonly unet: UnetWeights;

  constructor(options: TinyModelOptions) {
    const family = options.family;
    const exporter = options.exporter ?? "optimum";
    if (exporter === "diffusers" && (family === "sdxl" || family === "lcm")) {
      throw new Error(`diffusers' ONNX conversion script exports SD 1.x/2.x only, not ${family}`);
    }
    this.family = family;
    this.exporter = exporter;
    this.inpainting = options.inpainting ?? false;
    this.dtype = options.dtype ?? "float32";
    this.pipelineClass = options.pipelineClass ?? defaultPipelineClass(family, this.inpainting, exporter);
    this.inputIdsType = options.inputIdsType ?? (exporter === "optimum" ? "int64" : "int32");
    this.timestepType = options.timestepType ?? this.dtype;
    this.timestepRank = options.timestepRank ?? (exporter === "optimum" && this.timestepType !== "int64" ? 0 : 1);
    this.vaeEncoder = options.vaeEncoder ?? (exporter === "optimum" ? "latent_parameters" : "latent_sample");
    this.tokenizerFormat = options.tokenizerFormat ?? "vocab-merges";
    this.tokenizerSource = options.tokenizerSource ?? (this.tokenizerFormat === "vocab-merges" ? CLIP_TOKENIZER_FIXTURE : CLIP_TOKENIZER_JSON_FIXTURE);
    this.vocabulary = readClipVocabulary(this.tokenizerSource);
    const { size: vocabSize, bos, eos, bang } = this.vocabulary;
    const configuredPrediction = options.scheduler?.prediction_type as TinyModel["predictionType"] | undefined;
    this.predictionType = options.predictionType ?? configuredPrediction ?? (family === "sd2" ? "v_prediction" : "epsilon");
    this.scheduler = options.scheduler ?? defaultScheduler(family, this.predictionType);
    this.sampleSize = options.sampleSize ?? 8;
    this.unetExternalData = options.unetExternalData ?? (exporter === "diffusers" ? "weights.pb" : false);
    this.vaeScalingFactor = VAE_SCALING_FACTOR[family];

    // fp16 models compute with their weights rounded to half precision; so does the reference.
    const round = this.dtype === "float16" ? (a: Float32Array) => a.map((v) => fromFloat16Bits(toFloat16Bits(v))) : (a: Float32Array) => a;
    const uniform = (seed: string, count: number, scale: number) => {
      const next = prng(`${family}/${seed}`);
      return round(Float32Array.from({ length: count }, () => (next() * 2 - 1) * scale));
    };
    this.textEncoders = TEXT_ENCODERS[family].map((shape, e) => {
      const d = shape.hidden;
      return {
        ...shape,
        tokenEmbedding: uniform(`te${e}/token`, vocabSize * d, 1),
        positionEmbedding: uniform(`te${e}/position`, MAX_POSITIONS * d, 0.05),
        layerWeights: Array.from({ length: shape.layers }, (_, l) => uniform(`te${e}/w${l}`, d * d, 1.5 / Math.sqrt(d))),
        layerBiases: Array.from({ length: shape.layers }, (_, l) => uniform(`te${e}/b${l}`, d, 0.1)),
        normScale: round(uniform(`te${e}/norm-scale`, d, 0.2).map((v) => 1 + v)),
        normBias: uniform(`te${e}/norm-bias`, d, 0.1),
        projectionWeight: shape.projection ? uniform(`te${e}/projection`, d * shape.projection, 1 / Math.sqrt(d)) : undefined,
      };
    });
    const contextDim = this.textEncoders.reduce((sum, e) => sum + e.hidden, 0);
    const projection = this.textEncoders.find((e) => e.projection)?.projection;
    this.unet = {
      contextDim,
      context: uniform("unet/context", contextDim * 4, CONTEXT_GAIN / Math.sqrt(contextDim)),
      bias: new Float32Array(4), // set below
      textEmbeds: projection ? uniform("unet/text-embeds", projection * 4, 0.3 / Math.sqrt(projection)) : undefined,
      timeIds: family === "sdxl" ? uniform("unet/time-ids", TIME_IDS * 4, 0.3) : undefined,
      timestepCond: family === "lcm" ? uniform("unet/timestep-cond", TIME_COND_PROJ_DIM * 4, 0.3) : undefined,
      patternX: uniform("unet/pattern-x", 4, 0.15),
      patternY: uniform("unet/pattern-y", 4, 0.15),
      sigmas: round(trainingSigmas(this.scheduler)),
    };
    // Centre x0's level on that of typical prompts: the features every prompt shares
    // (start/end tokens, padding) would otherwise push all prompts toward one colour.
    const offset = new Float32Array(4);
    const next = prng(`${family}/unet/typical-prompts`);
    const samples = 16;
    for (let i = 0; i < samples; i++) {
      const words = Array.from({ length: 1 + Math.floor(next() * 8) }, () => Math.min(Math.floor(next() * vocabSize), bos - 1));
      const prompt = (pad: number) => [bos, ...words, eos, ...new Array<number>(MAX_POSITIONS - words.length - 2).fill(pad)];
      const level = this.conditioningLevel(this.promptConditioning(prompt(family === "sd2" ? bang : eos), prompt(bang)), true);
      level.forEach((v, c) => (offset[c] += v / samples));
    }
    const jitter = uniform("unet/bias", 4, 0.3);
    this.unet.bias = round(jitter.map((v, c) => v - offset[c]));
  }

  /** The UNet's input channel count (9 for inpainting). */
  get inChannels(): number {
    return this.inpainting ? 9 : LATENT_CHANNELS;
  }

  get timeCondProjDim(): number | undefined {
    return this.family === "lcm" ? TIME_COND_PROJ_DIM : undefined;
  }

  /**
   * Reference forward pass of text encoder `index` (0, or 1 for SDXL's second) for one
   * sequence of token ids: hidden states after the embeddings and after every layer,
   * last_hidden_state (after the final LayerNorm), the pooled state at the largest id, and
   * the projected `text_embeds` where the encoder has a projection.
   */
  encodeTokens(ids: ArrayLike<number>, index = 0): TextEncoding {
    const enc = this.textEncoders[index];
    const d = enc.hidden;
    const n = ids.length;
    let h = new Float32Array(n * d);
    for (let s = 0; s < n; s++) {
      for (let j = 0; j < d; j++) h[s * d + j] = enc.tokenEmbedding[ids[s] * d + j] + enc.positionEmbedding[s * d + j];
    }
    const hiddenStates = [h];
    for (let l = 0; l < enc.layers; l++) {
      const next = new Float32Array(n * d);
      const runningSum = new Float32Array(d);
      const mixed = new Float32Array(d);
      for (let s = 0; s < n; s++) {
        for (let j = 0; j < d; j++) {
          runningSum[j] += h[s * d + j];
          mixed[j] = h[s * d + j] + runningSum[j] / (s + 1);
        }
        for (let k = 0; k < d; k++) {
          let acc = enc.layerBiases[l][k];
          for (let j = 0; j < d; j++) acc += mixed[j] * enc.layerWeights[l][j * d + k];
          next[s * d + k] = h[s * d + k] + Math.tanh(acc);
        }
      }
      h = next;
      hiddenStates.push(h);
    }
    const lastHiddenState = new Float32Array(n * d);
    for (let s = 0; s < n; s++) {
      const row = h.subarray(s * d, (s + 1) * d);
      const mean = row.reduce((a, b) => a + b, 0) / d;
      const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / d;
      for (let j = 0; j < d; j++) {
        lastHiddenState[s * d + j] = ((row[j] - mean) / Math.sqrt(variance + 1e-5)) * enc.normScale[j] + enc.normBias[j];
      }
    }
    let eos = 0;
    for (let s = 1; s < n; s++) if (ids[s] > ids[eos]) eos = s;
    const pooled = lastHiddenState.slice(eos * d, (eos + 1) * d);
    let textEmbeds: Float32Array | undefined;
    if (enc.projectionWeight && enc.projection) {
      textEmbeds = new Float32Array(enc.projection);
      for (let k = 0; k < enc.projection; k++) {
        for (let j = 0; j < d; j++) textEmbeds[k] += pooled[j] * enc.projectionWeight[j * enc.projection + k];
      }
    }
    return { hiddenStates, lastHiddenState, pooled, textEmbeds };
  }

  /**
   * The UNet conditioning a diffusers pipeline builds from token ids (one prompt): SD 1.x/2.x
   * and LCM use last_hidden_state; SDXL concatenates both encoders' penultimate hidden
   * states (hidden_states[-2]) on the feature axis and pools from the second encoder.
   */
  promptConditioning(ids: ArrayLike<number>, ids2: ArrayLike<number> = ids): PromptConditioning {
    if (this.family !== "sdxl") return { encoderHiddenStates: this.encodeTokens(ids).lastHiddenState };
    const first = this.encodeTokens(ids, 0);
    const second = this.encodeTokens(ids2, 1);
    const a = first.hiddenStates[first.hiddenStates.length - 2];
    const b = second.hiddenStates[second.hiddenStates.length - 2];
    const [da, db] = [this.textEncoders[0].hidden, this.textEncoders[1].hidden];
    const n = a.length / da;
    const joined = new Float32Array(n * (da + db));
    for (let s = 0; s < n; s++) {
      joined.set(a.subarray(s * da, (s + 1) * da), s * (da + db));
      joined.set(b.subarray(s * db, (s + 1) * db), s * (da + db) + da);
    }
    return { encoderHiddenStates: joined, textEmbeds: second.textEmbeds };
  }

  /**
   * The clean latent x0 the oracle UNet denoises toward, for one batch item, as a
   * [4, height, width] array (scaled latent space, i.e. what the pipeline divides by the
   * VAE scaling factor before decoding):
   *
   *   f[j]     = max_s ehs[s, j] + min_s ehs[s, j]        (ehs = encoder_hidden_states, s over the 77 positions)
   *   level[c] = 0.9 · tanh(f · Wctx[:, c] + b[c]
   *                         + text_embeds · Wpool[:, c] + (time_ids / 1024) · Wtime[:, c]   (SDXL)
   *                         + timestep_cond · Wcond[:, c])                                   (LCM)
   *   x0[c, y, x] = level[c] + gx[c] · u(x) + gy[c] · v(y),   u, v = pixel centres mapped to (-1, 1)
   *
   * The extremes over positions (rather than their mean) let a few words outweigh the
   * padding; `b` centres the level on that of typical prompts, so prompts differ clearly.
   *
   * Inpainting UNets return mask · x0 + (1 − mask) · maskedImageLatents per pixel.
   */
  cleanLatent(cond: UnetConditioning, height: number, width: number): Float32Array {
    const u = this.unet;
    const level = this.conditioningLevel(cond);
    const x0 = new Float32Array(4 * height * width);
    for (let c = 0; c < 4; c++) {
      const value = CLEAN_LATENT_AMPLITUDE * Math.tanh(level[c]);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const i = (c * height + y) * width + x;
          x0[i] = value + u.patternX[c] * ((2 * x + 1) / width - 1) + u.patternY[c] * ((2 * y + 1) / height - 1);
          if (this.inpainting) {
            if (!cond.mask || !cond.maskedImageLatents) throw new Error("the inpainting oracle needs mask and maskedImageLatents");
            const m = cond.mask[y * width + x];
            x0[i] = m * x0[i] + (1 - m) * cond.maskedImageLatents[i];
          }
        }
      }
    }
    return x0;
  }

  /** x0's per-channel level before tanh (see cleanLatent); `partial` lets absent extra inputs count as zeros. */
  private conditioningLevel(cond: UnetConditioning, partial = false): Float32Array {
    const u = this.unet;
    const level = Float32Array.from(u.bias);
    const d = u.contextDim;
    const positions = cond.encoderHiddenStates.length / d;
    for (let j = 0; j < d; j++) {
      let [max, min] = [-Infinity, Infinity];
      for (let s = 0; s < positions; s++) {
        const value = cond.encoderHiddenStates[s * d + j];
        max = Math.max(max, value);
        min = Math.min(min, value);
      }
      const feature = max + min;
      for (let c = 0; c < 4; c++) level[c] += feature * u.context[j * 4 + c];
    }
    const addTerm = (values: ArrayLike<number> | undefined, weights: Float32Array | undefined, what: string, scale = 1) => {
      if (!weights || (!values && partial)) return;
      if (!values) throw new Error(`the ${this.family} oracle needs ${what}`);
      for (let j = 0; j < values.length; j++) for (let c = 0; c < 4; c++) level[c] += values[j] * scale * weights[j * 4 + c];
    };
    addTerm(cond.textEmbeds, u.textEmbeds, "textEmbeds");
    addTerm(cond.timeIds, u.timeIds, "timeIds", 1 / 1024);
    addTerm(cond.timestepCond, u.timestepCond, "timestepCond");
    return level;
  }

  /** The UNet's output for one batch item: epsilon or v for `sample` (its first 4 channels) at `timestep`. */
  noisePrediction(sample: Float32Array, timestep: number, x0: Float32Array): Float32Array {
    const sigma = this.sigmaAt(timestep);
    const a = 1 / Math.sqrt(1 + sigma * sigma); // sqrt(ᾱ)
    const s = sigma * a; // sqrt(1 − ᾱ)
    return x0.map((clean, i) => {
      const eps = (sample[i] - a * clean) / s;
      return this.predictionType === "epsilon" ? eps : a * eps - s * clean;
    });
  }

  /** σ at a (possibly fractional) timestep, interpolated linearly as Euler-type schedulers do. */
  sigmaAt(timestep: number): number {
    const { sigmas } = this.unet;
    const t = Math.min(Math.max(timestep, 0), sigmas.length - 1);
    const low = Math.floor(t);
    const high = Math.min(low + 1, sigmas.length - 1);
    return sigmas[low] * (1 - (t - low)) + sigmas[high] * (t - low);
  }

  /** The decoder's RGB in about [-1, 1] (before `x / 2 + 0.5`) for one scaled-latent pixel. */
  latentToRgb(latent: ArrayLike<number>): [number, number, number] {
    const rgb = LATENT_TO_RGB.map((row, k) => row.reduce((acc, w, c) => acc + w * latent[c], RGB_BIAS[k]));
    return rgb as [number, number, number];
  }

  get decoderBias(): number[] {
    return RGB_BIAS;
  }

  /** Log-variance the encoder reports: so negative that sampling the latent adds no visible noise. */
  readonly encoderLogvar = LOGVAR;

  /** The decoder's RGB weights, applied to unscaled latents (scaled latents / scaling factor). */
  get decoderWeights(): number[][] {
    return LATENT_TO_RGB.map((row) => row.map((w) => w * this.vaeScalingFactor));
  }

  /** Encoder weights: the pseudo-inverse of the decoder, so decode(encode(rgb)) ≈ rgb. */
  get encoderWeights(): { weights: number[][]; bias: number[] } {
    const weights = pseudoInverse(this.decoderWeights); // [4][3]
    const bias = weights.map((row) => -row.reduce((acc, w, k) => acc + w * RGB_BIAS[k], 0));
    return { weights, bias };
  }
}

export interface TextEncoding {
  hiddenStates: Float32Array[];
  lastHiddenState: Float32Array;
  pooled: Float32Array;
  textEmbeds?: Float32Array;
}

export interface PromptConditioning {
  encoderHiddenStates: Float32Array;
  textEmbeds?: Float32Array;
}

export interface UnetConditioning extends PromptConditioning {
  timeIds?: ArrayLike<number>;
  timestepCond?: ArrayLike<number>;
  /** Inpainting: [height, width] mask (1 = repaint) and [4, height, width] masked-image latents. */
  mask?: ArrayLike<number>;
  maskedImageLatents?: ArrayLike<number>;
}

/** Shortcut: x0 for one item of the model that `options` describe. */
export function expectedCleanLatent(options: TinyModelOptions | TinyModel, cond: UnetConditioning, height: number, width: number): Float32Array {
  return (options instanceof TinyModel ? options : new TinyModel(options)).cleanLatent(cond, height, width);
}

function pseudoInverse(m: number[][]): number[][] {
  // m is 3×4 with full row rank: pinv = mᵀ (m mᵀ)⁻¹
  const mmt = m.map((a) => m.map((b) => a.reduce((acc, v, i) => acc + v * b[i], 0)));
  const inv = invert3(mmt);
  return m[0].map((_, c) => inv.map((_, k) => m.reduce((acc, row, j) => acc + row[c] * inv[j][k], 0)));
}

function invert3(a: number[][]): number[][] {
  const [[p, q, r], [s, t, u], [v, w, x]] = a;
  const det = p * (t * x - u * w) - q * (s * x - u * v) + r * (s * w - t * v);
  const cof = [
    [t * x - u * w, r * w - q * x, q * u - r * t],
    [u * v - s * x, p * x - r * v, r * s - p * u],
    [s * w - t * v, q * v - p * w, p * t - q * s],
  ];
  return cof.map((row) => row.map((value) => value / det));
}

/** σ per training timestep for the scheduler config's beta schedule (scaled_linear or linear). */
function trainingSigmas(scheduler: Record<string, unknown>): Float32Array {
  const steps = Number(scheduler.num_train_timesteps ?? 1000);
  const start = Number(scheduler.beta_start ?? 0.00085);
  const end = Number(scheduler.beta_end ?? 0.012);
  const schedule = String(scheduler.beta_schedule ?? "scaled_linear");
  const sigmas = new Float32Array(steps);
  let alphaBar = 1;
  for (let i = 0; i < steps; i++) {
    const fraction = steps === 1 ? 0 : i / (steps - 1);
    const beta =
      schedule === "scaled_linear"
        ? (Math.sqrt(start) + fraction * (Math.sqrt(end) - Math.sqrt(start))) ** 2
        : schedule === "linear"
          ? start + fraction * (end - start)
          : unsupported(`beta_schedule ${schedule}`);
    alphaBar *= 1 - beta;
    sigmas[i] = Math.sqrt((1 - alphaBar) / alphaBar);
  }
  return sigmas;
}

export interface ClipVocabulary {
  size: number;
  /** <|startoftext|> */
  bos: number;
  /** <|endoftext|>: SD 1.x's padding, and the largest id (CLIP pools at the largest id). */
  eos: number;
  /** "!": the padding of SD 2.x and SDXL's second tokenizer. */
  bang: number;
}

/** Reads special-token ids from vocab.json or tokenizer.json in `folder`. */
export function readClipVocabulary(folder: string): ClipVocabulary {
  let vocab: Record<string, number>;
  if (existsSync(join(folder, "vocab.json"))) {
    vocab = JSON.parse(readFileSync(join(folder, "vocab.json"), "utf8"));
  } else if (existsSync(join(folder, "tokenizer.json"))) {
    const tokenizer = JSON.parse(readFileSync(join(folder, "tokenizer.json"), "utf8"));
    vocab = { ...tokenizer.model.vocab };
    for (const added of tokenizer.added_tokens ?? []) vocab[added.content] = added.id;
  } else {
    throw new Error(`no CLIP tokenizer (vocab.json or tokenizer.json) in ${folder}`);
  }
  const id = (token: string) => {
    if (!(token in vocab)) throw new Error(`the tokenizer in ${folder} has no ${token}`);
    return vocab[token];
  };
  const size = Math.max(...Object.values(vocab)) + 1;
  return { size, bos: id("<|startoftext|>"), eos: id("<|endoftext|>"), bang: id("!") };
}

function unsupported(what: string): never {
  throw new Error(`tiny models do not support ${what}`);
}

// --- defaults that mirror real folders ---------------------------------------------------

function defaultPipelineClass(family: TinyFamily, inpainting: boolean, exporter: "optimum" | "diffusers"): string {
  if (exporter === "diffusers") return inpainting ? "OnnxStableDiffusionInpaintPipeline" : "OnnxStableDiffusionPipeline";
  if (family === "sdxl") return inpainting ? "StableDiffusionXLInpaintPipeline" : "StableDiffusionXLPipeline";
  if (family === "lcm") return inpainting ? unsupported("LCM inpainting") : "LatentConsistencyModelPipeline";
  return inpainting ? "StableDiffusionInpaintPipeline" : "StableDiffusionPipeline";
}

const BETAS = { beta_start: 0.00085, beta_end: 0.012, beta_schedule: "scaled_linear", num_train_timesteps: 1000, trained_betas: null };

function defaultScheduler(family: TinyFamily, predictionType: string): Record<string, unknown> {
  const version = { _diffusers_version: "0.30.0" };
  switch (family) {
    case "sd1":
      return { _class_name: "PNDMScheduler", ...version, ...BETAS, set_alpha_to_one: false, skip_prk_steps: true, steps_offset: 1, prediction_type: predictionType, timestep_spacing: "leading" };
    case "sd2":
      return { _class_name: "DDIMScheduler", ...version, ...BETAS, clip_sample: false, set_alpha_to_one: false, steps_offset: 1, prediction_type: predictionType, timestep_spacing: "leading", rescale_betas_zero_snr: false };
    case "sdxl":
      return { _class_name: "EulerDiscreteScheduler", ...version, ...BETAS, interpolation_type: "linear", steps_offset: 1, prediction_type: predictionType, timestep_spacing: "leading", use_karras_sigmas: false, sample_max_value: 1.0 };
    case "lcm":
      return { _class_name: "LCMScheduler", ...version, ...BETAS, clip_sample: false, original_inference_steps: 50, set_alpha_to_one: true, steps_offset: 1, timestep_scaling: 10, timestep_spacing: "leading", prediction_type: predictionType, rescale_betas_zero_snr: false };
  }
}

// --- the folder ----------------------------------------------------------------------------

/**
 * Writes a tiny model folder as the chosen exporter lays it out:
 *
 *   model_index.json, scheduler/scheduler_config.json,
 *   text_encoder/model.onnx (+ text_encoder_2/ for SDXL), tokenizer/ (+ tokenizer_2/),
 *   unet/model.onnx, vae_decoder/model.onnx, vae_encoder/model.onnx,
 *   and (optimum) a config.json beside each model.onnx.
 *
 * Returns the TinyModel with the weights and reference computations.
 */
export async function writeTinyModel(dir: string, options: TinyModelOptions): Promise<TinyModel> {
  const model = new TinyModel(options);
  const optimum = model.exporter === "optimum";
  const sdxl = model.family === "sdxl";
  const save = async (component: string, graph: GraphBuilder, config: Record<string, unknown> | null, externalData?: string | false) => {
    await writeModel(join(dir, component, "model.onnx"), graph.build({ opset: 17 }), externalData ? { externalData: { location: externalData } } : {});
    if (optimum && config) await writeJson(join(dir, component, "config.json"), config);
  };

  await mkdir(join(dir, "scheduler"), { recursive: true });
  await writeJson(join(dir, "model_index.json"), modelIndex(model));
  await writeJson(join(dir, "scheduler", "scheduler_config.json"), model.scheduler);

  await save("text_encoder", textEncoderGraph(model, 0), textEncoderConfig(model, 0));
  await copyTokenizer(model, join(dir, "tokenizer"), model.family === "sd2" ? "!" : "<|endoftext|>");
  if (sdxl) {
    await save("text_encoder_2", textEncoderGraph(model, 1), textEncoderConfig(model, 1));
    await copyTokenizer(model, join(dir, "tokenizer_2"), "!"); // OpenCLIP's tokenizer pads with "!"
  }
  await save("unet", unetGraph(model), unetConfig(model), model.unetExternalData);
  await save("vae_decoder", vaeDecoderGraph(model), vaeConfig(model));
  if (model.vaeEncoder) await save("vae_encoder", vaeEncoderGraph(model), vaeConfig(model));
  return model;
}

/**
 * Writes a tiny autoencoder decoder for `model` (TAESD's place): as diffusers' AutoencoderTiny
 * exports it (`target/vae_decoder/model.onnx` + config.json, pictures in [-1, 1]) or as one
 * .onnx file at `target` (madebyollin's taesd_decoder.onnx, pictures in [0, 1]).
 */
export async function writeTinyFastDecoder(target: string, model: TinyModel, layout: "folder" | "file", tint: number[] = [0, 0, 0]): Promise<string> {
  const graph = fastDecoderGraph(model, layout === "folder" ? "-1..1" : "0..1", tint).build({ opset: 17 });
  if (layout === "file") {
    await mkdir(join(target, ".."), { recursive: true });
    await writeModel(target, graph);
    return target;
  }
  await mkdir(join(target, "vae_decoder"), { recursive: true });
  await writeModel(join(target, "vae_decoder", "model.onnx"), graph);
  await writeJson(join(target, "vae_decoder", "config.json"), { _class_name: "AutoencoderTiny", latent_channels: 4, scaling_factor: 1.0, shift_factor: 0.0 });
  return target;
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(path, JSON.stringify(value, null, 2) + "\n");
}

async function copyTokenizer(model: TinyModel, to: string, padToken: string): Promise<void> {
  const source = model.tokenizerSource;
  if (!existsSync(source)) throw new Error(`tokenizer source folder missing: ${source}`);
  const available = await readdir(source);
  const wanted =
    model.tokenizerFormat === "vocab-merges"
      ? ["vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"]
      : ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"];
  for (const required of model.tokenizerFormat === "vocab-merges" ? ["vocab.json", "merges.txt"] : ["tokenizer.json"]) {
    if (!available.includes(required)) throw new Error(`the tokenizer source ${source} has no ${required}`);
  }
  await mkdir(to, { recursive: true });
  for (const file of wanted.filter((name) => available.includes(name))) {
    if (file === "tokenizer_config.json" || file === "special_tokens_map.json") {
      // SD 2.x and SDXL's second tokenizer pad with "!" where SD 1.x pads with <|endoftext|>.
      const config = JSON.parse(await readFile(join(source, file), "utf8")) as Record<string, unknown>;
      if ("pad_token" in config) {
        config.pad_token = typeof config.pad_token === "object" && config.pad_token
          ? { ...(config.pad_token as object), content: padToken }
          : padToken;
      }
      await writeJson(join(to, file), config);
    } else {
      await copyFile(join(source, file), join(to, file));
    }
  }
}

const DIFFUSERS_VERSION = "0.30.0";

function modelIndex(model: TinyModel): Record<string, unknown> {
  const scheduler = ["diffusers", String(model.scheduler._class_name ?? "PNDMScheduler")];
  const tokenizer = ["transformers", "CLIPTokenizer"];
  const index: Record<string, unknown> = { _class_name: model.pipelineClass, _diffusers_version: DIFFUSERS_VERSION };
  if (model.exporter === "diffusers") {
    // OnnxStableDiffusionPipeline lists each ONNX component as an OnnxRuntimeModel.
    const onnxModel = ["diffusers", "OnnxRuntimeModel"];
    Object.assign(index, {
      feature_extractor: [null, null], requires_safety_checker: false, safety_checker: [null, null], scheduler,
      text_encoder: onnxModel, tokenizer, unet: onnxModel, vae_decoder: onnxModel, vae_encoder: model.vaeEncoder ? onnxModel : [null, null],
    });
    return index;
  }
  // optimum-cli saves the source (PyTorch) pipeline's model_index.json.
  Object.assign(index, {
    scheduler, text_encoder: ["transformers", "CLIPTextModel"], tokenizer,
    unet: ["diffusers", "UNet2DConditionModel"], vae: ["diffusers", "AutoencoderKL"],
  });
  if (model.family === "sdxl") {
    Object.assign(index, {
      text_encoder_2: ["transformers", "CLIPTextModelWithProjection"], tokenizer_2: tokenizer,
      force_zeros_for_empty_prompt: true, image_encoder: [null, null], feature_extractor: [null, null],
    });
    if (model.inpainting) index.requires_aesthetics_score = false;
  } else {
    Object.assign(index, { feature_extractor: [null, null], image_encoder: [null, null], requires_safety_checker: false, safety_checker: [null, null] });
  }
  return index;
}

function textEncoderConfig(model: TinyModel, index: number): Record<string, unknown> {
  const enc = model.textEncoders[index];
  return {
    architectures: [enc.projection ? "CLIPTextModelWithProjection" : "CLIPTextModel"],
    attention_dropout: 0,
    bos_token_id: 0,
    eos_token_id: 2,
    pad_token_id: 1,
    hidden_act: enc.act,
    hidden_size: enc.hidden,
    intermediate_size: enc.hidden * 4,
    layer_norm_eps: 1e-5,
    max_position_embeddings: MAX_POSITIONS,
    model_type: "clip_text_model",
    num_attention_heads: 4,
    num_hidden_layers: enc.layers,
    projection_dim: enc.projection ?? enc.hidden,
    torch_dtype: model.dtype,
    vocab_size: model.vocabulary.size,
    ...(model.family === "sdxl" ? { output_hidden_states: true } : {}),
  };
}

function unetConfig(model: TinyModel): Record<string, unknown> {
  const sdxl = model.family === "sdxl";
  return {
    _class_name: "UNet2DConditionModel",
    _diffusers_version: DIFFUSERS_VERSION,
    act_fn: "silu",
    addition_embed_type: sdxl ? "text_time" : null,
    addition_time_embed_dim: sdxl ? 256 : null,
    attention_head_dim: model.family === "sd1" || model.family === "lcm" ? 8 : [5, 10, 20, 20],
    block_out_channels: [32, 64],
    cross_attention_dim: model.unet.contextDim,
    down_block_types: ["CrossAttnDownBlock2D", "DownBlock2D"],
    up_block_types: ["UpBlock2D", "CrossAttnUpBlock2D"],
    in_channels: model.inChannels,
    out_channels: LATENT_CHANNELS,
    layers_per_block: 2,
    norm_num_groups: 32,
    projection_class_embeddings_input_dim: sdxl ? (model.textEncoders[1].projection ?? 0) + TIME_IDS * 256 : null,
    sample_size: model.sampleSize,
    time_cond_proj_dim: model.timeCondProjDim ?? null,
    use_linear_projection: model.family !== "sd1" && model.family !== "lcm",
    // optimum adds these while exporting (exporters/utils.py, _get_submodels_for_export_diffusion)
    requires_aesthetics_score: false,
    text_encoder_projection_dim: sdxl ? model.textEncoders[1].projection : model.textEncoders[0].hidden,
  };
}

function vaeConfig(model: TinyModel): Record<string, unknown> {
  return {
    _class_name: "AutoencoderKL",
    _diffusers_version: DIFFUSERS_VERSION,
    act_fn: "silu",
    block_out_channels: [32, 32, 32, 32], // four blocks: 8× down/up-sampling
    down_block_types: new Array(4).fill("DownEncoderBlock2D"),
    up_block_types: new Array(4).fill("UpDecoderBlock2D"),
    in_channels: 3,
    out_channels: 3,
    latent_channels: LATENT_CHANNELS,
    layers_per_block: 2,
    norm_num_groups: 32,
    sample_size: model.sampleSize * 8,
    scaling_factor: model.vaeScalingFactor,
    force_upcast: model.family === "sdxl",
  };
}
