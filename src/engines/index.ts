// The engines Easel can run, by the name a model's config gives (`"engine": "compose"`).
import type { EngineFactory } from "../models/registry.js";
import { createThreadedComposeEngine } from "./compose/threaded.js";
import { createDiffusionEngine } from "./diffusion/index.js";
import { createUpstreamEngine } from "./upstream/index.js";

export const engineFactories: Record<string, EngineFactory> = {
  // Compose draws in worker threads, a thread per job that may run at once.
  compose: (options, context) =>
    createThreadedComposeEngine({ artDirs: Array.isArray(options.artDirs) ? options.artDirs.map(String) : undefined, cacheDir: context.cacheDir }, context.threads),
  diffusion: (options, context) => createDiffusionEngine(options, context),
  upstream: (options, context) => createUpstreamEngine(options, context),
};
