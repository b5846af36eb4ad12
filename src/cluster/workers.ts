// Which workers are alive and what they serve: each worker writes a
// heartbeat every few seconds (its models and how many jobs it runs at
// once); API nodes read them, cached for a second.
import type { Redis } from "ioredis";
import type { Keys } from "./redis.js";

export const HEARTBEAT_MS = 2_000;
/** A worker silent for this long is taken for gone. */
export const HEARTBEAT_TTL_MS = 6_000;

export interface WorkerInfo {
  id: string;
  models: string[];
  concurrency: number;
  host: string;
  pid: number;
}

export async function beat(redis: Redis, keys: Keys, info: WorkerInfo): Promise<void> {
  const now = Date.now();
  await redis
    .multi()
    .set(keys.worker(info.id), JSON.stringify(info), "PX", HEARTBEAT_TTL_MS)
    .zadd(keys.workers, now, info.id)
    .zremrangebyscore(keys.workers, "-inf", now - HEARTBEAT_TTL_MS)
    .exec();
}

export async function leave(redis: Redis, keys: Keys, id: string): Promise<void> {
  await redis.multi().del(keys.worker(id)).zrem(keys.workers, id).exec();
}

export class LiveWorkers {
  private cached?: { at: number; workers: WorkerInfo[] };

  constructor(private readonly redis: Redis, private readonly keys: Keys) {}

  /** The live workers, read at most once a second (`fresh`: read now). */
  async list(fresh = false): Promise<WorkerInfo[]> {
    if (!fresh && this.cached && Date.now() - this.cached.at < 1_000) return this.cached.workers;
    const ids = await this.redis.zrangebyscore(this.keys.workers, Date.now() - HEARTBEAT_TTL_MS, "+inf");
    const described = ids.length ? await this.redis.mget(ids.map((id) => this.keys.worker(id))) : [];
    const workers = described.filter((text): text is string => text !== null).map((text) => JSON.parse(text) as WorkerInfo);
    this.cached = { at: Date.now(), workers };
    return workers;
  }

  /** How many jobs of `model` the live workers run at once together (0: none serves it). */
  async capacity(model: string): Promise<number> {
    const sum = (workers: WorkerInfo[]) => workers.filter((worker) => worker.models.includes(model)).reduce((total, worker) => total + worker.concurrency, 0);
    // None in the cached list: look again before refusing, as a worker may have just started.
    return sum(await this.list()) || sum(await this.list(true));
  }

  async models(): Promise<Set<string>> {
    return new Set((await this.list()).flatMap((worker) => worker.models));
  }
}
