import { afterAll, describe, expect, it } from "vitest";
import type { ImageJob, RawImage } from "../engine.js";
import { createComposeEngine } from "./index.js";
import { createThreadedComposeEngine } from "./threaded.js";

const job: ImageJob = {
  mode: "generate", model: "gpt-image-1", prompt: "a watercolor painting of a fox next to a tree", images: [], width: 256, height: 256,
  n: 2, quality: "low", background: "opaque", seed: 7, partialImages: 2, inputFidelity: "low",
};

const threaded = createThreadedComposeEngine({}, 2);
const inProcess = createComposeEngine({});
afterAll(() => threaded.dispose?.());

describe("compose in worker threads", () => {
  it("draws the same pictures and partial images as in process", async () => {
    const partials: { index: number; frame: RawImage }[] = [];
    const signal = new AbortController().signal;
    const frames = await threaded.run(job, { signal, onPartial: (frame, index) => partials.push({ index, frame }) });
    const expected: RawImage[] = [];
    const reference = await inProcess.run(job, { signal, onPartial: (frame) => expected.push(frame) });
    expect(frames.map((f) => Buffer.isBuffer(f.data))).toEqual([true, true]);
    expect(frames.map((f) => f.data.equals(reference[frames.indexOf(f)].data))).toEqual([true, true]);
    expect(partials.map((p) => p.index)).toEqual([0, 1]);
    expect(partials.map((p) => p.frame.data.equals(expected[p.index].data))).toEqual([true, true]);
  });

  it("explains a job as the engine in process does", async () => {
    expect(await threaded.explain!(job)).toEqual(await inProcess.explain!(job));
  });

  it("stops a job whose signal aborts", async () => {
    const controller = new AbortController();
    const running = threaded.run({ ...job, n: 10, quality: "high", width: 1024, height: 1024 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(running).rejects.toMatchObject({ name: "AbortError" });
  });
});
