// One loaded flow-matching transformer model in the layout optimum exports: FLUX.1 ([schnell]
// or [dev]: CLIP-L pooled + T5) or Stable Diffusion 3/3.5 (CLIP-L and OpenCLIP bigG with
// projections, T5 when present), the transformer, and a 16-channel VAE. Input names, element
// types and whether FLUX's transformer takes a guidance scale ([dev]) are read from the graphs.
import type { ModelFolder } from "../folder.js";
import type { FastDecoder } from "../fast-decoder.js";
import { ComponentLoader, loadVae, type ProviderFallback } from "../model.js";
import type { ModelSettings } from "../options.js";
import { TorchGenerator } from "../rng/torch-generator.js";
import type { Component } from "../runtime.js";
import { parseFlowMatchConfig, type FlowMatchConfig } from "../schedulers/flow-match.js";
import type { TextEncoder } from "../text.js";
import { loadClipTokenizer, loadT5Tokenizer } from "../tokenizer.js";
import { fitLatentPreview, type LatentPreview, type Vae } from "../vae.js";

export type FlowFamily = "flux" | "sd3";

export interface TextEncoders {
  /** CLIP ViT-L: FLUX's pooled embedding; SD3's first CLIP. */
  clip: TextEncoder;
  /** SD3's OpenCLIP bigG. */
  clip2?: TextEncoder;
  /** T5: required by FLUX, optional for SD3. */
  t5?: TextEncoder;
}

export interface FlowModel {
  kind: "flow";
  family: FlowFamily;
  folder: ModelFolder;
  settings: ModelSettings;
  scheduler: FlowMatchConfig;
  /**
   * Runs `use` with the text encoders. With lowMemory they are loaded for the call and released
   * after it (T5-XXL alone is about 9 GB in fp32, more than the rest of a job needs at once).
   */
  withTextEncoders<T>(use: (encoders: TextEncoders) => Promise<T>): Promise<T>;
  transformer: Component;
  /** FLUX.1 [dev]: the transformer takes `guidance`. */
  guidanceInput: boolean;
  /** T5 tokens per prompt: fixed by the export, else FluxPipeline's 512 ([dev]) or 256, SD3's 256. */
  textLength: number;
  /** Width of the transformer's text tokens (SD3 pads CLIP's to it, and uses zeros of it without T5). */
  jointWidth: number;
  vae: Vae;
  fastDecoder?: FastDecoder;
  preview: LatentPreview;
  release(): Promise<void>;
}

const TRANSFORMER_INPUTS: Record<FlowFamily, string[]> = {
  flux: ["hidden_states", "encoder_hidden_states", "pooled_projections", "timestep", "img_ids", "txt_ids"],
  sd3: ["hidden_states", "encoder_hidden_states", "pooled_projections", "timestep"],
};

export async function loadFlowModel(folder: ModelFolder, settings: ModelSettings, onFallback: ProviderFallback = () => {}): Promise<FlowModel> {
  const { files } = folder;
  const family: FlowFamily = folder.family === "sd3" ? "sd3" : "flux";
  if (settings.scheduler) throw new Error("the scheduler option is for UNet models; flow-matching models run their folder's FlowMatchEulerDiscreteScheduler");
  const scheduler = parseFlowMatchConfig(folder.schedulerConfig);
  // StableDiffusion3Pipeline's dynamic shifting needs the transformer's patch size and a mu Easel does not compute.
  if (family === "sd3" && scheduler.useDynamicShifting) scheduler.unsupported.push("use_dynamic_shifting");
  const loader = new ComponentLoader(settings, onFallback);
  try {
    if (!files.transformer) throw new Error(`${folder.path} has no transformer/model.onnx`);
    const transformer = await loader.load("transformer", files.transformer);
    const missing = TRANSFORMER_INPUTS[family].filter((input) => !transformer.has(input));
    if (missing.length) throw new Error(`transformer/model.onnx lacks the inputs ${missing.join(", ")} that ${family === "flux" ? "FLUX" : "SD3"}'s transformer takes`);
    const guidanceInput = family === "flux" && transformer.has("guidance");
    const fixedTokens = transformer.inputDim("encoder_hidden_states", 1);
    const textLength = family === "flux" ? (fixedTokens ?? (guidanceInput ? 512 : 256)) : fixedTokens ? fixedTokens - 77 : 256;
    const t5Folder = family === "flux" ? files.tokenizer2 : files.tokenizer3;
    const t5Graph = family === "flux" ? files.textEncoder2 : files.textEncoder3;
    const tokenizers = {
      clip: loadClipTokenizer(files.tokenizer),
      clip2: family === "sd3" && files.tokenizer2 ? loadClipTokenizer(files.tokenizer2) : undefined,
      t5: t5Folder && t5Graph ? loadT5Tokenizer(t5Folder, textLength) : undefined,
    };
    const loadTextEncoders = async (into: ComponentLoader): Promise<TextEncoders> => ({
      clip: { tokenizer: tokenizers.clip, encoder: await into.load("text_encoder", files.textEncoder) },
      clip2: tokenizers.clip2 && files.textEncoder2 ? { tokenizer: tokenizers.clip2, encoder: await into.load("text_encoder_2", files.textEncoder2) } : undefined,
      t5: tokenizers.t5 && t5Graph ? { tokenizer: tokenizers.t5, encoder: await into.load(family === "flux" ? "text_encoder_2" : "text_encoder_3", t5Graph) } : undefined,
    });
    let withTextEncoders: FlowModel["withTextEncoders"];
    if (settings.lowMemory) {
      // Loaded once now, so a broken encoder stops the server at start rather than at the first job.
      const probe = new ComponentLoader(settings, onFallback);
      await loadTextEncoders(probe).finally(() => probe.release());
      withTextEncoders = async (use) => {
        const perJob = new ComponentLoader(settings, onFallback);
        try {
          return await use(await loadTextEncoders(perJob));
        } finally {
          await perJob.release();
        }
      };
    } else {
      const encoders = await loadTextEncoders(loader);
      withTextEncoders = (use) => use(encoders);
    }
    const vae = await loadVae(folder, loader.load);
    const generator = new TorchGenerator(0);
    const noise = (count: number) => generator.randn(count);
    const fastDecoder = await loader.fastDecoder(vae, noise);
    return {
      kind: "flow",
      family,
      folder,
      settings,
      scheduler,
      withTextEncoders,
      transformer,
      guidanceInput,
      textLength,
      jointWidth: transformer.inputDim("encoder_hidden_states", 2) ?? Number(folder.transformerConfig?.joint_attention_dim ?? 4096),
      vae,
      fastDecoder,
      preview: await fitLatentPreview(vae, noise),
      release: () => loader.release(),
    };
  } catch (error) {
    await loader.release();
    throw error;
  }
}
