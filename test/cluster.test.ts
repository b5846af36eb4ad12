// The shared mode as it is deployed: two API nodes and two workers, started
// from the built CLI as separate processes on one Redis and one PostgreSQL.
// Requests spread over both API nodes, conversations and files cross them,
// and the cluster survives a worker or an API node killed mid-run and Redis
// restarting.
import { mkdtempSync, rmSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cluster, type Node } from "./helpers/cluster.js";
import { openAiUpstream, sendJson, openAiError, startFakeUpstream, upstreamModel, type FakeUpstream, type Received } from "./helpers/fake-upstream.js";
import { decode, makeImage, pixelSpread } from "./helpers/server.js";
import { writeTinyModel } from "./helpers/tiny-diffusion.js";

let cluster: Cluster;
let api: Node[];
let workers: Node[];
/** Holds each request until the test lets it go (a job that runs for as long as a test needs). */
let slow: FakeUpstream;
const held: (() => void)[] = [];
/** Always fails, as a broken model would. */
let broken: FakeUpstream;
/** The first workers serve every model but `tiny`, a diffusion model only a later worker loads. */
const WORKER_ENV = { EASEL_WORKER_MODELS: "gpt-image-1,gpt-image-1-mini,gpt-image-1.5,dall-e-2,dall-e-3,slow,broken" };
let tinyDir: string;

const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

beforeAll(async () => {
  const answer = openAiUpstream();
  slow = await startFakeUpstream((request: Received, response: ServerResponse, fake) => new Promise<void>((resolve) => held.push(() => resolve(answer(request, response, fake) as Promise<void>))));
  broken = await startFakeUpstream((_request, response) => sendJson(response, 500, openAiError("the GPU caught fire", null, null, "server_error")));
  tinyDir = mkdtempSync(join(tmpdir(), "easel-tiny-"));
  await writeTinyModel(tinyDir, { family: "sd1" });
  cluster = await Cluster.start({
    slow: upstreamModel({ baseUrl: slow.baseURL, retries: 0 }),
    broken: upstreamModel({ baseUrl: broken.baseURL, retries: 0 }),
    tiny: { engine: "diffusion", family: "gpt-image", options: { path: tinyDir, steps: { low: 2, medium: 2, high: 2 } }, ownedBy: "easel" },
  });
  [api, workers] = await Promise.all([
    Promise.all([cluster.start("api"), cluster.start("api")]),
    Promise.all([cluster.start("worker", WORKER_ENV), cluster.start("worker", WORKER_ENV)]),
  ]);
}, 120_000);

afterAll(async () => {
  if (process.env.EASEL_TEST_CLUSTER_LOGS) for (const node of cluster.nodes) require("node:fs").writeFileSync(`/tmp/cluster-${node.role}-${node.base.split(":").pop()}.log`, node.log());
  for (const release of held.splice(0)) release();
  await cluster?.close();
  await slow?.close();
  await broken?.close();
  if (tinyDir) rmSync(tinyDir, { recursive: true, force: true });
});

const generate = (node: Node, body: Record<string, unknown> = {}, signal?: AbortSignal) =>
  fetch(`${node.base}/v1/images/generations`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-image-1", prompt: "a red fox in the snow", size: "1024x1024", quality: "low", ...body }),
    signal,
  });

describe("two API nodes and two workers", () => {
  it("serve requests through both API nodes, run on both workers, and list the models workers serve", async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => api[i % 2].client.images.generate({ model: "gpt-image-1", prompt: `a lighthouse number ${i}`, size: "1024x1024", quality: "low" })));
    for (const answer of answers) expect(pixelSpread((await decode(answer.data![0].b64_json!)).pixels)).toBeGreaterThan(5);
    const done = await Promise.all(workers.map(async (worker) => (await cluster.health(worker)).body.worker.completed as number));
    expect(done.every((count) => count > 0)).toBe(true);
    expect(done[0] + done[1]).toBeGreaterThanOrEqual(8);
    const models = (await api[1].client.models.list()).data.map((model) => model.id);
    expect(models).toEqual(expect.arrayContaining(["gpt-image-1", "dall-e-2", "slow", "broken"]));
    expect((await cluster.health(api[0])).body).toMatchObject({ status: "ok", queue: { workers: 2 } });
    // Each job's events (pictures, megabytes) are gone from Redis once its API node has read them.
    const redis = new Redis(cluster.redis.url);
    await until(async () => (await redis.keys("cluster:events:*")).length === 0, 2_000).finally(() => redis.disconnect());
    const scraped = await (await fetch(`${api[0].base}/metrics`)).text();
    expect(scraped).toMatch(/^easel_cluster_live_workers 2$/m);
    expect(scraped).toMatch(/^easel_cluster_waiting_jobs\{model="gpt-image-1"\} 0$/m);
  });

  it("continues a Responses conversation through the other API node", async () => {
    const first = await api[0].client.responses.create({ model: "gpt-5", input: "Draw a gray tabby cat hugging an otter with an orange scarf", tools: [{ type: "image_generation" }] });
    expect(first.status).toBe("completed");
    const second = await api[1].client.responses.create({ model: "gpt-5", previous_response_id: first.id, input: "Now make it look realistic", tools: [{ type: "image_generation" }] });
    const call = second.output.find((item) => item.type === "image_generation_call");
    expect(call).toMatchObject({ status: "completed", action: "edit" });
    expect((call as unknown as { revised_prompt: string }).revised_prompt).toMatch(/otter/i);
    const again = await api[0].client.responses.retrieve(second.id);
    expect(again.previous_response_id).toBe(first.id);
    const inputs = await api[1].client.responses.inputItems.list(first.id);
    expect(inputs.data).toHaveLength(1);
  });

  it("uses a file uploaded through one API node from the other, and opens picture URLs on either", async () => {
    const picture = await makeImage(256, 256);
    const file = await api[0].client.files.create({ file: await toFile(picture, "photo.png", { type: "image/png" }), purpose: "vision" });
    expect(Buffer.from(await (await api[1].client.files.content(file.id)).arrayBuffer()).equals(picture)).toBe(true);
    const edit = await fetch(`${api[1].base}/v1/images/edits`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-image-1", prompt: "add a hat", images: [{ file_id: file.id }], size: "1024x1024", quality: "low" }),
    });
    expect(edit.status).toBe(200);
    const made = await api[0].client.images.generate({ model: "dall-e-2", prompt: "a kite", size: "256x256", response_format: "url" });
    const path = new URL(made.data![0].url!).pathname + new URL(made.data![0].url!).search;
    const opened = await fetch(`${api[1].base}${path}`);
    expect(opened.status).toBe(200);
    expect(opened.headers.get("content-type")).toBe("image/png");
  });

  it("streams partial images through the API node, in order, each once", async () => {
    const stream = await api[1].client.images.generate({ model: "gpt-image-1", prompt: "a castle on a hill", size: "1024x1024", quality: "low", stream: true, partial_images: 2 });
    const events: { type: string; partial_image_index?: number }[] = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.type)).toEqual(["image_generation.partial_image", "image_generation.partial_image", "image_generation.completed"]);
    expect(events.slice(0, 2).map((event) => event.partial_image_index)).toEqual([0, 1]);
  });

  it("stops the job when its client goes away", async () => {
    const client = new AbortController();
    const answer = generate(api[0], { model: "slow" }, client.signal).catch(() => undefined);
    await until(() => slow.inFlight === 1);
    client.abort();
    await answer;
    await until(() => slow.inFlight === 0);
    expect(slow.received.at(-1)!.aborted).toBe(true);
    held.splice(0);
  });

  it("ends a job that fails on both workers with a server_error", async () => {
    const answer = await generate(api[0], { model: "broken" });
    // The last attempt's own failure, as the single process answers it: the upstream's 502.
    expect(answer.status).toBe(502);
    expect((await answer.json()).error).toMatchObject({ type: "server_error", code: "upstream_error" });
    // Tried once on each of two attempts: the engine's own retries are off.
    expect(broken.received).toHaveLength(2);
  });

  it("finishes a job whose worker is killed mid-job on the other worker", async () => {
    const before = slow.received.length;
    const answer = generate(api[1], { model: "slow" });
    await until(() => slow.received.length === before + 1);
    const busy = await cluster.busyWorker(workers);
    busy.child.kill("SIGKILL");
    await busy.exited;
    // Its lock runs out (EASEL_JOB_LOCK_MS) and the other worker takes the job again.
    await until(() => slow.received.length === before + 2);
    for (const release of held.splice(0)) release();
    const response = await answer;
    expect(response.status).toBe(200);
    expect((await response.json()).data).toHaveLength(1);
    workers = [workers.find((worker) => worker !== busy)!, await cluster.start("worker", WORKER_ENV)];
  });

  it("finishes and stores a background response when the API node that accepted it is killed", async () => {
    const before = slow.received.length;
    const tools = [{ type: "image_generation" as const, model: "slow" }];
    const queued = await api[0].client.responses.create({ model: "gpt-5", input: "Draw a lighthouse at night", tools, background: true });
    expect(queued.status).toBe("queued");
    await until(() => slow.received.length === before + 1);
    api[0].child.kill("SIGKILL");
    await api[0].exited;
    // The other node keeps serving meanwhile.
    const answer = await api[1].client.images.generate({ model: "gpt-image-1", prompt: "a quiet harbour", size: "1024x1024", quality: "low" });
    expect(answer.data).toHaveLength(1);
    for (const release of held.splice(0)) release();
    await until(async () => (await api[1].client.responses.retrieve(queued.id)).status === "completed");
    const done = await api[1].client.responses.retrieve(queued.id);
    const call = done.output.find((item) => item.type === "image_generation_call") as { result: string } | undefined;
    expect((await decode(call!.result)).width).toBeGreaterThan(0);
    api = [api[1], await cluster.start("api")];
    // Its events replay through any node once it has ended.
    const replay = await fetch(`${api[1].base}/v1/responses/${queued.id}?stream=true`);
    expect(await replay.text()).toContain("event: response.completed");
  });

  it("follows and cancels a background response through another API node", async () => {
    const before = slow.received.length;
    const tools = [{ type: "image_generation" as const, model: "slow", partial_images: 1 }];
    const queued = await api[0].client.responses.create({ model: "gpt-5", input: "Draw a windmill", tools, background: true });
    await until(() => slow.received.length === before + 1);
    const followed = fetch(`${api[1].base}/v1/responses/${queued.id}?stream=true`).then((response) => response.text());
    const cancelled = await api[1].client.responses.cancel(queued.id);
    expect(cancelled.status).toBe("cancelled");
    await until(() => slow.inFlight === 0);
    expect(slow.received.at(-1)!.aborted).toBe(true);
    held.splice(0);
    const events = await followed;
    expect(events).toContain("event: response.created");
    expect(events).not.toContain("event: response.completed");
    expect((await api[0].client.responses.retrieve(queued.id)).status).toBe("cancelled");
  });

  it("answers 503 while Redis is down, and serves again once it is back", async () => {
    const before = slow.received.length;
    const inFlight = generate(api[0], { model: "slow" });
    await until(() => slow.received.length === before + 1);
    await cluster.redis.stop();
    const health = await cluster.health(api[0]);
    expect(health.status).toBe(503);
    expect(health.body.error).toMatchObject({ type: "server_error", code: "service_unavailable" });
    const refused = await generate(api[0]);
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // Files live in PostgreSQL: they stay reachable.
    expect((await api[1].client.files.list()).data.length).toBeGreaterThan(0);

    await cluster.redis.start();
    await until(async () => (await cluster.health(api[0])).status === 200 && (await cluster.health(api[0])).body.queue.workers === 2, 30_000);
    // This Redis kept nothing: the job in flight is lost, and its client is told so (or gets its picture, if the worker finished first).
    for (const release of held.splice(0)) release();
    const lost = await inFlight;
    if (lost.status !== 200) {
      expect(lost.status).toBe(500);
      expect((await lost.json()).error).toMatchObject({ type: "server_error" });
    }
    const answer = await api[0].client.images.generate({ model: "gpt-image-1", prompt: "a bridge at dawn", size: "1024x1024", quality: "low" });
    expect(answer.data).toHaveLength(1);
  });

  it("lets a worker finish its job on SIGTERM and take no new one", async () => {
    const before = slow.received.length;
    const answer = generate(api[0], { model: "slow" });
    await until(() => slow.received.length === before + 1);
    const busy = await cluster.busyWorker(workers);
    busy.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(busy.child.exitCode).toBeNull();
    for (const release of held.splice(0)) release();
    expect((await answer).status).toBe(200);
    expect(await busy.exited).toBe(0);
  });

  it("sends a model's jobs only to workers that loaded it, and lists it while one of them lives", async () => {
    const listed = async () => (await api[0].client.models.list()).data.map((model) => model.id);
    expect(await listed()).not.toContain("tiny");
    const refused = await generate(api[0], { model: "tiny" });
    expect(refused.status).toBe(503);
    expect((await refused.json()).error).toMatchObject({ type: "server_error", code: "model_unavailable" });

    const diffusionWorker = await cluster.start("worker", { EASEL_WORKER_MODELS: "tiny" });
    await until(async () => (await listed()).includes("tiny"));
    const answer = await api[1].client.images.generate({ model: "tiny", prompt: "a harbour at dawn", size: "1024x1024", quality: "low" });
    expect((await decode(answer.data![0].b64_json!)).width).toBe(1024);
    expect((await cluster.health(diffusionWorker)).body.worker).toMatchObject({ models: ["tiny"], completed: 1 });
    // Its compose jobs still go to the other workers.
    await api[1].client.images.generate({ model: "gpt-image-1", prompt: "a kite", size: "1024x1024", quality: "low" });
    expect((await cluster.health(diffusionWorker)).body.worker.completed).toBe(1);
  });
});
