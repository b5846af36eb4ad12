// What an operator can set for one diffusion model (the `options` of its
// entry in easel.config.json). Everything but `path` has a default that suits
// the model's family; see defaultsFor.
import { z } from "zod";
import { ConfigError } from "../../config.js";
import type { Quality } from "../engine.js";
import type { ModelFolder } from "./folder.js";
import { RNG_NAMES, type RngName } from "./rng/generator.js";
import { SCHEDULER_NAMES, type SchedulerName } from "./schedulers/scheduler.js";

const stepsSchema = z.strictObject({ low: z.int().min(1).max(200), medium: z.int().min(1).max(200), high: z.int().min(1).max(200) });

const optionsSchema = z.strictObject({
  /** The model folder (diffusers ONNX layout). */
  path: z.string().min(1),
  /** Overrides the scheduler that scheduler/scheduler_config.json names. */
  scheduler: z.enum(SCHEDULER_NAMES).optional(),
  /** Denoising steps for each `quality`. */
  steps: stepsSchema.optional(),
  /** Classifier-free guidance scale when the request gives none (0 or 1 turns guidance off). */
  guidanceScale: z.number().min(0).max(50).optional(),
  /** The resolution the model was trained at; pictures render near it and are then resized. */
  nativeSize: z.int().min(64).max(4096).multipleOf(8).optional(),
  /** onnxruntime execution providers, in order of preference ("cpu", "cuda", "tensorrt", "webgpu", ...). */
  executionProviders: z.array(z.string().min(1)).min(1).optional(),
  /** Threads onnxruntime uses inside one operator (0: onnxruntime decides, usually one per core). */
  intraOpThreads: z.int().min(0).optional(),
  /** How partial images are made: a cheap linear latent-to-RGB map, a full VAE decode, or the fast decoder. */
  partialDecoder: z.enum(["approximate", "vae", "fast"]).optional(),
  /** A tiny autoencoder (TAESD, TAESDXL) in ONNX: a folder with vae_decoder/model.onnx, an .onnx file, or hf:OWNER/REPO. */
  fastDecoder: z.string().min(1).optional(),
  /** Final pictures of these qualities are decoded by the fast decoder instead of the VAE. */
  fastDecoderQualities: z.array(z.enum(["low", "medium", "high"])).optional(),
  /** Largest number of pictures sent through the UNet together. */
  maxBatch: z.int().min(1).max(10).optional(),
  /** Whose random stream seeds draw from: PyTorch's CPU generator (diffusers' PyTorch pipelines) or numpy's RandomState (diffusers' ONNX pipelines). */
  rng: z.enum(RNG_NAMES).optional(),
  /** Trade speed for memory: one UNet row per call (guidance halves apart) and no onnxruntime arena between runs. */
  lowMemory: z.boolean().optional(),
});

export type DiffusionOptions = z.infer<typeof optionsSchema>;

/** The settings a run uses: the operator's options over the family's defaults. */
export interface ModelSettings {
  path: string;
  scheduler?: SchedulerName;
  steps: Record<Quality, number>;
  guidanceScale: number;
  nativeSize: number;
  executionProviders: string[];
  intraOpThreads: number;
  partialDecoder: "approximate" | "vae" | "fast";
  /** The fast decoder's file or folder on this disk: set by the engine once an hf: path is pulled. */
  fastDecoder?: string;
  fastDecoderQualities: Quality[];
  maxBatch: number;
  lowMemory: boolean;
  rng: RngName;
}

export function parseDiffusionOptions(options: Record<string, unknown>, model: string): DiffusionOptions {
  const parsed = optionsSchema.safeParse(options);
  if (parsed.success) {
    const { fastDecoder, partialDecoder, fastDecoderQualities } = parsed.data;
    if (!fastDecoder && (partialDecoder === "fast" || fastDecoderQualities?.length)) {
      throw new ConfigError(`Model '${model}': partialDecoder "fast" and fastDecoderQualities need a fastDecoder (a TAESD folder, .onnx file or hf:OWNER/REPO)`);
    }
    return parsed.data;
  }
  const issue = parsed.error.issues[0];
  throw new ConfigError(`Model '${model}': invalid diffusion option ${issue.path.join(".") || "(options)"}: ${issue.message}`);
}

/**
 * Defaults by kind of model: distilled models (Turbo, LCM, FLUX.1 [schnell]) are made for
 * 1–8 steps, Turbo and [schnell] without guidance and LCM with guidance built into the UNet;
 * FLUX.1 [dev] takes its guidance as an input (3.5); the others follow the diffusers
 * pipelines' usual 7.5 (SDXL: 5).
 */
export function settingsFor(options: DiffusionOptions, folder: ModelFolder): ModelSettings {
  // FLUX.1 [schnell] is distilled for 1–4 steps like Turbo; [dev] takes 28 by default with distilled guidance 3.5.
  // SD3 takes diffusers' 28 steps by default and guidance 7.
  const schnell = folder.family === "flux" && !folder.guidanceEmbeds;
  const dev = folder.family === "flux" && folder.guidanceEmbeds;
  const sd3 = folder.family === "sd3";
  const steps =
    folder.turbo || schnell
      ? { low: 1, medium: 2, high: 4 }
      : folder.lcm
        ? { low: 2, medium: 4, high: 8 }
        : dev || sd3
          ? { low: 12, medium: 28, high: 50 }
          : { low: 12, medium: 25, high: 40 };
  const guidanceScale = folder.turbo || schnell ? 0 : dev ? 3.5 : sd3 ? 7 : folder.lcm ? 8.5 : folder.family === "sdxl" ? 5 : 7.5;
  return {
    path: options.path,
    scheduler: options.scheduler,
    steps: options.steps ?? steps,
    guidanceScale: options.guidanceScale ?? guidanceScale,
    nativeSize: options.nativeSize ?? folder.nativeSize,
    executionProviders: options.executionProviders ?? ["cpu"],
    intraOpThreads: options.intraOpThreads ?? 0,
    partialDecoder: options.partialDecoder ?? (options.fastDecoder ? "fast" : "approximate"),
    fastDecoderQualities: options.fastDecoderQualities ?? [],
    maxBatch: options.maxBatch ?? 4,
    lowMemory: options.lowMemory ?? false,
    rng: options.rng ?? "torch",
  };
}
