import { describe, expect, it } from "vitest";
import { ApiError } from "./errors.js";
import { JobQueue } from "./queue.js";

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe("JobQueue", () => {
  it("runs at most `concurrency` jobs and refuses beyond the limit", async () => {
    const queue = new JobQueue(1, 1);
    const gate = deferred();
    const signal = new AbortController().signal;
    const first = queue.run(() => gate.promise.then(() => 1), signal);
    const second = queue.run(async () => 2, signal);
    expect(queue.stats).toMatchObject({ running: 1, waiting: 1 });
    await expect(queue.run(async () => 3, signal)).rejects.toMatchObject({ status: 429, headers: { "retry-after": expect.any(String) } });
    gate.resolve();
    expect(await first).toBe(1);
    expect(await second).toBe(2);
  });

  it("removes a waiting job whose signal aborts", async () => {
    const queue = new JobQueue(1, 5);
    const gate = deferred();
    const first = queue.run(() => gate.promise, new AbortController().signal);
    const controller = new AbortController();
    let ran = false;
    const second = queue.run(async () => void (ran = true), controller.signal);
    controller.abort();
    await expect(second).rejects.toMatchObject({ name: "AbortError" });
    expect(queue.stats.waiting).toBe(0);
    gate.resolve();
    await first;
    expect(ran).toBe(false);
  });

  it("close() waits for accepted jobs and refuses new ones", async () => {
    const queue = new JobQueue(1, 5);
    const gate = deferred();
    const signal = new AbortController().signal;
    const job = queue.run(() => gate.promise, signal);
    let closed = false;
    const closing = queue.close().then(() => (closed = true));
    await expect(queue.run(async () => 1, signal)).rejects.toBeInstanceOf(ApiError);
    expect(closed).toBe(false);
    gate.resolve();
    await job;
    await closing;
    expect(closed).toBe(true);
  });
});
