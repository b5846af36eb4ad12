// The worker side of a ThreadPool (./pool.ts): load once, then run one task
// at a time, with an AbortSignal the pool can fire and a way to send events
// (partial pictures) back before the result.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, type TransferListItem } from "node:worker_threads";
import { toWire, type ToMain, type ToWorker } from "./protocol.js";

export interface TaskContext {
  signal: AbortSignal;
  emit(event: unknown, transfer?: TransferListItem[]): void;
}

export interface Answer {
  result: unknown;
  transfer?: TransferListItem[];
}

export async function serveTasks(load: () => Promise<void>, handle: (payload: unknown, context: TaskContext) => Promise<Answer>): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("serveTasks runs in a worker thread");
  yieldToRequests();
  const post = (message: ToMain, transfer: TransferListItem[] = []) => port.postMessage(message, transfer);
  try {
    await load();
  } catch (error) {
    post({ type: "start-failed", error: toWire(error) });
    process.exit(1);
  }
  const running = new Map<number, AbortController>();
  port.on("message", async (message: ToWorker) => {
    if (message.type === "abort") {
      running.get(message.id)?.abort();
      return;
    }
    const { id } = message;
    const controller = new AbortController();
    running.set(id, controller);
    try {
      const emit = (event: unknown, transfer?: TransferListItem[]) => post({ type: "event", id, event }, transfer);
      const answer = await handle(message.payload, { signal: controller.signal, emit });
      post({ type: "done", id, result: answer.result }, answer.transfer);
    } catch (error) {
      post({ type: "failed", id, error: toWire(error) });
    } finally {
      running.delete(id);
    }
  });
  post({ type: "ready" });
}

/**
 * Runs this thread at a lower priority than the one that answers requests,
 * so that on a machine whose cores are all drawing, a request (even /health)
 * is still taken within a few milliseconds. Linux gives each thread its own
 * nice value, set through its thread id; elsewhere this does nothing.
 */
function yieldToRequests(): void {
  try {
    const threadId = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (threadId > 0) setPriority(threadId, 10);
  } catch {
    // Not Linux, or not allowed: the thread keeps the process's priority.
  }
}

/** A buffer's memory, to move rather than copy, when the buffer is its only user (not a slice of Node's shared pool). */
export function movable(data: Uint8Array): TransferListItem[] {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer ? [data.buffer] : [];
}
