// An SD3-style MMDiT (SD3Transformer2DModel as optimum exports `transformer`) with random
// weights, for the benchmark: 2×2 patch embedding, the context embedder from T5's width,
// timestep (sinusoidal) and pooled-text embeddings, then joint blocks — adaLN modulation of
// both streams, attention over the text and picture tokens together, a feed-forward per
// stream — and the modulated final layer, unpatchified back to [B, 16, H, W].
//   hidden_states          float32 [batch_size, 16, height, width]
//   encoder_hidden_states  float32 [batch_size, sequence_length, 4096]
//   pooled_projections     float32 [batch_size, POOLED]
//   timestep               float32 [step]
//   out_hidden_states      float32 [batch_size, 16, height, width]
// Width and depth are parameters: SD3-medium is 1536 wide and 24 deep (2 B parameters); the
// benchmark runs a narrower, shallower one that this machine holds and runs in minutes.
import { writeModel } from "../../test/helpers/onnx-graph.js";
import { SdLayers, type AttentionForm } from "./layers.js";

export const SD3_CONTEXT_WIDTH = 4096;
const CHANNELS = 16;
const PATCH = 2;
const TIME_FEATURES = 256;

export interface MmditShape {
  width: number;
  depth: number;
  heads: number;
  /** Width of pooled_projections (both CLIPs' projections side by side). */
  pooled: number;
}

export const MMDIT_DATA_FILE = "model.onnx_data";

export async function writeSd3Transformer(path: string, shape: MmditShape, attention: AttentionForm): Promise<{ parameters: number; weightBytes: number }> {
  const { width, depth, heads, pooled } = shape;
  const u = new SdLayers("sd3_transformer", 7, attention);
  const { g } = u;
  const hidden = g.input("hidden_states", "float32", ["batch_size", CHANNELS, "height", "width"]);
  const context = g.input("encoder_hidden_states", "float32", ["batch_size", "sequence_length", SD3_CONTEXT_WIDTH]);
  const pooledIn = g.input("pooled_projections", "float32", ["batch_size", pooled]);
  const timestep = g.input("timestep", "float32", ["step"]);

  // Picture tokens: a 2×2 strided convolution, then [B, N, width].
  const patches = u.conv(hidden, "pos_embed.proj", CHANNELS, width, PATCH, PATCH);
  let x = u.toTokens(patches, width);
  let c = u.linear(context, "context_embedder", SD3_CONTEXT_WIDTH, width);

  // Conditioning: sinusoidal timestep features and the pooled text, each through a 2-layer MLP.
  const half = TIME_FEATURES / 2;
  const frequencies = g.constant("float32", Array.from({ length: half }, (_, i) => Math.exp((-Math.log(10000) * i) / half)), [1, half]);
  const angles = g.node("Mul", [g.node("Unsqueeze", [timestep, u.ints([1])]), frequencies]);
  const timeFeatures = g.node("Concat", [g.node("Cos", [angles]), g.node("Sin", [angles])], { axis: 1 });
  const mlp = (input: string, name: string, features: number) => u.linear(u.silu(u.linear(input, `${name}.linear_1`, features, width)), `${name}.linear_2`, width, width);
  const conditioning = u.silu(g.node("Add", [mlp(timeFeatures, "time_text_embed.timestep_embedder", TIME_FEATURES), mlp(pooledIn, "time_text_embed.text_embedder", pooled)]));

  /** adaLN: `count` vectors [B, 1, width] from the conditioning. */
  const modulation = (name: string, count: number) => {
    const all = u.linear(conditioning, name, width, count * width);
    const parts = g.nodeOutputs("Split", [all, u.ints(new Array(count).fill(width))], { axis: -1 }, { outputs: count });
    return parts.map((part) => g.node("Unsqueeze", [part, u.ints([1])]));
  };
  const modulate = (input: string, name: string, shift: string, scale: string) =>
    g.node("Add", [g.node("Mul", [u.layerNorm(input, name, width), g.node("Add", [scale, u.scalar(1)])]), shift]);

  for (let b = 0; b < depth; b++) {
    const name = `transformer_blocks.${b}`;
    const [xShift, xScale, xGate, xShift2, xScale2, xGate2] = modulation(`${name}.norm1.linear`, 6);
    const [cShift, cScale, cGate, cShift2, cScale2, cGate2] = modulation(`${name}.norm1_context.linear`, 6);
    const joint = g.node("Concat", [modulate(c, `${name}.norm1_context.norm`, cShift, cScale), modulate(x, `${name}.norm1.norm`, xShift, xScale)], { axis: 1 });
    const attended = u.attention(joint, joint, `${name}.attn`, width, width, heads, true);
    const textTokens = g.node("Shape", [c], { start: 1, end: 2 });
    const attendedText = g.node("Slice", [attended, u.ints([0]), textTokens, u.ints([1])]);
    const attendedPicture = g.node("Slice", [attended, textTokens, u.ints([2 ** 62]), u.ints([1])]);
    x = g.node("Add", [x, g.node("Mul", [xGate, attendedPicture])]);
    x = g.node("Add", [x, g.node("Mul", [xGate2, u.feedForward(modulate(x, `${name}.norm2`, xShift2, xScale2), `${name}.ff`, width)])]);
    c = g.node("Add", [c, g.node("Mul", [cGate, attendedText])]);
    c = g.node("Add", [c, g.node("Mul", [cGate2, u.feedForward(modulate(c, `${name}.norm2_context`, cShift2, cScale2), `${name}.ff_context`, width)])]);
  }

  const [shift, scale] = modulation("norm_out.linear", 2);
  const out = u.linear(modulate(x, "norm_out.norm", shift, scale), "proj_out", width, PATCH * PATCH * CHANNELS);
  // Unpatchify: [B, (H/2)(W/2), 2·2·16] → [B, 16, H, W].
  const dims = g.node("Shape", [hidden]);
  const rows = g.node("Div", [g.node("Gather", [dims, u.ints([2])], { axis: 0 }), u.ints([PATCH])]);
  const columns = g.node("Div", [g.node("Gather", [dims, u.ints([3])], { axis: 0 }), u.ints([PATCH])]);
  const grid = g.node("Reshape", [out, g.node("Concat", [u.ints([0]), rows, columns, u.ints([PATCH, PATCH, CHANNELS])], { axis: 0 })]);
  const ordered = g.node("Transpose", [grid], { perm: [0, 5, 1, 3, 2, 4] });
  g.node("Reshape", [ordered, g.node("Shape", [hidden])], {}, { outputs: ["out_hidden_states"] });
  g.output("out_hidden_states", "float32", ["batch_size", CHANNELS, "height", "width"]);
  await writeModel(path, g.build({ opset: 17, producerName: "easel-bench" }), { externalData: { location: MMDIT_DATA_FILE } });
  return { parameters: u.parameters, weightBytes: u.parameters * 4 };
}
