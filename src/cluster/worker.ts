// The worker's side of the shared queue: it loads its models, takes jobs
// only from their queues, runs each through the same pipeline as the single
// process (renderImages), and sends partial images and pictures back on the
// job's event stream. BullMQ renews each job's lock while it runs; a worker
// that dies stops renewing, and another worker takes the job again. SIGTERM
// lets the running jobs finish and takes no new ones.
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { UnrecoverableError, WaitingError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { ApiError, errors } from "../errors.js";
import type { ModelCatalog, ModelRegistry } from "../models/registry.js";
import { JobQueue } from "../queue.js";
import type { JobBlobs } from "../store/store.js";
import type { Config } from "../config.js";
import { LocalImageQueue, renderImages } from "../pipeline.js";
import { createPlanner } from "../responses/chat-planner.js";
import { ResponsesService } from "../responses/service.js";
import type { ResponsesStore } from "../responses/store.js";
import { EventWriter, ResponseEventLog, type JobEvent } from "./events.js";
import { preparedFromJob, runResponse, type ResponseJobData } from "./responses.js";
import { fromJobData, type ImageJobData } from "./job-data.js";
import { connect, type Keys, type RedisSettings } from "./redis.js";
import { beat, HEARTBEAT_MS, leave, type WorkerInfo } from "./workers.js";

export interface WorkerOptions {
  config: Config;
  registry: ModelRegistry;
  /** Where background responses run here are stored. */
  responses: ResponsesStore;
  /** The models this worker serves (loaded before it takes any job). */
  models: string[];
  blobs: JobBlobs;
  settings: RedisSettings;
  keys: Keys;
  concurrency: number;
  /** A job whose lock is not renewed for this long is taken for abandoned. */
  lockMs: number;
  logger: Logger;
}

export class ClusterWorker {
  readonly id = `worker_${randomBytes(6).toString("hex")}`;
  private readonly workers: Worker[] = [];
  private readonly running = new Map<string, AbortController>();
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  readonly slots: JobQueue;
  private readonly catalog: ModelCatalog;
  /** Runs background responses, drawing their pictures in this worker's slots. */
  private readonly service: ResponsesService;
  private heartbeat?: NodeJS.Timeout;
  /** Jobs this worker finished, and attempts that failed here (for /health). */
  private completed = 0;
  private closing = false;
  private failed = 0;

  constructor(private readonly options: WorkerOptions) {
    this.redis = connect(options.settings, options.logger, true);
    this.subscriber = connect(options.settings, options.logger, true);
    this.slots = new JobQueue(options.concurrency, Number.MAX_SAFE_INTEGER);
    this.catalog = options.registry.only(options.models);
    const { config, responses, logger } = options;
    this.service = new ResponsesService({ config, queue: new LocalImageQueue(this.slots), store: responses, planner: createPlanner(config, logger), logger });
  }

  get stats() {
    return { id: this.id, models: this.options.models, running: this.running.size, concurrency: this.options.concurrency, completed: this.completed, failed: this.failed };
  }

  /** Loads the models, then starts taking jobs and announcing itself. */
  async start(): Promise<void> {
    const { registry, models, settings, keys, concurrency, lockMs, logger } = this.options;
    for (const model of models) await registry.get(model)?.engine().load?.();
    await this.subscriber.subscribe(keys.cancelChannel);
    this.subscriber.on("message", (_channel, jobId: string) => this.running.get(jobId)?.abort());
    for (const model of models) {
      const worker = new Worker(keys.queueName(model), (job, token) => this.take(job, token), {
        connection: connect(settings, logger, true),
        prefix: keys.prefix,
        concurrency,
        lockDuration: lockMs,
        // A dead worker's job is found at most a quarter of the lock after its lock runs out.
        stalledInterval: Math.max(250, Math.round(lockMs / 4)),
        maxStalledCount: 1,
      });
      worker.on("error", (error) => logger.warn({ err: error }, "worker: redis error"));
      this.workers.push(worker);
    }
    const info: WorkerInfo = { id: this.id, models, concurrency, host: hostname(), pid: process.pid };
    const announce = () => beat(this.redis, keys, info).catch((error) => logger.warn({ err: error }, "worker: heartbeat not written"));
    await announce();
    this.heartbeat = setInterval(announce, HEARTBEAT_MS);
    this.heartbeat.unref();
    logger.info({ worker: this.id, models, concurrency }, "worker: taking jobs");
  }

  /**
   * Each model's BullMQ worker fetches on its own, but this process runs only
   * `concurrency` jobs at once: when all are busy it stops fetching, and a
   * job fetched meanwhile goes back to the queue for an idle worker, rather
   * than wait here behind another model's job.
   */
  private async take(job: Job, token: string | undefined): Promise<void> {
    if (this.running.size >= this.options.concurrency) {
      await job.moveToWait(token);
      throw new WaitingError();
    }
    const controller = new AbortController();
    this.running.set(job.id!, controller);
    if (this.running.size >= this.options.concurrency) await this.fetching(false);
    try {
      if (job.name === "response") await this.respond(job as Job<ResponseJobData>, controller);
      else await this.process(job as Job<ImageJobData>, controller);
    } finally {
      this.running.delete(job.id!);
      if (!this.closing) await this.fetching(true);
    }
  }

  /** Pauses or resumes fetching on every model's queue. */
  private async fetching(on: boolean): Promise<void> {
    await Promise.all(this.workers.map((worker) => (on ? (worker.isPaused() ? worker.resume() : undefined) : worker.pause(true))));
  }

  private async process(job: Job<ImageJobData>, controller: AbortController): Promise<void> {
    const { keys, blobs, logger } = this.options;
    const id = job.id!;
    const events = new EventWriter(this.redis, keys.events(id));
    try {
      if (await this.redis.exists(keys.cancelled(id))) throw new UnrecoverableError("the client went away before the job started");
      const request = await fromJobData(job.data, this.catalog, blobs);
      const result = await this.slots.run(
        (signal) => renderImages(request, signal, job.data.partials ? (bytes, index) => events.send({ kind: "partial", index, bytes }) : undefined),
        controller.signal,
      );
      for (const [index, bytes] of result.images.entries()) await events.send({ kind: "picture", index, bytes });
      await events.send({ kind: "done", done: { created: result.created, count: result.images.length, usage: result.usage, renderMs: result.renderMs, explain: result.explain } });
      this.completed++;
    } catch (error) {
      this.failed++;
      if (controller.signal.aborted || error instanceof UnrecoverableError) throw new UnrecoverableError("cancelled: the client went away");
      // A refusal (moderation, a bad picture) would be refused again anywhere: it is the answer.
      if (error instanceof ApiError && error.status < 500) {
        await events.send(errorEvent(error));
        throw new UnrecoverableError(error.message);
      }
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      logger.error({ err: error, job: id, attempt: job.attemptsMade + 1, last }, "worker: job failed");
      if (last) await events.send(errorEvent(error instanceof ApiError ? error : errors.jobFailed()));
      throw error;
    }
  }

  /** A background response, run and stored here, its events appended for whoever follows it. */
  private async respond(job: Job<ResponseJobData>, controller: AbortController): Promise<void> {
    const { keys, blobs } = this.options;
    const id = job.id!;
    if (await this.redis.exists(keys.cancelled(id))) {
      await this.service.markCancelled({ owner: job.data.owner, response: job.data.response, inputItems: [] });
      return;
    }
    const log = new ResponseEventLog(this.redis, keys.responseEvents(id));
    let prepared;
    try {
      prepared = await preparedFromJob(job.data, this.catalog, blobs);
    } catch (error) {
      // Its model is not here or its input pictures are gone: no worker could run it.
      await this.service.markFailed({ owner: job.data.owner, response: job.data.response, inputItems: [] }, error);
      await log.append("end");
      throw new UnrecoverableError((error as Error).message);
    }
    // The service stores the response's end, failed or cancelled included: running it again would change nothing.
    await runResponse(this.service, prepared, log, controller.signal).catch(() => undefined);
    this.completed++;
  }

  /** Takes no new jobs, lets the running ones finish, and leaves the list of live workers. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeat);
    await Promise.all(this.workers.map((worker) => worker.close()));
    await leave(this.redis, this.options.keys, this.id).catch(() => undefined);
    await this.slots.close();
    this.subscriber.disconnect();
    this.redis.disconnect();
  }
}

function errorEvent(error: ApiError): JobEvent {
  return { kind: "error", error: { status: error.status, body: error.toJSON(), headers: error.headers } };
}
