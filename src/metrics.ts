// What operators watch, in Prometheus's format (prom-client): requests by
// route and status, latency per endpoint and model, the job queue, engine
// render and encode time, tokens, partial frames, upstream calls and
// retries, refusals by limit, moderation, upload memory, and the process
// (event-loop lag, memory, CPU, handles) through prom-client's defaults.
// One registry per process; `GET /metrics` (routes/metrics.ts) serves it.
import client from "prom-client";
import type { JobQueue } from "./queue.js";
import type { UploadMemory } from "./http/upload-memory.js";

const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });

/** Seconds, from a few milliseconds to minutes (diffusion models). */
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

const queues = new Set<JobQueue>();
/** The shared mode's queue as an API node sees it, read from Redis when scraped. */
export interface ClusterView {
  waitingByModel(): Promise<Record<string, number>>;
  liveWorkers(): Promise<number>;
}
const clusters = new Set<ClusterView>();
const uploads = new Set<UploadMemory>();
const sum = <T>(items: Set<T>, value: (item: T) => number) => [...items].reduce((total, item) => total + value(item), 0);

export const metrics = {
  registry,
  requests: new client.Counter({ name: "easel_requests_total", help: "HTTP requests answered, by route, method and status.", labelNames: ["route", "method", "status"], registers: [registry] }),
  requestSeconds: new client.Histogram({
    name: "easel_request_duration_seconds",
    help: "Time from request to the end of its answer (streams included), by endpoint and model.",
    labelNames: ["endpoint", "model"],
    buckets: SECONDS,
    registers: [registry],
  }),
  queueWaitSeconds: new client.Histogram({ name: "easel_queue_wait_seconds", help: "Time jobs waited in the queue for a slot.", buckets: SECONDS, registers: [registry] }),
  renderSeconds: new client.Histogram({ name: "easel_engine_render_seconds", help: "Time an engine took to render a job's pictures, by model and engine.", labelNames: ["model", "engine"], buckets: SECONDS, registers: [registry] }),
  encodeSeconds: new client.Histogram({ name: "easel_encode_seconds", help: "Time to encode one picture, by format.", labelNames: ["format"], buckets: SECONDS, registers: [registry] }),
  tokens: new client.Counter({ name: "easel_tokens_total", help: "Tokens reported in usage, by kind (input_text, input_image, output).", labelNames: ["kind"], registers: [registry] }),
  tokenEstimates: new client.Counter({ name: "easel_token_count_estimates_total", help: "Texts whose token count ran past its time budget and was estimated.", registers: [registry] }),
  partialFrames: new client.Counter({ name: "easel_partial_images_total", help: "Partial images sent, by model.", labelNames: ["model"], registers: [registry] }),
  upstreamCalls: new client.Counter({ name: "easel_upstream_calls_total", help: "Calls to upstream servers, by upstream and outcome (ok, failed, timeout, unusable, cancelled).", labelNames: ["upstream", "outcome"], registers: [registry] }),
  upstreamRetries: new client.Counter({ name: "easel_upstream_retries_total", help: "Upstream calls retried, by upstream.", labelNames: ["upstream"], registers: [registry] }),
  rateLimited: new client.Counter({ name: "easel_rate_limited_total", help: "Requests refused with 429, by reason (queue, uploads, or a key's limit) and key name.", labelNames: ["reason", "key"], registers: [registry] }),
  moderationBlocked: new client.Counter({ name: "easel_moderation_blocked_total", help: "Requests refused by moderation, by what was judged (prompt, input, partial, output).", labelNames: ["stage"], registers: [registry] }),

  /** Queue depth and running jobs are read from the queues when scraped. */
  watchQueue(queue: JobQueue): void {
    queues.add(queue);
  },
  unwatchQueue(queue: JobQueue): void {
    queues.delete(queue);
  },
  watchCluster(view: ClusterView): void {
    clusters.add(view);
  },
  unwatchCluster(view: ClusterView): void {
    clusters.delete(view);
  },
  watchUploads(memory: UploadMemory): void {
    uploads.add(memory);
  },
  unwatchUploads(memory: UploadMemory): void {
    uploads.delete(memory);
  },
};

new client.Gauge({ name: "easel_queue_waiting_jobs", help: "Jobs waiting for a slot.", registers: [registry], collect() { this.set(sum(queues, (q) => q.stats.waiting)); } });
new client.Gauge({ name: "easel_running_jobs", help: "Jobs rendering now.", registers: [registry], collect() { this.set(sum(queues, (q) => q.stats.running)); } });
new client.Gauge({ name: "easel_upload_memory_bytes", help: "Upload bytes held in memory by all requests.", registers: [registry], collect() { this.set(sum(uploads, (u) => u.heldBytes)); } });
new client.Gauge({
  name: "easel_cluster_waiting_jobs",
  help: "Shared mode: jobs waiting in each model's queue, cluster-wide.",
  labelNames: ["model"],
  registers: [registry],
  async collect() {
    this.reset();
    for (const view of clusters) for (const [model, waiting] of Object.entries(await view.waitingByModel().catch(() => ({})))) this.set({ model }, waiting);
  },
});
new client.Gauge({
  name: "easel_cluster_live_workers",
  help: "Shared mode: workers whose heartbeat is current.",
  registers: [registry],
  async collect() {
    let total = 0;
    for (const view of clusters) total += await view.liveWorkers().catch(() => 0);
    this.set(total);
  },
});
