// The API node's side of the shared queue: each image job goes to its
// model's BullMQ queue as job data (pictures as store references), and the
// node follows the job's event stream until its pictures arrive. Waiting
// jobs per model are bounded cluster-wide; a client that leaves removes its
// waiting job or stops the worker that runs it.
import { randomBytes } from "node:crypto";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { ApiError, errors } from "../errors.js";
import { metrics } from "../metrics.js";
import type { ImageQueue, ImagesResult, PartialListener } from "../pipeline.js";
import { abortError } from "../queue.js";
import type { ImageRequest } from "../request-model.js";
import type { JobBlobs } from "../store/store.js";
import type { BackgroundRuns } from "../responses/runs.js";
import type { ResponsesService } from "../responses/service.js";
import { EventReader, type JobEvent } from "./events.js";
import { ClusterRuns } from "./responses.js";
import { toJobData } from "./job-data.js";
import { connect, type Keys, type RedisSettings } from "./redis.js";
import { LiveWorkers } from "./workers.js";

/** A job is tried on this many workers before it fails. */
export const JOB_ATTEMPTS = 2;
/** Blocking-read connections kept open between jobs. */
const MAX_IDLE_READERS = 16;
/** How long a stream read waits before the node checks on the job itself. */
const POLL_MS = 2_000;

export class ClusterImageQueue implements ImageQueue {
  private readonly queues = new Map<string, Queue>();
  readonly workers: LiveWorkers;
  /** Moving average of the render times of jobs followed here, for Retry-After. */
  private averageMs = 1_000;
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Blocking-read connections between jobs (opening one costs a round of handshakes per job). */
  private readonly idleReaders: Redis[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly settings: RedisSettings,
    private readonly keys: Keys,
    private readonly blobs: JobBlobs,
    private readonly limit: number,
    private readonly logger: Logger,
  ) {
    this.workers = new LiveWorkers(redis, keys);
  }

  private queue(model: string): Queue {
    return this.queueNamed(this.keys.queueName(model));
  }

  private queueNamed(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis, prefix: this.keys.prefix });
      queue.on("error", (error) => this.logger.warn({ err: error }, "queue: redis error"));
      this.queues.set(name, queue);
    }
    return queue;
  }

  backgroundRuns(service: ResponsesService): BackgroundRuns {
    const queues = { queueFor: (model: string) => this.queue(model), queueNamed: (name: string) => this.queueNamed(name), admit: (model: string) => this.admit(model) };
    return new ClusterRuns(service, queues, this.redis, this.settings, this.keys, this.blobs, JOB_ATTEMPTS, this.logger);
  }

  async admit(model: string): Promise<void> {
    if (this.closed) throw errors.shuttingDown();
    const capacity = await this.reach(() => this.workers.capacity(model));
    if (capacity === 0) throw errors.noWorker(model);
    const counts = await this.reach(() => this.queue(model).getJobCounts("wait", "prioritized", "active"));
    const waiting = counts.wait + counts.prioritized;
    // A job that would start at once is always taken; one that would wait, only while fewer than the limit wait.
    if (waiting + counts.active >= capacity && waiting >= this.limit) {
      metrics.rateLimited.inc({ reason: "queue", key: "" });
      const seconds = Math.max(1, Math.ceil(((waiting + counts.active) * this.averageMs) / capacity / 1000));
      throw errors.busy(seconds);
    }
  }

  async submit(request: ImageRequest, signal: AbortSignal, onPartial?: PartialListener): Promise<ImagesResult> {
    await this.admit(request.model.id);
    if (signal.aborted) throw abortError();
    const { data, blobs } = await this.reach(() => toJobData(request, this.blobs, onPartial !== undefined), "store");
    const task = this.follow(request, data, signal, onPartial).finally(() => {
      if (blobs.length) void this.blobs.delete(blobs).catch(() => undefined);
    });
    this.inFlight.add(task);
    void task.catch(() => undefined).finally(() => this.inFlight.delete(task));
    return task;
  }

  private async follow(request: ImageRequest, data: unknown, signal: AbortSignal, onPartial?: PartialListener): Promise<ImagesResult> {
    const id = `job_${randomBytes(12).toString("hex")}`;
    const queue = this.queue(request.model.id);
    const queued = performance.now();
    await this.reach(() => queue.add("image", data, { jobId: id, attempts: JOB_ATTEMPTS, removeOnComplete: true, removeOnFail: { age: 3600 } }));
    // A blocking read holds its connection for the job; an abort closes it to end the read at once.
    const reader = this.borrowReader();
    const events = new EventReader(reader, this.keys.events(id));
    const pictures: Buffer[] = [];
    let partialsSent = -1;
    const stop = () => reader.disconnect();
    signal.addEventListener("abort", stop, { once: true });
    try {
      for (;;) {
        if (signal.aborted) {
          await this.cancel(queue, id);
          throw abortError();
        }
        let batch: JobEvent[];
        try {
          batch = await events.next(POLL_MS);
        } catch (error) {
          if (signal.aborted) continue;
          throw error;
        }
        // Nothing for a while: make sure the job is still somewhere it can finish.
        if (batch.length === 0) batch = await this.checkOn(queue, id, request.model.id, events);
        for (const event of batch) {
          if (event.kind === "partial") {
            // A job run again after its worker died sends its partial images again: each index goes out once.
            if (event.index <= partialsSent || !onPartial) continue;
            partialsSent = event.index;
            await onPartial(event.bytes, event.index);
          } else if (event.kind === "picture") {
            pictures[event.index] = event.bytes;
          } else if (event.kind === "error") {
            const { status, body, headers } = event.error;
            throw new ApiError(status, body.error.type as ApiError["type"], body.error.message, body.error.param, body.error.code, headers);
          } else {
            const done = event.done;
            this.averageMs = 0.8 * this.averageMs + 0.2 * done.renderMs;
            metrics.queueWaitSeconds.observe(Math.max(0, (performance.now() - queued - done.renderMs) / 1000));
            return { created: done.created, images: pictures.slice(0, done.count), usage: done.usage, renderMs: done.renderMs, ...(done.explain !== undefined ? { explain: done.explain } : {}) };
          }
        }
      }
    } finally {
      signal.removeEventListener("abort", stop);
      this.returnReader(reader);
      // The job has ended for this client: its pictures need not stay in Redis.
      void this.redis.del(this.keys.events(id)).catch(() => undefined);
    }
  }

  /** A connection for blocking reads: an idle one kept from an earlier job, or a new one. */
  private borrowReader(): Redis {
    return this.idleReaders.pop() ?? connect(this.settings, undefined, true);
  }

  /** Keeps a reader for the next job while few are idle and it is still open; closes it otherwise. */
  private returnReader(reader: Redis): void {
    if (reader.status === "ready" && this.idleReaders.length < MAX_IDLE_READERS && !this.closed) this.idleReaders.push(reader);
    else reader.disconnect();
  }

  /**
   * A job that failed with no event (it stalled on every worker that took
   * it) or vanished ends in a server_error; a job still waiting when no live
   * worker serves its model any more is taken back with a 503.
   */
  private async checkOn(queue: Queue, id: string, model: string, events: EventReader): Promise<JobEvent[]> {
    const state = await queue.getJobState(id).catch(() => "unreachable");
    if (state === "waiting" && (await this.workers.capacity(model).catch(() => 1)) === 0 && (await queue.remove(id).catch(() => 0))) {
      throw errors.noWorker(model);
    }
    if (state !== "failed" && state !== "unknown") return [];
    // The worker writes its last event before the job ends: look once more before giving up.
    const last = await events.next(0);
    if (last.length > 0) return last;
    this.logger.error({ job: id, state }, "queue: the job failed on every worker that took it");
    throw errors.jobFailed();
  }

  /** The client left: a waiting job is removed, a running one is stopped by its worker. */
  private async cancel(queue: Queue, id: string): Promise<void> {
    const removed = await queue.remove(id).catch(() => 0);
    if (removed) return;
    await this.redis.multi().set(this.keys.cancelled(id), "1", "EX", 3600).publish(this.keys.cancelChannel, id).exec().catch(() => undefined);
  }

  async stats(): Promise<Record<string, unknown>> {
    const workers = await this.reach(async () => {
      await this.redis.ping();
      return this.workers.list();
    });
    return { workers: workers.length, models: [...new Set(workers.flatMap((worker) => worker.models))].sort(), following: this.inFlight.size };
  }

  /** Waiting jobs of each model's queue (for the metrics); `models`: the configured ones. */
  async waitingByModel(models: string[]): Promise<Record<string, number>> {
    const counts = await Promise.all(models.map((model) => this.queue(model).getJobCounts("wait", "prioritized")));
    return Object.fromEntries(models.map((model, i) => [model, counts[i].wait + counts[i].prioritized]));
  }

  async servedModels(): Promise<Set<string>> {
    return this.reach(() => this.workers.models());
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    for (const reader of this.idleReaders.splice(0)) reader.disconnect();
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }

  /** Redis (or the store) unreachable becomes a 503 in OpenAI's shape. */
  private async reach<T>(work: () => Promise<T>, what = "queue"): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ApiError) throw error;
      this.logger.warn({ err: error }, `queue: the ${what} is unreachable`);
      throw errors.backendUnavailable(what === "store" ? "database" : "job queue (Redis)");
    }
  }
}
