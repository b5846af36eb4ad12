// GET /metrics: Prometheus's format, counting what the server did; behind the
// API key when keys are set, or alone on EASEL_METRICS_PORT.
import type { Server } from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { startMetricsServer } from "../../src/routes/metrics.js";
import { freePort } from "../helpers/child-server.js";
import { startServer, type TestServer } from "../helpers/server.js";

const servers: TestServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));
const start = async (...args: Parameters<typeof startServer>) => {
  const server = await startServer(...args);
  servers.push(server);
  return server;
};

/** The value of one series in Prometheus's text format (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text.split("\n").find((l) => l.startsWith(name) && (l[name.length] === " " || l[name.length] === "{") && wanted.every((w) => l.includes(w)));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

describe("GET /metrics", () => {
  it("counts requests, render and encode time, tokens, partial images and the queue", async () => {
    const server = await start({}, { local: true });
    const scrape = () => fetch(`${server.origin}/metrics`).then((r) => r.text());
    const before = await scrape();
    await server.client.images.generate({ model: "gpt-image-1", prompt: "a red fox", quality: "low" });
    const stream = await server.client.images.generate({ model: "gpt-image-1", prompt: "a blue whale", quality: "low", stream: true, partial_images: 2 });
    for await (const _ of stream);
    await fetch(`${server.baseURL}/images/generations`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = await scrape();
    const grew = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);

    expect(grew("easel_requests_total", { route: "/v1/images/generations", status: "200" })).toBe(2);
    expect(grew("easel_requests_total", { route: "/v1/images/generations", status: "400" })).toBe(1);
    expect(grew("easel_request_duration_seconds_count", { endpoint: "/v1/images/generations", model: "gpt-image-1" })).toBe(2);
    expect(grew("easel_engine_render_seconds_count", { model: "gpt-image-1", engine: "compose" })).toBe(2);
    expect(grew("easel_encode_seconds_count", { format: "png" })).toBe(4);
    expect(grew("easel_partial_images_total", { model: "gpt-image-1" })).toBe(2);
    expect(grew("easel_tokens_total", { kind: "output" })).toBe(272 * 2 + 200);
    expect(grew("easel_queue_wait_seconds_count")).toBe(2);
    for (const name of ["easel_queue_waiting_jobs", "easel_running_jobs", "easel_upload_memory_bytes", "nodejs_eventloop_lag_p99_seconds", "process_resident_memory_bytes"]) {
      expect(after).toMatch(new RegExp(`^${name} `, "m"));
    }
  });

  it("takes an API key when keys are set", async () => {
    const server = await start({ apiKeys: ["sk-metrics"] }, { local: true, apiKey: "sk-metrics" });
    expect((await fetch(`${server.origin}/metrics`)).status).toBe(401);
    const answer = await fetch(`${server.origin}/metrics`, { headers: { authorization: "Bearer sk-metrics" } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^text\/plain/);
  });

  it("is served on its own port alone when one is set", async () => {
    const port = await freePort();
    const server = await start({ metricsPort: port }, { local: true });
    expect((await fetch(`${server.origin}/metrics`)).status).toBe(404);
    const metricsServer: Server = await startMetricsServer("127.0.0.1", port);
    try {
      const answer = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(answer.status).toBe(200);
      expect(await answer.text()).toMatch(/^easel_requests_total/m);
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      metricsServer.close();
    }
  });
});
