// Stored responses across a server restart, driven by the official `openai`
// client: responses made by one server (a generated picture, a follow-up by
// previous_response_id, a background response that finished) are read back by
// a new server on the same data dir exactly as they were, and conversations go
// on from them, by previous_response_id and by image_generation_call id.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decode, startServer, type TestServer } from "../helpers/server.js";

type Item = { type: string; [key: string]: unknown };
type ImageCall = { id: string; type: "image_generation_call"; status: string; result: string; revised_prompt: string; size: string; action: string };
const imageCalls = (response: { output: unknown[] }) => (response.output as Item[]).filter((o) => o.type === "image_generation_call") as unknown as ImageCall[];

const CAT_AND_OTTER = "Generate an image of gray tabby cat hugging an otter with an orange scarf";
const tools: OpenAI.Responses.Tool[] = [{ type: "image_generation", quality: "low" }];

const until = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 500 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(await check()).toBe(true);
};

describe("stored responses across a restart", () => {
  let dataDir: string;
  let server: TestServer | undefined;
  /** What the first server answered, and what it listed as input items. */
  let first: OpenAI.Responses.Response;
  let followUp: OpenAI.Responses.Response;
  let background: OpenAI.Responses.Response;
  let followUpItems: OpenAI.Responses.ResponseItem[];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "easel-responses-restart-"));
    const before = await startServer({}, { dataDir });
    try {
      const openai = before.client;
      first = await openai.responses.create({ model: "gpt-5", input: CAT_AND_OTTER, tools });
      followUp = await openai.responses.create({ model: "gpt-5", previous_response_id: first.id, input: "Now make it look realistic", tools });
      followUpItems = (await openai.responses.inputItems.list(followUp.id)).data;
      const queued = await openai.responses.create({ model: "gpt-4.1", input: "Draw a lighthouse at dusk", tools: [{ type: "image_generation", quality: "low", size: "1536x1024" }], background: true });
      expect(queued.status).toBe("queued");
      await until(async () => (await openai.responses.retrieve(queued.id)).status === "completed");
      background = await openai.responses.retrieve(queued.id);
    } finally {
      await before.close();
    }
    server = await startServer({}, { dataDir });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("made the responses it is to read back: pictures, a carried-over prompt, a finished background response", () => {
    expect(imageCalls(first)[0]).toMatchObject({ status: "completed", action: "generate", revised_prompt: "A gray tabby cat hugging an otter with an orange scarf." });
    expect(imageCalls(followUp)[0]).toMatchObject({ status: "completed", action: "edit", revised_prompt: "A gray tabby cat hugging an otter with an orange scarf, realistic." });
    expect(background).toMatchObject({ status: "completed", background: true });
    expect(imageCalls(background)[0]).toMatchObject({ status: "completed", size: "1536x1024" });
  });

  it("retrieves each response as the first server gave it: same output items, result bytes, usage and status", async () => {
    const openai = server!.client;
    for (const before of [first, followUp, background]) {
      const after = await openai.responses.retrieve(before.id);
      expect(after).toEqual(before);
      expect(after.status).toBe("completed");
      expect(after.usage).toEqual(before.usage);
      expect(after.usage!.total_tokens).toBeGreaterThan(0);
      expect(after.output.map((item) => [item.type, item.id])).toEqual(before.output.map((item) => [item.type, item.id]));
      const [was] = imageCalls(before);
      const [is] = imageCalls(after);
      expect(Buffer.from(is.result, "base64").equals(Buffer.from(was.result, "base64"))).toBe(true);
      const [width, height] = was.size.split("x").map(Number);
      expect(await decode(is.result)).toMatchObject({ format: "png", width, height });
    }
    expect(background.previous_response_id).toBeNull();
    expect((await openai.responses.retrieve(followUp.id)).previous_response_id).toBe(first.id);
  });

  it("lists the input items as before", async () => {
    const openai = server!.client;
    const items = await openai.responses.inputItems.list(followUp.id);
    expect(items.data).toEqual(followUpItems);
    expect(items.data).toHaveLength(1);
    expect(items.data[0]).toMatchObject({ type: "message", role: "user", content: [{ type: "input_text", text: "Now make it look realistic" }] });
    const asc = await openai.responses.inputItems.list(first.id, { order: "asc" });
    expect(asc.data).toMatchObject([{ type: "message", role: "user", content: [{ type: "input_text", text: CAT_AND_OTTER }] }]);
  });

  it("replays a finished background response's events from the store", async () => {
    const replay = await fetch(`${server!.baseURL}/responses/${background.id}?stream=true`);
    expect(replay.status).toBe(200);
    const events = (await replay.text()).trim().split("\n\n").map((block) => JSON.parse(block.split("\ndata: ")[1]) as { type: string; response?: unknown });
    expect(events[0].type).toBe("response.created");
    const last = events[events.length - 1];
    expect(last.type).toBe("response.completed");
    // The raw event holds the wire object; the client's retrieve adds only output_text.
    const { output_text: _text, ...wire } = background;
    expect(last.response).toEqual(wire);
  });

  it("continues a conversation from a response made before the restart, by previous_response_id", async () => {
    const openai = server!.client;
    const next = await openai.responses.create({ model: "gpt-5", previous_response_id: followUp.id, input: "make the scarf blue", tools });
    expect(next.previous_response_id).toBe(followUp.id);
    const [call] = imageCalls(next);
    // The whole chain, both turns from before the restart, is in the revised prompt.
    expect(call).toMatchObject({ status: "completed", action: "edit", revised_prompt: "A gray tabby cat hugging an otter with a blue scarf, realistic." });
    // An edit of the stored picture: same size, different pixels.
    const earlier = await decode(imageCalls(followUp)[0].result);
    const edited = await decode(call.result);
    expect(edited).toMatchObject({ width: earlier.width, height: earlier.height });
    expect(edited.pixels.equals(earlier.pixels)).toBe(false);
  });

  it("edits a picture made before the restart, referenced by its image_generation_call id alone", async () => {
    const openai = server!.client;
    const response = await openai.responses.create({
      model: "gpt-5",
      input: [
        { role: "user", content: [{ type: "input_text", text: "Now make it look realistic" }] },
        { type: "image_generation_call", id: imageCalls(first)[0].id } as unknown as OpenAI.Responses.ResponseInputItem,
      ],
      tools,
    });
    const [call] = imageCalls(response);
    expect(call).toMatchObject({ status: "completed", action: "edit", revised_prompt: "A gray tabby cat hugging an otter with an orange scarf, realistic." });
    expect((await decode(call.result)).width).toBe(1024);
    // The same through item_reference, for the background response's picture.
    const referenced = await openai.responses.create({
      model: "gpt-5",
      input: [{ type: "item_reference", id: imageCalls(background)[0].id }, { role: "user", content: "add a rainbow" }],
      tools,
    });
    expect(imageCalls(referenced)[0]).toMatchObject({ status: "completed", action: "edit", size: "1536x1024" });
  });

  it("deletes a response made before the restart, and it stays deleted after another restart", async () => {
    const openai = server!.client;
    // The client types the answer as void but hands back the body.
    expect((await openai.responses.delete(first.id)) as unknown).toEqual({ id: first.id, object: "response", deleted: true });
    await expect(openai.responses.retrieve(first.id)).rejects.toMatchObject({ status: 404 });
    await expect(openai.responses.inputItems.list(first.id)).rejects.toMatchObject({ status: 404 });
    await openai.responses.delete(background.id);

    await server!.close();
    server = undefined;
    server = await startServer({}, { dataDir });
    const again = server.client;
    for (const id of [first.id, background.id]) {
      await expect(again.responses.retrieve(id)).rejects.toMatchObject({ status: 404 });
      await expect(again.responses.delete(id)).rejects.toMatchObject({ status: 404 });
    }
    await expect(again.responses.create({ model: "gpt-5", previous_response_id: first.id, input: "again", tools })).rejects.toMatchObject({
      status: 400,
      error: { code: "previous_response_not_found" },
    });
    // The follow-up outlived its deleted predecessor.
    expect(await again.responses.retrieve(followUp.id)).toEqual(followUp);
  });
});
