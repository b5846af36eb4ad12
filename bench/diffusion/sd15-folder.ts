// A complete SD 1.5 model folder in optimum's ONNX layout for the benchmark:
// model_index.json, the PNDM scheduler config, the CLIP tokenizer and the
// small configs come from the tiny-model helper (the same files real exports
// carry); the UNet and the VAE decoder are full-size SD 1.5 graphs with random
// weights, and the text encoder is 768 wide so its output fits the UNet.
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GraphBuilder, writeModel } from "../../test/helpers/onnx-graph.js";
import { writeTinyModel } from "../../test/helpers/tiny-diffusion.js";
import type { AttentionForm } from "./layers.js";
import { SD15_UNET_CONFIG, writeSd15Unet } from "./sd15-unet.js";
import { SD15_VAE_CONFIG, writeSd15VaeDecoder } from "./sd15-vae.js";

/** Bump when anything written here changes, so cached folders are rebuilt. */
export const SD15_FOLDER_VERSION = "sd15-bench-2";

/** The folder's name and manifest version: the sliced-attention UNet is a folder of its own. */
export function sd15FolderVersion(attention: AttentionForm): string {
  return attention === "full" ? SD15_FOLDER_VERSION : `${SD15_FOLDER_VERSION}-${attention}`;
}
const MANIFEST = "bench-build.json";

export interface FolderManifest {
  version: string;
  parameters: { unet: number; textEncoder: number; vaeDecoder: number };
  /** Bytes of float32 weights per component and in all. */
  weightBytes: { unet: number; textEncoder: number; vaeDecoder: number; total: number };
  buildSeconds: number;
}

/** The manifest of a finished folder at `dir` of this version, or undefined when it must be (re)built. */
export async function readManifest(dir: string, version: string): Promise<FolderManifest | undefined> {
  const file = join(dir, MANIFEST);
  if (!existsSync(file)) return undefined;
  const manifest = JSON.parse(await readFile(file, "utf8")) as FolderManifest;
  return manifest.version === version ? manifest : undefined;
}

/** Writes the manifest into the finished `partial` folder and moves it to `dir`, replacing any older build. */
export async function publishFolder(partial: string, dir: string, manifest: FolderManifest): Promise<FolderManifest> {
  await writeFile(join(partial, MANIFEST), JSON.stringify(manifest, null, 2) + "\n");
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, ".."), { recursive: true });
  await rename(partial, dir);
  return manifest;
}

/** Writes the folder into `dir.partial` and renames it, so an interrupted build is never mistaken for a cached one. */
export async function writeSd15Folder(dir: string, attention: AttentionForm): Promise<FolderManifest> {
  const started = performance.now();
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await writeTinyModel(partial, { family: "sd1", inputIdsType: "int32", sampleSize: SD15_UNET_CONFIG.sample_size, vaeEncoder: false });

  const text = await writeTextEncoder(join(partial, "text_encoder", "model.onnx"));
  await mergeJson(join(partial, "text_encoder", "config.json"), CLIP_VIT_L_TEXT_CONFIG);
  const unet = await writeSd15Unet(join(partial, "unet", "model.onnx"), 1, attention);
  await mergeJson(join(partial, "unet", "config.json"), SD15_UNET_CONFIG);
  const vae = await writeSd15VaeDecoder(join(partial, "vae_decoder", "model.onnx"));
  await mergeJson(join(partial, "vae_decoder", "config.json"), SD15_VAE_CONFIG);

  const manifest: FolderManifest = {
    version: sd15FolderVersion(attention),
    parameters: { unet: unet.parameters, textEncoder: text.parameters, vaeDecoder: vae.parameters },
    weightBytes: {
      unet: unet.weightBytes,
      textEncoder: text.parameters * 4,
      vaeDecoder: vae.weightBytes,
      total: unet.weightBytes + text.parameters * 4 + vae.weightBytes,
    },
    buildSeconds: (performance.now() - started) / 1000,
  };
  return publishFolder(partial, dir, manifest);
}

async function mergeJson(path: string, values: Record<string, unknown>): Promise<void> {
  const current = existsSync(path) ? (JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>) : {};
  await writeFile(path, JSON.stringify({ ...current, ...values }, null, 2) + "\n");
}

/** openai/clip-vit-large-patch14's text config, as SD 1.5's text_encoder/config.json has it. */
const CLIP_VIT_L_TEXT_CONFIG = {
  architectures: ["CLIPTextModel"],
  hidden_act: "quick_gelu",
  hidden_size: 768,
  intermediate_size: 3072,
  num_attention_heads: 12,
  num_hidden_layers: 12,
  projection_dim: 768,
  vocab_size: 49408,
};

/**
 * A text encoder with CLIP ViT-L's interface and embedding tables (token and
 * position embeddings, final LayerNorm, pooling at the end-of-text token) but
 * none of its 12 transformer layers: those cost a fraction of a second at 77
 * tokens, against minutes of UNet, so they would change nothing measured here.
 *   input_ids          int32 [batch_size, 77]
 *   last_hidden_state  float32 [batch_size, 77, 768]
 *   pooler_output      float32 [batch_size, 768]
 */
async function writeTextEncoder(path: string): Promise<{ parameters: number }> {
  const { vocab_size: vocab, hidden_size: width } = CLIP_VIT_L_TEXT_CONFIG;
  const positions = 77;
  const g = new GraphBuilder("clip_text_model");
  const ids = g.input("input_ids", "int32", ["batch_size", "sequence_length"]);
  const tokenTable = new Float32Array(vocab * width);
  // Deterministic, cheap, varied: every token gets its own embedding.
  for (let i = 0; i < tokenTable.length; i++) tokenTable[i] = Math.sin(i * 0.7548776662) * 0.5;
  const positionTable = Float32Array.from({ length: positions * width }, (_, i) => Math.cos(i * 0.5698402910) * 0.1);
  const tokens = g.node("Gather", [g.initializer("embeddings.token_embedding.weight", "float32", [vocab, width], tokenTable), ids], { axis: 0 });
  const embedded = g.node("Add", [tokens, g.initializer("embeddings.position_embedding.weight", "float32", [positions, width], positionTable)]);
  const gamma = g.initializer("final_layer_norm.weight", "float32", [width], new Float32Array(width).fill(1));
  const beta = g.initializer("final_layer_norm.bias", "float32", [width], new Float32Array(width));
  g.node("LayerNormalization", [embedded, gamma, beta], { axis: -1, epsilon: { kind: "float", value: 1e-5 } }, { outputs: ["last_hidden_state"] });
  // CLIP pools at the end-of-text token, the largest id in the sequence.
  const eos = g.node("ArgMax", [g.node("Cast", [ids], { to: 1 /* FLOAT */ })], { axis: 1, keepdims: 1 });
  g.node("GatherND", ["last_hidden_state", eos], { batch_dims: 1 }, { outputs: ["pooler_output"] });
  g.output("last_hidden_state", "float32", ["batch_size", "sequence_length", width]);
  g.output("pooler_output", "float32", ["batch_size", width]);
  await writeModel(path, g.build({ opset: 17, producerName: "easel-bench" }));
  return { parameters: (vocab + positions) * width + 2 * width };
}
