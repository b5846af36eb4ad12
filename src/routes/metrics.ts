// GET /metrics: Prometheus's text format. On the API's port it takes an API
// key like every other route when keys are configured; with
// EASEL_METRICS_PORT it is served on that port alone instead, with no key,
// for a scraper on a private network.
import { createServer, type Server } from "node:http";
import type { FastifyInstance } from "fastify";
import type { AppParts } from "../app.js";
import { metrics } from "../metrics.js";

export function metricsRoutes(app: FastifyInstance, { config }: AppParts): void {
  if (config.metricsPort !== undefined) return;
  app.get("/metrics", async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
}

/** Serves /metrics alone on its own port; resolves once listening. */
export function startMetricsServer(host: string, port: number): Promise<Server> {
  const server = createServer(async (request, response) => {
    if (request.method !== "GET" || request.url?.split("?")[0] !== "/metrics") {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not found: this port serves GET /metrics.\n");
      return;
    }
    const body = await metrics.registry.metrics();
    response.writeHead(200, { "content-type": metrics.registry.contentType }).end(body);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}
