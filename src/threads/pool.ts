// Work that would hold the event loop runs in worker threads: the compose
// engine's drawing, token counting and picture moderation. A pool keeps `size` workers, each
// running one task at a time; tasks wait in order for a free one. A task may
// send events back while it runs (partial pictures), be aborted (the worker
// hears it and stops at its next stage), or run past its time budget (the
// worker is terminated and replaced). A worker that dies fails only its own
// task. The worker side of the protocol is ./serve.ts.
import { Worker, type ResourceLimits, type TransferListItem } from "node:worker_threads";
import { abortError } from "../queue.js";
import { fromWire, type ToMain, type ToWorker } from "./protocol.js";

export interface PoolOptions {
  /** For logs and errors: "compose", "tokens". */
  name: string;
  size: number;
  /** Handed to every worker as `workerData`. */
  workerData?: unknown;
  /** Heap limits per worker: one that exceeds them dies, failing its task, and is replaced. */
  resourceLimits?: ResourceLimits;
}

export interface TaskOptions {
  signal?: AbortSignal;
  /** Past this, the worker is terminated and the task fails with a TimeoutError. */
  timeoutMs?: number;
  /** Buffers to move to the worker instead of copying. */
  transfer?: TransferListItem[];
  /** Events the task sends while it runs, in order. */
  onEvent?: (event: unknown) => void;
}

interface Task {
  id: number;
  payload: unknown;
  options: TaskOptions;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  /** Settles when the worker has loaded (or failed to). */
  started: Promise<void>;
  ready: boolean;
  /** Being terminated (its task ran past its budget): takes no more tasks. */
  retiring?: boolean;
  task?: Task;
  timer?: NodeJS.Timeout;
}

export class PoolTimeoutError extends Error {
  override name = "TimeoutError";
}

export class ThreadPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Task[] = [];
  private nextId = 1;
  private closed = false;
  /** Set when a worker fails to load: every task then fails with it, as a retry would. */
  private broken?: Error;

  constructor(private readonly entry: URL, private readonly options: PoolOptions) {}

  /** Starts the workers: the first alone (it may build caches the others then read), the rest together. */
  async start(): Promise<void> {
    if (this.slots.length > 0) return;
    this.slots.push(this.spawn());
    await this.slots[0].started;
    for (let i = 1; i < this.options.size; i++) this.slots.push(this.spawn());
    await Promise.all(this.slots.map((slot) => slot.started));
  }

  get stats() {
    return { size: this.options.size, busy: this.slots.filter((slot) => slot.task).length, waiting: this.waiting.length };
  }

  run<T>(payload: unknown, options: TaskOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`The ${this.options.name} threads are closed.`));
    if (this.broken) return Promise.reject(this.broken);
    if (options.signal?.aborted) return Promise.reject(abortError());
    if (this.slots.length === 0) void this.start().catch(() => {});
    return new Promise<T>((resolve, reject) => {
      const { signal } = options;
      // A signal outlives its tasks (a job's signal serves each of its pictures): each task takes its listener back when it settles.
      const onAbort = () => this.abort(task);
      const settle = () => signal?.removeEventListener("abort", onAbort);
      const task: Task = {
        id: this.nextId++,
        payload,
        options,
        resolve: (value) => (settle(), resolve(value as T)),
        reject: (error) => (settle(), reject(error)),
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(task);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.waiting.splice(0)) task.reject(new Error(`The ${this.options.name} threads are closed.`));
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = startWorker(this.entry, this.options);
    let started: () => void;
    let failed: (error: Error) => void;
    const slot: Slot = { worker, ready: false, started: new Promise<void>((resolve, reject) => ((started = resolve), (failed = reject))) };
    slot.started.catch((error: Error) => this.fail(error));
    worker.on("message", (message: ToMain) => {
      if (message.type === "ready") {
        slot.ready = true;
        worker.unref();
        started();
        this.dispatch();
      } else if (message.type === "start-failed") failed(fromWire(message.error));
      else this.answer(slot, message);
    });
    worker.on("error", (error) => (slot.ready ? undefined : failed(error)));
    worker.on("exit", (code) => this.lost(slot, code));
    // An idle worker does not keep the process alive; one that is loading or has a task does.
    return slot;
  }

  /** Gives waiting tasks to idle, ready workers. */
  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.waiting.length === 0) return;
      if (slot.task || !slot.ready || slot.retiring) continue;
      const task = this.waiting.shift()!;
      slot.task = task;
      slot.worker.ref();
      if (task.options.timeoutMs) slot.timer = setTimeout(() => this.timeOut(slot, task), task.options.timeoutMs);
      const message: ToWorker = { type: "run", id: task.id, payload: task.payload };
      slot.worker.postMessage(message, task.options.transfer ?? []);
    }
  }

  private answer(slot: Slot, message: ToMain): void {
    const task = slot.task;
    if (!task || !("id" in message) || message.id !== task.id) return;
    if (message.type === "event") {
      task.options.onEvent?.(message.event);
      return;
    }
    this.finish(slot);
    if (message.type === "done") task.resolve(message.result);
    else if (message.type === "failed") task.reject(fromWire(message.error));
  }

  private finish(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.task = undefined;
    slot.timer = undefined;
    slot.worker.unref();
    this.dispatch();
  }

  private abort(task: Task): void {
    const index = this.waiting.indexOf(task);
    if (index >= 0) {
      this.waiting.splice(index, 1);
      task.reject(abortError());
      return;
    }
    const slot = this.slots.find((s) => s.task === task);
    if (slot) slot.worker.postMessage({ type: "abort", id: task.id } satisfies ToWorker);
  }

  private timeOut(slot: Slot, task: Task): void {
    if (slot.task !== task) return;
    slot.task = undefined;
    slot.retiring = true;
    task.reject(new PoolTimeoutError(`The ${this.options.name} task ran past its ${task.options.timeoutMs} ms budget.`));
    void slot.worker.terminate();
  }

  /** A worker that could not load: the pool stops, failing what waits (the same load would fail again). */
  private fail(error: Error): void {
    if (this.broken || this.closed) return;
    this.broken = error;
    for (const task of this.waiting.splice(0)) task.reject(error);
    for (const slot of this.slots) void slot.worker.terminate();
  }

  /** A worker that exits fails its task (if any) and is replaced, unless the pool is closing or broken. */
  private lost(slot: Slot, code: number): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    clearTimeout(slot.timer);
    slot.task?.reject(new Error(`A ${this.options.name} worker thread stopped (exit code ${code}).`));
    slot.task = undefined;
    if (!slot.ready) this.fail(new Error(`A ${this.options.name} worker thread stopped while loading (exit code ${code}).`));
    if (this.closed || this.broken) return;
    this.slots[index] = this.spawn();
    this.dispatch();
  }
}

/** A module beside `moduleUrl` (a worker's entry): its .ts file when running from the sources (tests), its .js when built. */
export function siblingModule(moduleUrl: string, name: string): URL {
  return new URL(`./${name}${moduleUrl.endsWith(".ts") ? ".ts" : ".js"}`, moduleUrl);
}

/** One pool per process for a kind of work: created on first use (or by `start`), let go by `close`. */
export class SharedPool {
  private pool?: ThreadPool;

  constructor(private readonly entry: URL, private readonly options: PoolOptions) {}

  get(): ThreadPool {
    this.pool ??= new ThreadPool(this.entry, this.options);
    return this.pool;
  }

  start(): Promise<void> {
    return this.get().start();
  }

  async close(): Promise<void> {
    const closing = this.pool;
    this.pool = undefined;
    await closing?.close();
  }
}

/**
 * The built server runs the entry's .js file. The tests run the TypeScript
 * sources, which a worker cannot load by itself: there a small boot script
 * registers tsx's loader in the worker first.
 */
function startWorker(entry: URL, options: PoolOptions): Worker {
  const settings = { workerData: options.workerData, resourceLimits: options.resourceLimits, name: `easel-${options.name}` };
  if (!entry.pathname.endsWith(".ts")) return new Worker(entry, settings);
  const tsx = import.meta.resolve("tsx/esm/api");
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { ...settings, eval: true });
}
