// One loaded FLUX.1 model ([schnell] or [dev]) in the layout optimum exports: CLIP-L for the
// pooled prompt embedding, T5 for the token embeddings, the flow transformer, and a
// 16-channel VAE. Input names, element types and whether the transformer takes a guidance
// scale ([dev]) are read from the graphs themselves.
import type { ModelFolder } from "../folder.js";
import type { ModelSettings } from "../options.js";
import { ComponentLoader, loadVae, type ProviderFallback } from "../model.js";
import { TorchGenerator } from "../rng/torch-generator.js";
import type { Component } from "../runtime.js";
import { parseFlowMatchConfig, type FlowMatchConfig } from "../schedulers/flow-match.js";
import type { TextEncoder } from "../text.js";
import { loadClipTokenizer, loadT5Tokenizer } from "../tokenizer.js";
import { fitLatentPreview, type LatentPreview, type Vae } from "../vae.js";
import type { FastDecoder } from "../fast-decoder.js";

export interface FluxModel {
  kind: "flux";
  folder: ModelFolder;
  settings: ModelSettings;
  scheduler: FlowMatchConfig;
  /**
   * Runs `use` with CLIP and T5. With lowMemory they are loaded for the call and released after
   * it (T5-XXL alone is about 9 GB in fp32, more than the rest of a job needs at once).
   */
  withTextEncoders<T>(use: (clip: TextEncoder, t5: TextEncoder) => Promise<T>): Promise<T>;
  transformer: Component;
  /** [dev]: the transformer takes `guidance`. */
  guided: boolean;
  /** T5 tokens per prompt: fixed by the export, else 512 for [dev] and 256 for [schnell], as FluxPipeline. */
  textLength: number;
  vae: Vae;
  fastDecoder?: FastDecoder;
  preview: LatentPreview;
  release(): Promise<void>;
}

export const TRANSFORMER_INPUTS = ["hidden_states", "encoder_hidden_states", "pooled_projections", "timestep", "img_ids", "txt_ids"];

export async function loadFluxModel(folder: ModelFolder, settings: ModelSettings, onFallback: ProviderFallback = () => {}): Promise<FluxModel> {
  const { files } = folder;
  if (settings.scheduler) throw new Error(`the scheduler option is for UNet models; FLUX.1 runs its folder's FlowMatchEulerDiscreteScheduler`);
  const scheduler = parseFlowMatchConfig(folder.schedulerConfig);
  const loader = new ComponentLoader(settings, onFallback);
  try {
    if (!files.transformer || !files.textEncoder2 || !files.tokenizer2) throw new Error(`${folder.path} is not a FLUX folder`);
    const transformer = await loader.load("transformer", files.transformer);
    const missing = TRANSFORMER_INPUTS.filter((input) => !transformer.has(input));
    if (missing.length) throw new Error(`transformer/model.onnx lacks the inputs ${missing.join(", ")} that FLUX's transformer takes`);
    const guided = transformer.has("guidance");
    const textLength = transformer.inputDim("encoder_hidden_states", 1) ?? (guided ? 512 : 256);
    const tokenizers = { clip: loadClipTokenizer(files.tokenizer), t5: loadT5Tokenizer(files.tokenizer2, textLength) };
    const loadTextEncoders = async (into: ComponentLoader) => ({
      clip: { tokenizer: tokenizers.clip, encoder: await into.load("text_encoder", files.textEncoder) },
      t5: { tokenizer: tokenizers.t5, encoder: await into.load("text_encoder_2", files.textEncoder2!) },
    });
    let withTextEncoders: FluxModel["withTextEncoders"];
    if (settings.lowMemory) {
      // Loaded once now, so a broken encoder stops the server at start rather than at the first job.
      const probe = new ComponentLoader(settings, onFallback);
      await loadTextEncoders(probe).finally(() => probe.release());
      withTextEncoders = async (use) => {
        const perJob = new ComponentLoader(settings, onFallback);
        try {
          const { clip, t5 } = await loadTextEncoders(perJob);
          return await use(clip, t5);
        } finally {
          await perJob.release();
        }
      };
    } else {
      const { clip, t5 } = await loadTextEncoders(loader);
      withTextEncoders = (use) => use(clip, t5);
    }
    const vae = await loadVae(folder, loader.load);
    const generator = new TorchGenerator(0);
    const noise = (count: number) => generator.randn(count);
    const fastDecoder = await loader.fastDecoder(vae, noise);
    return {
      kind: "flux",
      folder,
      settings,
      scheduler,
      withTextEncoders,
      transformer,
      guided,
      textLength,
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
