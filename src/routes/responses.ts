// /v1/responses: create (plain, streamed, or in the background), retrieve
// (or follow a background response's events), delete, cancel, and list input
// items. Handlers turn HTTP into calls on the ResponsesService and its
// results back into OpenAI's wire shapes; responses belong to request.owner.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AppParts } from "../app.js";
import { errors } from "../errors.js";
import { MAX_FILE_BYTES } from "../http/multipart.js";
import { resolveImageRef, storedFiles } from "../http/image-refs.js";
import { disconnectSignal, SseStream } from "../http/sse.js";
import { createPlanner } from "../responses/chat-planner.js";
import type { ResolveRef } from "../responses/images.js";
import { LocalRuns, replayEvents, type BackgroundRuns } from "../responses/runs.js";
import { ResponsesService, type Caller, type PreparedResponse } from "../responses/service.js";
import type { ResponseObject } from "../responses/types.js";
import type { Reservation } from "../access/rate-limits.js";
import { expectedUsage } from "../usage.js";
import type { InputItemsQuery } from "../responses/store.js";

/** The shared mode leaves a response this young alone: its job may not be queued yet. */
const ORPHAN_AGE_SECONDS = 60;

export function responsesRoutes(app: FastifyInstance, parts: AppParts): void {
  const { config, queue, logger } = parts;
  const store = parts.responses;
  const planner = createPlanner(config, logger);
  const service = new ResponsesService({ config, queue, store, planner, logger });
  // Background responses run in this process, or on the shared mode's workers.
  const runs: BackgroundRuns = queue.backgroundRuns?.(service) ?? new LocalRuns(service, logger);
  const fetchPolicy = { maxBytes: MAX_FILE_BYTES, timeoutMs: 15_000, allowPrivateAddresses: config.allowPrivateImageUrls };

  const callerOf = (request: FastifyRequest): Caller => {
    const owner = request.owner;
    const readFile = storedFiles(parts.store.files, owner, MAX_FILE_BYTES);
    const resolveRef: ResolveRef = (ref, param) => resolveImageRef(ref, param, fetchPolicy, readFile);
    return { owner, models: request.models, resolveRef };
  };

  // Responses a stopped process left queued or in progress will never finish: say so. In the
  // shared mode other nodes come and go (and a Redis that restarts empty drops their jobs), so
  // every node looks again each minute, at responses old enough to have been queued by now.
  const shared = config.shared !== undefined;
  const failOrphans = async () => {
    for (const record of await store.listUnfinished()) {
      if (shared && Date.now() / 1000 - record.response.created_at < ORPHAN_AGE_SECONDS) continue;
      if (await runs.running(record)) continue;
      const response = { ...record.response, status: "failed" as const, error: { code: "server_error", message: "The server stopped before this response finished." } };
      await store.update(record.owner, response);
    }
  };
  let orphanSweep: NodeJS.Timeout | undefined;
  app.addHook("onReady", async () => {
    await failOrphans();
    if (!shared) return;
    orphanSweep = setInterval(() => void failOrphans().catch((error) => logger.warn({ err: error }, "responses: looking for orphaned responses failed")), 60_000);
    orphanSweep.unref();
  });
  // Background responses finish (and are stored) before the server closes.
  app.addHook("onClose", async () => {
    clearInterval(orphanSweep);
    await runs.drain();
  });

  app.post("/v1/responses", async (request, reply) => {
    const body = jsonBody(request);
    const caller = callerOf(request);
    const disconnect = disconnectSignal(reply);
    const prepared = await service.prepare(body, caller, disconnect);
    request.easelModel = prepared.request.model;
    if (prepared.imageRequest && !prepared.request.background) await queue.admit(prepared.imageRequest.model.id);
    // The key's daily images and tokens are reserved before any work, and settled when the response ends.
    const charge = chargeFor(await parts.limits.reserve(request.apiKey, expectedUse(prepared)));
    if (request.apiKey) reply.headers(parts.limits.headers(request.apiKey));
    try {
      if (prepared.request.background) return await startBackground(prepared, request, reply, charge);
      await service.save(prepared);
      if (prepared.request.stream) return await streamRun(prepared, request, reply, disconnect, charge);
      return charge(await service.run(prepared, () => undefined, disconnect));
    } catch (error) {
      charge();
      if (disconnect.aborted) return reply.status(499).send();
      throw error;
    }
  });

  /** Settles a reservation with what a finished response used, or gives it back for one that did not finish. */
  type Charge = (response?: ResponseObject) => ResponseObject | undefined;
  function chargeFor(reservation: Reservation): Charge {
    return (response) => {
      if (!response) reservation.release();
      else reservation.settle({ images: response.output.filter((item) => item.type === "image_generation_call" && item.status === "completed").length, tokens: response.usage?.total_tokens ?? 0 });
      return response;
    };
  }

  /** The planner's tokens, and the image job's pictures and expected tokens. */
  function expectedUse({ plannerUsage, imageRequest }: PreparedResponse) {
    const image = imageRequest ? expectedUsage(imageRequest.job) : { images: 0, tokens: 0 };
    return { images: image.images, tokens: plannerUsage.input_tokens + plannerUsage.output_tokens + image.tokens };
  }

  async function streamRun(prepared: PreparedResponse, request: FastifyRequest, reply: FastifyReply, signal: AbortSignal, charge: Charge) {
    const stream = new SseStream(reply, request);
    try {
      charge(await service.run(prepared, (event) => stream.send(event.type, event), signal));
    } catch (error) {
      charge();
      if (!signal.aborted) request.log.warn({ err: error, response_id: prepared.response.id }, "response failed");
    } finally {
      stream.end();
    }
    return reply;
  }

  async function startBackground(prepared: PreparedResponse, request: FastifyRequest, reply: FastifyReply, charge: Charge) {
    const queued = structuredClone(prepared.response);
    await service.save(prepared);
    await runs.start(prepared, charge);
    if (!prepared.request.stream) return queued;
    return followRun(prepared.response.id, prepared.owner, -1, request, reply);
  }

  /** Streams a background response's events; the client going away stops the stream, not the response. */
  async function followRun(id: string, owner: string, startingAfter: number, request: FastifyRequest, reply: FastifyReply) {
    const stream = new SseStream(reply, request);
    const gone = new AbortController();
    reply.raw.on("close", () => gone.abort());
    const followed = await runs.follow(id, owner, startingAfter, (event) => stream.send(event.type, event), gone.signal);
    if (!followed) {
      const record = await store.get(id, owner);
      for (const event of record ? replayEvents(record.response) : []) if (event.sequence_number > startingAfter) await stream.send(event.type, event);
    }
    stream.end();
    return reply;
  }

  app.get<{ Params: { id: string }; Querystring: Record<string, string | string[] | undefined> }>("/v1/responses/:id", async (request, reply) => {
    const { id } = request.params;
    const record = await store.get(id, request.owner);
    if (!record) throw errors.responseNotFound(id);
    const query = request.query;
    if (query.stream === "true") {
      if (!record.response.background) throw errors.invalidParam("stream", "Invalid 'stream': only responses created with background: true can be streamed again.");
      const startingAfter = query.starting_after === undefined ? -1 : integerParam("starting_after", query.starting_after, 0, Number.MAX_SAFE_INTEGER);
      return followRun(id, request.owner, startingAfter, request, reply);
    }
    if (query.stream !== undefined && query.stream !== "false") throw errors.invalidValue("stream", query.stream, ["true", "false"]);
    return record.response;
  });

  app.delete<{ Params: { id: string } }>("/v1/responses/:id", async (request) => {
    const { id } = request.params;
    const record = await store.get(id, request.owner);
    if (record) await runs.cancel(record);
    if (!(await store.delete(id, request.owner))) throw errors.responseNotFound(id);
    return { id, object: "response", deleted: true };
  });

  app.post<{ Params: { id: string } }>("/v1/responses/:id/cancel", async (request) => {
    const { id } = request.params;
    const { owner } = request;
    const record = await store.get(id, owner);
    if (!record) throw errors.responseNotFound(id);
    if (!record.response.background) throw errors.cannotCancel("only responses created with background: true can be cancelled.");
    if (await runs.cancel(record)) {
      // Stopped, and its final state stored.
    } else if (record.response.status === "queued" || record.response.status === "in_progress") {
      // Left behind by a process that stopped: nothing runs it any more.
      await store.update(owner, { ...record.response, status: "cancelled" });
    } else if (record.response.status !== "cancelled") {
      throw errors.cannotCancel(`it has already ${record.response.status === "completed" ? "completed" : `ended (${record.response.status})`}.`);
    }
    const latest = await store.get(id, owner);
    if (!latest) throw errors.responseNotFound(id);
    return latest.response;
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, string | string[] | undefined> }>("/v1/responses/:id/input_items", async (request) => {
    const { id } = request.params;
    const query = request.query;
    const order = query.order ?? "desc";
    if (order !== "asc" && order !== "desc") throw errors.invalidValue("order", order, ["asc", "desc"]);
    if (Array.isArray(query.after)) throw errors.invalidType("after", "a string", query.after);
    const page: InputItemsQuery = {
      limit: query.limit === undefined ? 20 : integerParam("limit", query.limit, 1, 100),
      order,
      after: query.after,
    };
    const result = await store.listInputItems(id, request.owner, page);
    if (!result) throw errors.responseNotFound(id);
    return {
      object: "list",
      data: result.data,
      first_id: result.data[0]?.id ?? null,
      last_id: result.data[result.data.length - 1]?.id ?? null,
      has_more: result.has_more,
    };
  });
}

function integerParam(name: string, raw: string | string[], min: number, max: number): number {
  if (Array.isArray(raw) || !/^-?\d+$/.test(raw)) throw errors.invalidType(name, "an integer", raw);
  const value = Number(raw);
  if (value < min) throw errors.belowMin(name, min, value);
  if (value > max) throw errors.aboveMax(name, max, value);
  return value;
}

function jsonBody(request: FastifyRequest): Record<string, unknown> {
  const contentType = request.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(contentType)) throw errors.unsupportedContentType(contentType, "application/json");
  const body = request.body;
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) throw errors.invalidBody("expected a JSON object.");
  return body as Record<string, unknown>;
}
