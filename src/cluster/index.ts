// The shared mode's parts, built from the config: the PostgreSQL store, the
// queue API nodes submit jobs to, and (for workers) the worker that takes
// them. Without EASEL_REDIS_URL and EASEL_DATABASE_URL none of this runs.
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Config, SharedConfig } from "../config.js";
import type { ModelRegistry } from "../models/registry.js";
import { ConfigError } from "../config.js";
import { PostgresStore } from "../store/postgres/index.js";
import { ClusterImageQueue } from "./queue.js";
import { RedisRequestBuckets } from "./request-buckets.js";
import { connect, Keys, ready } from "./redis.js";
import { ClusterWorker } from "./worker.js";

export interface SharedParts {
  store: PostgresStore;
  queue: ClusterImageQueue;
  /** Set for the worker and all roles; started by `serve` once the HTTP side is ready. */
  worker?: ClusterWorker;
  redis: Redis;
  /** Each API key's requests per minute, counted across the API nodes. */
  requestBuckets: RedisRequestBuckets;
}

export async function openShared(config: Config, shared: SharedConfig, registry: ModelRegistry, logger: Logger): Promise<SharedParts> {
  const settings = { url: shared.redisUrl, prefix: shared.redisPrefix };
  const keys = new Keys(shared.redisPrefix);
  const models = shared.workerModels ?? registry.list().map((entry) => entry.id);
  const unknown = models.find((model) => !registry.get(model));
  if (unknown) throw new ConfigError(`EASEL_WORKER_MODELS names '${unknown}', which is not a configured model`);
  // Redis first: a node that cannot reach it stops before it touches (or migrates) the database.
  const redis = connect(settings, logger);
  try {
    await ready(redis);
  } catch (error) {
    redis.disconnect();
    throw new ConfigError(`cannot reach Redis at ${redacted(shared.redisUrl)}: ${(error as Error).message}`);
  }
  let store: PostgresStore;
  try {
    store = await PostgresStore.open(shared.databaseUrl, { pictureUrlTtlSeconds: config.imageUrlTtlSeconds, urlSigningKey: config.urlSigningKey, logger });
  } catch (error) {
    redis.disconnect();
    throw new ConfigError(`cannot use the database at ${redacted(shared.databaseUrl)}: ${(error as Error).message}`);
  }
  const queue = new ClusterImageQueue(redis, settings, keys, store.jobBlobs, config.queueLimit, logger);
  const worker =
    config.role === "api"
      ? undefined
      : new ClusterWorker({ config, registry, responses: store.responses, models, blobs: store.jobBlobs, settings, keys, concurrency: config.concurrency, lockMs: shared.jobLockMs, logger });
  return { store, queue, worker, redis, requestBuckets: new RedisRequestBuckets(redis, keys) };
}

/** A URL as logs and errors may show it: without its password. */
function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an invalid URL)";
  }
}
