// The building blocks of Stable Diffusion's ONNX graphs (UNet, VAE), on top of
// GraphBuilder, with random weights named like diffusers' state dicts. The
// operators are the ones torch.onnx emits at opset 17: GroupNorm as Reshape →
// InstanceNormalization → Reshape → Mul/Add, GELU from Erf, attention as
// MatMul → Softmax → MatMul, nearest upsampling with Resize.
//
// Attention comes in two forms with the same weights and the same result:
// "full" scores all heads at once ([B, heads, N, M], as a plain export writes
// it) and "sliced" scores one head at a time and concatenates, as an export
// made with diffusers' attention slicing does, so that only one head's scores
// are alive at once (a [1, 8, 4096, 4096] score tensor is 537 MB at 512²).
import { GraphBuilder } from "../../test/helpers/onnx-graph.js";

/** How attention is written into the graph; see the file's header. */
export type AttentionForm = "full" | "sliced";

const GROUPS = 32;
const LAYER_NORM_EPS = 1e-5;

/**
 * Deterministic weights, fast enough for 860 M values (mulberry32). Uniform
 * values with a chosen standard deviation: 1/√fan_in keeps each conv/linear's
 * output at the scale of its input, so activations stay finite through 25
 * residual blocks (the GroupNorms and LayerNorms renormalise the rest).
 */
class WeightRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed | 0;
  }

  fill(values: Float32Array, std: number): Float32Array {
    const width = std * Math.sqrt(3) * 2; // uniform on [-√3·std, √3·std]
    let s = this.state;
    for (let i = 0; i < values.length; i++) {
      s = (s + 0x6d2b79f5) | 0;
      let t = Math.imul(s ^ (s >>> 15), 1 | s);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      values[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5) * width;
    }
    this.state = s;
    return values;
  }
}

/** GraphBuilder plus the layers diffusers' UNet and VAE are made of, named like their state dicts. */
export class SdLayers {
  readonly g: GraphBuilder;
  parameters = 0;
  private readonly random: WeightRandom;
  private readonly constants = new Map<string, string>();

  constructor(name: string, seed: number, readonly attentionForm: AttentionForm = "full") {
    this.g = new GraphBuilder(name);
    this.random = new WeightRandom(seed);
  }

  private param(name: string, dims: number[], values: Float32Array): string {
    this.parameters += values.length;
    return this.g.initializer(name, "float32", dims, values);
  }

  private randomParam(name: string, dims: number[], std: number): string {
    const count = dims.reduce((a, b) => a * b, 1);
    return this.param(name, dims, this.random.fill(new Float32Array(count), std));
  }

  private filledParam(name: string, dims: number[], value: number): string {
    return this.param(name, dims, new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(value));
  }

  /** A shared int64 / float constant (shapes, axes, scales), created once. */
  ints(values: number[]): string {
    return this.cached(`i${values.join(",")}`, () => this.g.constant("int64", values));
  }

  scalar(value: number): string {
    return this.cached(`f${value}`, () => this.g.constant("float32", value));
  }

  private cached(key: string, make: () => string): string {
    let name = this.constants.get(key);
    if (!name) this.constants.set(key, (name = make()));
    return name;
  }

  // --- layers ---------------------------------------------------------------

  conv(x: string, name: string, inChannels: number, outChannels: number, kernel: number, stride = 1, output?: string): string {
    const pad = Math.floor((kernel - 1) / 2); // "same" for odd kernels; none for a 2×2 patch embedding
    const w = this.randomParam(`${name}.weight`, [outChannels, inChannels, kernel, kernel], 1 / Math.sqrt(inChannels * kernel * kernel));
    const b = this.randomParam(`${name}.bias`, [outChannels], 0.01);
    const attributes = { kernel_shape: [kernel, kernel], pads: [pad, pad, pad, pad], strides: [stride, stride] };
    return this.g.node("Conv", [x, w, b], attributes, output ? { outputs: [output] } : {});
  }

  /** nn.Linear as exporters write it: MatMul by the transposed weight, then Add. */
  linear(x: string, name: string, inFeatures: number, outFeatures: number, bias = true): string {
    const w = this.randomParam(`${name}.weight`, [inFeatures, outFeatures], 1 / Math.sqrt(inFeatures));
    const y = this.g.node("MatMul", [x, w]);
    return bias ? this.g.node("Add", [y, this.randomParam(`${name}.bias`, [outFeatures], 0.01)]) : y;
  }

  silu(x: string): string {
    return this.g.node("Mul", [x, this.g.node("Sigmoid", [x])]);
  }

  /** GELU (exact, erf form), as torch.onnx writes it below opset 20. */
  gelu(x: string): string {
    const erf = this.g.node("Erf", [this.g.node("Mul", [x, this.scalar(Math.SQRT1_2)])]);
    return this.g.node("Mul", [this.g.node("Mul", [x, this.g.node("Add", [erf, this.scalar(1)])]), this.scalar(0.5)]);
  }

  /** GroupNorm(32) on [B, C, H, W]: InstanceNormalization over [B, 32, C/32·H·W], then the per-channel affine. */
  groupNorm(x: string, name: string, channels: number, eps: number): string {
    const groups = GROUPS;
    const grouped = this.g.node("Reshape", [x, this.ints([0, groups, -1])]);
    const ones = this.cached("gn-ones", () => this.g.initializer(null, "float32", [groups], new Float32Array(groups).fill(1)));
    const zeros = this.cached("gn-zeros", () => this.g.initializer(null, "float32", [groups], new Float32Array(groups)));
    const normed = this.g.node("InstanceNormalization", [grouped, ones, zeros], { epsilon: { kind: "float", value: eps } });
    const back = this.g.node("Reshape", [normed, this.g.node("Shape", [x])]);
    const gamma = this.filledParam(`${name}.weight`, [channels, 1, 1], 1);
    const beta = this.filledParam(`${name}.bias`, [channels, 1, 1], 0);
    return this.g.node("Add", [this.g.node("Mul", [back, gamma]), beta]);
  }

  layerNorm(x: string, name: string, channels: number): string {
    const gamma = this.filledParam(`${name}.weight`, [channels], 1);
    const beta = this.filledParam(`${name}.bias`, [channels], 0);
    return this.g.node("LayerNormalization", [x, gamma, beta], { axis: -1, epsilon: { kind: "float", value: LAYER_NORM_EPS } });
  }

  // --- blocks ---------------------------------------------------------------

  /**
   * ResnetBlock2D: two GroupNorm–SiLU–conv3×3, the projected time embedding
   * added between them (UNet only), and a 1×1 shortcut when channels change.
   */
  resnet(x: string, name: string, inChannels: number, outChannels: number, eps: number, time?: { value: string; width: number }): string {
    let h = this.conv(this.silu(this.groupNorm(x, `${name}.norm1`, inChannels, eps)), `${name}.conv1`, inChannels, outChannels, 3);
    if (time) {
      const projected = this.linear(time.value, `${name}.time_emb_proj`, time.width, outChannels);
      h = this.g.node("Add", [h, this.g.node("Reshape", [projected, this.ints([0, -1, 1, 1])])]);
    }
    h = this.conv(this.silu(this.groupNorm(h, `${name}.norm2`, outChannels, eps)), `${name}.conv2`, outChannels, outChannels, 3);
    const shortcut = inChannels === outChannels ? x : this.conv(x, `${name}.conv_shortcut`, inChannels, outChannels, 1);
    return this.g.node("Add", [shortcut, h]);
  }

  /**
   * Multi-head attention of `x` [B, N, C] over `context` [B, M, contextDim]
   * (`x` itself for self-attention): the unfused MatMul–Softmax–MatMul that
   * torch.onnx exports, whose [B, heads, N, M] scores dominate activation memory.
   */
  attention(x: string, context: string, name: string, channels: number, contextDim: number, heads: number, qkvBias: boolean): string {
    const headDim = channels / heads;
    const split = (t: string) => this.g.node("Reshape", [t, this.ints([0, -1, heads, headDim])]);
    // Scaling q before the product is cheaper than scaling the scores, and equal.
    const q = this.g.node("Mul", [this.linear(x, `${name}.to_q`, channels, channels, qkvBias), this.scalar(1 / Math.sqrt(headDim))]);
    const k = this.linear(context, `${name}.to_k`, contextDim, channels, qkvBias);
    const v = this.linear(context, `${name}.to_v`, contextDim, channels, qkvBias);
    const qh = this.g.node("Transpose", [split(q)], { perm: [0, 2, 1, 3] }); // [B, heads, N, d]
    const kt = this.g.node("Transpose", [split(k)], { perm: [0, 2, 3, 1] }); // [B, heads, d, M]
    const vh = this.g.node("Transpose", [split(v)], { perm: [0, 2, 1, 3] }); // [B, heads, M, d]
    const attended = this.attentionForm === "sliced" && heads > 1 ? this.slicedHeads(qh, kt, vh, heads) : this.scaledDotProduct(qh, kt, vh);
    const merged = this.g.node("Transpose", [attended], { perm: [0, 2, 1, 3] });
    return this.linear(this.g.node("Reshape", [merged, this.ints([0, -1, channels])]), `${name}.to_out.0`, channels, channels);
  }

  /** softmax(q·kᵀ)·v over [B, h, N, d], [B, h, d, M], [B, h, M, d] (q already scaled). */
  private scaledDotProduct(q: string, kt: string, v: string): string {
    return this.g.node("MatMul", [this.g.node("Softmax", [this.g.node("MatMul", [q, kt])], { axis: -1 }), v]);
  }

  /**
   * The same, one head after another: each head's chain only depends on its
   * own slices, so onnxruntime (whose default order runs a chain depth-first)
   * frees or reuses one head's scores before the next head's are made.
   */
  private slicedHeads(q: string, kt: string, v: string, heads: number): string {
    const perHead = (t: string) => this.g.nodeOutputs("Split", [t, this.ints(Array(heads).fill(1))], { axis: 1 }, { outputs: heads });
    const [qs, ks, vs] = [perHead(q), perHead(kt), perHead(v)];
    return this.g.node("Concat", qs.map((qi, i) => this.scaledDotProduct(qi, ks[i], vs[i])), { axis: 1 });
  }

  /** [B, C, H, W] → [B, H·W, C], the token layout attention works in. */
  toTokens(x: string, channels: number): string {
    return this.g.node("Transpose", [this.g.node("Reshape", [x, this.ints([0, channels, -1])])], { perm: [0, 2, 1] });
  }

  /** [B, H·W, C] → the shape of `like` ([B, C, H, W]). */
  fromTokens(tokens: string, like: string): string {
    return this.g.node("Reshape", [this.g.node("Transpose", [tokens], { perm: [0, 2, 1] }), this.g.node("Shape", [like])]);
  }

  /** GEGLU feed-forward: project to 2·4C, gate one half with GELU of the other, project back. */
  feedForward(x: string, name: string, channels: number): string {
    const inner = channels * 4;
    const projected = this.linear(x, `${name}.net.0.proj`, channels, inner * 2);
    const [hidden, gate] = this.g.nodeOutputs("Split", [projected, this.ints([inner, inner])], { axis: -1 }, { outputs: 2 });
    return this.linear(this.g.node("Mul", [hidden, this.gelu(gate)]), `${name}.net.2`, inner, channels);
  }

  downsample(x: string, name: string, channels: number): string {
    return this.conv(x, `${name}.conv`, channels, channels, 3, 2);
  }

  /** Nearest-neighbour ×2, then a 3×3 conv. */
  upsample(x: string, name: string, channels: number): string {
    const scales = this.cached("up-scales", () => this.g.constant("float32", [1, 1, 2, 2]));
    const doubled = this.g.node("Resize", [x, "", scales], { mode: "nearest", coordinate_transformation_mode: "asymmetric", nearest_mode: "floor" });
    return this.conv(doubled, `${name}.conv`, channels, channels, 3);
  }
}
