// The page's only way to the server: Easel's public API under /v1, with the
// key its user gave (kept in this browser's localStorage), and errors as the
// API words them.
import { EventSourceParserStream } from "eventsource-parser/stream";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

const KEY_ITEM = "easel.apiKey";

export const apiKey = {
  get: (): string | null => localStorage.getItem(KEY_ITEM),
  set: (key: string) => localStorage.setItem(KEY_ITEM, key),
  clear: () => localStorage.removeItem(KEY_ITEM),
};

/** The API's base URL as seen from this page, for the copied snippets. */
export const baseUrl = () => `${location.origin}/v1`;

export interface CallOptions {
  method?: string;
  json?: unknown;
  form?: FormData;
  signal?: AbortSignal;
}

/** One call; a non-2xx answer becomes an ApiError carrying the API's own message. */
export async function call(path: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  const key = apiKey.get();
  if (key) headers.authorization = `Bearer ${key}`;
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.json);
  } else if (options.form) {
    body = options.form;
  }
  let response: Response;
  try {
    response = await fetch(`/v1${path}`, { method: options.method ?? (body ? "POST" : "GET"), headers, body, signal: options.signal });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError("The server cannot be reached. Is Easel running?", 0);
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

export async function callJson<T>(path: string, options: CallOptions = {}): Promise<T> {
  return (await call(path, options)).json() as Promise<T>;
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  try {
    const error = JSON.parse(text)?.error;
    if (typeof error?.message === "string") return new ApiError(error.message, response.status, error.code ?? null);
  } catch {
    // Not JSON: a proxy's page, say.
  }
  return new ApiError(`The server answered ${response.status} ${response.statusText}`.trim(), response.status);
}

/** A server-sent event's JSON payload: every Easel stream event has a `type`. */
export interface StreamEvent {
  type: string;
  [field: string]: unknown;
}

/** The events of a streamed answer, in order; an `error` event ends it as an ApiError. */
export async function* streamEvents(response: Response): AsyncGenerator<StreamEvent> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const event = JSON.parse(value.data) as StreamEvent;
    if (event.type === "error") {
      // The Image API nests OpenAI's error object; the Responses API puts its fields on the event.
      const error = (event.error ?? event) as { message?: string; code?: string };
      throw new ApiError(error.message ?? "The stream failed.", 0, error.code ?? null);
    }
    yield event;
  }
}

/** Bytes of a base64 string, as the API sends pictures. */
export function fromBase64(b64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(b64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
