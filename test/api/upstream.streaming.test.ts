// Streaming through the upstream engine: partial images relayed only when the
// upstream really streams them; the completed event either way.
import { toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakePicture, fakeUsage, openAiUpstream, startFakeUpstream, upstreamModel, type FakeUpstream } from "../helpers/fake-upstream.js";
import { decode, makeImage, startServer, type TestServer } from "../helpers/server.js";

let streaming: FakeUpstream;
let plain: FakeUpstream;
let unasked: FakeUpstream;
let failing: FakeUpstream;
let server: TestServer;

const green = async (b64: string) => (await decode(b64)).pixels[1];

beforeAll(async () => {
  streaming = await startFakeUpstream(openAiUpstream({ streams: true, usage: true }));
  plain = await startFakeUpstream(openAiUpstream());
  // Answers every call with a stream, asked or not: one partial image, then the picture.
  unasked = await startFakeUpstream(async (_request, response) => {
    response.writeHead(200, { "content-type": "text/event-stream" });
    const partial = await fakePicture(1024, 1024, { r: 0, g: 77, b: 0 }, false, "png");
    response.write(`event: image_generation.partial_image\r\ndata: ${JSON.stringify({ type: "image_generation.partial_image", b64_json: partial.toString("base64"), partial_image_index: 0 })}\r\n\r\n`);
    const done = await fakePicture(1024, 1024, { r: 0, g: 99, b: 0 }, false, "png");
    response.end(`event: image_generation.completed\r\ndata: ${JSON.stringify({ type: "image_generation.completed", b64_json: done.toString("base64") })}\r\n\r\n`);
  });
  // One partial image, then an error event, as a server that fails mid-stream sends.
  failing = await startFakeUpstream(async (_request, response) => {
    response.writeHead(200, { "content-type": "text/event-stream" });
    const partial = await fakePicture(1024, 1024, { r: 0, g: 55, b: 0 }, false, "png");
    response.write(`event: image_generation.partial_image\ndata: ${JSON.stringify({ type: "image_generation.partial_image", b64_json: partial.toString("base64"), partial_image_index: 0 })}\n\n`);
    response.end(`event: error\ndata: ${JSON.stringify({ type: "error", error: { message: "The GPU caught fire.", type: "server_error", param: null, code: null } })}\n\n`);
  });
  server = await startServer(
    {
      models: {
        streaming: upstreamModel({ baseUrl: streaming.baseURL, streaming: true }),
        plain: upstreamModel({ baseUrl: plain.baseURL }),
        unasked: upstreamModel({ baseUrl: unasked.baseURL }),
        failing: upstreamModel({ baseUrl: failing.baseURL, streaming: true, retries: 0 }),
      },
    },
    { local: true },
  );
});

afterAll(async () => {
  await server.close();
  await Promise.all([streaming, plain, unasked, failing].map((fake) => fake.close()));
});

describe("an upstream that streams partial images", () => {
  it("is asked to stream, and its partial images are relayed before the completed event", async () => {
    const stream = await server.client.images.generate({ model: "streaming", prompt: "a river of feathers", stream: true, partial_images: 2, quality: "low" });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(streaming.received[0].fields).toMatchObject({ stream: true, partial_images: 2 });
    expect(events.map((e) => e.type)).toEqual(["image_generation.partial_image", "image_generation.partial_image", "image_generation.completed"]);
    // The fake's partial images are green 10 and 40; its picture has blue 200.
    expect(await green(events[0].b64_json)).toBe(10);
    expect(await green(events[1].b64_json)).toBe(40);
    expect(events.slice(0, 2).map((e) => (e as { partial_image_index: number }).partial_image_index)).toEqual([0, 1]);
    const done = events[2];
    if (done.type !== "image_generation.completed") throw new Error("no completed event");
    expect((await decode(done.b64_json)).pixels[2]).toBe(200);
    expect(done.usage).toEqual(fakeUsage(1));
  });

  it("relays partial images of edits as image_edit events", async () => {
    const image = await toFile(await makeImage(512, 512), "a.png", { type: "image/png" });
    const stream = await server.client.images.edit({ model: "streaming", image, prompt: "add a sun", stream: true, partial_images: 1, quality: "low" });
    const types = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(["image_edit.partial_image", "image_edit.completed"]);
    expect(streaming.received.at(-1)!.fields).toMatchObject({ stream: "true", partial_images: "1" });
  });

  it("is not asked to stream when the client wants no partial images", async () => {
    const before = streaming.received.length;
    const stream = await server.client.images.generate({ model: "streaming", prompt: "a cat", stream: true, quality: "low" });
    const types = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(["image_generation.completed"]);
    expect(streaming.received[before].fields).not.toHaveProperty("stream");
  });

  it("turns an error event in the upstream's stream into the client's error event", async () => {
    const stream = await server.client.images.generate({ model: "failing", prompt: "a cat", stream: true, partial_images: 1, quality: "low" });
    const types: string[] = [];
    const failure = await (async () => {
      try {
        for await (const event of stream) types.push(event.type);
      } catch (error) {
        return error as Error;
      }
    })();
    expect(types).toEqual(["image_generation.partial_image"]);
    expect(failure?.message).toMatch(/The GPU caught fire/);
  });
});

describe("an upstream that cannot stream", () => {
  it("is never asked to, and the client still gets its completed event", async () => {
    const stream = await server.client.images.generate({ model: "plain", prompt: "a boat", stream: true, partial_images: 2, quality: "low" });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(plain.received[0].fields).not.toHaveProperty("stream");
    expect(plain.received[0].fields).not.toHaveProperty("partial_images");
    expect(events.map((e) => e.type)).toEqual(["image_generation.completed"]);
    if (events[0].type !== "image_generation.completed") throw new Error("no completed event");
    // No usage from the upstream: Easel's estimate, with no partial image counted.
    expect(events[0].usage.output_tokens).toBe(272);
  });

  it("relays the partial images of an upstream that answers with a stream unasked", async () => {
    const stream = await server.client.images.generate({ model: "unasked", prompt: "a field", stream: true, partial_images: 1, quality: "low" });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(unasked.received[0].fields).not.toHaveProperty("stream");
    expect(events.map((e) => e.type)).toEqual(["image_generation.partial_image", "image_generation.completed"]);
    expect(await green(events[0].b64_json)).toBe(77);
    expect(await green(events[1].b64_json)).toBe(99);
    const result = await server.client.images.generate({ model: "unasked", prompt: "a field", quality: "low" });
    expect(await green(result.data![0].b64_json!)).toBe(99);
  });
});
