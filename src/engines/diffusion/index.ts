// The "diffusion" engine: Stable-Diffusion-family, FLUX.1 and SD3 models exported to
// ONNX (diffusers/optimum folder layout), run on onnxruntime-node. The model loads
// once (load(), before the server listens); each job runs the recipe in
// pipeline.ts (UNet families) or flow/pipeline.ts (flow-matching transformers). Jobs on one model run one at a time: a single job already
// keeps every core busy, and two at once would only double the memory.
// A path (the model's, or its fastDecoder's) written hf:OWNER/REPO comes from
// the Hugging Face Hub's cache, pulled there on first use (src/hub/).
import { resolve } from "node:path";
import { ConfigError } from "../../config.js";
import { JsonProgress } from "../../hub/progress.js";
import { PIPELINE_LAYOUT, pullModel, type Layout, type PulledModel } from "../../hub/pull.js";
import { hubSettings, isHubPath, parseHubReference } from "../../hub/reference.js";
import type { EngineContext } from "../../models/registry.js";
import type { Engine, ImageJob, RawImage, RunOptions } from "../engine.js";
import { Semaphore } from "../semaphore.js";
import { FAST_DECODER_LAYOUT } from "./fast-decoder.js";
import { readModelFolder, type ModelFolder } from "./folder.js";
import { loadDiffusionModel, type DiffusionModel } from "./model.js";
import { parseDiffusionOptions, settingsFor } from "./options.js";
import { explainJob, runPipeline } from "./pipeline.js";
import { loadFlowModel, type FlowModel } from "./flow/model.js";
import { explainFlow, runFlow } from "./flow/pipeline.js";

/** The UNet families' model, or a flow-matching transformer's (FLUX.1, SD3). */
type LoadedModel = DiffusionModel | FlowModel;

/** Agreement with the model's VAE (PSNR on a random latent) below which the fast decoder is reported as mismatched. */
const FAST_DECODER_MIN_DB = 12;

export function createDiffusionEngine(rawOptions: Record<string, unknown>, context: EngineContext): Engine {
  const options = parseDiffusionOptions(rawOptions, context.model);
  const turns = new Semaphore(1);
  let loading: Promise<LoadedModel> | undefined;

  const model = () => {
    loading ??= (async () => {
      const started = performance.now();
      let loaded: LoadedModel;
      let folder: ModelFolder;
      try {
        folder = await modelFolder(options.path, context);
        const fastDecoder = options.fastDecoder && (await localPath(options.fastDecoder, context, FAST_DECODER_LAYOUT));
        const settings = { ...settingsFor(options, folder), fastDecoder };
        const onFallback = (provider: string, reason: string) =>
          context.logger.warn({ model: context.model, provider, reason }, "execution provider unavailable; trying the next one");
        loaded = folder.files.transformer ? await loadFlowModel(folder, settings, onFallback) : await loadDiffusionModel(folder, settings, onFallback);
      } catch (error) {
        // A model that cannot load is an operator's configuration problem: say which and why, without a stack.
        throw new ConfigError(`Model '${context.model}' cannot load: ${(error as Error).message}`);
      }
      const { unsupported } = loaded.kind === "flow" ? loaded.scheduler : loaded.schedulerConfig;
      const className = String(folder.schedulerConfig._class_name ?? "");
      if (unsupported.length) context.logger.warn({ model: context.model, scheduler: className, ignored: unsupported }, "scheduler options Easel does not implement are ignored");
      context.logger.info({ model: context.model, path: folder.path, family: folder.family, ms: Math.round(performance.now() - started) }, "diffusion model loaded");
      const fast = loaded.fastDecoder;
      if (fast) {
        const entry = { model: context.model, fastDecoder: options.fastDecoder, output: fast.output, agreementDb: Number(fast.agreementDb.toFixed(1)) };
        // TAESD against its own VAE sits far above this; a decoder for another family far below.
        if (fast.agreementDb < FAST_DECODER_MIN_DB) context.logger.warn(entry, "the fast decoder disagrees with this model's VAE: is it the one for this family (TAESD for SD 1/2, TAESDXL for SDXL)?");
        else context.logger.info(entry, "fast decoder loaded");
      }
      return loaded;
    })();
    // A failed load is retried by the next job rather than cached forever.
    loading.catch(() => (loading = undefined));
    return loading;
  };

  return {
    name: "diffusion",
    async load() {
      await model();
    },
    async run(job: ImageJob, options: RunOptions): Promise<RawImage[]> {
      const release = await turns.acquire(options.signal);
      try {
        const loaded = await model();
        return loaded.kind === "flow" ? await runFlow(loaded, job, options) : await runPipeline(loaded, job, options);
      } finally {
        release();
      }
    },
    async explain(job: ImageJob) {
      const loaded = await model();
      return loaded.kind === "flow" ? explainFlow(loaded, job) : explainJob(loaded, job);
    },
    async dispose() {
      const current = loading;
      loading = undefined;
      if (current) await (await current.catch(() => undefined))?.release();
    },
  };
}

/** The folder to load: the path itself, or for `hf:OWNER/REPO[@REV][:SUBFOLDER]` the Hub cache's copy, pulled on first use. */
async function modelFolder(path: string, context: EngineContext): Promise<ModelFolder> {
  return isHubPath(path) ? (await pull(path, context, PIPELINE_LAYOUT)).folder : readModelFolder(path);
}

/** Where a component's files are: the path itself, or the Hub cache's folder for an hf: path. */
async function localPath<T>(path: string, context: EngineContext, layout: Layout<T>): Promise<string> {
  return isHubPath(path) ? (await pull(path, context, layout)).path : resolve(path);
}

async function pull<T>(path: string, context: EngineContext, layout: Layout<T>): Promise<PulledModel<T>> {
  const { logger, model } = context;
  const pulled = await pullModel(
    parseHubReference(path),
    {
      settings: hubSettings(),
      progress: new JsonProgress((entry) => logger.info(entry, "pulling model"), path),
      warn: (message) => logger.warn({ model }, message),
    },
    layout,
  );
  if (pulled.downloaded > 0) logger.info({ model, path: pulled.path, bytes: pulled.downloaded }, "model pulled");
  return pulled;
}
