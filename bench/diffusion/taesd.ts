// TAESD's decoder (madebyollin/taesd; diffusers' AutoencoderTiny decoder, as optimum exports
// `vae_decoder`) at full size with random weights: 1.2 M parameters, for timing the fast
// decoder against SD 1.5's VAE decoder (sd15-vae.ts) on this machine.
//   latent_sample  float32 [batch_size, 4, latent_height, latent_width]
//   sample         float32 [batch_size, 3, 8·latent_height, 8·latent_width]
import { writeModel } from "../../test/helpers/onnx-graph.js";
import { SdLayers } from "./layers.js";

const WIDTH = 64;

export async function writeTaesdDecoder(path: string, seed = 3): Promise<{ parameters: number }> {
  const u = new SdLayers("taesd_decoder", seed);
  const { g } = u;
  const latent = g.input("latent_sample", "float32", ["batch_size", 4, "latent_height", "latent_width"]);
  // Clamp: tanh(x / 3) · 3.
  let h = g.node("Mul", [g.node("Tanh", [g.node("Div", [latent, u.scalar(3)])]), u.scalar(3)]);
  h = g.node("Relu", [u.conv(h, "decoder.layers.1", 4, WIDTH, 3)]);
  let index = 3;
  for (let stage = 0; stage < 3; stage++) {
    for (let block = 0; block < 3; block++) h = tinyBlock(u, h, `decoder.layers.${index++}`);
    h = g.node("Resize", [h, "", g.constant("float32", [1, 1, 2, 2])], { mode: "nearest" });
    h = u.conv(h, `decoder.layers.${index++}`, WIDTH, WIDTH, 3);
  }
  h = tinyBlock(u, h, `decoder.layers.${index++}`);
  u.conv(h, `decoder.layers.${index}`, WIDTH, 3, 3, 1, "sample");
  g.output("sample", "float32", ["batch_size", 3, "height", "width"]);
  await writeModel(path, g.build({ opset: 17, producerName: "easel-bench" }));
  return { parameters: u.parameters };
}

/** AutoencoderTinyBlock: three 3×3 convolutions with ReLUs, plus the input, then ReLU. */
function tinyBlock(u: SdLayers, x: string, name: string): string {
  const { g } = u;
  let h = g.node("Relu", [u.conv(x, `${name}.conv.0`, WIDTH, WIDTH, 3)]);
  h = g.node("Relu", [u.conv(h, `${name}.conv.2`, WIDTH, WIDTH, 3)]);
  h = u.conv(h, `${name}.conv.4`, WIDTH, WIDTH, 3);
  return g.node("Relu", [g.node("Add", [h, x])]);
}
