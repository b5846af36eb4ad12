// The messages between a ThreadPool (./pool.ts) and its workers (./serve.ts),
// and errors on the wire: an ApiError thrown in a worker reaches the client
// as the same OpenAI-shaped refusal; an abort stays an abort.
import { ApiError, type ErrorType } from "../errors.js";

export type ToWorker = { type: "run"; id: number; payload: unknown } | { type: "abort"; id: number };

export type ToMain =
  | { type: "ready" }
  | { type: "start-failed"; error: WireError }
  | { type: "event"; id: number; event: unknown }
  | { type: "done"; id: number; result: unknown }
  | { type: "failed"; id: number; error: WireError };

export interface WireError {
  name: string;
  message: string;
  stack?: string;
  api?: { status: number; type: ErrorType; param: string | null; code: string | null; headers: Record<string, string> };
}

export function toWire(error: unknown): WireError {
  if (error instanceof ApiError) {
    const { status, type, param, code, headers } = error;
    return { name: error.name, message: error.message, api: { status, type, param, code, headers } };
  }
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: "Error", message: String(error) };
}

export function fromWire(wire: WireError): Error {
  if (wire.api) return new ApiError(wire.api.status, wire.api.type, wire.message, wire.api.param, wire.api.code, wire.api.headers);
  const error = new Error(wire.message);
  error.name = wire.name;
  if (wire.stack) error.stack = wire.stack;
  return error;
}
