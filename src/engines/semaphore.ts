// A small counting semaphore: at most `limit` holders at once, waiters served
// in order, and a waiter whose signal aborts leaves the line.
import { abortError } from "../queue.js";

export class Semaphore {
  private active = 0;
  private readonly waiting: { grant: () => void }[] = [];

  constructor(readonly limit: number) {}

  get inUse(): number {
    return this.active;
  }

  /** Resolves with a release function once a slot is free; rejects if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortError());
    return new Promise((resolve, reject) => {
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        this.active--;
        this.waiting.shift()?.grant();
      };
      const entry = {
        grant: () => {
          signal?.removeEventListener("abort", onAbort);
          this.active++;
          resolve(release);
        },
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(entry);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(abortError());
      };
      if (this.active < this.limit) return entry.grant();
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(entry);
    });
  }
}
