import { toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decode, makeImage, pixelSpread, startServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe("POST /v1/images/variations", () => {
  it("varies a square png with dall-e-2 by default", async () => {
    const input = await makeImage(512, 512);
    const result = await server.client.images.createVariation({ image: await toFile(input, "otter.png", { type: "image/png" }), n: 2, size: "512x512", response_format: "b64_json" });
    expect(result.data).toHaveLength(2);
    const [first, second] = await Promise.all(result.data!.map((d) => decode(d.b64_json!)));
    expect([first.width, first.height]).toEqual([512, 512]);
    expect(pixelSpread(first.pixels)).toBeGreaterThan(10);
    expect(result.data![0].b64_json).not.toBe(result.data![1].b64_json);
    expect(second.width).toBe(512);
  });

  it("answers with a url by default", async () => {
    const result = await server.client.images.createVariation({ image: await toFile(await makeImage(256, 256), "a.png", { type: "image/png" }), size: "256x256" });
    const response = await fetch(result.data![0].url!);
    expect(response.status).toBe(200);
  });

  it("refuses GPT image models, non-square images and prompts", async () => {
    const image = await toFile(await makeImage(256, 256), "a.png", { type: "image/png" });
    await expect(server.client.images.createVariation({ image, model: "gpt-image-1" })).rejects.toMatchObject({ status: 400, error: { param: "model", code: "unsupported_model" } });
    const wide = await toFile(await makeImage(300, 200), "b.png", { type: "image/png" });
    await expect(server.client.images.createVariation({ image: wide })).rejects.toMatchObject({ status: 400, error: { param: "image", code: "invalid_image" } });
    await expect(server.client.images.createVariation({ image, prompt: "x" } as never)).rejects.toMatchObject({ status: 400, error: { param: "prompt", code: "unknown_parameter" } });
    await expect(server.client.images.createVariation({ image, size: "1536x1024" } as never)).rejects.toMatchObject({ status: 400, error: { param: "size" } });
  });
});
