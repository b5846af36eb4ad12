import { describe, expect, it } from "vitest";
import type { ImageJob } from "../engine.js";
import { parseUpstreamOptions } from "./options.js";
import { pickSize } from "./pictures.js";
import { requestFields, splitCalls } from "./request.js";
import { Semaphore } from "../semaphore.js";
import { readSse } from "./sse.js";

async function* chunks(...parts: string[]) {
  for (const part of parts) yield new TextEncoder().encode(part);
}

async function events(...parts: string[]) {
  const out = [];
  for await (const event of readSse(chunks(...parts))) out.push(event);
  return out;
}

describe("readSse", () => {
  it("reads events split anywhere across chunks, with LF or CRLF line ends", async () => {
    const text = 'event: a\ndata: {"x":1}\n\n: comment\n\nevent: b\r\ndata: line1\r\ndata: line2\r\n\r\ndata: last';
    const expected = [{ event: "a", data: '{"x":1}' }, { event: "b", data: "line1\nline2" }, { event: undefined, data: "last" }];
    expect(await events(text)).toEqual(expected);
    for (let cut = 1; cut < text.length; cut++) expect(await events(text.slice(0, cut), text.slice(cut))).toEqual(expected);
    expect(await events(...text.split(""))).toEqual(expected);
  });
});

describe("pickSize", () => {
  const sizes = [{ width: 512, height: 512 }, { width: 768, height: 512 }, { width: 512, height: 768 }, { width: 1024, height: 1024 }];
  it("keeps the requested size when the upstream takes any", () => {
    expect(pickSize(1536, 1024)).toEqual({ width: 1536, height: 1024 });
  });
  it("picks the closest shape, then the closest area", () => {
    expect(pickSize(1536, 1024, sizes)).toEqual({ width: 768, height: 512 });
    expect(pickSize(1024, 1536, sizes)).toEqual({ width: 512, height: 768 });
    expect(pickSize(1024, 1024, sizes)).toEqual({ width: 1024, height: 1024 });
    expect(pickSize(256, 256, sizes)).toEqual({ width: 512, height: 512 });
  });
});

describe("splitCalls", () => {
  it("splits n pictures into calls of at most perCall, with their offsets", () => {
    expect(splitCalls(5, 2)).toEqual([{ count: 2, offset: 0 }, { count: 2, offset: 2 }, { count: 1, offset: 4 }]);
    expect(splitCalls(3, 10)).toEqual([{ count: 3, offset: 0 }]);
  });
});

describe("requestFields", () => {
  const job: ImageJob = {
    mode: "generate", model: "m", prompt: "a fox", images: [], width: 1024, height: 1024, n: 1, quality: "high",
    background: "opaque", seed: 4294967295, partialImages: 2, inputFidelity: "high", moderation: "low", style: "natural",
  };
  const plan = { count: 1, offset: 1, size: { width: 1024, height: 1024 }, stream: false };
  const fields = (options: Record<string, unknown>, family: "gpt-image" | "dall-e-2" | "dall-e-3", overrides: Partial<ImageJob> = {}, stream = false) =>
    requestFields({ ...job, ...overrides }, parseUpstreamOptions({ baseUrl: "http://x/v1", ...options }, family, "m"), { ...plan, stream });

  it("speaks each family's exact fields", () => {
    expect(fields({}, "gpt-image")).toEqual({ model: "m", prompt: "a fox", n: 1, size: "1024x1024", quality: "high", background: "opaque", output_format: "png", moderation: "low" });
    expect(fields({}, "gpt-image", { mode: "edit" })).toMatchObject({ input_fidelity: "high" });
    expect(fields({}, "dall-e-2")).toEqual({ model: "m", prompt: "a fox", n: 1, size: "1024x1024", response_format: "b64_json" });
    expect(fields({}, "dall-e-3")).toEqual({ model: "m", prompt: "a fox", n: 1, size: "1024x1024", quality: "hd", style: "natural", response_format: "b64_json" });
    expect(fields({}, "dall-e-2", { mode: "variation" })).toEqual({ model: "m", n: 1, size: "1024x1024", response_format: "b64_json" });
  });

  it("follows the dialect options", () => {
    expect(fields({ outputFormat: false, transparency: false }, "gpt-image")).not.toHaveProperty("output_format");
    expect(fields({ outputFormat: false, transparency: false }, "gpt-image")).not.toHaveProperty("background");
    expect(fields({ responseFormat: "url" }, "gpt-image")).toMatchObject({ response_format: "url" });
    expect(fields({ model: "sd-xl" }, "gpt-image")).toMatchObject({ model: "sd-xl" });
    // Picture `offset` of the job uses seed + offset, wrapping at 2^32.
    expect(fields({ seed: true }, "gpt-image")).toMatchObject({ seed: 0 });
    expect(fields({}, "gpt-image", {}, true)).toMatchObject({ stream: true, partial_images: 2 });
    expect(fields({ omitFields: ["quality", "moderation"], extraFields: { steps: 20, model: "x" } }, "gpt-image")).toEqual({
      model: "x", prompt: "a fox", n: 1, size: "1024x1024", background: "opaque", output_format: "png", steps: 20,
    });
  });
});

describe("Semaphore", () => {
  it("holds at most `limit`, serves waiters in order, and drops a waiter whose signal aborts", async () => {
    const semaphore = new Semaphore(1);
    const never = new AbortController().signal;
    const release = await semaphore.acquire(never);
    const order: string[] = [];
    const leaving = new AbortController();
    const left = semaphore.acquire(leaving.signal).then(() => order.push("left"), () => order.push("aborted"));
    const next = semaphore.acquire(never).then((done) => (order.push("next"), done));
    leaving.abort();
    await left;
    expect(semaphore.inUse).toBe(1);
    release();
    (await next)();
    expect(order).toEqual(["aborted", "next"]);
    expect(semaphore.inUse).toBe(0);
  });
});
