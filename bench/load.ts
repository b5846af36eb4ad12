// The server under a mixed load, as a heavy user and a careless one would
// send it: pictures of several kinds, edits, Responses, the Files API, model
// and health checks, and refusals (broken JSON, unknown models, hostile
// values). Runs autocannon against `easel serve` started as `npm start` does.
//
//   npm run bench:load                      (builds, then runs this file)
//   npx tsx bench/load.ts --seconds 30 --connections 32
//
// Two runs: the default queue (64 waiting jobs), then a queue limit of 4,
// where the surplus must be refused with 429 and Retry-After. Each prints
// status counts, latency percentiles, requests/s and the server's RSS
// (its worker threads included) at start, at peak and after the run.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import sharp from "sharp";
import { cli, freePort, untilHealthy } from "../test/helpers/child-server.js";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "20" }, connections: { type: "string", default: "32" } } });
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);

const json = (path: string, body: unknown) => ({ method: "POST" as const, path, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

async function mixedRequests() {
  const picture = (await sharp({ create: { width: 512, height: 512, channels: 4, background: "#3a7bd5" } }).png().toBuffer()).toString("base64");
  const boundary = "easel-bench";
  const upload =
    `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nvision\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n` +
    Buffer.from(picture, "base64").toString("latin1") +
    `\r\n--${boundary}--\r\n`;
  return [
    json("/v1/images/generations", { model: "gpt-image-1", prompt: "a red fox next to a tree in a winter landscape", quality: "low" }),
    json("/v1/images/generations", { model: "gpt-image-1", prompt: "a watercolor painting of a lighthouse at sunset", quality: "medium" }),
    json("/v1/images/generations", { model: "dall-e-2", prompt: "a cat wearing a hat", size: "256x256", response_format: "b64_json" }),
    json("/v1/images/edits", { model: "gpt-image-1", prompt: "add a red hat", quality: "low", images: [{ image_url: `data:image/png;base64,${picture}` }] }),
    json("/v1/responses", { model: "gpt-5", input: "Generate an image of a gray tabby cat hugging an otter", tools: [{ type: "image_generation", quality: "low" }] }),
    { method: "POST" as const, path: "/v1/files", headers: { "content-type": `multipart/form-data; boundary=${boundary}` }, body: Buffer.from(upload, "latin1") },
    { method: "GET" as const, path: "/v1/files?limit=5" },
    { method: "GET" as const, path: "/v1/models" },
    { method: "GET" as const, path: "/health" },
    { method: "POST" as const, path: "/v1/images/generations", headers: { "content-type": "application/json" }, body: '{"prompt": "a cat",' },
    json("/v1/images/generations", { prompt: "a cat", quality: { toString: 1 } }),
    json("/v1/images/generations", { model: "no-such-model", prompt: "a cat" }),
    json("/v1/images/generations", { model: "gpt-image-1", prompt: "猫".repeat(4000), quality: "low" }),
  ];
}

function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : 0;
}

async function run(label: string, queueLimit: number | undefined): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "easel-load-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, EASEL_DATA_DIR: dataDir, EASEL_LOG_LEVEL: "warn", EASEL_API_KEYS: "", HOST: "127.0.0.1", ...(queueLimit === undefined ? {} : { EASEL_QUEUE_LIMIT: String(queueLimit) }) };
  const server: ChildProcess = spawn(process.execPath, [cli, "serve", "--port", String(port)], { env, stdio: ["ignore", "ignore", "inherit"] });
  try {
    await untilHealthy(base, server, () => "", 60_000);
    const pid = server.pid!;
    const startRss = rssMiB(pid);
    let peakRss = startRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMiB(pid))), 100);
    const result = await autocannon({ url: base, connections: CONNECTIONS, duration: SECONDS, requests: await mixedRequests(), timeout: 120 });
    clearInterval(sampler);
    const statuses = Object.entries(result.statusCodeStats ?? {}).map(([status, { count }]) => `${status}: ${count}`).join(", ");
    const { latency } = result;
    console.log(`\n${label} (concurrency ${CONNECTIONS}, ${SECONDS} s)`);
    console.log(`  requests: ${result.requests.total} (${result.requests.average.toFixed(1)}/s), errors ${result.errors}, timeouts ${result.timeouts}`);
    console.log(`  status counts: ${statuses}`);
    console.log(`  latency ms: p50 ${latency.p50}, p90 ${latency.p90}, p99 ${latency.p99}, max ${latency.max}`);
    console.log(`  server RSS MiB: start ${startRss.toFixed(0)}, peak ${peakRss.toFixed(0)}, end ${rssMiB(pid).toFixed(0)}`);
    const health = await fetch(`${base}/health`);
    console.log(`  /health after the run: ${health.status}`);
  } finally {
    server.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await run("Mixed load, default queue (64 waiting jobs)", undefined);
await run("Mixed load, queue limit 4", 4);
