// Registering upstream models: several upstreams at once, aliases, options
// checked at startup with errors that name the option, and Easel in front of
// Easel answering with the inner server's very pictures.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, type ModelConfig } from "../../src/config.js";
import { engineFactories } from "../../src/engines/index.js";
import { ModelRegistry } from "../../src/models/registry.js";
import { openAiUpstream, startFakeUpstream, upstreamModel, type FakeUpstream } from "../helpers/fake-upstream.js";
import { decode, startBehindUpstream, startServer, type TestServer } from "../helpers/server.js";

const work = mkdtempSync(join(tmpdir(), "easel-upstream-config-"));

describe("upstream options", () => {
  const engineOf = (options: Record<string, unknown>, env?: Record<string, string>) => {
    const registry = new ModelRegistry({ "sd-local": upstreamModel(options) as ModelConfig }, engineFactories);
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      return registry.get("sd-local")!.engine();
    } finally {
      for (const key of Object.keys(env ?? {})) if (!(key in saved)) delete process.env[key];
    }
  };
  const failure = (options: Record<string, unknown>) => {
    try {
      engineOf(options);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error("the options were accepted");
  };

  it("refuses bad options with a ConfigError naming the model and the option", () => {
    expect(failure({})).toMatch(/^Model 'sd-local' \(engine upstream\): options\.baseUrl: /);
    expect(failure({ baseUrl: "ftp://example.com/v1" })).toMatch(/options\.baseUrl: must be an http\(s\) URL/);
    expect(failure({ baseUrl: "http://127.0.0.1:1/v1", timeoutMs: "fast" })).toMatch(/options\.timeoutMs: /);
    expect(failure({ baseUrl: "http://127.0.0.1:1/v1", concurrency: 0 })).toMatch(/options\.concurrency: /);
    expect(failure({ baseUrl: "http://127.0.0.1:1/v1", responseFormat: "jpeg" })).toMatch(/options\.responseFormat: /);
    expect(failure({ baseUrl: "http://127.0.0.1:1/v1", sizes: ["big"] })).toMatch(/options\.sizes\.0: must be sizes such as 512x512/);
    expect(failure({ baseUrl: "http://127.0.0.1:1/v1", timeout: 5 })).toMatch(/options: .*"timeout"/);
    expect(failure({ baseUrl: "http://user:secret@127.0.0.1:1/v1" })).toMatch(/options\.baseUrl: keep credentials out of the URL/);
    expect(failure({ baseUrl: "http://127.0.0.1:1/v1", apiKeyEnv: "EASEL_TEST_SURELY_UNSET" })).toMatch(/options\.apiKeyEnv: the environment variable EASEL_TEST_SURELY_UNSET is not set/);
  });

  it("takes good options, with their defaults", () => {
    const engine = engineOf({ baseUrl: "http://127.0.0.1:1/v1/", apiKeyEnv: "EASEL_TEST_SET_KEY" }, { EASEL_TEST_SET_KEY: "k" }) as unknown as { options: Record<string, unknown> };
    expect(engine.options).toMatchObject({
      root: "http://127.0.0.1:1/v1", family: "gpt-image", timeoutMs: 120_000, concurrency: 4, retries: 2, responseFormat: "b64_json",
      outputFormat: true, transparency: true, maxInputImages: 16, maxImagesPerCall: 10, seed: false, streaming: false, apiKey: "k",
    });
  });

  it("makes `easel serve` stop at startup on a bad option", async () => {
    const config = join(work, "bad.json");
    writeFileSync(config, JSON.stringify({ models: { "sd-local": { engine: "upstream", options: { baseUrl: "http://127.0.0.1:1/v1", concurrency: "two" } } } }));
    const cli = join(import.meta.dirname, "..", "..", "dist", "cli.js");
    const failed = await promisify(execFile)("node", [cli, "serve", "--port", "0", "--config", config], { env: { ...process.env, EASEL_DATA_DIR: join(work, "data") }, timeout: 30_000 }).catch((error) => error);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/Model 'sd-local' \(engine upstream\): options\.concurrency/);
  });

  it("reads upstream models from the config file", () => {
    const path = join(work, "good.json");
    writeFileSync(path, JSON.stringify({ models: { "sd-local": { engine: "upstream", family: "gpt-image", options: { baseUrl: "http://127.0.0.1:7860/v1", model: "sd-xl", timeoutMs: 120000, concurrency: 2 } } } }));
    const config = loadConfig({ EASEL_CONFIG: path });
    expect(config.models["sd-local"]).toMatchObject({ engine: "upstream", options: { model: "sd-xl" } });
  });
});

describe("several upstreams and aliases", () => {
  let first: FakeUpstream;
  let second: FakeUpstream;
  let server: TestServer;
  beforeAll(async () => {
    first = await startFakeUpstream(openAiUpstream());
    second = await startFakeUpstream(openAiUpstream({ family: "dall-e-2" }));
    server = await startServer(
      {
        models: {
          "sd-local": upstreamModel({ baseUrl: first.baseURL, model: "sd-xl" }),
          "dall-e-2": upstreamModel({ baseUrl: second.baseURL }, "dall-e-2"),
          "gpt-image-1": { alias: "sd-local" } as ModelConfig,
        },
      },
      { local: true },
    );
  });
  afterAll(async () => {
    await server.close();
    await Promise.all([first.close(), second.close()]);
  });

  it("sends each model to its own upstream, aliases included", async () => {
    await server.client.images.generate({ model: "sd-local", prompt: "a cat", quality: "low" });
    await server.client.images.generate({ model: "gpt-image-1", prompt: "a dog", quality: "low" });
    await server.client.images.generate({ model: "dall-e-2", prompt: "an owl", size: "256x256" });
    expect(first.received.map((call) => [call.fields.model, call.fields.prompt])).toEqual([["sd-xl", "a cat"], ["sd-xl", "a dog"]]);
    expect(second.received.map((call) => [call.fields.model, call.fields.prompt])).toEqual([["dall-e-2", "an owl"]]);
    const models = await server.client.models.list();
    expect(models.data.map((m) => m.id).sort()).toEqual(["dall-e-2", "gpt-image-1", "sd-local"]);
  });
});

describe("Easel in front of Easel", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startBehindUpstream();
  });
  afterAll(() => server.close());

  it("runs every built-in model on the upstream engine", () => {
    for (const model of server.parts.registry.list()) expect(model.engine().name).toBe("upstream");
  });

  it("answers with the inner server's pictures, usage and settings, seed for seed", async () => {
    const ask = (client: TestServer["client"]) =>
      client.images.generate({ model: "gpt-image-1", prompt: "two red balloons over a lake", n: 2, size: "1536x1024", quality: "low", seed: 11 } as never);
    const [outer, inner] = await Promise.all([ask(server.client), ask(server.upstream!.client)]);
    expect(outer.data!.map((d) => d.b64_json)).toEqual(inner.data!.map((d) => d.b64_json));
    expect(outer.usage).toEqual(inner.usage);
    expect(outer).toMatchObject({ size: inner.size, quality: inner.quality, background: inner.background });
    expect((await decode(outer.data![0].b64_json!)).width).toBe(1536);
  });
});
