// createApp builds the HTTP server from its parts, so the CLI, the tests and
// the benchmarks all assemble the same pieces.
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { join } from "node:path";
import multipart from "@fastify/multipart";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { pino, type Logger } from "pino";
import type { Config } from "./config.js";
import { engineFactories } from "./engines/index.js";
import { ApiError, errors } from "./errors.js";
import { ModelRegistry, type ModelCatalog } from "./models/registry.js";
import { KeyRing, type ApiKey } from "./access/keys.js";
import { RateLimits } from "./access/rate-limits.js";
import { JobQueue } from "./queue.js";
import { LocalImageQueue, type ImageQueue } from "./pipeline.js";
import { openShared } from "./cluster/index.js";
import type { ClusterWorker } from "./cluster/worker.js";
import { isUnreachable } from "./cluster/unreachable.js";
import { ClusterImageQueue } from "./cluster/queue.js";
import type { Redis } from "ioredis";
import { BodyTimeoutError, watchStalls } from "./http/stalls.js";
import { registerJsonParser } from "./http/json-body.js";
import { multipartLimits } from "./http/multipart.js";
import { UploadMemory } from "./http/upload-memory.js";
import { metrics } from "./metrics.js";
import { healthRoutes } from "./routes/health.js";
import { metricsRoutes } from "./routes/metrics.js";
import { imagesRoutes } from "./routes/images.js";
import { modelsRoutes } from "./routes/models.js";
import { playgroundRoutes } from "./routes/playground.js";
import { filesRoutes } from "./routes/files.js";
import { responsesRoutes } from "./routes/responses.js";
import type { ResponsesStore } from "./responses/store.js";
import { ANONYMOUS_OWNER } from "./store/owner.js";
import { EmbeddedStore } from "./store/embedded.js";
import type { Store } from "./store/store.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The model a request used, for the request log. */
    easelModel?: string;
    /** Who owns what this request stores or reads: ownerOf(its API key), or the anonymous owner without keys. */
    owner: string;
    /** The configured key the request carries; none when the server has no keys. */
    apiKey?: ApiKey;
    /** The models this request may use: all of them, or its key's allow-list. */
    models: ModelCatalog;
  }
}

export interface AppParts {
  config: Config;
  registry: ModelRegistry;
  /** Where image jobs run: this process's slots, or the shared mode's workers. */
  queue: ImageQueue;
  /** Upload bytes held in memory by all requests together; multipart parts beyond it are spooled to disk. */
  uploads: UploadMemory;
  /** The configured API keys (reloaded on SIGHUP) and their per-key limits. */
  keys: KeyRing;
  limits: RateLimits;
  /** The embedded or the shared store (files, responses, usage, picture URLs): close it after the queue drains. */
  store: Store;
  /** The shared mode's worker (roles worker and all), and its Redis connection. */
  worker?: ClusterWorker;
  redis?: Redis;
  /** Stored responses (src/responses/store.ts), by default the embedded store's. */
  responses: ResponsesStore;
  logger: Logger;
  startedAt: number;
  state: { closing: boolean };
}

/** Builds every part from the config; `overrides` lets tests swap one. */
export async function assembleParts(config: Config, overrides: Partial<AppParts> = {}): Promise<AppParts> {
  const logger = overrides.logger ?? pino({ level: config.logLevel, base: { service: "easel" } });
  const registry = overrides.registry ?? new ModelRegistry(config.models, engineFactories, { logger, cacheDir: join(config.dataDir, "cache"), threads: config.concurrency });
  const shared = config.shared ? await openShared(config, config.shared, registry, logger) : undefined;
  const store = overrides.store ?? shared?.store ?? EmbeddedStore.open(config.dataDir, { pictureUrlTtlSeconds: config.imageUrlTtlSeconds, urlSigningKey: config.urlSigningKey, logger });
  return {
    config,
    registry,
    queue: overrides.queue ?? shared?.queue ?? new LocalImageQueue(new JobQueue(config.concurrency, config.queueLimit)),
    uploads: overrides.uploads ?? new UploadMemory(config.uploadMemoryBytes, join(config.dataDir, "tmp", "uploads")).removeLeftovers(),
    keys: overrides.keys ?? new KeyRing(config.apiKeys),
    limits: overrides.limits ?? new RateLimits(store.usage, Date.now, shared?.requestBuckets),
    store,
    responses: overrides.responses ?? store.responses,
    worker: shared?.worker,
    redis: shared?.redis,
    logger,
    startedAt: Math.floor(Date.now() / 1000),
    state: { closing: false },
    ...overrides,
  };
}

/** Lets go of what the parts hold, once no request uses them: engines, the worker, the store, Redis. */
export async function releaseParts(parts: AppParts): Promise<void> {
  await parts.queue.close();
  await parts.worker?.close();
  await parts.registry.dispose();
  await parts.store.close();
  parts.redis?.disconnect();
}

/** A JSON body, data URLs of edits included. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;
/** However slowly a body arrives, the whole request must be in by then (the idle timeout catches stalls sooner). */
const REQUEST_TIMEOUT_MS = 20 * 60 * 1000;

export function createApp(parts: AppParts): FastifyInstance {
  const { config } = parts;
  const app = Fastify({
    loggerInstance: parts.logger as FastifyBaseLogger,
    // Fastify's two lines per request are replaced by one of ours (the onResponse hook below).
    logController: new LogController({ requestIdLogLabel: "request_id", disableRequestLogging: true }),
    genReqId: () => `req_${randomBytes(16).toString("hex")}`,
    bodyLimit: MAX_JSON_BYTES,
    requestTimeout: REQUEST_TIMEOUT_MS,
    return503OnClosing: true,
    // A path that is not valid percent-encoded UTF-8 (/v1/files/%ff%fe) gets OpenAI's shape too.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      const refusal = error.code === "FST_ERR_BAD_URL" ? errors.malformedUrl(request.method, request.url) : errors.invalidUrl(request.method, request.url.split("?")[0]);
      reply.header("x-request-id", request.id).status(refusal.status).send(refusal.toJSON());
    },
  });

  app.register(multipart, { limits: multipartLimits });
  registerJsonParser(app, MAX_JSON_BYTES);
  trackUnusedSockets(app);

  app.decorateRequest("owner", ANONYMOUS_OWNER);
  app.decorateRequest("apiKey", undefined);
  app.decorateRequest("models", null as unknown as ModelCatalog);
  const slots = parts.queue instanceof LocalImageQueue ? parts.queue.slots : parts.worker?.slots;
  if (slots) metrics.watchQueue(slots);
  const cluster = parts.queue;
  const clusterView =
    cluster instanceof ClusterImageQueue && config.role !== "worker"
      ? { waitingByModel: () => cluster.waitingByModel(parts.registry.list().map((entry) => entry.id)), liveWorkers: async () => (await cluster.workers.list()).length }
      : undefined;
  if (clusterView) metrics.watchCluster(clusterView);
  metrics.watchUploads(parts.uploads);
  app.addHook("onClose", async () => {
    if (clusterView) metrics.unwatchCluster(clusterView);
    if (slots) metrics.unwatchQueue(slots);
    metrics.unwatchUploads(parts.uploads);
  });

  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
    countAnswer(request, reply);
    watchStalls(request, reply, config.bodyTimeoutMs);
    request.models = parts.registry;
    if (parts.keys.size === 0 || isPublic(request.url)) return;
    const key = checkApiKey(request.headers.authorization, parts.keys);
    request.apiKey = key;
    request.owner = key.owner;
    if (key.models) request.models = parts.registry.only(key.models);
    await parts.limits.admit(key);
    reply.headers(parts.limits.headers(key));
  });

  // A JSON body is parsed whole: what has arrived of it is held in the upload budget until its answer is sent.
  app.addHook("preParsing", async (request, reply, payload) => {
    if (!/^application\/json\b/i.test(request.headers["content-type"] ?? "")) return payload;
    const declared = Number(request.headers["content-length"]);
    if (declared > parts.uploads.limitBytes && declared <= MAX_JSON_BYTES) throw errors.bodyTooLarge(parts.uploads.limitBytes);
    const { stream, release } = parts.uploads.metered(payload, () => {
      metrics.rateLimited.inc({ reason: "uploads", key: "" });
      return errors.uploadsBusy();
    });
    reply.raw.once("close", release);
    return stream;
  });

  app.addHook("onSend", async (request, reply) => {
    reply.header("openai-processing-ms", String(Math.round(reply.elapsedTime)));
    // The limits as they stand once this request's job has reserved its share.
    if (request.apiKey) reply.headers(parts.limits.headers(request.apiKey));
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
    // A client that left before its answer (its job was cancelled) is not a fault: there is no one to answer.
    if (error.name === "AbortError" && reply.raw.destroyed) {
      request.log.info("the client closed the connection before the answer");
      return reply.status(499).send();
    }
    const apiError = toApiError(error, request);
    if (apiError.status >= 500) request.log.error({ err: error }, "request failed");
    reply.status(apiError.status).headers(apiError.headers).send(apiError.toJSON());
  });

  app.register(async (scope) => {
    healthRoutes(scope, parts);
    metricsRoutes(scope, parts);
    // A worker answers /health and /metrics only: it holds engines, not the API.
    if (config.role === "worker") return;
    modelsRoutes(scope, parts);
    imagesRoutes(scope, parts);
    filesRoutes(scope, parts);
    responsesRoutes(scope, parts);
    playgroundRoutes(scope);
  });
  return app;
}

/**
 * Stops taking connections and waits for requests in flight (which wait for
 * their jobs). A keep-alive connection goes idle only once its last answer is
 * sent, after close() began; closing idle ones as they appear lets it finish.
 */
export async function closeApp(app: FastifyInstance): Promise<void> {
  const closeIdle = setInterval(() => {
    app.server.closeIdleConnections();
    // A connection that was opened and never sent a request is idle too, though Node waits for its headers.
    for (const socket of unusedSockets.get(app) ?? []) socket.destroy();
  }, 50);
  try {
    await app.close();
  } finally {
    clearInterval(closeIdle);
  }
}

/**
 * Counts each answer once it has gone, streams included (they bypass
 * Fastify's own response hooks), with the route's pattern rather than the
 * path so that ids do not multiply the series.
 */
function countAnswer(request: FastifyRequest, reply: FastifyReply): void {
  const started = performance.now();
  reply.raw.once("close", () => {
    const route = request.routeOptions.url ?? "unmatched";
    // A client that left before any answer is counted as nginx counts it: 499.
    const status = reply.raw.headersSent ? String(reply.raw.statusCode) : "499";
    metrics.requests.inc({ route, method: request.method, status });
    if (request.easelModel) metrics.requestSeconds.observe({ endpoint: route, model: request.easelModel }, (performance.now() - started) / 1000);
  });
}

/** Connections that have not sent a request yet, per app: closeApp closes them rather than wait for their headers. */
const unusedSockets = new WeakMap<FastifyInstance, Set<Socket>>();

function trackUnusedSockets(app: FastifyInstance): void {
  const unused = new Set<Socket>();
  unusedSockets.set(app, unused);
  app.server.on("connection", (socket: Socket) => {
    unused.add(socket);
    socket.once("close", () => unused.delete(socket));
  });
  app.server.on("request", (request: IncomingMessage) => unused.delete(request.socket));
}

/** Paths that need no API key: the health check, signed image URLs (signed like OpenAI's) and the playground's static page, which asks its user for a key. */
function isPublic(url: string): boolean {
  const path = url.split("?")[0];
  return path === "/health" || path === "/" || path === "/playground" || path.startsWith("/playground/") || path.startsWith("/v1/images/content/");
}

/** The configured key the request carries; throws 401 without one. */
function checkApiKey(header: string | undefined, keys: KeyRing): ApiKey {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
  if (!match) throw errors.missingApiKey();
  const known = keys.find(match[1].trim());
  if (known === undefined) throw errors.invalidApiKey();
  return known;
}

/** Maps framework and parser errors onto the error table; anything unknown is a logged 500. */
function toApiError(error: FastifyError | ApiError, request: FastifyRequest): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof BodyTimeoutError) return errors.bodyTimeout(error.idleMs);
  const code = (error as FastifyError).code ?? "";
  if (code === "FST_ERR_CTP_BODY_TOO_LARGE") return errors.bodyTooLarge(MAX_JSON_BYTES);
  if (code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return errors.unsupportedContentType(request.headers["content-type"] ?? "", "application/json or multipart/form-data");
  if (code === "FST_ERR_CTP_EMPTY_JSON_BODY" || code === "FST_ERR_CTP_INVALID_JSON_BODY" || error instanceof SyntaxError) return errors.invalidJson();
  if (code.startsWith("FST_ERR_CTP") || code === "FST_INVALID_MULTIPART_CONTENT_TYPE") return errors.invalidBody(error.message);
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) return new ApiError(status, "invalid_request_error", error.message, null, null);
  const backend = isUnreachable(error);
  if (backend) {
    request.log.warn({ err: error }, `the ${backend} cannot be reached`);
    return errors.backendUnavailable(backend);
  }
  return errors.internal(request.id);
}
