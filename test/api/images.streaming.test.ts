import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decode, startServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe("streaming generations", () => {
  it("runs the guide's streaming example: partial images, then the completed image with usage", async () => {
    const prompt = "Draw a gorgeous image of a river made of white owl feathers, snaking its way through a serene winter landscape";
    const stream = await server.client.images.generate({ prompt, model: "gpt-image-1", stream: true, partial_images: 2 });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(events.map((e) => e.type)).toEqual(["image_generation.partial_image", "image_generation.partial_image", "image_generation.completed"]);
    const [first, second, done] = events;
    // "landscape" in the prompt makes size auto render landscape.
    expect(first).toMatchObject({ partial_image_index: 0, size: "1536x1024", quality: "medium", background: "opaque", output_format: "png" });
    expect(second).toMatchObject({ partial_image_index: 1 });
    expect(typeof first.created_at).toBe("number");
    const pictures = events.map((e) => e.b64_json);
    expect(new Set(pictures).size).toBe(3);
    for (const picture of pictures) expect((await decode(picture)).width).toBe(1536);
    if (done.type !== "image_generation.completed") throw new Error("no completed event");
    expect(done.usage.output_tokens).toBe(1568 + 2 * 100);
    expect(done.usage.total_tokens).toBe(done.usage.input_tokens + done.usage.output_tokens);
  });

  it("sends only the final image for partial_images 0, in the requested format", async () => {
    const stream = await server.client.images.generate({ prompt: "a cat", model: "gpt-image-1", stream: true, partial_images: 0, output_format: "webp", quality: "low" });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(events.map((e) => e.type)).toEqual(["image_generation.completed"]);
    expect((await decode(events[0].b64_json)).format).toBe("webp");
  });

  it("sends one completed event per picture", async () => {
    const stream = await server.client.images.generate({ prompt: "a dog", model: "gpt-image-1", stream: true, n: 2, quality: "low" });
    const types = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(["image_generation.completed", "image_generation.completed"]);
  });

  it("writes server-sent events with event and data lines", async () => {
    const response = await fetch(`${server.baseURL}/images/generations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-image-1", prompt: "a boat", stream: true, partial_images: 1, quality: "low" }),
    });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    const text = await response.text();
    const blocks = text.trim().split("\n\n");
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toMatch(/^event: image_generation\.partial_image\ndata: \{/);
    expect(blocks[1]).toMatch(/^event: image_generation\.completed\ndata: \{/);
  });

  it("refuses bad streaming requests with a plain 4xx before streaming", async () => {
    await expect(server.client.images.generate({ prompt: "x", model: "gpt-image-1", stream: true, partial_images: 9 })).rejects.toMatchObject({ status: 400, error: { param: "partial_images" } });
  });
});
