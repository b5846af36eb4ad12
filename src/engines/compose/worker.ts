// A compose worker thread: the engine of ./index.ts, loaded once, drawing
// the jobs ./threaded.ts sends it, off the server's event loop.
import { workerData } from "node:worker_threads";
import { movable, serveTasks } from "../../threads/serve.js";
import type { ImageJob, RawImage } from "../engine.js";
import { createComposeEngine, type ComposeEngineOptions } from "./index.js";
import { asBuffer, type ComposeTask } from "./threaded.js";

const engine = createComposeEngine(workerData as ComposeEngineOptions);

await serveTasks(
  () => engine.load!(),
  async (payload, { signal, emit }) => {
    const task = payload as ComposeTask;
    const job = withBuffers(task.job);
    if (task.kind === "explain") return { result: await engine.explain!(job) };
    const onPartial = (frame: RawImage, index: number) => emit({ frame, index }, movable(frame.data));
    const frames = await engine.run(job, { signal, onPartial: task.partials ? onPartial : undefined });
    return { result: frames, transfer: frames.flatMap((frame) => movable(frame.data)) };
  },
);

/** Pixels arrive as plain Uint8Arrays; the engine works on Buffers. */
function withBuffers(job: ImageJob): ImageJob {
  return { ...job, images: job.images.map(asBuffer), mask: job.mask && asBuffer(job.mask) };
}
