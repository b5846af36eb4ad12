// One loaded model: its folder's description, its settings, and an
// onnxruntime session per component, created once and reused by every job.
import type { ModelFolder } from "./folder.js";
import type { Size } from "./images.js";
import type { ModelSettings } from "./options.js";
import { parseSchedulerConfig, type SchedulerConfig } from "./schedulers/scheduler.js";
import { TorchGenerator } from "./rng/torch-generator.js";
import { Component } from "./runtime.js";
import type { TextEncoder } from "./text.js";
import { loadClipTokenizer } from "./tokenizer.js";
import { fitLatentPreview, type LatentPreview, type Vae } from "./vae.js";
import type { NoiseSource } from "./schedulers/scheduler.js";
import { loadFastDecoder, type FastDecoder } from "./fast-decoder.js";

export interface DiffusionModel {
  kind: "unet";
  folder: ModelFolder;
  settings: ModelSettings;
  /** The folder's scheduler_config.json, checked when the model loads. */
  schedulerConfig: SchedulerConfig;
  text: TextEncoder;
  /** SDXL's second encoder (OpenCLIP bigG, with projection). */
  text2?: TextEncoder;
  unet: Component;
  vae: Vae;
  /** A tiny decoder (TAESD) for partial images and the final pictures of some qualities. */
  fastDecoder?: FastDecoder;
  preview: LatentPreview;
  /** The UNet takes mask and masked-picture latents besides the sample (9 input channels). */
  inpaintingUnet: boolean;
  /** Latent size fixed by a static-shape export, if any. */
  fixedLatent?: Size;
  release(): Promise<void>;
}

/** Called when a preferred execution provider cannot run here and the next one is tried. */
export type ProviderFallback = (provider: string, reason: string) => void;

/**
 * Loads a model's components with the settings' execution providers in order of preference
 * (["cuda", "cpu"] still serves on a machine without CUDA), and releases them together.
 */
export class ComponentLoader {
  private providers: string[];
  private readonly components: Component[] = [];

  constructor(
    private readonly settings: ModelSettings,
    private readonly onFallback: ProviderFallback,
  ) {
    this.providers = settings.executionProviders;
  }

  load = async (name: string, path: string): Promise<Component> => {
    for (;;) {
      try {
        const component = await Component.load(name, path, { ...this.settings, executionProviders: this.providers });
        this.components.push(component);
        return component;
      } catch (error) {
        if (this.providers.length <= 1) throw error;
        this.onFallback(this.providers[0], (error as Error).message);
        this.providers = this.providers.slice(1);
      }
    }
  };

  /** The configured fast decoder (TAESD, TAEF1), fitted to the model's VAE; undefined when none is set. */
  async fastDecoder(vae: Vae, noise: NoiseSource): Promise<FastDecoder | undefined> {
    if (!this.settings.fastDecoder) return undefined;
    const decoder = await loadFastDecoder(this.settings.fastDecoder, vae, { ...this.settings, executionProviders: this.providers }, noise);
    this.components.push(decoder.component);
    return decoder;
  }

  async release(): Promise<void> {
    await Promise.all(this.components.map((component) => component.release()));
  }
}

export async function loadDiffusionModel(folder: ModelFolder, settings: ModelSettings, onFallback: ProviderFallback = () => {}): Promise<DiffusionModel> {
  const { files } = folder;
  const schedulerConfig = parseSchedulerConfig(folder.schedulerConfig);
  const loader = new ComponentLoader(settings, onFallback);
  try {
    const text = { tokenizer: loadClipTokenizer(files.tokenizer), encoder: await loader.load("text_encoder", files.textEncoder) };
    const text2 =
      files.textEncoder2 && files.tokenizer2
        ? { tokenizer: loadClipTokenizer(files.tokenizer2), encoder: await loader.load("text_encoder_2", files.textEncoder2) }
        : undefined;
    if (!files.unet) throw new Error(`${folder.path} has no unet/model.onnx`);
    const unet = await loader.load("unet", files.unet);
    const vae = await loadVae(folder, loader.load);
    const inChannels = unet.inputDim("sample", 1);
    const fixedHeight = unet.inputDim("sample", 2);
    const fixedWidth = unet.inputDim("sample", 3);
    const generator = new TorchGenerator(0);
    const noise = (count: number) => generator.randn(count);
    const fastDecoder = await loader.fastDecoder(vae, noise);
    return {
      kind: "unet",
      folder,
      settings,
      schedulerConfig,
      text,
      text2,
      unet,
      vae,
      fastDecoder,
      preview: await fitLatentPreview(vae, noise),
      inpaintingUnet: inChannels === 9 || folder.inpainting,
      fixedLatent: fixedHeight && fixedWidth ? { width: fixedWidth, height: fixedHeight } : undefined,
      release: () => loader.release(),
    };
  } catch (error) {
    await loader.release();
    throw error;
  }
}

/** The VAE's decoder and (for edits) encoder, with the folder's latent scaling. */
export async function loadVae(folder: ModelFolder, load: (name: string, path: string) => Promise<Component>): Promise<Vae> {
  return {
    decoder: await load("vae_decoder", folder.files.vaeDecoder),
    encoder: folder.files.vaeEncoder ? await load("vae_encoder", folder.files.vaeEncoder) : undefined,
    scalingFactor: folder.vaeScalingFactor,
    shiftFactor: folder.vaeShiftFactor,
    channels: folder.latentChannels,
  };
}

/**
 * Where a job renders: the model's native area, at the requested aspect,
 * in multiples of `multiple` pixels (8: one latent pixel; 16 for the flow
 * transformers' 2×2 patches); the picture is then resized
 * to the exact requested size.
 */
export function renderSize(model: { settings: ModelSettings; fixedLatent?: Size }, requested: Size, multiple = 8): Size {
  if (model.fixedLatent) return { width: model.fixedLatent.width * 8, height: model.fixedLatent.height * 8 };
  const area = model.settings.nativeSize ** 2;
  const aspect = requested.width / requested.height;
  const round = (value: number) => Math.max(multiple, Math.round(value / multiple) * multiple);
  const width = Math.sqrt(area * aspect);
  return { width: round(width), height: round(area / width) };
}
