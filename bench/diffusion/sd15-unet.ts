// An ONNX UNet with the architecture and shapes of Stable Diffusion 1.5's
// UNet2DConditionModel, as `optimum-cli export onnx` writes it, but with random
// weights: what the benchmark needs to measure time and memory on a model of
// the real size (859.5 M parameters, 3.4 GB of float32) without downloading one.
//
// Graph I/O follows optimum's UNet export:
//   sample                 float32 [batch_size, 4, height, width]
//   timestep               float32 scalar (optimum ≥ 1.24; older exports used [steps])
//   encoder_hidden_states  float32 [batch_size, sequence_length, 768]
//   out_sample             float32 [batch_size, 4, height, width]
// and its operators are the ones torch.onnx emits at opset 17: GroupNorm as
// Reshape → InstanceNormalization → Reshape → Mul/Add, GELU from Erf, attention
// as MatMul → Softmax → MatMul, nearest upsampling with Resize.
import { writeModel, type Dim, type GraphBuilder } from "../../test/helpers/onnx-graph.js";
import { SdLayers, type AttentionForm } from "./layers.js";

/** SD 1.5's UNet config (runwayml/stable-diffusion-v1-5, unet/config.json). */
export const SD15_UNET_CONFIG = {
  _class_name: "UNet2DConditionModel",
  act_fn: "silu",
  attention_head_dim: 8, // diffusers' misnomer: this is the number of heads
  block_out_channels: [320, 640, 1280, 1280],
  center_input_sample: false,
  cross_attention_dim: 768,
  down_block_types: ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
  downsample_padding: 1,
  flip_sin_to_cos: true,
  freq_shift: 0,
  in_channels: 4,
  layers_per_block: 2,
  mid_block_scale_factor: 1,
  norm_eps: 1e-5,
  norm_num_groups: 32,
  out_channels: 4,
  sample_size: 64,
  up_block_types: ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"],
};

const C = SD15_UNET_CONFIG;
const TIME_EMBED = C.block_out_channels[0] * 4; // 1280
const TRANSFORMER_NORM_EPS = 1e-6; // Transformer2DModel's GroupNorm

/** Sinusoidal timestep features (flip_sin_to_cos, freq_shift 0) and the time MLP → [B, 1280]. */
function timeEmbedding(u: SdLayers, timestep: string, sample: string): string {
  const { g } = u;
  const half = C.block_out_channels[0] / 2;
  const frequencies = Float32Array.from({ length: half }, (_, i) => Math.exp((-Math.log(10000) * i) / (half - C.freq_shift)));
  // A scalar timestep is broadcast to the batch, as UNet2DConditionModel.forward does.
  const batch = g.node("Slice", [g.node("Shape", [sample]), u.ints([0]), u.ints([1])]);
  const perItem = g.node("Expand", [g.node("Reshape", [timestep, u.ints([1])]), batch]);
  const angles = g.node("Mul", [g.node("Unsqueeze", [perItem, u.ints([1])]), g.initializer("time_proj.frequencies", "float32", [1, half], frequencies)]);
  const features = g.node("Concat", [g.node("Cos", [angles]), g.node("Sin", [angles])], { axis: 1 });
  const hidden = u.silu(u.linear(features, "time_embedding.linear_1", C.block_out_channels[0], TIME_EMBED));
  return u.linear(hidden, "time_embedding.linear_2", TIME_EMBED, TIME_EMBED);
}

/** Transformer2DModel: one BasicTransformerBlock (self-attention, cross-attention over the text, GEGLU), conv proj_in/proj_out as in SD 1.x. */
function transformer(u: SdLayers, x: string, context: string, name: string, channels: number): string {
  const { g } = u;
  const heads = C.attention_head_dim;
  let h = u.toTokens(u.conv(u.groupNorm(x, `${name}.norm`, channels, TRANSFORMER_NORM_EPS), `${name}.proj_in`, channels, channels, 1), channels);
  const block = `${name}.transformer_blocks.0`;
  const normed = u.layerNorm(h, `${block}.norm1`, channels);
  h = g.node("Add", [u.attention(normed, normed, `${block}.attn1`, channels, channels, heads, false), h]);
  const crossed = u.attention(u.layerNorm(h, `${block}.norm2`, channels), context, `${block}.attn2`, channels, C.cross_attention_dim, heads, false);
  h = g.node("Add", [crossed, h]);
  h = g.node("Add", [u.feedForward(u.layerNorm(h, `${block}.norm3`, channels), `${block}.ff`, channels), h]);
  return g.node("Add", [u.conv(u.fromTokens(h, x), `${name}.proj_out`, channels, channels, 1), x]);
}

export interface BuiltUnet {
  graph: GraphBuilder;
  /** Learned values (weights, biases, norm scales), as diffusers counts them. */
  parameters: number;
}

/**
 * The whole UNet2DConditionModel forward pass, top to bottom as diffusers
 * writes it. Both attention forms get the same weights for the same seed.
 */
export function buildSd15Unet(seed = 1, attention: AttentionForm = "full"): BuiltUnet {
  const u = new SdLayers("sd15_unet", seed, attention);
  const { g } = u;
  const channels = C.block_out_channels;
  const batch: Dim = "batch_size";
  const sample = g.input("sample", "float32", [batch, C.in_channels, "height", "width"]);
  const timestep = g.input("timestep", "float32", []);
  const context = g.input("encoder_hidden_states", "float32", [batch, "sequence_length", C.cross_attention_dim]);

  // Every ResnetBlock2D applies SiLU to the time embedding before its projection; done once here.
  const time = { value: u.silu(timeEmbedding(u, timestep, sample)), width: TIME_EMBED };
  let h = u.conv(sample, "conv_in", C.in_channels, channels[0], 3);
  let width = channels[0];

  // Down: each block's outputs are kept for the skip connections of the mirrored up block.
  const skips: { value: string; channels: number }[] = [{ value: h, channels: width }];
  C.down_block_types.forEach((type, i) => {
    const attention = type === "CrossAttnDownBlock2D";
    for (let j = 0; j < C.layers_per_block; j++) {
      h = u.resnet(h, `down_blocks.${i}.resnets.${j}`, width, channels[i], C.norm_eps, time);
      width = channels[i];
      if (attention) h = transformer(u, h, context, `down_blocks.${i}.attentions.${j}`, width);
      skips.push({ value: h, channels: width });
    }
    if (i < channels.length - 1) {
      h = u.downsample(h, `down_blocks.${i}.downsamplers.0`, width);
      skips.push({ value: h, channels: width });
    }
  });

  h = u.resnet(h, "mid_block.resnets.0", width, width, C.norm_eps, time);
  h = transformer(u, h, context, "mid_block.attentions.0", width);
  h = u.resnet(h, "mid_block.resnets.1", width, width, C.norm_eps, time);

  // Up: one more resnet per block than going down, each fed the concatenated skip.
  const upChannels = [...channels].reverse();
  C.up_block_types.forEach((type, i) => {
    const attention = type === "CrossAttnUpBlock2D";
    for (let j = 0; j <= C.layers_per_block; j++) {
      const skip = skips.pop()!;
      h = g.node("Concat", [h, skip.value], { axis: 1 });
      h = u.resnet(h, `up_blocks.${i}.resnets.${j}`, width + skip.channels, upChannels[i], C.norm_eps, time);
      width = upChannels[i];
      if (attention) h = transformer(u, h, context, `up_blocks.${i}.attentions.${j}`, width);
    }
    if (i < upChannels.length - 1) h = u.upsample(h, `up_blocks.${i}.upsamplers.0`, width);
  });

  h = u.silu(u.groupNorm(h, "conv_norm_out", width, C.norm_eps));
  u.conv(h, "conv_out", width, C.out_channels, 3, 1, "out_sample");
  g.output("out_sample", "float32", [batch, C.out_channels, "height", "width"]);
  return { graph: g, parameters: u.parameters };
}

/** optimum's name for the external weights file beside model.onnx. */
export const UNET_DATA_FILE = "model.onnx_data";

/**
 * Builds the UNet and writes `path` (graph) plus `model.onnx_data` (weights)
 * beside it. Peak memory is one copy of the weights: GraphBuilder keeps each
 * tensor's Float32Array, and writeModel streams them to the data file one by
 * one before encoding the (then weightless) graph.
 */
export async function writeSd15Unet(path: string, seed = 1, attention: AttentionForm = "full"): Promise<{ parameters: number; weightBytes: number }> {
  const { graph, parameters } = buildSd15Unet(seed, attention);
  const weightBytes = graph.initializers.reduce((sum, t) => sum + (t.rawData?.byteLength ?? 0), 0);
  await writeModel(path, graph.build({ opset: 17, producerName: "easel-bench" }), { externalData: { location: UNET_DATA_FILE } });
  return { parameters, weightBytes };
}
