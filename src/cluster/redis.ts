// Connections to the shared mode's Redis and the names of every key Easel
// keeps there, all under the configured prefix so that several deployments
// (and parallel tests) share one Redis.
import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "pino";

export interface RedisSettings {
  url: string;
  prefix: string;
}

/**
 * `blocking`: for BullMQ workers and stream readers, whose commands wait on
 * purpose (BullMQ requires no retry limit there). Otherwise commands fail at
 * once while Redis is unreachable, so a request gets a 503, never a hang.
 */
export function connect(settings: RedisSettings, logger: Logger | undefined, blocking = false): Redis {
  const options: RedisOptions = blocking
    ? { maxRetriesPerRequest: null, enableReadyCheck: true }
    : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 3_000, commandTimeout: 5_000 };
  const redis = new Redis(settings.url, { ...options, lazyConnect: false, retryStrategy: (attempt) => Math.min(attempt * 200, 2_000) });
  let down = false;
  redis.on("error", (error) => {
    if (!down) logger?.warn({ err: error }, "redis: connection lost; reconnecting");
    down = true;
  });
  redis.on("ready", () => {
    if (down) logger?.info("redis: connected again");
    down = false;
  });
  return redis;
}

/** Resolves once the connection is ready (or rejects after `timeoutMs`). */
export async function ready(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === "ready") return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    redis.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export class Keys {
  constructor(readonly prefix: string) {}

  /** BullMQ queue of one model's jobs (queue names may not hold ':'). */
  queueName(model: string): string {
    return `images.${Buffer.from(model).toString("base64url")}`;
  }

  /** The events of one job, from its worker to the API node that waits for it. */
  events(jobId: string): string {
    return `${this.prefix}:events:${jobId}`;
  }

  /** The events of a background response, for every API node that follows it. */
  responseEvents(responseId: string): string {
    return `${this.prefix}:response:${responseId}`;
  }

  /** The queue a background response's job went to, for cancelling it from any node. */
  responseQueue(responseId: string): string {
    return `${this.prefix}:response-queue:${responseId}`;
  }

  /** Marks a job whose client went away, for a worker about to start it. */
  cancelled(jobId: string): string {
    return `${this.prefix}:cancelled:${jobId}`;
  }

  /** Channel that tells workers to stop a running job. */
  get cancelChannel(): string {
    return `${this.prefix}:cancel`;
  }

  /** A key's requests-per-minute bucket, shared by every API node. */
  requestBucket(owner: string): string {
    return `${this.prefix}:rpm:${owner}`;
  }

  /** Sorted set of worker ids by last heartbeat, and each worker's description. */
  get workers(): string {
    return `${this.prefix}:workers`;
  }

  worker(id: string): string {
    return `${this.prefix}:worker:${id}`;
  }
}
