// Background responses in the shared mode. The API node that accepts one
// saves it and puts a job on its image model's queue; a worker runs it
// (ResponsesService.run, as the single process does), stores each state, and
// appends its events to a Redis stream that any API node can follow. So the
// response finishes and is stored even if the API node that accepted it
// dies, and it can be followed or cancelled through any node. A response that
// calls no image tool has nothing to wait for and runs on the accepting node.
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { BackgroundRuns, EventSender } from "../responses/runs.js";
import type { PreparedResponse, ResponseEvent, ResponsesService } from "../responses/service.js";
import type { StoredResponse } from "../responses/store.js";
import type { Plan } from "../responses/planner.js";
import type { ResponseObject } from "../responses/types.js";
import type { ResponseRequest } from "../responses/request.js";
import type { ModelCatalog } from "../models/registry.js";
import type { JobBlobs } from "../store/store.js";
import { ResponseEventLog } from "./events.js";
import { fromJobData, toJobData, type ImageJobData } from "./job-data.js";
import { connect, type Keys, type RedisSettings } from "./redis.js";

const POLL_MS = 2_000;
/** How long a cancel waits for the worker to stop the response and store it. */
const CANCEL_WAIT_MS = 30_000;
/** After this long an unfinished foreground response has lost its client and its node. */
const FOREGROUND_LIMIT_SECONDS = 3600;
const TERMINAL = new Set(["response.completed", "response.failed", "response.incomplete"]);

export interface ResponseJobData {
  kind: "response";
  owner: string;
  response: ResponseObject;
  plan: Plan;
  plannerUsage: PreparedResponse["plannerUsage"];
  store: boolean;
  image: ImageJobData;
}

/** What the API node needs of the queue to hand responses to workers. */
export interface ResponseQueues {
  queueFor(model: string): Queue;
  queueNamed(name: string): Queue;
  /** Throws (429, 503) when a job of this model would not be taken now. */
  admit(model: string): Promise<void>;
}

export class ClusterRuns implements BackgroundRuns {
  /** Text-only responses running on this node, by id. */
  private readonly local = new Map<string, { controller: AbortController; done: Promise<void> }>();

  constructor(
    private readonly service: ResponsesService,
    private readonly queues: ResponseQueues,
    private readonly redis: Redis,
    private readonly settings: RedisSettings,
    private readonly keys: Keys,
    private readonly blobs: JobBlobs,
    private readonly attempts: number,
    private readonly logger: Logger,
  ) {}

  async start(prepared: PreparedResponse, settled: (response?: ResponseObject) => void): Promise<void> {
    const id = prepared.response.id;
    const log = new ResponseEventLog(this.redis, this.keys.responseEvents(id));
    if (!prepared.imageRequest) {
      const controller = new AbortController();
      const done = runResponse(this.service, prepared, log, controller.signal).then(settled, () => settled());
      this.local.set(id, { controller, done });
      void done.finally(() => this.local.delete(id));
      return;
    }
    const model = prepared.imageRequest.model.id;
    try {
      await this.queues.admit(model);
    } catch (error) {
      // As in the single process, a background response is accepted and then fails when its job finds no room.
      await this.service.markFailed(prepared, error);
      settled();
      return;
    }
    const queue = this.queues.queueFor(model);
    let blobs: string[] = [];
    try {
      const written = await toJobData(prepared.imageRequest, this.blobs, true);
      blobs = written.blobs;
      const data: ResponseJobData = { kind: "response", owner: prepared.owner, response: prepared.response, plan: prepared.plan, plannerUsage: prepared.plannerUsage, store: prepared.request.store, image: written.data };
      await this.redis.set(this.keys.responseQueue(id), queue.name, "EX", 86_400);
      await queue.add("response", data, { jobId: id, attempts: this.attempts, removeOnComplete: true, removeOnFail: { age: 3600 } });
    } catch (error) {
      // Saved as queued, but nothing will run it: say so in the store, and answer the error.
      await this.service.markFailed(prepared, error).catch(() => undefined);
      await this.blobs.delete(blobs).catch(() => undefined);
      throw error;
    }
    // The usage this node reserved is settled when the response ends; if this node dies first, the reservation stays counted.
    let final: ResponseObject | undefined;
    void this.follow(id, prepared.owner, -1, async (event) => {
      if (TERMINAL.has(event.type)) final = (event as { response?: ResponseObject }).response;
    }, new AbortController().signal)
      .catch((error) => this.logger.warn({ err: error, response_id: id }, "responses: lost track of a background response"))
      .finally(() => {
        settled(final?.status === "completed" ? final : undefined);
        void this.blobs.delete(blobs).catch(() => undefined);
      });
  }

  async follow(id: string, _owner: string, startingAfter: number, send: EventSender, signal: AbortSignal): Promise<boolean> {
    if (!(await this.redis.exists(this.keys.responseEvents(id))) && !(await this.jobAlive(id))) return false;
    // A blocking read holds its connection: one per follower, closed when it ends.
    const connection = connect(this.settings, undefined, true);
    const stop = () => connection.disconnect();
    signal.addEventListener("abort", stop, { once: true });
    const reader = new ResponseEventLog(this.redis, this.keys.responseEvents(id)).reader(connection);
    let last = startingAfter;
    try {
      while (!signal.aborted) {
        const { events, ended } = await reader.next(POLL_MS);
        for (const event of events) {
          // A response run again after its worker died repeats its events: each sequence number goes out once.
          const sequence = event.sequence_number as number;
          if (sequence <= last) continue;
          last = sequence;
          await send(event as ResponseEvent);
        }
        if (ended) return true;
        if (events.length === 0 && !(await this.jobAlive(id)) && !this.local.has(id)) {
          const rest = await reader.next(0);
          for (const event of rest.events) if ((event.sequence_number as number) > last) await send(event as ResponseEvent);
          return true;
        }
      }
      return true;
    } catch (error) {
      if (signal.aborted) return true;
      throw error;
    } finally {
      signal.removeEventListener("abort", stop);
      connection.disconnect();
    }
  }

  async cancel(record: StoredResponse): Promise<boolean> {
    const id = record.response.id;
    const local = this.local.get(id);
    if (local) {
      local.controller.abort();
      await local.done;
      return true;
    }
    const queue = await this.queueOf(id);
    if (!queue) return false;
    // Still waiting: taken off the queue, and marked here.
    if (await queue.remove(id).catch(() => 0)) {
      await this.service.markCancelled(record);
      return true;
    }
    const state = await queue.getJobState(id);
    if (state !== "active" && state !== "waiting" && state !== "delayed" && state !== "prioritized") return false;
    await this.redis.multi().set(this.keys.cancelled(id), "1", "EX", 3600).publish(this.keys.cancelChannel, id).exec();
    const deadline = Date.now() + CANCEL_WAIT_MS;
    while (Date.now() < deadline && (await this.jobAlive(id))) await new Promise((resolve) => setTimeout(resolve, 50));
    return true;
  }

  async running(record: StoredResponse): Promise<boolean> {
    // A foreground response runs on the API node that holds its client, which this node cannot see:
    // it is taken for running until an hour has passed (no client waits that long).
    if (!record.response.background) return Date.now() / 1000 - record.response.created_at < FOREGROUND_LIMIT_SECONDS;
    return this.local.has(record.response.id) || (await this.jobAlive(record.response.id));
  }

  async drain(): Promise<void> {
    await Promise.all([...this.local.values()].map((run) => run.done));
  }

  private async queueOf(id: string): Promise<Queue | undefined> {
    const name = await this.redis.get(this.keys.responseQueue(id));
    return name ? this.queues.queueNamed(name) : undefined;
  }

  /** Whether the response's job waits or runs on some worker. */
  private async jobAlive(id: string): Promise<boolean> {
    const queue = await this.queueOf(id);
    if (!queue) return false;
    const state = await queue.getJobState(id);
    return state === "active" || state === "waiting" || state === "delayed" || state === "prioritized" || state === "waiting-children";
  }
}

/** Runs a prepared response, appending its events to the log and closing it at the end, whatever happens. */
export async function runResponse(service: ResponsesService, prepared: PreparedResponse, log: ResponseEventLog, signal: AbortSignal): Promise<ResponseObject> {
  let appended = Promise.resolve();
  try {
    return await service.run(prepared, (event) => (appended = appended.then(() => log.append(event))), signal);
  } finally {
    await appended.catch(() => undefined);
    await log.append("end");
  }
}

/** A response job's data as the PreparedResponse the service runs (it was checked, planned and saved by the API node). */
export async function preparedFromJob(data: ResponseJobData, models: ModelCatalog, blobs: JobBlobs): Promise<PreparedResponse> {
  return {
    request: { store: data.store } as ResponseRequest,
    owner: data.owner,
    response: data.response,
    inputItems: [],
    plan: data.plan,
    imageRequest: await fromJobData(data.image, models, blobs),
    plannerUsage: data.plannerUsage,
  };
}
