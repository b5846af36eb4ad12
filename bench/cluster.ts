// The shared mode against the single process, on this machine's PostgreSQL
// and a Redis of its own:
//   1. latency at concurrency 1 (compose, 1024x1024, medium): shared ÷ single;
//   2. pictures per second with 1 and 2 workers behind one API node;
//   3. seconds from a worker's SIGKILL to its job running on another worker.
//
//   npm run bench:cluster
//   npx tsx bench/cluster.ts --requests 80 --clients 4 --lock-ms 15000
//
// Every process runs EASEL_CONCURRENCY=1 and no picture moderation, so that
// the figures compare the queue and the store, not the classifier.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { cli, ensureBuilt, freePort, untilHealthy } from "../test/helpers/child-server.js";
import { Cluster } from "../test/helpers/cluster.js";
import { openAiUpstream, startFakeUpstream, upstreamModel, type Received } from "../test/helpers/fake-upstream.js";

const { values } = parseArgs({ options: { requests: { type: "string", default: "80" }, clients: { type: "string", default: "4" }, "lock-ms": { type: "string", default: "15000" } } });
const REQUESTS = Number(values.requests);
const CLIENTS = Number(values.clients);
const LOCK_MS = values["lock-ms"]!;

const body = JSON.stringify({ model: "gpt-image-1", prompt: "a red fox next to a tree in a winter landscape", size: "1024x1024", quality: "medium" });
const generate = async (base: string, seed: number) => {
  const started = performance.now();
  const response = await fetch(`${base}/v1/images/generations`, { method: "POST", headers: { "content-type": "application/json" }, body: body.replace("}", `,"seed":${seed}}`) });
  if (response.status !== 200) throw new Error(`generation answered ${response.status}: ${await response.text()}`);
  await response.arrayBuffer();
  return performance.now() - started;
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Sequential requests, after a few to warm up; the median latency in ms. */
async function latency(base: string): Promise<number> {
  for (let i = 0; i < 3; i++) await generate(base, i);
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) times.push(await generate(base, 100 + i));
  return median(times);
}

/** REQUESTS pictures by CLIENTS clients at once; pictures per second. */
async function throughput(base: string): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next < REQUESTS) await generate(base, 1000 + next++);
  }));
  return REQUESTS / ((performance.now() - started) / 1000);
}

async function singleProcess(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), "easel-bench-single-"));
  const port = await freePort();
  const child = spawn(process.execPath, [cli, "serve", "--port", String(port)], {
    env: { ...process.env, EASEL_DATA_DIR: dataDir, EASEL_CONCURRENCY: "1", EASEL_MODERATE_PICTURES: "0", EASEL_LOG_LEVEL: "warn", EASEL_API_KEYS: "", EASEL_REDIS_URL: "", EASEL_DATABASE_URL: "" },
    stdio: "ignore",
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await untilHealthy(base, child, () => "", 60_000);
    return await latency(base);
  } finally {
    child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function sharedMode(): Promise<{ latency: number; oneWorker: number; twoWorkers: number; recovery: number }> {
  const held: (() => void)[] = [];
  const answer = openAiUpstream();
  let arrived: ((at: number) => void) | undefined;
  const slow = await startFakeUpstream((request: Received, response, fake) => {
    arrived?.(performance.now());
    return new Promise<void>((resolve) => held.push(() => resolve(answer(request, response, fake) as Promise<void>)));
  });
  const cluster = await Cluster.start({ slow: upstreamModel({ baseUrl: slow.baseURL, retries: 0 }) });
  try {
    const env = { EASEL_JOB_LOCK_MS: LOCK_MS, EASEL_LOG_LEVEL: "warn" };
    const [api, first] = await Promise.all([cluster.start("api", env), cluster.start("worker", env)]);
    const base = api.base;
    const measuredLatency = await latency(base);
    const oneWorker = await throughput(base);
    const second = await cluster.start("worker", env);
    await new Promise((resolve) => setTimeout(resolve, 2500)); // its heartbeat reaches the API node
    const twoWorkers = await throughput(base);

    // A job held by the upstream, its worker killed, and the time until the other worker calls the upstream again.
    const firstCall = new Promise<number>((resolve) => (arrived = resolve));
    const job = fetch(`${base}/v1/images/generations`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "slow", prompt: "a kite", size: "1024x1024" }) });
    await firstCall;
    const busy = await cluster.busyWorker([first, second]);
    const again = new Promise<number>((resolve) => (arrived = resolve));
    const killedAt = performance.now();
    busy.child.kill("SIGKILL");
    const recovery = ((await again) - killedAt) / 1000;
    for (const release of held.splice(0)) release();
    if ((await job).status !== 200) throw new Error("the recovered job did not answer 200");
    return { latency: measuredLatency, oneWorker, twoWorkers, recovery };
  } finally {
    for (const release of held.splice(0)) release();
    await cluster.close();
    await slow.close();
  }
}

ensureBuilt();
console.log(`${REQUESTS} requests of 1024x1024 medium (compose); throughput with ${CLIENTS} clients; job lock ${LOCK_MS} ms`);
const single = await singleProcess();
const shared = await sharedMode();
console.log(`latency p50, concurrency 1: single process ${single.toFixed(1)} ms, shared mode ${shared.latency.toFixed(1)} ms, ratio ${(shared.latency / single).toFixed(2)} (goal <= 1.10)`);
console.log(`pictures/s through one API node: 1 worker ${shared.oneWorker.toFixed(2)}, 2 workers ${shared.twoWorkers.toFixed(2)}`);
console.log(`worker SIGKILL -> its job running on another worker: ${shared.recovery.toFixed(2)} s (lock ${LOCK_MS} ms)`);
