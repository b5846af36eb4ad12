// A bounded in-process job queue: at most `concurrency` jobs run at once, at
// most `limit` wait; beyond that callers get 429 with a Retry-After estimate.
// A job whose signal aborts while waiting leaves the queue without running.
import { errors } from "./errors.js";
import { metrics } from "./metrics.js";

interface Waiting {
  start: () => void;
  cancel: () => void;
}

export class JobQueue {
  private running = 0;
  private readonly waiting: Waiting[] = [];
  private closed = false;
  /** Moving average of job run time, for Retry-After. */
  private averageMs = 1000;

  constructor(readonly concurrency: number, readonly limit: number) {}

  get stats() {
    return { running: this.running, waiting: this.waiting.length, concurrency: this.concurrency, limit: this.limit };
  }

  /** Seconds until a slot is likely free, rounded up, at least 1. */
  retryAfterSeconds(): number {
    const ahead = this.waiting.length + this.running;
    return Math.max(1, Math.ceil((ahead * this.averageMs) / this.concurrency / 1000));
  }

  /** Runs `task` when a slot is free. Rejects at once when the queue is full or closed. */
  run<T>(task: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
    if (this.closed) return Promise.reject(errors.shuttingDown());
    if (signal.aborted) return Promise.reject(abortError());
    if (this.running >= this.concurrency && this.waiting.length >= this.limit) {
      metrics.rateLimited.inc({ reason: "queue", key: "" });
      return Promise.reject(errors.busy(this.retryAfterSeconds()));
    }
    return new Promise<T>((resolve, reject) => {
      const execute = () => {
        signal.removeEventListener("abort", onAbort);
        this.running++;
        const started = performance.now();
        task(signal)
          .then(resolve, reject)
          .finally(() => {
            this.averageMs = 0.8 * this.averageMs + 0.2 * (performance.now() - started);
            this.running--;
            this.next();
          });
      };
      const entry: Waiting = { start: execute, cancel: () => reject(abortError()) };
      const onAbort = () => {
        const index = this.waiting.indexOf(entry);
        if (index >= 0) {
          this.waiting.splice(index, 1);
          entry.cancel();
        }
      };
      if (this.running < this.concurrency) return execute();
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  private next(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) this.waiting.shift()!.start();
    if (this.running === 0 && this.waiting.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private readonly idleWaiters: (() => void)[] = [];

  /** Stops taking new jobs and resolves once every accepted job has finished. */
  close(): Promise<void> {
    this.closed = true;
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}

export function abortError(): Error {
  const error = new Error("The job was cancelled.");
  error.name = "AbortError";
  return error;
}
