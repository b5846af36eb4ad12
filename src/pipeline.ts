// The image pipeline, the same for every endpoint, in the order it runs:
//   1. moderate the prompt
//   2. wait for a slot in the job queue (of this process, or of a worker)
//   3. moderate the input pictures, then run the engine, moderating and
//      encoding partial frames as they arrive
//   4. moderate and encode the final pictures
//   5. count usage
import type { RawImage, ReportedUsage } from "./engines/engine.js";
import { errors } from "./errors.js";
import { encodeImage, type EncodeOptions } from "./imaging/encode.js";
import { metrics } from "./metrics.js";
import { moderatePictures } from "./moderation/picture.js";
import { moderatePrompt } from "./moderation/prompt.js";
import type { PictureStage } from "./moderation/verdict.js";
import type { JobQueue } from "./queue.js";
import type { ImageRequest } from "./request-model.js";
import type { BackgroundRuns } from "./responses/runs.js";
import type { ResponsesService } from "./responses/service.js";
import { imageUsage, type ImagesUsage } from "./usage.js";

export interface ImagesResult {
  created: number;
  /** Encoded pictures, in order. */
  images: Buffer[];
  /** GPT image models only. */
  usage?: ImagesUsage;
  /** Time spent rendering and encoding in the engine's queue slot, for the server-overhead figures. */
  renderMs: number;
  /** The engine's plan, when the request asked for it (null: the engine does not explain). */
  explain?: Record<string, unknown> | null;
}

/** Called with each encoded partial picture, in order; may wait (for a slow client). */
export type PartialListener = (bytes: Buffer, index: number) => Promise<void> | void;

/** Where jobs run: in this process (LocalImageQueue), or on workers of the shared mode (src/cluster/). */
export interface ImageQueue {
  /** Runs the request's job once there is room for it; refuses at once (429) when there is none. */
  submit(request: ImageRequest, signal: AbortSignal, onPartial?: PartialListener): Promise<ImagesResult>;
  /** Throws what `submit` would throw at once for a job of this model, before a stream opens. */
  admit(model: string): Promise<void>;
  /** For /health: how full the queue is; throws when it cannot be reached. */
  stats(): Promise<Record<string, unknown>>;
  /** Stops taking jobs and resolves once the accepted ones have finished. */
  close(): Promise<void>;
  /** The shared mode: the models some live worker serves now. */
  servedModels?(): Promise<Set<string>>;
  /** The shared mode: background responses run on workers, followed and cancelled from any API node. */
  backgroundRuns?(service: ResponsesService): BackgroundRuns;
}

/** The pipeline as an endpoint runs it: moderate the prompt, then the queue runs the rest. */
export async function createImages(request: ImageRequest, queue: ImageQueue, signal: AbortSignal, onPartial?: PartialListener): Promise<ImagesResult> {
  // 1. Moderation reads the prompt the engine will draw, before any work is queued.
  if (request.job.prompt && moderatePrompt(request.job.prompt, request.moderation).flagged) {
    metrics.moderationBlocked.inc({ stage: "prompt" });
    throw errors.moderationBlocked();
  }
  return queue.submit(request, signal, onPartial);
}

/** Steps 3 to 5, where the engine is: in a queue slot of this process or of a worker. */
export async function renderImages(request: ImageRequest, jobSignal: AbortSignal, onPartial?: PartialListener): Promise<ImagesResult> {
  const { job } = request;
  const encoding = { format: request.outputFormat, compression: request.compression, alpha: job.background === "transparent" };
  const judge = request.moderatePictures
    ? (pictures: RawImage[], stage: PictureStage, abort?: AbortSignal) => moderatePictures(pictures, request.moderation, stage, abort)
    : async () => {};
  if (job.images.length > 0) await judge(job.images, "input", jobSignal);

  const engine = request.model.engine();
  const started = performance.now();
  // 3. Partial frames are judged and encoded in order while the engine goes on; a refused one stops the engine.
  const refused = new AbortController();
  let partialsSent = 0;
  let partials: Promise<void> = Promise.resolve();
  const sendPartial = (frame: RawImage, index: number) => {
    partials = partials.then(async () => {
      if (jobSignal.aborted) return;
      await judge([frame], "partial", jobSignal).catch((error) => {
        refused.abort();
        throw error;
      });
      await onPartial!(await timedEncode(frame, encoding), index);
      partialsSent++;
      metrics.partialFrames.inc({ model: job.model });
    });
  };
  let reported: ReportedUsage | undefined;
  let frames: RawImage[];
  try {
    frames = await engine.run(job, {
      signal: AbortSignal.any([jobSignal, refused.signal]),
      onPartial: onPartial && job.partialImages > 0 ? sendPartial : undefined,
      onUsage: (usage) => (reported = usage),
    });
  } catch (error) {
    // A refused partial image is why the engine stopped: that refusal is the answer.
    await partials;
    throw error;
  } finally {
    // Partial frames already reported go out first, even when the engine then fails: the failure follows them.
    await partials.catch(() => {});
  }
  await partials;
  metrics.renderSeconds.observe({ model: job.model, engine: engine.name }, (performance.now() - started) / 1000);

  // 4. Judge, then encode, every picture; the queue slot is held until they are ready.
  await judge(frames, "output", jobSignal);
  const images = await Promise.all(frames.map((frame) => timedEncode(frame, encoding)));

  // 5. Usage, for the families that report it: the engine's own count when it has one.
  const usage = request.model.family.usage ? (reported ? withDetails(reported) : await imageUsage(job, partialsSent)) : undefined;
  if (usage) countTokens(usage);
  // The engine's plan, when the client asked for it (Easel's `explain` extension).
  const explain = request.explain ? ((await engine.explain?.(job)) ?? null) : undefined;
  return { created: Math.floor(Date.now() / 1000), images, usage, renderMs: performance.now() - started, ...(explain !== undefined ? { explain } : {}) };
}

/** Runs jobs in this process, in the slots of a bounded JobQueue. */
export class LocalImageQueue implements ImageQueue {
  constructor(readonly slots: JobQueue) {}

  submit(request: ImageRequest, signal: AbortSignal, onPartial?: PartialListener): Promise<ImagesResult> {
    const queued = performance.now();
    return this.slots.run((jobSignal) => {
      metrics.queueWaitSeconds.observe((performance.now() - queued) / 1000);
      return renderImages(request, jobSignal, onPartial);
    }, signal);
  }

  async admit(): Promise<void> {
    const { running, waiting, concurrency, limit } = this.slots.stats;
    if (running >= concurrency && waiting >= limit) throw errors.busy(this.slots.retryAfterSeconds());
  }

  async stats(): Promise<Record<string, unknown>> {
    return this.slots.stats;
  }

  close(): Promise<void> {
    return this.slots.close();
  }
}

async function timedEncode(frame: RawImage, encoding: EncodeOptions): Promise<Buffer> {
  const started = performance.now();
  const bytes = await encodeImage(frame, encoding);
  metrics.encodeSeconds.observe({ format: encoding.format }, (performance.now() - started) / 1000);
  return bytes;
}

function countTokens(usage: ImagesUsage): void {
  metrics.tokens.inc({ kind: "input_text" }, usage.input_tokens_details.text_tokens);
  metrics.tokens.inc({ kind: "input_image" }, usage.input_tokens_details.image_tokens);
  metrics.tokens.inc({ kind: "output" }, usage.output_tokens);
}

/** OpenAI's usage always has input_tokens_details; an engine's report may lack it. */
function withDetails(usage: ReportedUsage): ImagesUsage {
  return { ...usage, input_tokens_details: usage.input_tokens_details ?? { text_tokens: usage.input_tokens, image_tokens: 0 } };
}
