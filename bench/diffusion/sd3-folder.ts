// An SD3 model folder in optimum's layout for the benchmark: the layout, configs, tokenizers and
// (small) CLIP encoders of the tiny test model (no T5: SD3 then conditions on zeros in its
// place, which costs the transformer the same), an MMDiT transformer with random weights
// (sd3-transformer.ts) and a full-size 16-channel VAE decoder.
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { writeTinySd3 } from "../../test/helpers/tiny-flow.js";
import type { AttentionForm } from "./layers.js";
import { publishFolder, type FolderManifest } from "./sd15-folder.js";
import { SD15_VAE_CONFIG, writeSd15VaeDecoder } from "./sd15-vae.js";
import { SD3_CONTEXT_WIDTH, writeSd3Transformer, type MmditShape } from "./sd3-transformer.js";

/** Bump when anything written here changes, so cached folders are rebuilt. */
export const SD3_FOLDER_VERSION = "sd3-bench-2";
/** SD3-medium's transformer shape (1536 wide, 24 blocks, 24 heads of 64): about 2.3 B parameters, 9 GB in float32. */
export const BENCH_MMDIT: Omit<MmditShape, "pooled"> = { width: 1536, depth: 24, heads: 24 };

export function sd3FolderVersion(attention: AttentionForm): string {
  return attention === "full" ? SD3_FOLDER_VERSION : `${SD3_FOLDER_VERSION}-${attention}`;
}

export async function writeSd3Folder(dir: string, attention: AttentionForm): Promise<FolderManifest> {
  const started = performance.now();
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  const tiny = await writeTinySd3(partial, { withT5: false });
  const shape = { ...BENCH_MMDIT, pooled: tiny.pooledWidth };
  const transformer = await writeSd3Transformer(join(partial, "transformer", "model.onnx"), shape, attention);
  await writeFile(join(partial, "transformer", "config.json"), JSON.stringify({ _class_name: "SD3Transformer2DModel", in_channels: 16, joint_attention_dim: SD3_CONTEXT_WIDTH, pooled_projection_dim: shape.pooled, num_layers: shape.depth, patch_size: 2 }, null, 2));
  const vae = await writeSd15VaeDecoder(join(partial, "vae_decoder", "model.onnx"), 16);
  await writeFile(join(partial, "vae_decoder", "config.json"), JSON.stringify({ ...SD15_VAE_CONFIG, latent_channels: 16, scaling_factor: 1.5305, shift_factor: 0.0609 }, null, 2));
  const textParameters = tiny.clips.textEncoders.reduce((sum, encoder) => sum + encoder.tokenEmbedding.length + encoder.positionEmbedding.length, 0);
  const manifest: FolderManifest = {
    version: sd3FolderVersion(attention),
    parameters: { unet: transformer.parameters, textEncoder: textParameters, vaeDecoder: vae.parameters },
    weightBytes: {
      unet: transformer.weightBytes,
      textEncoder: textParameters * 4,
      vaeDecoder: vae.weightBytes,
      total: transformer.weightBytes + textParameters * 4 + vae.weightBytes,
    },
    buildSeconds: (performance.now() - started) / 1000,
  };
  return publishFolder(partial, dir, manifest);
}
