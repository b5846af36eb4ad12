// createApp builds the HTTP server from its parts, so the CLI, the tests and
// the benchmarks all assemble the same pieces.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { join } from "node:path";
import multipart from "@fastify/multipart";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyRequest } from "fastify";
import { pino, type Logger } from "pino";
import type { Config } from "./config.js";
import { engineFactories } from "./engines/index.js";
import { ApiError, errors } from "./errors.js";
import { ModelRegistry } from "./models/registry.js";
import { JobQueue } from "./queue.js";
import { multipartLimits } from "./http/multipart.js";
import { healthRoutes } from "./routes/health.js";
import { imagesRoutes } from "./routes/images.js";
import { modelsRoutes } from "./routes/models.js";
import { filesRoutes } from "./routes/files.js";
import { responsesRoutes } from "./routes/responses.js";
import type { ResponsesStore } from "./responses/store.js";
import { ImageUrlStore } from "./storage/image-urls.js";
import { ANONYMOUS_OWNER, ownerOf } from "./store/owner.js";
import { Store } from "./store/store.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The model a request used, for the request log. */
    easelModel?: string;
    /** Who owns what this request stores or reads: ownerOf(its API key), or the anonymous owner without keys. */
    owner: string;
  }
}

export interface AppParts {
  config: Config;
  registry: ModelRegistry;
  queue: JobQueue;
  urls: ImageUrlStore;
  /** The embedded store (files; `store.responses` is a durable ResponsesStore): close it after the queue drains. */
  store: Store;
  /** Stored responses (src/responses/store.ts), by default the embedded store's. */
  responses: ResponsesStore;
  logger: Logger;
  startedAt: number;
  state: { closing: boolean };
}

/** Builds every part from the config; `overrides` lets tests swap one. */
export function assembleParts(config: Config, overrides: Partial<AppParts> = {}): AppParts {
  const logger = overrides.logger ?? pino({ level: config.logLevel, base: { service: "easel" } });
  const store = overrides.store ?? Store.open(config.dataDir, logger);
  return {
    config,
    registry: overrides.registry ?? new ModelRegistry(config.models, engineFactories, { logger, cacheDir: join(config.dataDir, "cache"), threads: config.concurrency }),
    queue: overrides.queue ?? new JobQueue(config.concurrency, config.queueLimit),
    urls: overrides.urls ?? new ImageUrlStore(config.dataDir, config.imageUrlTtlSeconds),
    store,
    responses: overrides.responses ?? store.responses,
    logger,
    startedAt: Math.floor(Date.now() / 1000),
    state: { closing: false },
    ...overrides,
  };
}

/** A JSON body, data URLs of edits included. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;

export function createApp(parts: AppParts): FastifyInstance {
  const { config } = parts;
  const app = Fastify({
    loggerInstance: parts.logger as FastifyBaseLogger,
    // Fastify's two lines per request are replaced by one of ours (the onResponse hook below).
    logController: new LogController({ requestIdLogLabel: "request_id", disableRequestLogging: true }),
    genReqId: () => `req_${randomBytes(16).toString("hex")}`,
    bodyLimit: MAX_JSON_BYTES,
    return503OnClosing: true,
  });

  app.register(multipart, { limits: multipartLimits });

  app.decorateRequest("owner", ANONYMOUS_OWNER);
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
    if (config.apiKeys.length > 0 && !isPublic(request.url)) request.owner = ownerOf(checkApiKey(request.headers.authorization, config.apiKeys));
  });

  app.addHook("onSend", async (request, reply) => {
    reply.header("openai-processing-ms", String(Math.round(reply.elapsedTime)));
  });

  // One structured line per request (streams included): id, route, model, status, duration.
  app.addHook("onResponse", async (request, reply) =>
    request.log.info(
      { method: request.method, route: request.routeOptions.url ?? request.url, model: request.easelModel, status: reply.statusCode, duration_ms: Math.round(reply.elapsedTime) },
      "request completed",
    ),
  );

  app.setNotFoundHandler((request, reply) => {
    const error = errors.invalidUrl(request.method, request.url.split("?")[0]);
    reply.status(error.status).send(error.toJSON());
  });

  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    const apiError = toApiError(error, request);
    if (apiError.status >= 500) request.log.error({ err: error }, "request failed");
    reply.status(apiError.status).headers(apiError.headers).send(apiError.toJSON());
  });

  app.register(async (scope) => {
    healthRoutes(scope, parts);
    modelsRoutes(scope, parts);
    imagesRoutes(scope, parts);
    filesRoutes(scope, parts);
    responsesRoutes(scope, parts);
  });
  return app;
}

/**
 * Stops taking connections and waits for requests in flight (which wait for
 * their jobs). A keep-alive connection goes idle only once its last answer is
 * sent, after close() began; closing idle ones as they appear lets it finish.
 */
export async function closeApp(app: FastifyInstance): Promise<void> {
  const closeIdle = setInterval(() => app.server.closeIdleConnections(), 50);
  try {
    await app.close();
  } finally {
    clearInterval(closeIdle);
  }
}

/** Paths that need no API key: the health check and signed image URLs (signed like OpenAI's). */
function isPublic(url: string): boolean {
  return url === "/health" || url.startsWith("/v1/images/content/");
}

/** The configured key the request carries; throws 401 without one. */
function checkApiKey(header: string | undefined, keys: string[]): string {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
  if (!match) throw errors.missingApiKey();
  const given = Buffer.from(match[1].trim());
  const known = keys.find((key) => {
    const expected = Buffer.from(key);
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (known === undefined) throw errors.invalidApiKey();
  return known;
}

/** Maps framework and parser errors onto the error table; anything unknown is a logged 500. */
function toApiError(error: FastifyError | ApiError, request: FastifyRequest): ApiError {
  if (error instanceof ApiError) return error;
  const code = (error as FastifyError).code ?? "";
  if (code === "FST_ERR_CTP_BODY_TOO_LARGE") return errors.bodyTooLarge(MAX_JSON_BYTES);
  if (code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return errors.unsupportedContentType(request.headers["content-type"] ?? "", "application/json or multipart/form-data");
  if (code === "FST_ERR_CTP_EMPTY_JSON_BODY" || code === "FST_ERR_CTP_INVALID_JSON_BODY" || error instanceof SyntaxError) return errors.invalidJson();
  if (code.startsWith("FST_ERR_CTP") || code === "FST_INVALID_MULTIPART_CONTENT_TYPE") return errors.invalidBody(error.message);
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) return new ApiError(status, "invalid_request_error", error.message, null, null);
  return errors.internal(request.id);
}
