// GET /health: 200 while the server takes work; 503 once it is shutting down,
// or (shared mode) while its PostgreSQL or Redis cannot be reached, in
// OpenAI's error shape and within a few seconds, never a hang.
import type { FastifyInstance } from "fastify";
import type { AppParts } from "../app.js";
import { ApiError, errors } from "../errors.js";

const CHECK_MS = 3_000;

export function healthRoutes(app: FastifyInstance, { queue, store, worker, state, config }: AppParts): void {
  app.get("/health", async (_request, reply) => {
    if (state.closing) return reply.status(503).send({ status: "shutting_down", queue: await queue.stats().catch(() => ({})) });
    try {
      await within(store.check(), "database");
      const stats = await within(queue.stats(), "job queue (Redis)");
      return { status: "ok", ...(config.role === "worker" ? {} : { queue: stats }), ...(worker ? { worker: worker.stats } : {}) };
    } catch (error) {
      const refusal = error instanceof ApiError ? error : errors.backendUnavailable("database");
      return reply.status(refusal.status).headers(refusal.headers).send(refusal.toJSON());
    }
  });
}

/** The check's answer, or a 503 naming what did not answer in time. */
async function within<T>(check: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(errors.backendUnavailable(what)), CHECK_MS);
  });
  try {
    return await Promise.race([check.catch(() => Promise.reject(errors.backendUnavailable(what))), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
