import { afterEach, describe, expect, it } from "vitest";
import { ModelRegistry } from "../../src/models/registry.js";
import type { LocalImageQueue } from "../../src/pipeline.js";
import { GatedEngine } from "../helpers/gated-engine.js";
import { startServer, type TestServer } from "../helpers/server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
};

async function gatedServer(concurrency: number, queueLimit: number) {
  const engine = new GatedEngine();
  const models = { "gpt-image-1": { engine: "gated", family: "gpt-image" as const, options: {}, ownedBy: "easel" } };
  server = await startServer({ concurrency, queueLimit, models }, { parts: () => ({ registry: new ModelRegistry(models, { gated: () => engine }) }) });
  return { engine, server };
}

const generate = (target: TestServer, signal?: AbortSignal) =>
  fetch(`${target.baseURL}/images/generations`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-image-1", prompt: "a cat", size: "1024x1024", quality: "low" }),
    signal,
  });

describe("the job queue", () => {
  it("answers 429 with Retry-After beyond the queue limit, then serves the rest", async () => {
    const { engine, server: target } = await gatedServer(1, 1);
    const running = generate(target);
    await until(() => engine.started === 1);
    const waiting = generate(target);
    await until(() => (target.parts.queue as LocalImageQueue).slots.stats.waiting === 1);
    const refused = await generate(target);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await refused.json()).error).toMatchObject({ type: "requests", code: "rate_limit_exceeded" });
    engine.releaseAll();
    expect((await running).status).toBe(200);
    await until(() => engine.started === 2);
    engine.releaseAll();
    expect((await waiting).status).toBe(200);
  });

  it("drops a waiting job when its client goes away, and aborts a running one", async () => {
    const { engine, server: target } = await gatedServer(1, 4);
    const runningClient = new AbortController();
    const running = generate(target, runningClient.signal).catch(() => undefined);
    await until(() => engine.started === 1);
    const waitingClient = new AbortController();
    const waiting = generate(target, waitingClient.signal).catch(() => undefined);
    await until(() => (target.parts.queue as LocalImageQueue).slots.stats.waiting === 1);
    waitingClient.abort();
    await until(() => (target.parts.queue as LocalImageQueue).slots.stats.waiting === 0);
    runningClient.abort();
    await until(() => engine.aborted === 1);
    await Promise.all([running, waiting]);
    expect(engine.started).toBe(1);
    await until(() => (target.parts.queue as LocalImageQueue).slots.stats.running === 0);
  });
});

describe("API keys", () => {
  it("refuses missing and wrong keys with 401 in OpenAI's shape, and lets the right one in", async () => {
    server = await startServer({ apiKeys: ["sk-one", "sk-two"] }, { apiKey: "sk-two" });
    const models = await server.client.models.retrieve("gpt-image-1");
    expect(models.id).toBe("gpt-image-1");
    const missing = await fetch(`${server.baseURL}/models`);
    expect(missing.status).toBe(401);
    expect((await missing.json()).error).toMatchObject({ type: "invalid_request_error", code: "missing_api_key" });
    const wrong = await fetch(`${server.baseURL}/models`, { headers: { authorization: "Bearer sk-three" } });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.code).toBe("invalid_api_key");
    expect(wrong.headers.get("x-request-id")).toMatch(/^req_/);
    expect((await fetch(`${server.origin}/health`)).status).toBe(200);
  });
});
