// The engines Easel can run, by the name a model's config gives (`"engine": "compose"`).
import type { EngineFactory } from "../models/registry.js";
import { createComposeEngine } from "./compose/index.js";
import { createDiffusionEngine } from "./diffusion/index.js";
import { createUpstreamEngine } from "./upstream/index.js";

export const engineFactories: Record<string, EngineFactory> = {
  compose: (options, context) => createComposeEngine({ artDirs: Array.isArray(options.artDirs) ? options.artDirs.map(String) : undefined, cacheDir: context.cacheDir }),
  diffusion: (options, context) => createDiffusionEngine(options, context),
  upstream: (options, context) => createUpstreamEngine(options, context),
};
