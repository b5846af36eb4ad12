// The behaviour every ImageQueue promises, run against the in-process queue
// and against the shared mode's (BullMQ on Redis, a worker, the PostgreSQL
// store for input pictures) alike: jobs run with their pictures intact,
// partial images arrive in order, the queue is bounded with Retry-After, a
// client that leaves takes its job with it, and close waits for what it took.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { sharedServices } from "../test/helpers/shared-services.js";
import { GatedEngine } from "../test/helpers/gated-engine.js";
import { openShared } from "./cluster/index.js";
import { loadConfig, type Config } from "./config.js";
import type { Engine, ImageJob, RawImage, RunOptions } from "./engines/engine.js";
import { ModelRegistry } from "./models/registry.js";
import { LocalImageQueue, type ImageQueue } from "./pipeline.js";
import { JobQueue } from "./queue.js";
import { prepareImageRequest } from "./request-model.js";

/** Sends `partialImages` frames, then pictures whose first pixel carries the input's, so a test sees what reached the engine. */
class EchoEngine implements Engine {
  readonly name = "echo";
  inputs: RawImage[] = [];

  async run(job: ImageJob, { onPartial }: RunOptions): Promise<RawImage[]> {
    this.inputs = job.images;
    for (let index = 0; index < job.partialImages; index++) onPartial?.({ data: Buffer.alloc(job.width * job.height * 4, 40 * (index + 1)), width: job.width, height: job.height }, index);
    const level = job.images[0]?.data[0] ?? 7;
    return Array.from({ length: job.n }, () => ({ data: Buffer.alloc(job.width * job.height * 4, level), width: job.width, height: job.height }));
  }
}

const models = {
  echo: { engine: "echo", family: "gpt-image" as const, options: {}, ownedBy: "easel" },
  gated: { engine: "gated", family: "gpt-image" as const, options: {}, ownedBy: "easel" },
};

interface Made {
  queue: ImageQueue;
  registry: ModelRegistry;
  config: Config;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

function registryWith(echo: EchoEngine, gated: GatedEngine): ModelRegistry {
  return new ModelRegistry(models, { echo: () => echo, gated: () => gated });
}

async function local(echo: EchoEngine, gated: GatedEngine, limit: number): Promise<Made> {
  const config = loadConfig({}, { models, concurrency: 1, queueLimit: limit, moderatePictures: false });
  return { queue: new LocalImageQueue(new JobQueue(1, limit)), registry: registryWith(echo, gated), config };
}

async function shared(echo: EchoEngine, gated: GatedEngine, limit: number): Promise<Made> {
  const services = await sharedServices();
  cleanups.push(() => services.drop());
  const dataDir = mkdtempSync(join(tmpdir(), "easel-queue-"));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const env = { EASEL_DATA_DIR: dataDir, EASEL_DATABASE_URL: services.databaseUrl, EASEL_REDIS_URL: services.redisUrl, EASEL_REDIS_PREFIX: services.redisPrefix };
  const config = loadConfig(env, { models, concurrency: 1, queueLimit: limit, moderatePictures: false });
  const registry = registryWith(echo, gated);
  const parts = await openShared(config, config.shared!, registry, pino({ level: "silent" }));
  await parts.worker!.start();
  cleanups.push(async () => {
    await parts.queue.close();
    await parts.worker!.close();
    await parts.store.close();
    parts.redis.disconnect();
  });
  return { queue: parts.queue, registry, config };
}

const until = async (check: () => boolean) => {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe.each([
  ["LocalImageQueue", local],
  ["ClusterImageQueue", shared],
])("%s", (_name, make: (echo: EchoEngine, gated: GatedEngine, limit: number) => Promise<Made>) => {
  const request = (made: Made, fields: Record<string, unknown>) =>
    prepareImageRequest("generations", { size: "1024x1024", quality: "low", ...fields }, { images: [] }, made.registry, made.config);

  it("runs a job: its pictures, its input pictures intact, partial images in order", async () => {
    const echo = new EchoEngine();
    const made = await make(echo, new GatedEngine(), 4);
    const partials: number[] = [];
    const result = await made.queue.submit(await request(made, { model: "echo", prompt: "a cat", n: 2, partial_images: 2, stream: true }), new AbortController().signal, (_bytes, index) => {
      partials.push(index);
    });
    expect(result.images).toHaveLength(2);
    expect(result.images[0].subarray(1, 4).toString()).toBe("PNG");
    expect(partials).toEqual([0, 1]);
    expect(result.usage?.output_tokens).toBeGreaterThan(0);

    const sharp = (await import("sharp")).default;
    const input = await sharp({ create: { width: 64, height: 64, channels: 4, background: { r: 90, g: 90, b: 90, alpha: 1 } } }).png().toBuffer();
    const edit = await prepareImageRequest("edits", { model: "echo", prompt: "a hat", size: "1024x1024", quality: "low" }, { images: [{ param: "image", bytes: input }] }, made.registry, made.config);
    const edited = await made.queue.submit(edit, new AbortController().signal);
    expect(echo.inputs[0]).toMatchObject({ width: 64, height: 64 });
    expect(echo.inputs[0].data.equals(edit.job.images[0].data)).toBe(true);
    expect((await sharp(edited.images[0]).raw().toBuffer())[0]).toBe(90);
  });

  it("refuses with 429 and Retry-After when all slots are busy and `limit` jobs wait", async () => {
    const gated = new GatedEngine();
    const made = await make(new EchoEngine(), gated, 1);
    const job = await request(made, { model: "gated", prompt: "a cat" });
    const running = made.queue.submit(job, new AbortController().signal);
    await until(() => gated.started === 1);
    const waiting = made.queue.submit(job, new AbortController().signal);
    // The second is waiting once the queue refuses a third.
    let refusal: unknown;
    for (let tries = 0; tries < 100 && !refusal; tries++) {
      refusal = await made.queue.admit("gated").then(() => undefined, (error) => error);
      if (!refusal) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(refusal).toMatchObject({ status: 429, code: "rate_limit_exceeded", headers: { "retry-after": expect.stringMatching(/^\d+$/) } });
    await expect(made.queue.submit(job, new AbortController().signal)).rejects.toMatchObject({ status: 429 });
    gated.releaseAll();
    await running;
    await until(() => gated.started === 2);
    gated.releaseAll();
    expect((await waiting).images).toHaveLength(1);
  });

  it("drops a waiting job whose client leaves, and stops a running one", async () => {
    const gated = new GatedEngine();
    const made = await make(new EchoEngine(), gated, 4);
    const job = await request(made, { model: "gated", prompt: "a cat" });
    const runningClient = new AbortController();
    const running = made.queue.submit(job, runningClient.signal);
    await until(() => gated.started === 1);
    const waitingClient = new AbortController();
    const waiting = made.queue.submit(job, waitingClient.signal);
    await new Promise((resolve) => setTimeout(resolve, 200));
    waitingClient.abort();
    await expect(waiting).rejects.toMatchObject({ name: "AbortError" });
    runningClient.abort();
    await expect(running).rejects.toMatchObject({ name: "AbortError" });
    await until(() => gated.aborted === 1);
    // The waiting job never reached the engine.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(gated.started).toBe(1);
  });

  it("takes no new job once closing, and lets the accepted ones finish", async () => {
    const gated = new GatedEngine();
    const made = await make(new EchoEngine(), gated, 4);
    const job = await request(made, { model: "gated", prompt: "a cat" });
    const running = made.queue.submit(job, new AbortController().signal);
    await until(() => gated.started === 1);
    let closed = false;
    const closing = made.queue.close().then(() => (closed = true));
    await expect(made.queue.submit(job, new AbortController().signal)).rejects.toMatchObject({ status: 503 });
    expect(closed).toBe(false);
    gated.releaseAll();
    expect((await running).images).toHaveLength(1);
    await closing;
  });
});
