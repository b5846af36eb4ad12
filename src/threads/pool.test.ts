import { getEventListeners } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "../errors.js";
import { ThreadPool } from "./pool.js";

const pool = new ThreadPool(new URL("../../test/helpers/pool-worker.ts", import.meta.url), { name: "test", size: 2 });
beforeAll(() => pool.start());
afterAll(() => pool.close());

describe("ThreadPool", () => {
  it("runs tasks in worker threads and answers each with its own result", async () => {
    const results = await Promise.all([1, 2, 3, 4, 5].map((value) => pool.run({ do: "echo", value })));
    expect(results).toEqual([1, 2, 3, 4, 5]);
  });

  it("delivers a task's events in order, before its result", async () => {
    const seen: unknown[] = [];
    const result = await pool.run({ do: "events", count: 5 }, { onEvent: (event) => seen.push(event) });
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(result).toBe(5);
  });

  it("brings an ApiError back as the same refusal", async () => {
    const error = await pool.run<never>({ do: "refuse" }).catch((e: ApiError) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.toJSON().error).toMatchObject({ param: "size", code: "invalid_value" });
  });

  it("tells a running task it was aborted, and drops a waiting one", async () => {
    const controller = new AbortController();
    const { signal } = controller;
    const tasks = [pool.run({ do: "until-aborted" }, { signal }), pool.run({ do: "until-aborted" }, { signal }), pool.run({ do: "echo", value: "never" }, { signal })];
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pool.stats).toMatchObject({ busy: 2, waiting: 1 });
    controller.abort();
    const outcomes = await Promise.allSettled(tasks);
    expect(outcomes.map((outcome) => outcome.status === "rejected" && outcome.reason.name)).toEqual(["AbortError", "AbortError", "AbortError"]);
    expect(await pool.run({ do: "echo", value: "after" })).toBe("after");
  });

  it("lets go of a signal's listener when the task ends: one signal can serve many tasks", async () => {
    const { signal } = new AbortController();
    for (let i = 0; i < 20; i++) await pool.run({ do: "echo", value: i }, { signal });
    await pool.run<never>({ do: "refuse" }, { signal }).catch(() => undefined);
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
  });

  it("terminates a task past its budget and replaces the worker", async () => {
    const error = await pool.run<never>({ do: "spin", ms: 5_000 }, { timeoutMs: 100 }).catch((e: Error) => e);
    expect(error.name).toBe("TimeoutError");
    expect(await pool.run({ do: "echo", value: "still here" })).toBe("still here");
    expect(pool.stats.size).toBe(2);
  });

  it("fails only the task of a worker that dies, and keeps serving", async () => {
    const [dead, alive] = await Promise.allSettled([pool.run({ do: "exit" }), pool.run({ do: "echo", value: "ok" })]);
    expect(dead.status).toBe("rejected");
    expect(alive).toEqual({ status: "fulfilled", value: "ok" });
    expect(await Promise.all([pool.run({ do: "echo", value: 1 }), pool.run({ do: "echo", value: 2 })])).toEqual([1, 2]);
  });
});
