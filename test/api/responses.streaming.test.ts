// Streaming responses (OpenAI's event sequence, each event checked against
// its schema in openapi.json), cancellation on disconnect, failures after the
// stream opened, and background responses (polling, cancel, following).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Engine, ImageJob, RawImage } from "../../src/engines/engine.js";
import { ModelRegistry } from "../../src/models/registry.js";
import { GatedEngine } from "../helpers/gated-engine.js";
import { haveOpenApi, RESPONSE_EVENT_SCHEMAS, schemaErrors } from "../helpers/openapi.js";
import { decode, startServer, type TestServer } from "../helpers/server.js";

type Event = { type: string; sequence_number: number; [key: string]: any };

const until = async (check: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 300 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(await check()).toBe(true);
};

/** POSTs and reads the server-sent events raw: `event:` lines and `data:` JSON, checked to agree. */
async function rawEvents(target: TestServer, body: unknown, path = "/responses", method = "POST"): Promise<Event[]> {
  const response = await fetch(`${target.baseURL}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: method === "POST" ? JSON.stringify(body) : undefined,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const blocks = (await response.text()).trim().split("\n\n");
  return blocks.map((block) => {
    const match = /^event: (.+)\ndata: (.+)$/.exec(block);
    expect(match, block.slice(0, 200)).not.toBeNull();
    const data = JSON.parse(match![2]) as Event;
    expect(data.type).toBe(match![1]);
    return data;
  });
}

/** Sequence numbers count up from 0, and every event matches its schema. */
function checkEvents(events: Event[]) {
  expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, i) => i));
  if (!haveOpenApi) return;
  for (const event of events) {
    const schema = RESPONSE_EVENT_SCHEMAS[event.type];
    expect(schema, event.type).toBeDefined();
    expect(schemaErrors(schema, event), event.type).toEqual([]);
  }
}

const collapseDeltas = (types: string[]) => types.filter((type, i) => !(type === "response.output_text.delta" && types[i - 1] === type));

describe("streaming", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it("runs the guide's streaming example: partial images, then the whole sequence, as OpenAI sends it", async () => {
    const openai = server.client;
    const stream = await openai.responses.create({
      model: "gpt-4.1",
      input: "Draw a gorgeous image of a river made of white owl feathers, snaking its way through a serene winter landscape",
      stream: true,
      tools: [{ type: "image_generation", partial_images: 2 }],
    });
    const events: Event[] = [];
    const partials: Buffer[] = [];
    for await (const event of stream) {
      events.push(event as Event);
      if (event.type === "response.image_generation_call.partial_image") {
        const idx = event.partial_image_index;
        const imageBase64 = event.partial_image_b64;
        partials[idx] = Buffer.from(imageBase64, "base64");
      }
    }
    expect(collapseDeltas(events.map((event) => event.type))).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.image_generation_call.in_progress",
      "response.image_generation_call.generating",
      "response.image_generation_call.partial_image",
      "response.image_generation_call.partial_image",
      "response.image_generation_call.completed",
      "response.output_item.done",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    checkEvents(events);
    expect(partials).toHaveLength(2);
    // "landscape" in the prompt: size auto renders landscape, partials included.
    for (const partial of partials) expect(await decode(partial)).toMatchObject({ format: "png", width: 1536, height: 1024 });

    const created = events[0].response;
    expect(created).toMatchObject({ object: "response", status: "in_progress", output: [] });
    expect(created.usage).toBeUndefined();
    const added = events[2];
    expect(added).toMatchObject({ output_index: 0, item: { type: "image_generation_call", status: "in_progress", result: null } });
    const itemId = added.item.id;
    for (const event of events.slice(3, 8)) expect(event).toMatchObject({ output_index: 0, item_id: itemId });
    expect(events[5]).toMatchObject({ partial_image_index: 0, size: "1536x1024", quality: "medium", background: "opaque", output_format: "png" });
    expect(events[6]).toMatchObject({ partial_image_index: 1 });

    const done = events[8].item;
    expect(done).toMatchObject({ id: itemId, status: "completed", size: "1536x1024" });
    const final = await decode(done.result);
    expect(final.width).toBe(1536);
    expect(partials.some((partial) => partial.equals(Buffer.from(done.result, "base64")))).toBe(false);

    const text = events.filter((event) => event.type === "response.output_text.delta").map((event) => event.delta).join("");
    const textDone = events.find((event) => event.type === "response.output_text.done")!;
    expect(textDone.text).toBe(text);
    const completed = events[events.length - 1].response;
    expect(completed).toMatchObject({ id: created.id, status: "completed" });
    expect(completed.output).toHaveLength(2);
    expect(completed.output[0]).toEqual(done);
    expect(completed.output[1].content[0].text).toBe(text);
    // Partial images cost 100 output tokens each.
    expect(completed.usage.output_tokens).toBeGreaterThan(1568 + 200);

    // The stored response is the completed one.
    expect(await server.client.responses.retrieve(created.id)).toMatchObject({ status: "completed", output: completed.output });
  });

  it("writes event and data lines, and streams a text-only answer too", async () => {
    const events = await rawEvents(server, { model: "gpt-5", input: "hello", stream: true });
    expect(collapseDeltas(events.map((event) => event.type))).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    checkEvents(events);
  });

  it("streams an edit with partial_images 0: no partial images", async () => {
    const first = await server.client.responses.create({ model: "gpt-5", input: "Draw a cat", tools: [{ type: "image_generation", quality: "low" }] });
    const events = await rawEvents(server, { model: "gpt-5", previous_response_id: first.id, input: "make it blue", stream: true, tools: [{ type: "image_generation", quality: "low", partial_images: 0 }] });
    expect(events.some((event) => event.type === "response.image_generation_call.partial_image")).toBe(false);
    expect(events.find((event) => event.type === "response.output_item.done")!.item).toMatchObject({ action: "edit", revised_prompt: "A cat, blue." });
    checkEvents(events);
  });

  it("works with the client's responses.stream() helper", async () => {
    const stream = server.client.responses.stream({ model: "gpt-5", input: "Draw a tree", tools: [{ type: "image_generation", quality: "low", partial_images: 1 }] });
    const partials: number[] = [];
    stream.on("response.image_generation_call.partial_image", (event) => partials.push(event.partial_image_index));
    const final = await stream.finalResponse();
    expect(partials).toEqual([0]);
    expect(final.output_text).toMatch(/^Here is the image: a tree/);
  });

  it("refuses a bad streaming request with a plain 4xx before any event", async () => {
    const response = await fetch(`${server.baseURL}/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-5", input: "x", stream: true, tools: [{ type: "image_generation", partial_images: 9 }] }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ code: "integer_above_max_value", param: "tools[0].partial_images" });
  });
});

/** An engine that fails every job. */
class BrokenEngine implements Engine {
  readonly name = "broken";
  async run(_job: ImageJob): Promise<RawImage[]> {
    throw new Error("the GPU caught fire");
  }
}

describe("failures and cancellation", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function serverWith(engine: Engine) {
    const models = { "gpt-image-1": { engine: "test", family: "gpt-image" as const, options: {}, ownedBy: "easel" } };
    server = await startServer({ models, concurrency: 1, queueLimit: 4 }, { parts: () => ({ registry: new ModelRegistry(models, { test: () => engine }) }) });
    return server;
  }

  it("ends a stream with response.failed when the engine fails, and stores the failure", async () => {
    const target = await serverWith(new BrokenEngine());
    const events = await rawEvents(target, { model: "gpt-5", input: "Draw a cat", stream: true, tools: [{ type: "image_generation" }] });
    const last = events[events.length - 1];
    expect(last.type).toBe("response.failed");
    expect(last.response).toMatchObject({ status: "failed", error: { code: "server_error" } });
    expect(last.response.output[0]).toMatchObject({ type: "image_generation_call", status: "failed", result: null });
    checkEvents(events);
    expect(await target.client.responses.retrieve(last.response.id)).toMatchObject({ status: "failed" });
  });

  it("answers a plain request whose engine fails with a logged 500", async () => {
    const target = await serverWith(new BrokenEngine());
    await expect(target.client.responses.create({ model: "gpt-5", input: "Draw a cat", tools: [{ type: "image_generation" }] })).rejects.toMatchObject({ status: 500, error: { type: "server_error" } });
  });

  it("cancels the job when a streaming client disconnects", async () => {
    const engine = new GatedEngine();
    const target = await serverWith(engine);
    const client = new AbortController();
    const response = await fetch(`${target.baseURL}/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-5", input: "Draw a cat", stream: true, tools: [{ type: "image_generation" }] }),
      signal: client.signal,
    });
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const id = /"id":"(resp_[0-9a-f]+)"/.exec(first)![1];
    await until(() => engine.started === 1);
    client.abort();
    await until(() => engine.aborted === 1);
    await until(async () => (await target.client.responses.retrieve(id)).status === "cancelled");
  });

  it("cancels the job when a plain request's client disconnects", async () => {
    const engine = new GatedEngine();
    const target = await serverWith(engine);
    const client = new AbortController();
    const pending = fetch(`${target.baseURL}/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-5", input: "Draw a cat", tools: [{ type: "image_generation" }] }),
      signal: client.signal,
    }).catch(() => undefined);
    await until(() => engine.started === 1);
    client.abort();
    await pending;
    await until(() => engine.aborted === 1);
  });

  it("answers 429 before streaming when the queue is full", async () => {
    const engine = new GatedEngine();
    const models = { "gpt-image-1": { engine: "test", family: "gpt-image" as const, options: {}, ownedBy: "easel" } };
    server = await startServer({ models, concurrency: 1, queueLimit: 0 }, { parts: () => ({ registry: new ModelRegistry(models, { test: () => engine }) }) });
    const body = { model: "gpt-5", input: "Draw a cat", tools: [{ type: "image_generation" as const }] };
    const running = server.client.responses.create(body);
    await until(() => engine.started === 1);
    const refused = await fetch(`${server.baseURL}/responses`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...body, stream: true }) });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    engine.releaseAll();
    expect((await running).status).toBe("completed");
  });
});

describe("background responses", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  let gate: GatedEngine | undefined;
  afterEach(() => gate?.releaseAll());

  async function gated() {
    const engine = new GatedEngine();
    gate = engine;
    const models = { "gpt-image-1": { engine: "gated", family: "gpt-image" as const, options: {}, ownedBy: "easel" } };
    server = await startServer({ models }, { parts: () => ({ registry: new ModelRegistry(models, { gated: () => engine }) }) });
    return { engine, server };
  }

  it("answers at once with a queued response, which completes while the client polls", async () => {
    const { engine, server: target } = await gated();
    const queued = await target.client.responses.create({ model: "gpt-5", input: "Draw a cat", tools: [{ type: "image_generation" }], background: true });
    expect(queued).toMatchObject({ status: "queued", background: true, output: [] });
    if (haveOpenApi) expect(schemaErrors("Response", JSON.parse(JSON.stringify(queued)))).toEqual([]);
    await until(() => engine.started === 1);
    expect((await target.client.responses.retrieve(queued.id)).status).toBe("in_progress");
    engine.releaseAll();
    await until(async () => (await target.client.responses.retrieve(queued.id)).status === "completed");
    const done = await target.client.responses.retrieve(queued.id);
    expect(done.output[0]).toMatchObject({ type: "image_generation_call", status: "completed" });
    expect((await decode((done.output[0] as { result: string }).result)).width).toBe(1024);
  });

  it("cancels a background response: its job stops and it says cancelled", async () => {
    const { engine, server: target } = await gated();
    const queued = await target.client.responses.create({ model: "gpt-5", input: "Draw a cat", tools: [{ type: "image_generation" }], background: true });
    await until(() => engine.started === 1);
    const cancelled = await target.client.responses.cancel(queued.id);
    expect(cancelled).toMatchObject({ id: queued.id, status: "cancelled" });
    expect(engine.aborted).toBe(1);
    expect((await target.client.responses.retrieve(queued.id)).status).toBe("cancelled");
    // Cancelling again changes nothing.
    expect((await target.client.responses.cancel(queued.id)).status).toBe("cancelled");
  });

  it("fails a background response whose image job finds the queue full, as rate_limit_exceeded", async () => {
    const engine = new GatedEngine();
    gate = engine;
    const models = { "gpt-image-1": { engine: "gated", family: "gpt-image" as const, options: {}, ownedBy: "easel" } };
    server = await startServer({ models, concurrency: 1, queueLimit: 0 }, { parts: () => ({ registry: new ModelRegistry(models, { gated: () => engine }) }) });
    const body = { model: "gpt-5", input: "Draw a cat", tools: [{ type: "image_generation" as const }], background: true };
    const running = await server.client.responses.create(body);
    await until(() => engine.started === 1);
    const refused = await server.client.responses.create(body);
    expect(refused.status).toBe("queued");
    await until(async () => (await server!.client.responses.retrieve(refused.id)).status === "failed");
    expect((await server.client.responses.retrieve(refused.id)).error).toMatchObject({ code: "rate_limit_exceeded" });
    engine.releaseAll();
    await until(async () => (await server!.client.responses.retrieve(running.id)).status === "completed");
  });

  it("refuses to cancel a response that is not in the background, or has finished", async () => {
    const { server: target } = await gated();
    const done = await target.client.responses.create({ model: "gpt-5", input: "hello" });
    await expect(target.client.responses.cancel(done.id)).rejects.toMatchObject({ status: 400, error: { type: "invalid_request_error" } });
    const background = await target.client.responses.create({ model: "gpt-5", input: "hello", background: true });
    await until(async () => (await target.client.responses.retrieve(background.id)).status === "completed");
    await expect(target.client.responses.cancel(background.id)).rejects.toMatchObject({ status: 400 });
    await expect(target.client.responses.cancel("resp_missing")).rejects.toMatchObject({ status: 404 });
  });

  it("streams a background response, and lets a client follow it again from a sequence number", async () => {
    const { engine, server: target } = await gated();
    const stream = await target.client.responses.create({ model: "gpt-5", input: "Draw a cat", tools: [{ type: "image_generation" }], background: true, stream: true });
    const seen: Event[] = [];
    let id = "";
    let followed: Promise<Event[]> | undefined;
    for await (const event of stream) {
      seen.push(event as Event);
      if (event.type === "response.created") id = event.response.id;
      if (event.type === "response.image_generation_call.generating") {
        followed = rawEvents(target, undefined, `/responses/${id}?stream=true&starting_after=2`, "GET");
        // In the shared mode the job reaches its worker a moment after the event.
        await until(() => engine.started === 1);
        engine.releaseAll();
      }
    }
    expect(seen.slice(0, 3).map((event) => event.type)).toEqual(["response.created", "response.queued", "response.in_progress"]);
    expect(seen[0].response.status).toBe("queued");
    expect(seen[seen.length - 1].type).toBe("response.completed");
    checkEvents(seen);
    const again = await followed!;
    expect(again.map((event) => event.sequence_number)).toEqual(seen.slice(3).map((event) => event.sequence_number));
    expect(again.map((event) => event.type)).toEqual(seen.slice(3).map((event) => event.type));
    // After the end, the stored response replays as a stream.
    const replay = await rawEvents(target, undefined, `/responses/${id}?stream=true`, "GET");
    expect(replay[replay.length - 1]).toMatchObject({ type: "response.completed", response: { id, status: "completed" } });
    checkEvents(replay);
  });

  it("keeps running when a background stream's client goes away", async () => {
    const { engine, server: target } = await gated();
    const client = new AbortController();
    const response = await fetch(`${target.baseURL}/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-5", input: "Draw a cat", stream: true, background: true, tools: [{ type: "image_generation" }] }),
      signal: client.signal,
    });
    const first = new TextDecoder().decode((await response.body!.getReader().read()).value);
    const id = /"id":"(resp_[0-9a-f]+)"/.exec(first)![1];
    await until(() => engine.started === 1);
    client.abort();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(engine.aborted).toBe(0);
    engine.releaseAll();
    await until(async () => (await target.client.responses.retrieve(id)).status === "completed");
  });

  it("needs store: true", async () => {
    const { server: target } = await gated();
    await expect(target.client.responses.create({ model: "gpt-5", input: "x", background: true, store: false })).rejects.toMatchObject({ status: 400, error: { param: "background" } });
  });
});
