// GET /health: 200 while the server takes work, 503 once it is shutting down.
import type { FastifyInstance } from "fastify";
import type { AppParts } from "../app.js";

export function healthRoutes(app: FastifyInstance, { queue, state }: AppParts): void {
  app.get("/health", async (_request, reply) => {
    if (state.closing) return reply.status(503).send({ status: "shutting_down", queue: queue.stats });
    return { status: "ok", queue: queue.stats };
  });
}
