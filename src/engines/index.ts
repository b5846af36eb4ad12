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

/**
 * Easel's request extensions an engine honours (the others it accepts and
 * ignores): /v1/models lists them per model, so clients such as the
 * playground offer only what has an effect.
 */
export function engineExtensions(engine: string, options: Readonly<Record<string, unknown>>): string[] {
  if (engine === "compose") return ["seed", "explain"];
  if (engine === "diffusion") return ["seed", "explain", "negative_prompt", "guidance_scale", "strength", "steps"];
  if (engine === "upstream") return options.seed === true ? ["seed"] : [];
  return [];
}
