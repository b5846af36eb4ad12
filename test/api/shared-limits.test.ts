// Per-key limits in the shared mode hold for the cluster, not per node: two
// API nodes on one PostgreSQL and one Redis share each key's requests per
// minute (a bucket in Redis) and its images per day (counts in PostgreSQL).
import OpenAI from "openai";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sharedServices, type SharedServices } from "../helpers/shared-services.js";
import { startServer, type TestServer } from "../helpers/server.js";

let services: SharedServices;
let nodes: TestServer[];

beforeAll(async () => {
  services = await sharedServices();
  const env = { EASEL_DATABASE_URL: services.databaseUrl, EASEL_REDIS_URL: services.redisUrl, EASEL_REDIS_PREFIX: services.redisPrefix };
  const apiKeys = [
    { name: "chatty", key: "sk-chatty", limits: { requestsPerMinute: 3 } },
    { name: "painter", key: "sk-painter", limits: { imagesPerDay: 3 } },
  ];
  nodes = await Promise.all([startServer({ apiKeys }, { env }), startServer({ apiKeys }, { env })]);
});

afterAll(async () => {
  for (const node of nodes ?? []) await node.close();
  await services?.drop();
});

const client = (node: TestServer, key: string) => new OpenAI({ baseURL: node.baseURL, apiKey: key, maxRetries: 0 });

it("counts a key's requests per minute across API nodes", async () => {
  const [a, b] = nodes.map((node) => client(node, "sk-chatty"));
  await a.models.list();
  await b.models.list();
  const third = await a.models.list().withResponse();
  expect(third.response.headers.get("x-ratelimit-remaining-requests")).toBe("0");
  const refused = await b.models.list().then(() => undefined, (error) => error as { status: number; headers: Headers; error: { code: string } });
  expect(refused).toMatchObject({ status: 429, error: { code: "rate_limit_exceeded" } });
  expect(Number(refused!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
});

it("counts a key's images per day across API nodes", async () => {
  const [a, b] = nodes.map((node) => client(node, "sk-painter"));
  await a.images.generate({ model: "gpt-image-1", prompt: "a cat", n: 2, size: "1024x1024", quality: "low" });
  // Each node writes its counts every 2 seconds, and reads the total the first time it sees a key.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const refused = await b.images.generate({ model: "gpt-image-1", prompt: "a dog", n: 2, size: "1024x1024", quality: "low" }).then(() => undefined, (error) => error as { status: number; error: { message: string } });
  expect(refused).toMatchObject({ status: 429 });
  expect(refused!.error.message).toMatch(/images per day \(IPD\).*Used 2, Requested 2/);
  const one = await b.images.generate({ model: "gpt-image-1", prompt: "a dog", size: "1024x1024", quality: "low" });
  expect(one.data).toHaveLength(1);
});
