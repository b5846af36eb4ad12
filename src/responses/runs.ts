// Background responses while they run: each can be cancelled, and its events
// followed by GET /v1/responses/{id}?stream=true (from the start, or after a
// sequence number). Finished responses are replayed from the store
// (replayEvents). LocalRuns runs them in this process, and the server waits
// for them on shutdown; the shared mode runs them on workers
// (src/cluster/responses.ts).
import type { Logger } from "pino";
import type { PreparedResponse, ResponseEvent, ResponsesService } from "./service.js";
import type { StoredResponse } from "./store.js";
import type { ResponseObject } from "./types.js";

export type EventSender = (event: ResponseEvent) => Promise<void>;

export interface BackgroundRuns {
  /** Runs a saved background response to its end; `settled` gets it once completed (nothing when it failed or was cancelled). */
  start(prepared: PreparedResponse, settled: (response?: ResponseObject) => void): Promise<void>;
  /** Sends the events of a running response after `startingAfter` until it ends or `signal` aborts; false when it is not running. */
  follow(id: string, owner: string, startingAfter: number, send: EventSender, signal: AbortSignal): Promise<boolean>;
  /** Stops a running response and resolves once its final state is stored; false when it was not running. */
  cancel(record: StoredResponse): Promise<boolean>;
  /** Whether an unfinished stored response is still running somewhere (false: a stopped process left it). */
  running(record: StoredResponse): Promise<boolean>;
  /** Resolves once the responses this process runs have finished (and been stored). */
  drain(): Promise<void>;
}

export class LocalRuns implements BackgroundRuns {
  private readonly runs = new LiveRuns();

  constructor(private readonly service: ResponsesService, private readonly logger: Logger) {}

  async start(prepared: PreparedResponse, settled: (response?: ResponseObject) => void): Promise<void> {
    const run = this.runs.begin(prepared.response.id, prepared.owner);
    const task = this.service.run(prepared, (event) => run.emit(event), run.controller.signal);
    task.then(settled, () => settled());
    task.catch((error) => {
      if (!run.controller.signal.aborted) this.logger.warn({ err: error, response_id: prepared.response.id }, "background response failed");
    });
    this.runs.track(run, task);
  }

  async follow(id: string, owner: string, startingAfter: number, send: EventSender, signal: AbortSignal): Promise<boolean> {
    const run = this.runs.get(id, owner);
    if (!run) return false;
    await new Promise<void>((resolve) => {
      let writing = Promise.resolve();
      const stop = run.follow(startingAfter, (event: ResponseEvent | null) => {
        writing = writing.then(() => (event ? send(event) : resolve()));
      });
      signal.addEventListener("abort", () => {
        stop();
        resolve();
      });
    });
    return true;
  }

  async cancel(record: StoredResponse): Promise<boolean> {
    const run = this.runs.get(record.response.id, record.owner);
    if (!run) return false;
    run.controller.abort();
    await run.done;
    return true;
  }

  async running(record: StoredResponse): Promise<boolean> {
    return this.runs.get(record.response.id, record.owner) !== undefined;
  }

  drain(): Promise<void> {
    return this.runs.drain();
  }
}

type Listener = (event: ResponseEvent | null) => void;

export class LiveRun {
  readonly controller = new AbortController();
  readonly events: ResponseEvent[] = [];
  private readonly listeners = new Set<Listener>();
  finished = false;
  /** Settles when the run has ended and its final state is stored. */
  done: Promise<void> = Promise.resolve();

  constructor(readonly id: string, readonly owner: string) {}

  emit(event: ResponseEvent): void {
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
  }

  finish(): void {
    this.finished = true;
    for (const listener of this.listeners) listener(null);
    this.listeners.clear();
  }

  /** Every event after `startingAfter` so far, then each new one, then null at the end. */
  follow(startingAfter: number, listener: Listener): () => void {
    for (const event of this.events) if (event.sequence_number > startingAfter) listener(event);
    if (this.finished) {
      listener(null);
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export class LiveRuns {
  private readonly runs = new Map<string, LiveRun>();

  begin(id: string, owner: string): LiveRun {
    const run = new LiveRun(id, owner);
    this.runs.set(id, run);
    return run;
  }

  /** Registers the task that runs `run`; it is forgotten when the task settles. */
  track(run: LiveRun, task: Promise<unknown>): void {
    run.done = task.then(
      () => undefined,
      () => undefined,
    ).finally(() => {
      run.finish();
      this.runs.delete(run.id);
    });
  }

  get(id: string, owner: string): LiveRun | undefined {
    const run = this.runs.get(id);
    return run && run.owner === owner ? run : undefined;
  }

  /** Resolves once every running response has finished (and been stored). */
  async drain(): Promise<void> {
    await Promise.all([...this.runs.values()].map((run) => run.done));
  }
}

/**
 * The events of a finished response, rebuilt from what was stored (partial
 * images are not kept, so they are not replayed).
 */
export function replayEvents(response: ResponseObject): ResponseEvent[] {
  const events: ResponseEvent[] = [];
  const emit = (type: string, fields: Record<string, unknown>) => events.push({ type, ...fields, sequence_number: events.length });
  const { usage: _usage, ...rest } = structuredClone(response);
  const opening = { ...rest, status: "in_progress", output: [], completed_at: null, error: null };
  emit("response.created", { response: opening });
  emit("response.in_progress", { response: opening });
  response.output.forEach((item, output_index) => {
    if (item.type === "image_generation_call") {
      emit("response.output_item.added", { output_index, item: { id: item.id, type: item.type, status: "in_progress", result: null } });
      emit("response.image_generation_call.in_progress", { output_index, item_id: item.id });
      emit("response.image_generation_call.generating", { output_index, item_id: item.id });
      if (item.status === "completed") emit("response.image_generation_call.completed", { output_index, item_id: item.id });
      emit("response.output_item.done", { output_index, item });
      return;
    }
    emit("response.output_item.added", { output_index, item: { ...item, status: "in_progress", content: [] } });
    item.content.forEach((part, content_index) => {
      if (part.type !== "output_text") return;
      const common = { item_id: item.id, output_index, content_index };
      emit("response.content_part.added", { ...common, part: { ...part, text: "" } });
      emit("response.output_text.delta", { ...common, delta: part.text, logprobs: [] });
      emit("response.output_text.done", { ...common, text: part.text, logprobs: [] });
      emit("response.content_part.done", { ...common, part });
    });
    emit("response.output_item.done", { output_index, item });
  });
  const last = response.status === "completed" ? "response.completed" : response.status === "incomplete" ? "response.incomplete" : "response.failed";
  if (response.status !== "cancelled") emit(last, { response });
  return events;
}
