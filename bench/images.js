// Image API throughput and latency, and the server's overhead over the engine.
//
//   npm run bench            (builds, then runs this file)
//   node bench/images.js --requests 40 --quality medium
//
// 1. Measures the compose engine's own render+encode time for a 1024x1024 png
//    job, in this process, with no server involved.
// 2. Starts `easel serve` as a child process and sends the same job over HTTP
//    at concurrency 1 and 8, printing requests/s and p50/p99 latency.
// 3. Prints the server's overhead: for each request at concurrency 1, the
//    server's processing time (openai-processing-ms) and the HTTP latency seen
//    here, each divided by the render+encode time of that same job inside the
//    server (x-easel-render-ms); target <= 1.05. And p99/p50 under load (<= 3).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createComposeEngine } from "../dist/engines/compose/index.js";
import { encodeImage } from "../dist/imaging/encode.js";

const { values } = parseArgs({
  options: { requests: { type: "string", default: "40" }, quality: { type: "string", default: "medium" }, prompt: { type: "string", default: "a red fox next to a tree in a winter landscape" } },
});
const REQUESTS = Number(values.requests);
const body = { model: "gpt-image-1", prompt: values.prompt, size: "1024x1024", quality: values.quality, output_format: "png", seed: 1234 };

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const median = (values) => percentile([...values].sort((a, b) => a - b), 50);

async function engineBaseline() {
  const engine = createComposeEngine();
  const job = { mode: "generate", model: "gpt-image-1", prompt: body.prompt, images: [], width: 1024, height: 1024, n: 1, quality: values.quality, background: "opaque", seed: body.seed, partialImages: 0, inputFidelity: "low" };
  const signal = new AbortController().signal;
  const times = [];
  for (let i = 0; i < Math.max(10, REQUESTS / 2) + 3; i++) {
    const started = performance.now();
    const [frame] = await engine.run(job, { signal });
    await encodeImage(frame, { format: "png", compression: 100, alpha: false });
    if (i >= 3) times.push(performance.now() - started); // the first runs warm caches up
  }
  return median(times);
}

async function load(base, concurrency, count) {
  const latencies = [];
  const processing = [];
  const serverRatios = [];
  const httpRatios = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      next++;
      const t0 = performance.now();
      const response = await fetch(`${base}/v1/images/generations`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const text = await response.text();
      // Latency ends when the whole answer has arrived; parsing it is the client's work.
      const latency = performance.now() - t0;
      latencies.push(latency);
      const renderMs = Number(response.headers.get("x-easel-render-ms"));
      serverRatios.push(Number(response.headers.get("openai-processing-ms")) / renderMs);
      httpRatios.push(latency / renderMs);
      const answer = JSON.parse(text);
      if (response.status !== 200 || !answer.data?.[0]?.b64_json) throw new Error(`request failed: ${response.status} ${text.slice(0, 200)}`);
      processing.push(Number(response.headers.get("openai-processing-ms")));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    concurrency, requests: count, rps: count / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99),
    processingP50: median(processing), serverRatio: median(serverRatios), httpRatio: median(httpRatios),
  };
}

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const engineMs = await engineBaseline();
const port = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), "easel-bench-"));
const server = spawn("node", [join(import.meta.dirname, "..", "dist", "cli.js"), "serve", "--port", String(port)], {
  env: { ...process.env, EASEL_DATA_DIR: dataDir, EASEL_LOG_LEVEL: "warn", EASEL_QUEUE_LIMIT: "1000" },
  stdio: ["ignore", "inherit", "inherit"],
});
const base = `http://127.0.0.1:${port}`;
try {
  for (let i = 0; i < 200; i++) {
    if (await fetch(`${base}/health`).then((r) => r.ok, () => false)) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await load(base, 1, 3); // warm-up
  const single = await load(base, 1, REQUESTS);
  const loaded = await load(base, 8, REQUESTS);
  const fmt = (n) => n.toFixed(1);
  console.log(`engine render+encode (1024x1024 png, ${values.quality}): p50 ${fmt(engineMs)} ms`);
  for (const r of [single, loaded]) {
    console.log(`concurrency ${r.concurrency}: ${r.requests} requests, ${r.rps.toFixed(2)} req/s, p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms, server processing p50 ${fmt(r.processingP50)} ms`);
  }
  console.log(`overhead ratio, server processing / render+encode of the same job (p50): ${single.serverRatio.toFixed(3)} (target <= 1.05)`);
  console.log(`overhead ratio, HTTP latency seen by the client / render+encode of the same job (p50): ${single.httpRatio.toFixed(3)}`);
  console.log(`p99 / p50 at concurrency 8: ${(loaded.p99 / loaded.p50).toFixed(2)} (target <= 3)`);
} finally {
  server.kill("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
}
