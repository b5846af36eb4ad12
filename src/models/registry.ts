// Maps the model names clients send to a family of rules and an engine.
// Engines are created once, on first use, and shared by models with the same
// engine, family and options.
import { pino, type Logger } from "pino";
import { ConfigError, type ModelConfig } from "../config.js";
import type { Engine, Quality } from "../engines/engine.js";
import { families, type Family, type FamilyName } from "./families.js";

/** What an engine factory gets besides the model's `options`. */
export interface EngineContext {
  /** Easel's logger, for engines that log their own work (the upstream engine logs each call). */
  logger: Logger;
  /** The family of rules of the models that share this engine. */
  family: FamilyName;
  /** The model whose entry created the engine, for error messages. */
  model: string;
  /** A folder under the data dir where engines may cache what they build once (art indexes); none in tests that give none. */
  cacheDir?: string;
  /** How many jobs may run at once (the queue's concurrency): engines that draw in worker threads keep that many (default 1). */
  threads?: number;
}

export interface RegistryOptions {
  logger?: Logger;
  cacheDir?: string;
  threads?: number;
}

export type EngineFactory = (options: Record<string, unknown>, context: EngineContext) => Engine;

export interface ModelEntry {
  /** The name the client used. */
  id: string;
  family: Family;
  /** The engine that draws it, as the config names it (compose, diffusion, upstream). */
  engineName: string;
  /** The engine's options from the config (after aliases). */
  engineOptions: Readonly<Record<string, unknown>>;
  autoQuality: Quality;
  ownedBy: string;
  /** Set when the model's config decides whether its pictures are classified, whatever the server's default. */
  moderatePictures?: boolean;
  engine: () => Engine;
}

/** The models a caller may use: the whole registry, or a key's allow-list of it. */
export interface ModelCatalog {
  get(id: string): ModelEntry | undefined;
  list(): ModelEntry[];
}

export class ModelRegistry implements ModelCatalog {
  private readonly entries = new Map<string, ModelEntry>();
  private readonly engines = new Map<string, Engine>();

  private readonly logger: Logger;

  constructor(
    models: Record<string, ModelConfig>,
    private readonly factories: Record<string, EngineFactory>,
    private readonly options: RegistryOptions = {},
  ) {
    this.logger = options.logger ?? pino({ level: "silent" });
    for (const id of Object.keys(models)) this.entries.set(id, this.build(id, models));
  }

  private build(id: string, models: Record<string, ModelConfig>): ModelEntry {
    let target = models[id];
    const seen = new Set([id]);
    while (target.alias !== undefined) {
      const next = models[target.alias];
      if (!next) throw new ConfigError(`Model '${id}' is an alias of unknown model '${target.alias}'`);
      if (seen.has(target.alias)) throw new ConfigError(`Model aliases loop through '${target.alias}'`);
      seen.add(target.alias);
      target = next;
    }
    const factory = this.factories[target.engine];
    if (!factory) throw new ConfigError(`Model '${id}' uses unknown engine '${target.engine}'`);
    const engineKey = `${target.engine}:${target.family}:${JSON.stringify(target.options)}`;
    const options = target.options;
    const { cacheDir, threads } = this.options;
    const context: EngineContext = { logger: this.logger, family: target.family, model: id, cacheDir, threads };
    return {
      id,
      family: families[target.family],
      engineName: target.engine,
      engineOptions: options,
      autoQuality: target.autoQuality ?? "medium",
      ownedBy: target.ownedBy,
      moderatePictures: target.moderatePictures,
      engine: () => {
        let engine = this.engines.get(engineKey);
        if (!engine) {
          engine = factory(options, context);
          this.engines.set(engineKey, engine);
        }
        return engine;
      },
    };
  }

  get(id: string): ModelEntry | undefined {
    return this.entries.get(id);
  }

  list(): ModelEntry[] {
    return [...this.entries.values()];
  }

  /** The registry as a caller allowed only `ids` sees it: the others do not exist for it. */
  only(ids: readonly string[]): ModelCatalog {
    const allowed = new Set(ids);
    return { get: (id) => (allowed.has(id) ? this.get(id) : undefined), list: () => this.list().filter((entry) => allowed.has(entry.id)) };
  }

  /** Creates and loads the engine of every model, so the first request does not pay for it. */
  async load(): Promise<void> {
    for (const entry of this.entries.values()) await entry.engine().load?.();
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.engines.values()].map((engine) => engine.dispose?.()));
    this.engines.clear();
  }
}
