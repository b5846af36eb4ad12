// The shared mode when PostgreSQL goes away and comes back: requests that
// need the store answer 503 in OpenAI's shape within seconds (never hang),
// /health says so, and once the database is back everything stored before
// is there and the server serves again. The database is reached through a
// TCP proxy the test can cut, as a restart or a network fault would.
import { createServer, connect, type Server, type Socket } from "node:net";
import { toFile } from "openai";
import { afterAll, beforeAll, expect, it } from "vitest";
import { POSTGRES_URL, sharedServices, type SharedServices } from "../helpers/shared-services.js";
import { startServer, type TestServer } from "../helpers/server.js";

let services: SharedServices;
let server: TestServer;
let proxy: Server;
let proxyPort = 0;
const sockets = new Set<Socket>();

function listen(): Promise<void> {
  proxy = createServer((client) => {
    const target = new URL(POSTGRES_URL);
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  return new Promise((resolve) => proxy.listen(proxyPort, "127.0.0.1", () => {
    proxyPort = (proxy.address() as { port: number }).port;
    resolve();
  }));
}

/** The database is gone: connections cut, new ones refused. */
async function cut(): Promise<void> {
  await new Promise((resolve) => {
    proxy.close(resolve);
    for (const socket of sockets) socket.destroy();
  });
}

beforeAll(async () => {
  services = await sharedServices();
  await listen();
  const url = new URL(services.databaseUrl);
  url.port = String(proxyPort);
  url.hostname = "127.0.0.1";
  server = await startServer({}, { env: { EASEL_DATABASE_URL: url.toString(), EASEL_REDIS_URL: services.redisUrl, EASEL_REDIS_PREFIX: services.redisPrefix } });
});

afterAll(async () => {
  await server?.close();
  proxy?.close();
  await services?.drop();
});

it("answers 503 to what needs PostgreSQL while it is unreachable, and serves what it stored once it is back", async () => {
  const file = await server.client.files.create({ file: await toFile(Buffer.from("kept"), "kept.txt"), purpose: "user_data" });
  expect((await fetch(`${server.origin}/health`)).status).toBe(200);

  await cut();
  const started = Date.now();
  const health = await fetch(`${server.origin}/health`);
  expect(health.status).toBe(503);
  expect((await health.json()).error).toMatchObject({ type: "server_error", code: "service_unavailable" });
  const listed = await fetch(`${server.baseURL}/files`);
  expect(listed.status).toBe(503);
  expect(listed.headers.get("retry-after")).toBe("2");
  expect((await listed.json()).error).toMatchObject({ type: "server_error", code: "service_unavailable" });
  // A generation needs nothing stored: it goes on through Redis and the worker.
  const generated = await fetch(`${server.baseURL}/images/generations`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ prompt: "a cat", model: "gpt-image-1", size: "1024x1024", quality: "low" }) });
  expect(generated.status).toBe(200);
  const edited = await fetch(`${server.baseURL}/images/edits`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ prompt: "a hat", model: "gpt-image-1", images: [{ file_id: file.id }] }) });
  expect(edited.status).toBe(503);
  expect(Date.now() - started).toBeLessThan(20_000);

  await listen();
  expect((await fetch(`${server.origin}/health`)).status).toBe(200);
  expect(Buffer.from(await (await server.client.files.content(file.id)).arrayBuffer()).toString()).toBe("kept");
  const answer = await server.client.images.generate({ prompt: "a cat", model: "gpt-image-1", size: "1024x1024", quality: "low" });
  expect(answer.data).toHaveLength(1);
});
