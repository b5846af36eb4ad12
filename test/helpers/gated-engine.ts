// An engine that holds every job until the test releases it, to observe the
// queue (limits, cancellation, shutdown) without depending on timing.
import type { Engine, ImageJob, RawImage } from "../../src/engines/engine.js";
import { abortError } from "../../src/queue.js";

export class GatedEngine implements Engine {
  readonly name = "gated";
  started = 0;
  aborted = 0;
  private gates: (() => void)[] = [];

  async run(job: ImageJob, { signal }: { signal: AbortSignal }): Promise<RawImage[]> {
    this.started++;
    await new Promise<void>((resolve, reject) => {
      this.gates.push(resolve);
      signal.addEventListener("abort", () => {
        this.aborted++;
        reject(abortError());
      });
    });
    const data = Buffer.alloc(job.width * job.height * 4, 200);
    return Array.from({ length: job.n }, () => ({ data, width: job.width, height: job.height }));
  }

  releaseAll(): void {
    for (const open of this.gates.splice(0)) open();
  }
}
