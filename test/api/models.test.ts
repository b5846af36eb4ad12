import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toFile } from "openai";
import sharp from "sharp";
import { startServer, type TestServer } from "../helpers/server.js";

const tinyPng = async () => toFile(await sharp({ create: { width: 8, height: 8, channels: 3, background: "#888" } }).png().toBuffer(), "tiny.png", { type: "image/png" });

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe("/v1/models", () => {
  it("lists the registered models", async () => {
    const models = [];
    for await (const model of server.client.models.list()) models.push(model);
    expect(models.map((m) => m.id)).toEqual(expect.arrayContaining(["gpt-image-1", "gpt-image-1-mini", "gpt-image-1.5", "dall-e-2", "dall-e-3"]));
    expect(models[0]).toMatchObject({ object: "model", owned_by: "easel" });
    expect(typeof models[0].created).toBe("number");
  });

  it("retrieves one model and 404s an unknown one", async () => {
    expect(await server.client.models.retrieve("dall-e-3")).toMatchObject({ id: "dall-e-3", object: "model" });
    await expect(server.client.models.retrieve("nope")).rejects.toMatchObject({ status: 404, error: { code: "model_not_found" } });
  });

  it("says what each model takes in its `easel` field (an extension the playground reads)", async () => {
    const gpt = (await server.client.models.retrieve("gpt-image-1")) as unknown as { easel: Record<string, unknown> };
    expect(gpt.easel).toEqual({
      engine: "compose",
      family: "gpt-image",
      endpoints: ["generations", "edits"],
      sizes: ["auto", "1024x1024", "1536x1024", "1024x1536"],
      qualities: ["auto", "low", "medium", "high"],
      max_n: 10,
      max_prompt_length: 32000,
      max_input_images: 16,
      input_formats: ["png", "jpeg", "webp"],
      square_inputs: false,
      response_formats: false,
      gpt_image_options: true,
      input_fidelity: true,
      style: false,
      usage: true,
      extensions: ["seed", "explain"],
    });
    const mini = (await server.client.models.retrieve("gpt-image-1-mini")) as unknown as { easel: Record<string, unknown> };
    expect(mini.easel).toMatchObject({ input_fidelity: false });
    // What the listing says is what the API enforces.
    await expect(server.client.images.edit({ model: "gpt-image-1-mini", prompt: "x", image: await tinyPng(), input_fidelity: "high" })).rejects.toMatchObject({ status: 400 });
    const dalle3 = (await server.client.models.retrieve("dall-e-3")) as unknown as { easel: Record<string, unknown> };
    expect(dalle3.easel).toMatchObject({ family: "dall-e-3", endpoints: ["generations"], max_n: 1, style: true, response_formats: true, gpt_image_options: false, input_fidelity: false });
  });
});

describe("operator-defined models", () => {
  it("serves names and aliases from the config", async () => {
    const custom = await startServer({
      models: {
        "house-style": { engine: "compose", family: "gpt-image", autoQuality: "high", options: {}, ownedBy: "acme" },
        "relay": { engine: "upstream", family: "dall-e-2", options: { baseUrl: "http://127.0.0.1:9/v1", seed: true }, ownedBy: "easel" },
        "gpt-image-1": { alias: "house-style", engine: "compose", family: "gpt-image", options: {}, ownedBy: "easel" },
      },
    });
    try {
      expect(await custom.client.models.retrieve("house-style")).toMatchObject({ owned_by: "acme" });
      // An alias answers with its target's engine; an upstream forwards only the extensions it is set to.
      expect(await custom.client.models.retrieve("gpt-image-1")).toMatchObject({ easel: { engine: "compose", extensions: ["seed", "explain"] } });
      expect(await custom.client.models.retrieve("relay")).toMatchObject({ easel: { engine: "upstream", family: "dall-e-2", extensions: ["seed"] } });
      const result = await custom.client.images.generate({ model: "gpt-image-1", prompt: "a kite" });
      expect(result.quality).toBe("high");
      await expect(custom.client.images.generate({ model: "dall-e-3", prompt: "a kite" })).rejects.toMatchObject({ status: 404 });
    } finally {
      await custom.close();
    }
  });
});
