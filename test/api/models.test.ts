import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../helpers/server.js";

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
});

describe("operator-defined models", () => {
  it("serves names and aliases from the config", async () => {
    const custom = await startServer({
      models: {
        "house-style": { engine: "compose", family: "gpt-image", autoQuality: "high", options: {}, ownedBy: "acme" },
        "gpt-image-1": { alias: "house-style", engine: "compose", family: "gpt-image", options: {}, ownedBy: "easel" },
      },
    });
    try {
      expect(await custom.client.models.retrieve("house-style")).toMatchObject({ owned_by: "acme" });
      const result = await custom.client.images.generate({ model: "gpt-image-1", prompt: "a kite" });
      expect(result.quality).toBe("high");
      await expect(custom.client.images.generate({ model: "dall-e-3", prompt: "a kite" })).rejects.toMatchObject({ status: 404 });
    } finally {
      await custom.close();
    }
  });
});
