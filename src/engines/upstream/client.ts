// HTTP to one upstream image server: a per-upstream concurrency limit, a
// timeout per call, retries with exponential backoff for the failures that are
// safe to retry (no response at all, 502/503/504, 429 with its Retry-After),
// the answer read as JSON or as server-sent events, pictures downloaded from
// the URLs it answers with, and one log line per call with the upstream's
// request id, status and duration (never the API key).
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import { ApiError, errors } from "../../errors.js";
import { metrics } from "../../metrics.js";
import { abortError } from "../../queue.js";
import type { ReportedUsage } from "../engine.js";
import type { UpstreamOptions } from "./options.js";
import { Semaphore } from "../semaphore.js";
import { readSse } from "./sse.js";

export type FieldValue = string | number | boolean;

export interface UpstreamFile {
  field: string;
  filename: string;
  type: string;
  bytes: Buffer;
}

/** One request: JSON when there are no files, multipart/form-data otherwise. */
export interface UpstreamBody {
  fields: Record<string, FieldValue>;
  files?: UpstreamFile[];
}

/** One picture of an answer, as the upstream gave it. */
export interface UpstreamItem {
  b64_json?: string;
  url?: string;
}

export interface UpstreamAnswer {
  items: UpstreamItem[];
  usage?: ReportedUsage;
  requestId: string | null;
}

export interface CallHooks {
  signal: AbortSignal;
  /** Partial pictures of a streamed answer, encoded as the upstream sent them, in order. */
  onPartial?: (bytes: Buffer) => Promise<void>;
}

type Endpoint = "generations" | "edits" | "variations";

interface Failure {
  error: ApiError;
  retryable: boolean;
  /** The upstream's Retry-After, when it gave one. */
  waitMs?: number;
}

const MAX_ERROR_BODY = 64 * 1024;

/** The log line each call ends with, as its outcome in the metrics. */
const OUTCOMES: Record<string, string> = {
  "upstream call": "ok",
  "upstream call cancelled": "cancelled",
  "upstream call timed out": "timeout",
  "upstream answer unusable": "unusable",
  "upstream call failed": "failed",
};

export class UpstreamClient {
  private readonly slots: Semaphore;
  private readonly logger: Logger;
  private readonly headers: Record<string, string>;

  constructor(private readonly options: UpstreamOptions, logger: Logger) {
    this.slots = new Semaphore(options.concurrency);
    this.logger = logger.child({ engine: "upstream", upstream: options.root });
    this.headers = { ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}), ...options.headers };
  }

  /** Calls in flight now (for tests and diagnostics). */
  get inFlight(): number {
    return this.slots.inUse;
  }

  /** POSTs to `{baseUrl}/images/{endpoint}`, retrying what is safe to retry. */
  async post(endpoint: Endpoint, body: UpstreamBody, hooks: CallHooks): Promise<UpstreamAnswer> {
    const { options } = this;
    const url = `${options.root}/images/${endpoint}`;
    const payload = encodeBody(body);
    const model = body.fields.model;
    for (let attempt = 1; ; attempt++) {
      const release = await this.slots.acquire(hooks.signal);
      const started = performance.now();
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const signal = AbortSignal.any([hooks.signal, timeout]);
      let status: number | null = null;
      let requestId: string | null = null;
      // Each call ends in exactly one of these lines, so the metrics count calls and retries here too.
      const log = (level: "info" | "warn", message: string, extra: Record<string, unknown> = {}) => {
        metrics.upstreamCalls.inc({ upstream: options.root, outcome: OUTCOMES[message] ?? message });
        if (extra.retrying) metrics.upstreamRetries.inc({ upstream: options.root });
        this.logger[level](
          { endpoint, upstream_model: model, attempt, status, upstream_request_id: requestId, duration_ms: Math.round(performance.now() - started), ...extra },
          message,
        );
      };
      let failure: Failure;
      try {
        const response = await fetch(url, { method: "POST", headers: { ...this.headers, ...payload.headers }, body: payload.body, signal });
        status = response.status;
        requestId = response.headers.get("x-request-id") ?? response.headers.get("request-id");
        if (response.ok) {
          const answer = await readAnswer(response, hooks, requestId);
          log("info", "upstream call", { images: answer.items.length, streamed: isEventStream(response) });
          return answer;
        }
        failure = classify(response.status, await readErrorBody(response), response.headers.get("retry-after"), options);
      } catch (error) {
        if (hooks.signal.aborted) {
          log("info", "upstream call cancelled");
          throw abortError();
        }
        if (timeout.aborted) {
          log("warn", "upstream call timed out", { timeout_ms: options.timeoutMs });
          throw errors.upstreamTimeout(options.timeoutMs);
        }
        if (error instanceof ApiError) {
          log("warn", "upstream answer unusable", { error: error.message });
          throw error;
        }
        // No response at all (refused, reset, DNS) is safe to retry; a body cut short after the status is not.
        failure = {
          error: errors.upstreamFailed(`${status === null ? "cannot reach" : "lost the connection to"} ${options.root} (${describeNetworkError(error)}).`),
          retryable: status === null,
        };
      } finally {
        release();
      }
      const retrying = failure.retryable && attempt <= options.retries;
      log("warn", "upstream call failed", { error: failure.error.message, retrying });
      if (!retrying) throw failure.error;
      const backoff = options.retryBaseMs * 2 ** (attempt - 1) * (1 + Math.random() * 0.2);
      await sleep(failure.waitMs ?? backoff, undefined, { signal: hooks.signal }).catch(() => {
        throw abortError();
      });
    }
  }

  /** Fetches a picture the upstream answered with as a URL, with a size limit and a timeout. */
  async download(location: string, signal: AbortSignal): Promise<Buffer> {
    const { options } = this;
    if (location.startsWith("data:")) {
      const match = /^data:[^,]*;base64,(.*)$/s.exec(location);
      if (!match) throw errors.upstreamFailed("it answered with a data URL that is not base64.");
      return Buffer.from(match[1], "base64");
    }
    let target: URL;
    try {
      target = new URL(location, `${options.root}/`);
    } catch {
      throw errors.upstreamFailed(`it answered with an invalid image URL (${location.slice(0, 200)}).`);
    }
    if (target.protocol !== "http:" && target.protocol !== "https:") throw errors.upstreamFailed(`it answered with a ${target.protocol} URL.`);
    const shown = `${target.origin}${target.pathname}`;
    const started = performance.now();
    const timeout = AbortSignal.timeout(options.downloadTimeoutMs);
    // The upstream's credentials go only to the upstream itself.
    const headers = target.origin === new URL(options.root).origin ? this.headers : {};
    let status: number | null = null;
    try {
      const response = await fetch(target, { headers, signal: AbortSignal.any([signal, timeout]) });
      status = response.status;
      if (status !== 200 || !response.body) {
        await response.body?.cancel();
        throw errors.upstreamFailed(`downloading the picture at ${shown} answered HTTP ${status}.`);
      }
      const declared = Number(response.headers.get("content-length") ?? 0);
      const tooLarge = () => errors.upstreamFailed(`the picture at ${shown} is larger than maxDownloadBytes (${options.maxDownloadBytes} bytes).`);
      if (declared > options.maxDownloadBytes) {
        await response.body.cancel();
        throw tooLarge();
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        size += chunk.length;
        if (size > options.maxDownloadBytes) throw tooLarge();
        chunks.push(Buffer.from(chunk));
      }
      this.logger.info({ url: shown, status, bytes: size, duration_ms: Math.round(performance.now() - started) }, "upstream download");
      return Buffer.concat(chunks);
    } catch (error) {
      if (signal.aborted) throw abortError();
      const apiError =
        error instanceof ApiError ? error
        : timeout.aborted ? errors.upstreamTimeout(options.downloadTimeoutMs)
        : errors.upstreamFailed(`downloading the picture at ${shown} failed (${describeNetworkError(error)}).`);
      this.logger.warn({ url: shown, status, duration_ms: Math.round(performance.now() - started), error: apiError.message }, "upstream download failed");
      throw apiError;
    }
  }
}

function encodeBody(body: UpstreamBody): { body: string | FormData; headers: Record<string, string> } {
  if (!body.files || body.files.length === 0) {
    return { body: JSON.stringify(body.fields), headers: { "content-type": "application/json" } };
  }
  const form = new FormData();
  for (const [name, value] of Object.entries(body.fields)) form.append(name, String(value));
  for (const file of body.files) form.append(file.field, new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.filename);
  return { body: form, headers: {} };
}

function isEventStream(response: Response): boolean {
  return /^text\/event-stream\b/i.test(response.headers.get("content-type") ?? "");
}

/** Reads a 2xx answer: OpenAI's ImagesResponse as JSON, or its image events as a stream. */
async function readAnswer(response: Response, hooks: CallHooks, requestId: string | null): Promise<UpstreamAnswer> {
  if (isEventStream(response) && response.body) return readStream(response.body, hooks, requestId);
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw errors.upstreamFailed(`it answered HTTP ${response.status} with a body that is not JSON (${snippet(text)}).`);
  }
  const data = isObject(body) ? body.data : undefined;
  if (!Array.isArray(data)) throw errors.upstreamFailed("its answer has no 'data' list of pictures.");
  return { items: data.filter(isObject).map(itemOf), usage: readUsage(isObject(body) ? body.usage : undefined), requestId };
}

async function readStream(body: AsyncIterable<Uint8Array>, hooks: CallHooks, requestId: string | null): Promise<UpstreamAnswer> {
  const items: UpstreamItem[] = [];
  let usage: ReportedUsage | undefined;
  for await (const event of readSse(body)) {
    if (event.data.trim() === "[DONE]") continue;
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      throw errors.upstreamFailed(`it streamed an event that is not JSON (${snippet(event.data)}).`);
    }
    if (!isObject(data)) continue;
    const type = typeof data.type === "string" ? data.type : (event.event ?? "");
    if (type === "error" || event.event === "error") throw streamError(data);
    if (type.endsWith(".partial_image")) {
      if (hooks.onPartial && typeof data.b64_json === "string") await hooks.onPartial(Buffer.from(data.b64_json, "base64"));
    } else if (type.endsWith(".completed")) {
      items.push(itemOf(data));
      // Every completed event carries the usage of the whole call.
      usage = readUsage(data.usage) ?? usage;
    }
  }
  if (items.length === 0) throw errors.upstreamFailed("its stream ended without a completed picture.");
  return { items, usage, requestId };
}

function itemOf(value: Record<string, unknown>): UpstreamItem {
  return {
    b64_json: typeof value.b64_json === "string" ? value.b64_json : undefined,
    url: typeof value.url === "string" ? value.url : undefined,
  };
}

/** The usage an answer reports, when it reports at least input and output tokens. */
export function readUsage(value: unknown): ReportedUsage | undefined {
  if (!isObject(value) || !isCount(value.input_tokens) || !isCount(value.output_tokens)) return undefined;
  const usage: ReportedUsage = {
    input_tokens: value.input_tokens,
    output_tokens: value.output_tokens,
    total_tokens: isCount(value.total_tokens) ? value.total_tokens : value.input_tokens + value.output_tokens,
  };
  const details = value.input_tokens_details;
  if (isObject(details) && isCount(details.text_tokens) && isCount(details.image_tokens)) {
    usage.input_tokens_details = { text_tokens: details.text_tokens, image_tokens: details.image_tokens };
  }
  return usage;
}

interface UpstreamErrorBody {
  message: string;
  type?: string;
  param?: string | null;
  code?: string | null;
}

/** OpenAI's {"error": {...}}, or the shapes other servers use ({"error": "..."}, {"message"}, {"detail"}), or the text. */
function parseErrorBody(text: string, status: number): UpstreamErrorBody {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { message: text.trim() ? snippet(text) : `HTTP ${status}` };
  }
  const error = isObject(body) ? (isObject(body.error) ? body.error : body) : {};
  const message =
    typeof error.message === "string" ? error.message
    : isObject(body) && typeof body.error === "string" ? body.error
    : typeof error.detail === "string" ? error.detail
    : snippet(text);
  return {
    message: message || `HTTP ${status}`,
    type: typeof error.type === "string" ? error.type : undefined,
    param: typeof error.param === "string" ? error.param : null,
    code: typeof error.code === "string" ? error.code : null,
  };
}

function streamError(data: Record<string, unknown>): ApiError {
  const body = parseErrorBody(JSON.stringify(data), 400);
  if (body.type === "server_error" || body.code === "server_error") return errors.upstreamFailed(body.message);
  return errors.upstreamRejected(body.message, { status: 400, type: body.type, param: body.param, code: body.code });
}

/** What a non-2xx status means for the client, and whether another try is safe. */
function classify(status: number, text: string, retryAfter: string | null, options: UpstreamOptions): Failure {
  const body = parseErrorBody(text, status);
  const waitMs = parseRetryAfter(retryAfter);
  const waitable = waitMs === undefined || waitMs <= options.maxRetryAfterMs;
  if (status === 429) {
    const error = errors.upstreamRejected(body.message, { status, type: body.type, param: body.param, code: body.code ?? "rate_limit_exceeded", retryAfter: retryAfter ?? undefined });
    return { error, retryable: waitable, waitMs };
  }
  if (status === 502 || status === 503 || status === 504) {
    return { error: errors.upstreamFailed(`it answered HTTP ${status}: ${body.message}`), retryable: waitable, waitMs };
  }
  // The client's own key is fine: a refused key is Easel's configuration, not the client's request.
  if (status === 401 || status === 403 || status === 407) {
    return { error: errors.upstreamFailed(`it refused Easel's credentials (HTTP ${status}: ${body.message}).`), retryable: false };
  }
  if (status >= 400 && status < 500) {
    return { error: errors.upstreamRejected(body.message, { status, type: body.type, param: body.param, code: body.code }), retryable: false };
  }
  return { error: errors.upstreamFailed(`it answered HTTP ${status}: ${body.message}`), retryable: false };
}

/** Retry-After as seconds or an HTTP date, in milliseconds. */
function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

async function readErrorBody(response: Response): Promise<string> {
  if (!response.body) return "";
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    chunks.push(Buffer.from(chunk));
    size += chunk.length;
    if (size > MAX_ERROR_BODY) break;
  }
  return Buffer.concat(chunks).toString("utf8").slice(0, MAX_ERROR_BODY);
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}
