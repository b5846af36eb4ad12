// Reads a diffusion model folder (Stable Diffusion 1.x/2.x, SDXL, LCM, FLUX.1, SD3) in the ONNX layout that Hugging Face
// optimum (`optimum-cli export onnx`, `ORTStableDiffusion*Pipeline.save_pretrained`),
// diffusers' ONNX conversion script and Olive write: model_index.json at the top and one
// sub-folder per component, each with a model.onnx (and usually a config.json).
// Everything the engine needs to know before loading sessions is decided here, and
// every problem with the folder is reported at once so a user can fix it in one go.

import { readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";

export type ModelFamily = "sd1" | "sd2" | "sdxl" | "flux" | "sd3";

export interface ModelFolder {
  /** Absolute path of the folder. */
  path: string;
  family: ModelFamily;
  /** model_index.json `_class_name`, as written. */
  pipelineClass: string;
  /** Absolute paths: ONNX files, and folders for tokenizers. */
  files: {
    textEncoder: string;
    /** SDXL's and SD3's OpenCLIP bigG; FLUX's T5 encoder. */
    textEncoder2?: string;
    /** SD3's T5 encoder (optional: without it SD3 conditions on zeros in T5's place). */
    textEncoder3?: string;
    tokenizer: string;
    tokenizer2?: string;
    tokenizer3?: string;
    /** The denoiser: a UNet (SD 1.x/2.x, SDXL), or FLUX's or SD3's transformer. */
    unet?: string;
    transformer?: string;
    vaeDecoder: string;
    vaeEncoder?: string;
  };
  /** scheduler/scheduler_config.json as written. */
  schedulerConfig: Record<string, unknown>;
  /** transformer/config.json as written (FLUX, SD3), if the folder has one. */
  transformerConfig?: Record<string, unknown>;
  /** Latents are divided by this before decoding and multiplied after encoding. */
  vaeScalingFactor: number;
  /** Added after dividing, subtracted before multiplying (FLUX's VAE; 0 for the others). */
  vaeShiftFactor: number;
  /** Channels of a latent pixel: 4, or 16 for FLUX. */
  latentChannels: number;
  /** FLUX.1 [dev]: the transformer takes the guidance scale as an input (distilled guidance); [schnell] does not. */
  guidanceEmbeds: boolean;
  /** Image side the model was trained at, in pixels. */
  nativeSize: number;
  /** Latent-consistency (LCM) model: few steps, LCM scheduler, guidance as an embedding. */
  lcm: boolean;
  /** The UNet takes mask and masked-image latents (9 input channels). */
  inpainting: boolean;
  /** Adversarially distilled "Turbo" model: 1–4 steps, no classifier-free guidance. */
  turbo: boolean;
}

export class ModelFolderError extends Error {
  constructor(
    message: string,
    /** Each problem found, in the order checked. */
    readonly problems: string[] = [message],
  ) {
    super(message);
    this.name = "ModelFolderError";
  }
}

/**
 * Pipeline classes by what they run. optimum's ORT classes prefix "ORT", diffusers' ONNX
 * classes "Onnx"; optimum-cli and Olive keep the PyTorch class names. Img2img and
 * inpainting pipelines share their text-to-image model's components.
 */
const SUPPORTED_PIPELINES: Record<string, { family?: ModelFamily; lcm?: boolean }> = {
  StableDiffusionPipeline: {},
  StableDiffusionImg2ImgPipeline: {},
  StableDiffusionInpaintPipeline: {},
  StableDiffusionInpaintPipelineLegacy: {},
  StableDiffusionXLPipeline: { family: "sdxl" },
  StableDiffusionXLImg2ImgPipeline: { family: "sdxl" },
  StableDiffusionXLInpaintPipeline: { family: "sdxl" },
  LatentConsistencyModelPipeline: { lcm: true },
  LatentConsistencyModelImg2ImgPipeline: { lcm: true },
  FluxPipeline: { family: "flux" },
  FluxImg2ImgPipeline: { family: "flux" },
  FluxInpaintPipeline: { family: "flux" },
  StableDiffusion3Pipeline: { family: "sd3" },
  StableDiffusion3Img2ImgPipeline: { family: "sd3" },
  StableDiffusion3InpaintPipeline: { family: "sd3" },
};

const DEFAULT_SCALING_FACTOR = { sd1: 0.18215, sd2: 0.18215, sdxl: 0.13025, flux: 0.3611, sd3: 1.5305 };
const DEFAULT_SHIFT_FACTOR: Partial<Record<ModelFamily, number>> = { flux: 0.1159, sd3: 0.0609 };

/**
 * What the checks see of a folder: files on this disk, or a Hub repository's file list
 * before its weights are downloaded (src/hub/pull.ts), so a pull can refuse an unusable
 * repository with the same words as a local folder, before it spends the bandwidth.
 */
export interface FolderView {
  /** Absolute path the folder has (or will have) on this disk. */
  root: string;
  /** The name users know the folder by, where its path does not say it (a Hub repository id). */
  name?: string;
  isFile(relative: string): boolean;
  isDirectory(relative: string): boolean;
  /** The text of a small file, or undefined when it is absent. */
  readText(relative: string): string | undefined;
}

/** Reads and checks the folder at `path`; throws ModelFolderError listing every problem. */
export function readModelFolder(path: string): ModelFolder {
  const root = resolve(path);
  if (!isDirectory(root)) throw new ModelFolderError(`Model folder ${root} does not exist or is not a folder`);
  return checkModelFolder(localFolder(root));
}

export function localFolder(root: string, name?: string): FolderView {
  return {
    root,
    name,
    isFile: (relative) => isFile(join(root, relative)),
    isDirectory: (relative) => isDirectory(join(root, relative)),
    readText: (relative) => {
      try {
        return readFileSync(join(root, relative), "utf8");
      } catch {
        return undefined;
      }
    },
  };
}

/** Checks a folder seen through `view`; throws ModelFolderError listing every problem. */
export function checkModelFolder(view: FolderView): ModelFolder {
  const { root } = view;
  const problems: string[] = [];
  const readJson = (relativePath: string) => parseJson(view.readText(relativePath), problems, relativePath);

  const index = readJson("model_index.json");
  if (!index) throw new ModelFolderError(folderMessage(root, problems), problems);
  const pipelineClass = typeof index._class_name === "string" ? index._class_name : "";
  const pipeline = SUPPORTED_PIPELINES[pipelineClass.replace(/^(ORT|Onnx)/, "")];
  if (!pipelineClass) problems.push("model_index.json has no _class_name");
  else if (!pipeline) {
    problems.push(
      `unsupported pipeline ${pipelineClass}: supported are Stable Diffusion 1.x/2.x, SDXL, latent-consistency ` +
        "FLUX.1 and Stable Diffusion 3/3.5 pipelines (text-to-image, img2img, inpainting)",
    );
  }

  const optionalJson = (relativePath: string) => (view.isFile(relativePath) ? readJson(relativePath) : undefined);
  const textConfig = optionalJson("text_encoder/config.json");
  const unetConfig = optionalJson("unet/config.json");
  const vaeConfig = optionalJson("vae_decoder/config.json") ?? optionalJson("vae_encoder/config.json");
  const schedulerPath = "scheduler/scheduler_config.json";
  const schedulerConfig = view.isFile(schedulerPath) ? readJson(schedulerPath) : undefined;
  if (!view.isFile(schedulerPath)) problems.push(`missing ${schedulerPath}`);

  const sdxl = pipeline?.family === "sdxl";
  const flux = pipeline?.family === "flux";
  const sd3 = pipeline?.family === "sd3";
  const transformerFamily = flux || sd3;
  const family: ModelFamily = pipeline?.family ?? (isSd2(textConfig, unetConfig, schedulerConfig) ? "sd2" : "sd1");
  const transformerConfig = transformerFamily ? optionalJson("transformer/config.json") : undefined;

  const onnxFile = (name: string) => {
    if (!view.isFile(`${name}/model.onnx`)) problems.push(`missing ${name}/model.onnx`);
    return join(root, name, "model.onnx");
  };
  const files: ModelFolder["files"] = {
    textEncoder: onnxFile("text_encoder"),
    tokenizer: tokenizerFolder(view, "tokenizer", problems),
    ...(transformerFamily ? { transformer: onnxFile("transformer") } : { unet: onnxFile("unet") }),
    vaeDecoder: onnxFile("vae_decoder"),
  };
  if (flux) {
    files.textEncoder2 = onnxFile("text_encoder_2");
    // T5's tokenizer: Easel reads the fast tokenizer's tokenizer.json, not the SentencePiece spiece.model alone.
    if (!view.isFile("tokenizer_2/tokenizer.json")) problems.push("missing tokenizer_2/tokenizer.json (T5's tokenizer)");
    files.tokenizer2 = join(root, "tokenizer_2");
  }
  if (sd3) {
    files.textEncoder2 = onnxFile("text_encoder_2");
    files.tokenizer2 = tokenizerFolder(view, "tokenizer_2", problems);
    // T5 is optional for SD3 (diffusers then conditions on zeros); when present, its tokenizer.json is needed.
    if (view.isFile("text_encoder_3/model.onnx")) {
      files.textEncoder3 = join(root, "text_encoder_3", "model.onnx");
      if (!view.isFile("tokenizer_3/tokenizer.json")) problems.push("missing tokenizer_3/tokenizer.json (T5's tokenizer)");
      files.tokenizer3 = join(root, "tokenizer_3");
    }
  }
  if (sdxl) {
    files.textEncoder2 = onnxFile("text_encoder_2");
    files.tokenizer2 = tokenizerFolder(view, "tokenizer_2", problems);
  }
  if (view.isFile("vae_encoder/model.onnx")) files.vaeEncoder = join(root, "vae_encoder", "model.onnx");

  if (problems.length > 0) {
    if (view.isFile("unet/diffusion_pytorch_model.safetensors") && !view.isFile("unet/model.onnx")) {
      problems.push(
        "this looks like a PyTorch diffusers folder; export it to ONNX first, e.g. `optimum-cli export onnx --model <folder> <output>`",
      );
    }
    throw new ModelFolderError(folderMessage(root, problems), problems);
  }

  const scheduler = schedulerConfig ?? {};
  const timeCondProjDim = unetConfig?.time_cond_proj_dim;
  const inChannels = unetConfig?.in_channels;
  const sampleSize = unetConfig?.sample_size;
  return {
    path: root,
    family,
    pipelineClass,
    files,
    schedulerConfig: scheduler,
    transformerConfig,
    vaeScalingFactor: typeof vaeConfig?.scaling_factor === "number" ? vaeConfig.scaling_factor : DEFAULT_SCALING_FACTOR[family],
    vaeShiftFactor: typeof vaeConfig?.shift_factor === "number" ? vaeConfig.shift_factor : (DEFAULT_SHIFT_FACTOR[family] ?? 0),
    latentChannels: typeof vaeConfig?.latent_channels === "number" ? vaeConfig.latent_channels : transformerFamily ? 16 : 4,
    // [dev] says so in its transformer config; without one, its scheduler's dynamic shifting tells it from [schnell].
    guidanceEmbeds: flux && (typeof transformerConfig?.guidance_embeds === "boolean" ? transformerConfig.guidance_embeds : scheduler.use_dynamic_shifting === true),
    nativeSize: typeof sampleSize === "number" ? sampleSize * 8 : defaultNativeSize(family, scheduler),
    lcm: Boolean(pipeline?.lcm) || typeof timeCondProjDim === "number" || scheduler._class_name === "LCMScheduler",
    // Without a UNet config, trust the class name (the "Legacy" inpainter uses a plain 4-channel UNet).
    inpainting: !transformerFamily && (typeof inChannels === "number" ? inChannels === 9 : /Inpaint(?!PipelineLegacy)/.test(pipelineClass)),
    turbo: [basename(root), view.name ?? "", String(index._name_or_path ?? "")].some((name) => /turbo/i.test(name)),
  };
}

/**
 * SD 2.x uses OpenCLIP ViT-H as its text encoder where SD 1.x uses OpenAI's CLIP ViT-L.
 * The folder says so in any of: text_encoder/config.json `hidden_size` 1024 or
 * `hidden_act` "gelu" (ViT-L has "quick_gelu"), unet/config.json `cross_attention_dim`
 * 1024, or a `v_prediction` scheduler (SD 2.x 768-px models; SD 1.x ones are epsilon).
 * A folder with none of these is SD 1.x.
 */
function isSd2(
  textConfig: Record<string, unknown> | undefined,
  unetConfig: Record<string, unknown> | undefined,
  schedulerConfig: Record<string, unknown> | undefined,
): boolean {
  return (
    textConfig?.hidden_size === 1024 ||
    textConfig?.hidden_act === "gelu" ||
    unetConfig?.cross_attention_dim === 1024 ||
    schedulerConfig?.prediction_type === "v_prediction"
  );
}

function defaultNativeSize(family: ModelFamily, scheduler: Record<string, unknown>): number {
  if (family === "sdxl" || family === "flux" || family === "sd3") return 1024;
  if (family === "sd2" && scheduler.prediction_type === "v_prediction") return 768;
  return 512;
}

/** A CLIP tokenizer folder needs vocab.json + merges.txt, or a tokenizer.json. */
function tokenizerFolder(view: FolderView, name: string, problems: string[]): string {
  if (!view.isDirectory(name)) {
    problems.push(`missing ${name}/ (vocab.json + merges.txt or tokenizer.json)`);
  } else if (!view.isFile(`${name}/tokenizer.json`)) {
    const missing = ["vocab.json", "merges.txt"].filter((file) => !view.isFile(`${name}/${file}`));
    if (missing.length > 0) problems.push(`${name}/ has no tokenizer.json and is missing ${missing.join(" and ")}`);
  }
  return join(view.root, name);
}

function parseJson(text: string | undefined, problems: string[], label: string): Record<string, unknown> | undefined {
  if (text === undefined) {
    problems.push(`missing ${label}`);
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
    problems.push(`${label} is not a JSON object`);
  } catch (error) {
    problems.push(`${label} is not valid JSON (${(error as Error).message})`);
  }
  return undefined;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function folderMessage(root: string, problems: string[]): string {
  return `${root} is not a usable Stable Diffusion ONNX model folder:\n${problems.map((p) => `  - ${p}`).join("\n")}`;
}
