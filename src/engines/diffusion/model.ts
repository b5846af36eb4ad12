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
import { loadFastDecoder, type FastDecoder } from "./fast-decoder.js";

export interface DiffusionModel {
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

export async function loadDiffusionModel(folder: ModelFolder, settings: ModelSettings, onFallback: ProviderFallback = () => {}): Promise<DiffusionModel> {
  const { files } = folder;
  const schedulerConfig = parseSchedulerConfig(folder.schedulerConfig);
  // Providers in order of preference: ["cuda", "cpu"] still serves on a machine without CUDA.
  let providers = settings.executionProviders;
  const load = async (name: string, path: string): Promise<Component> => {
    for (;;) {
      try {
        return await Component.load(name, path, { ...settings, executionProviders: providers });
      } catch (error) {
        if (providers.length <= 1) throw error;
        onFallback(providers[0], (error as Error).message);
        providers = providers.slice(1);
      }
    }
  };
  const components: Component[] = [];
  const track = async (name: string, path: string) => {
    const component = await load(name, path);
    components.push(component);
    return component;
  };
  try {
    const text = { tokenizer: loadClipTokenizer(files.tokenizer), encoder: await track("text_encoder", files.textEncoder) };
    const text2 =
      files.textEncoder2 && files.tokenizer2
        ? { tokenizer: loadClipTokenizer(files.tokenizer2), encoder: await track("text_encoder_2", files.textEncoder2) }
        : undefined;
    const unet = await track("unet", files.unet);
    const vae: Vae = {
      decoder: await track("vae_decoder", files.vaeDecoder),
      encoder: files.vaeEncoder ? await track("vae_encoder", files.vaeEncoder) : undefined,
      scalingFactor: folder.vaeScalingFactor,
    };
    const inChannels = unet.inputDim("sample", 1);
    const fixedHeight = unet.inputDim("sample", 2);
    const fixedWidth = unet.inputDim("sample", 3);
    const generator = new TorchGenerator(0);
    const fastDecoder = settings.fastDecoder
      ? await loadFastDecoder(settings.fastDecoder, vae, { ...settings, executionProviders: providers }, (count) => generator.randn(count))
      : undefined;
    if (fastDecoder) components.push(fastDecoder.component);
    return {
      folder,
      settings,
      schedulerConfig,
      text,
      text2,
      unet,
      vae,
      fastDecoder,
      preview: await fitLatentPreview(vae, (count) => generator.randn(count)),
      inpaintingUnet: inChannels === 9 || folder.inpainting,
      fixedLatent: fixedHeight && fixedWidth ? { width: fixedWidth, height: fixedHeight } : undefined,
      release: async () => {
        await Promise.all(components.map((component) => component.release()));
      },
    };
  } catch (error) {
    await Promise.all(components.map((component) => component.release()));
    throw error;
  }
}

/**
 * Where a job renders: the model's native area, at the requested aspect,
 * in multiples of 8 pixels (one latent pixel); the picture is then resized
 * to the exact requested size.
 */
export function renderSize(model: DiffusionModel, requested: Size): Size {
  if (model.fixedLatent) return { width: model.fixedLatent.width * 8, height: model.fixedLatent.height * 8 };
  const area = model.settings.nativeSize ** 2;
  const aspect = requested.width / requested.height;
  const toEight = (value: number) => Math.max(8, Math.round(value / 8) * 8);
  const width = Math.sqrt(area * aspect);
  return { width: toEight(width), height: toEight(area / width) };
}
