// The compose engine as the server runs it: in worker threads, so drawing
// (reading the prompt, laying out, styling pixel by pixel) never holds the
// event loop. One pool per set of options, shared by every model that uses
// compose, with a thread per job that may run at once. Pictures move between
// threads without copies; an abort reaches the worker at its next stage.
import type { Engine, ImageJob, RawImage } from "../engine.js";
import { siblingModule, ThreadPool } from "../../threads/pool.js";
import type { ComposeEngineOptions } from "./index.js";

export type ComposeTask = { kind: "run"; job: ImageJob; partials: boolean } | { kind: "explain"; job: ImageJob };

const entry = siblingModule(import.meta.url, "worker");
const pools = new Map<string, { pool: ThreadPool; users: number }>();

export function createThreadedComposeEngine(options: ComposeEngineOptions, threads = 1): Engine {
  const key = JSON.stringify(options);
  let shared = pools.get(key);
  if (!shared) {
    shared = { pool: new ThreadPool(entry, { name: "compose", size: Math.max(1, threads), workerData: options }), users: 0 };
    pools.set(key, shared);
  }
  shared.users++;
  const { pool } = shared;
  let disposed = false;
  return {
    name: "compose",
    load: () => pool.start(),
    async run(job, { signal, onPartial }) {
      const task: ComposeTask = { kind: "run", job, partials: onPartial !== undefined };
      const onEvent = (event: unknown) => {
        const { frame, index } = event as { frame: RawImage; index: number };
        onPartial?.(asBuffer(frame), index);
      };
      const frames = await pool.run<RawImage[]>(task, { signal, onEvent });
      return frames.map(asBuffer);
    },
    // The plan needs the prompt, not the pixels; only a picture with a plan of its own travels whole, to be checked against it.
    explain: (job) => {
      const shape = (image: RawImage): RawImage => (image.plan && job.images.length === 1 ? image : { data: Buffer.alloc(0), width: image.width, height: image.height });
      return pool.run<Record<string, unknown>>({ kind: "explain", job: { ...job, images: job.images.map(shape), mask: job.mask && shape(job.mask) } } satisfies ComposeTask);
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      if (--shared!.users > 0) return;
      pools.delete(key);
      await pool.close();
    },
  };
}

/** A picture that crossed threads: its pixels arrive as a plain Uint8Array. */
export function asBuffer(image: RawImage): RawImage {
  const data: Uint8Array = image.data;
  return { ...image, data: Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength) };
}
