import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";
import { engineFactories } from "./engines/index.js";
import { ModelRegistry } from "./models/registry.js";

const dir = mkdtempSync(join(tmpdir(), "easel-config-"));
const configFile = (content: unknown) => {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
};

describe("loadConfig", () => {
  it("reads the file, then lets the environment win", () => {
    const path = configFile({ port: 9000, concurrency: 3, apiKeys: ["file-key"], models: { mine: { family: "gpt-image", autoQuality: "high" } } });
    const config = loadConfig({ EASEL_CONFIG: path, PORT: "9100", EASEL_API_KEYS: " a, b ,,", EASEL_DEFAULT_GPT_IMAGE_MODEL: "mine" });
    expect(config.defaultGptImageModel).toBe("mine");
    expect(config.port).toBe(9100);
    expect(config.concurrency).toBe(3);
    expect(config.apiKeys).toEqual(["a", "b"]);
    expect(config.models.mine).toMatchObject({ engine: "compose", family: "gpt-image", autoQuality: "high" });
    expect(Object.keys(config.models)).toEqual(expect.arrayContaining(["gpt-image-1", "dall-e-2", "mine"]));
  });

  it("names what is wrong in a config file or variable", () => {
    expect(() => loadConfig({ EASEL_CONFIG: configFile("{ nope") })).toThrow(ConfigError);
    expect(() => loadConfig({ EASEL_CONFIG: configFile({ prot: 1 }) })).toThrow(/prot/);
    expect(() => loadConfig({ EASEL_CONFIG: configFile({ models: { x: { family: "dall-e-9" } } }) })).toThrow(/models\.x\.family/);
    expect(() => loadConfig({ EASEL_CONCURRENCY: "many" })).toThrow(/EASEL_CONCURRENCY/);
  });

  it("switches on the shared mode with both URLs, and names what is missing or wrong", () => {
    const urls = { EASEL_REDIS_URL: "redis://127.0.0.1:6379/0", EASEL_DATABASE_URL: "postgres://postgres@127.0.0.1:5432/easel" };
    expect(loadConfig({}).shared).toBeUndefined();
    expect(loadConfig({}).role).toBe("all");
    expect(loadConfig({ ...urls, EASEL_ROLE: "worker", EASEL_WORKER_MODELS: "gpt-image-1, dall-e-2" })).toMatchObject({
      role: "worker",
      shared: { ...{ redisUrl: urls.EASEL_REDIS_URL, databaseUrl: urls.EASEL_DATABASE_URL }, redisPrefix: "easel", workerModels: ["gpt-image-1", "dall-e-2"], jobLockMs: 15_000 },
    });
    expect(() => loadConfig({ EASEL_REDIS_URL: urls.EASEL_REDIS_URL })).toThrow(/both EASEL_REDIS_URL and EASEL_DATABASE_URL/);
    expect(() => loadConfig({ EASEL_ROLE: "api" })).toThrow(/--role api needs the shared mode/);
    expect(() => loadConfig({ ...urls, EASEL_ROLE: "boss" })).toThrow(/api, worker or all/);
    expect(() => loadConfig({ ...urls, EASEL_REDIS_PREFIX: "a:b" })).toThrow(/EASEL_REDIS_PREFIX/);
    expect(() => loadConfig({ ...urls, EASEL_DATABASE_URL: "mysql://x" })).toThrow(/postgres:\/\//);
    expect(() => loadConfig({ EASEL_URL_SIGNING_KEY: "ab".repeat(8) })).toThrow(/at least 32 bytes/);
    expect(loadConfig({ EASEL_URL_SIGNING_KEY: "ab".repeat(32) }).urlSigningKey).toHaveLength(32);
  });

  it("refuses aliases that go nowhere or in circles, and unknown engines", () => {
    const registry = (models: object) => () => new ModelRegistry(loadConfig({ EASEL_CONFIG: configFile({ models }) }).models, engineFactories);
    expect(registry({ a: { alias: "missing" } })).toThrow(/unknown model 'missing'/);
    expect(registry({ a: { alias: "b" }, b: { alias: "a" } })).toThrow(ConfigError);
    expect(registry({ a: { engine: "warp-drive" } })).toThrow(/unknown engine 'warp-drive'/);
  });
});
