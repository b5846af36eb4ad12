// Per-key settings from the config: names, model allow-lists, requests per
// minute, images and tokens per day; OpenAI's x-ratelimit-* headers on every
// answer; 429 rate_limit_exceeded with Retry-After beyond a limit; keys given
// by their SHA-256; usage kept across a restart; SIGHUP reloads the keys.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import type { ApiKeyEntry } from "../../src/access/keys.js";
import { cli, ensureBuilt, freePort, untilHealthy } from "../helpers/child-server.js";
import { refusal, startServer, type TestServer } from "../helpers/server.js";

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serverWith(apiKeys: ApiKeyEntry[], dataDir?: string) {
  const server = await startServer({ apiKeys }, { local: true, dataDir });
  servers.push(server);
  const as = (apiKey: string) => new OpenAI({ baseURL: server.baseURL, apiKey, maxRetries: 0 });
  return { server, as };
}

const generate = (client: OpenAI, n = 1) => client.images.generate({ model: "gpt-image-1", prompt: "a red fox", quality: "low", size: "1024x1024", n }).withResponse();

describe("per-key limits", () => {
  it("shows a key only the models it is allowed, everywhere a model is named", async () => {
    const { as } = await serverWith([{ name: "mobile", key: "sk-mobile", models: ["gpt-image-1"] }, "sk-admin"]);
    const mobile = as("sk-mobile");
    expect((await mobile.models.list()).data.map((m) => m.id)).toEqual(["gpt-image-1"]);
    expect((await refusal(mobile.models.retrieve("dall-e-3"))).status).toBe(404);
    const refused = await refusal(mobile.images.generate({ model: "dall-e-3", prompt: "a cat" }));
    expect(refused.status).toBe(404);
    expect(refused.error.code).toBe("model_not_found");
    const tool = await refusal(mobile.responses.create({ model: "gpt-5", input: "draw a cat", tools: [{ type: "image_generation", model: "gpt-image-1.5" as "gpt-image-1" }] }));
    expect(tool.error).toMatchObject({ code: "model_not_found", param: "tools[0].model" });
    expect((await generate(mobile)).response.status).toBe(200);
    expect((await as("sk-admin").models.list()).data.length).toBeGreaterThan(1);
  });

  it("counts requests per minute, with OpenAI's headers, and refuses beyond the limit", async () => {
    const { server, as } = await serverWith([{ name: "tight", key: "sk-tight", limits: { requestsPerMinute: 3 } }]);
    const client = as("sk-tight");
    const first = await client.models.list().withResponse();
    expect(first.response.headers.get("x-ratelimit-limit-requests")).toBe("3");
    expect(first.response.headers.get("x-ratelimit-remaining-requests")).toBe("2");
    expect(first.response.headers.get("x-ratelimit-reset-requests")).toMatch(/^\d+(\.\d+)?m?s$/);
    await client.models.list();
    await client.models.list();
    const refused = await refusal(client.models.list());
    expect(refused.status).toBe(429);
    expect(refused.error).toMatchObject({ type: "requests", code: "rate_limit_exceeded" });
    expect(refused.error.message).toMatch(/^Rate limit reached for requests per min \(RPM\) on key 'tight': Limit 3, Used 3, Requested 1\. Please try again in [\d.]+m?s\.$/);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    // Health and signed image URLs need no key and count against none.
    expect((await fetch(`${server.origin}/health`)).status).toBe(200);
  });

  it("counts images per day, reserving a job's pictures before it runs and giving back what a refused job reserved", async () => {
    const { as } = await serverWith([{ name: "images", key: "sk-images", limits: { imagesPerDay: 3 } }]);
    const client = as("sk-images");
    const two = await generate(client, 2);
    expect(two.response.headers.get("x-ratelimit-limit-images")).toBe("3");
    expect(two.response.headers.get("x-ratelimit-remaining-images")).toBe("1");
    expect(two.response.headers.get("x-ratelimit-reset-images")).toMatch(/^(\d+h)?\d+m\d+s$|^\d+(\.\d+)?s$/);
    const blocked = await refusal(client.images.generate({ model: "gpt-image-1", prompt: "nude", quality: "low" }));
    expect(blocked.error.code).toBe("moderation_blocked");
    const over = await refusal(generate(client, 2));
    expect(over.status).toBe(429);
    expect(over.error.message).toMatch(/images per day \(IPD\) on key 'images': Limit 3, Used 2, Requested 2/);
    const stream = await client.images.generate({ model: "gpt-image-1", prompt: "a fox", quality: "low", stream: true }).withResponse();
    expect(stream.response.headers.get("x-ratelimit-remaining-images")).toBe("0");
    for await (const _ of stream.data);
    expect((await refusal(generate(client, 1))).status).toBe(429);
  });

  it("counts tokens per day from usage, the Responses API's included, and refuses with type 'tokens'", async () => {
    const { as } = await serverWith([{ name: "tokens", key: "sk-tokens", limits: { tokensPerDay: 700 } }]);
    const client = as("sk-tokens");
    const first = await generate(client);
    const used = first.data.usage!.total_tokens;
    expect(Number(first.response.headers.get("x-ratelimit-remaining-tokens"))).toBe(700 - used);
    const response = await client.responses.create({ model: "gpt-5", input: "a small cat", tools: [{ type: "image_generation", quality: "low" }] }).withResponse();
    expect(response.data.usage!.total_tokens).toBeGreaterThan(272);
    const refused = await refusal(generate(client));
    expect(refused.status).toBe(429);
    expect(refused.error.type).toBe("tokens");
    expect(refused.error.message).toMatch(/tokens per day \(TPD\) on key 'tokens': Limit 700, Used \d+/);
    expect(Number(refused.headers.get("x-ratelimit-remaining-tokens"))).toBe(Math.max(0, 700 - used - response.data.usage!.total_tokens));
  });

  it("takes keys given by their SHA-256, and keeps a day's usage across a restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "easel-keys-"));
    try {
      const sha256 = createHash("sha256").update("sk-hashed").digest("hex");
      const keys: ApiKeyEntry[] = [{ name: "hashed", sha256, limits: { imagesPerDay: 5 } }];
      const first = await serverWith(keys, dataDir);
      await generate(first.as("sk-hashed"), 2);
      expect((await refusal(first.as("sk-other").models.list())).status).toBe(401);
      await first.server.close();
      servers = [];
      const again = await serverWith(keys, dataDir);
      const answer = await generate(again.as("sk-hashed"));
      expect(answer.response.headers.get("x-ratelimit-remaining-images")).toBe("2");
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("SIGHUP", () => {
  it("reloads the keys from the config file, keeping what each key used", async () => {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), "easel-sighup-"));
    const configFile = join(dir, "easel.config.json");
    const write = (apiKeys: ApiKeyEntry[]) => writeFileSync(configFile, JSON.stringify({ apiKeys }));
    write([{ name: "a", key: "sk-a", limits: { requestsPerMinute: 100 } }]);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [cli, "serve", "--port", String(port), "--config", configFile], {
      env: { ...process.env, EASEL_DATA_DIR: join(dir, "data"), EASEL_LOG_LEVEL: "warn", EASEL_API_KEYS: "" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    try {
      await untilHealthy(base, child, () => "", 60_000);
      const models = (key: string) => fetch(`${base}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
      expect((await models("sk-a")).headers.get("x-ratelimit-limit-requests")).toBe("100");
      expect((await models("sk-b")).status).toBe(401);
      write([{ name: "a", key: "sk-a", limits: { requestsPerMinute: 5 } }, { name: "b", key: "sk-b", models: ["dall-e-2"] }]);
      child.kill("SIGHUP");
      let answer = await models("sk-b");
      for (let i = 0; i < 50 && answer.status === 401; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        answer = await models("sk-b");
      }
      expect(((await answer.json()) as { data: { id: string }[] }).data.map((m) => m.id)).toEqual(["dall-e-2"]);
      const a = await models("sk-a");
      expect(a.headers.get("x-ratelimit-limit-requests")).toBe("5");
      // Two requests were counted before the reload; the bucket carried over, capped at the new limit.
      expect(Number(a.headers.get("x-ratelimit-remaining-requests"))).toBeLessThanOrEqual(4);
      writeFileSync(configFile, "{ not json");
      child.kill("SIGHUP");
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await models("sk-b")).status).toBe(200);
    } finally {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
