// The "diffusion" engine: Stable-Diffusion-family models exported to ONNX
// (diffusers/optimum folder layout), run on onnxruntime-node. The model loads
// once (load(), before the server listens); each job runs the recipe in
// pipeline.ts. Jobs on one model run one at a time: a single job already
// keeps every core busy, and two at once would only double the memory.
import type { EngineContext } from "../../models/registry.js";
import type { Engine, ImageJob, RawImage, RunOptions } from "../engine.js";
import { Semaphore } from "../semaphore.js";
import { ConfigError } from "../../config.js";
import { readModelFolder, type ModelFolder } from "./folder.js";
import { loadDiffusionModel, type DiffusionModel } from "./model.js";
import { parseDiffusionOptions, settingsFor } from "./options.js";
import { explainJob, runPipeline } from "./pipeline.js";
import { isHubPath, parseHubReference, hubSettings } from "../../hub/reference.js";
import { pullModel } from "../../hub/pull.js";
import { JsonProgress } from "../../hub/progress.js";

export function createDiffusionEngine(rawOptions: Record<string, unknown>, context: EngineContext): Engine {
  const options = parseDiffusionOptions(rawOptions, context.model);
  const turns = new Semaphore(1);
  let loading: Promise<DiffusionModel> | undefined;

  const model = () => {
    loading ??= (async () => {
      const started = performance.now();
      let loaded: DiffusionModel;
      let folder: ModelFolder;
      try {
        folder = await modelFolder(options.path, context);
        loaded = await loadDiffusionModel(folder, settingsFor(options, folder), (provider, reason) =>
          context.logger.warn({ model: context.model, provider, reason }, "execution provider unavailable; trying the next one"),
        );
      } catch (error) {
        // A model that cannot load is an operator's configuration problem: say which and why, without a stack.
        throw new ConfigError(`Model '${context.model}' cannot load: ${(error as Error).message}`);
      }
      const { className, unsupported } = loaded.schedulerConfig;
      if (unsupported.length) context.logger.warn({ model: context.model, scheduler: className, ignored: unsupported }, "scheduler options Easel does not implement are ignored");
      context.logger.info({ model: context.model, path: folder.path, family: folder.family, ms: Math.round(performance.now() - started) }, "diffusion model loaded");
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
        return await runPipeline(await model(), job, options);
      } finally {
        release();
      }
    },
    async explain(job: ImageJob) {
      return explainJob(await model(), job);
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
  if (!isHubPath(path)) return readModelFolder(path);
  const { logger, model } = context;
  const pulled = await pullModel(parseHubReference(path), {
    settings: hubSettings(),
    progress: new JsonProgress((entry) => logger.info(entry, "pulling model"), path),
    warn: (message) => logger.warn({ model }, message),
  });
  if (pulled.downloaded > 0) logger.info({ model, path: pulled.path, bytes: pulled.downloaded }, "model pulled");
  return pulled.folder;
}
