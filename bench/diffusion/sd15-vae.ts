// SD 1.5's VAE decoder (AutoencoderKL's post_quant_conv + decoder, as optimum
// exports `vae_decoder`) at full size with random weights: 49.5 M parameters,
// but at 512×512 it costs about as much as a UNet step, so the benchmark's
// total time and peak memory include a realistic decode.
//   latent_sample  float32 [batch_size, 4, latent_height, latent_width]
//   sample         float32 [batch_size, 3, 8·latent_height, 8·latent_width]
import { writeModel, type GraphBuilder } from "../../test/helpers/onnx-graph.js";
import { SdLayers } from "./layers.js";

/** SD 1.5's vae/config.json. */
export const SD15_VAE_CONFIG = {
  _class_name: "AutoencoderKL",
  act_fn: "silu",
  block_out_channels: [128, 256, 512, 512],
  down_block_types: ["DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D"],
  up_block_types: ["UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D"],
  in_channels: 3,
  out_channels: 3,
  latent_channels: 4,
  layers_per_block: 2,
  norm_num_groups: 32,
  sample_size: 512,
  scaling_factor: 0.18215,
};

const C = SD15_VAE_CONFIG;
const EPS = 1e-6; // the VAE's GroupNorms

/** `latentChannels` 16 gives SD3's and FLUX's VAE decoder (the same blocks, 16-channel latents). */
export function buildSd15VaeDecoder(seed = 2, latentChannels = C.latent_channels): { graph: GraphBuilder; parameters: number } {
  const u = new SdLayers("sd15_vae_decoder", seed);
  const { g } = u;
  const latent = g.input("latent_sample", "float32", ["batch_size", latentChannels, "latent_height", "latent_width"]);
  const channels = [...C.block_out_channels].reverse(); // 512, 512, 256, 128
  let h = u.conv(latent, "post_quant_conv", latentChannels, latentChannels, 1);
  h = u.conv(h, "decoder.conv_in", latentChannels, channels[0], 3);
  let width = channels[0];

  // Mid block: resnet, single-head self-attention over all latent pixels, resnet.
  h = u.resnet(h, "decoder.mid_block.resnets.0", width, width, EPS);
  const tokens = u.toTokens(u.groupNorm(h, "decoder.mid_block.attentions.0.group_norm", width, EPS), width);
  const attended = u.attention(tokens, tokens, "decoder.mid_block.attentions.0", width, width, 1, true);
  h = g.node("Add", [u.fromTokens(attended, h), h]);
  h = u.resnet(h, "decoder.mid_block.resnets.1", width, width, EPS);

  channels.forEach((out, i) => {
    for (let j = 0; j <= C.layers_per_block; j++) {
      h = u.resnet(h, `decoder.up_blocks.${i}.resnets.${j}`, width, out, EPS);
      width = out;
    }
    if (i < channels.length - 1) h = u.upsample(h, `decoder.up_blocks.${i}.upsamplers.0`, width);
  });

  h = u.silu(u.groupNorm(h, "decoder.conv_norm_out", width, EPS));
  u.conv(h, "decoder.conv_out", width, C.out_channels, 3, 1, "sample");
  g.output("sample", "float32", ["batch_size", C.out_channels, "height", "width"]);
  return { graph: g, parameters: u.parameters };
}

export async function writeSd15VaeDecoder(path: string, latentChannels = C.latent_channels): Promise<{ parameters: number; weightBytes: number }> {
  const { graph, parameters } = buildSd15VaeDecoder(2, latentChannels);
  await writeModel(path, graph.build({ opset: 17, producerName: "easel-bench" }));
  return { parameters, weightBytes: parameters * 4 };
}
