import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ResponsesStore, StoredResponse } from "../responses/store.js";
import type { ImageGenerationCallItem, InputMessageItem, ResponseObject } from "../responses/types.js";
import { sharedServices, type SharedServices } from "../../test/helpers/shared-services.js";
import { EmbeddedStore as Store } from "./embedded.js";
import { PostgresStore } from "./postgres/index.js";

let dir: string | undefined;
let store: Store | undefined;
let postgres: { store: PostgresStore; services: SharedServices } | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  if (postgres) {
    await postgres.store.close();
    await postgres.services.drop();
    postgres = undefined;
  }
});

async function openSqlite(): Promise<ResponsesStore> {
  dir ??= mkdtempSync(join(tmpdir(), "easel-responses-"));
  store = Store.open(dir);
  return store.responses;
}

async function openPostgres(): Promise<ResponsesStore> {
  const services = await sharedServices();
  postgres = { store: await PostgresStore.open(services.databaseUrl), services };
  return postgres.store.responses;
}

const message = (id: string, text: string): InputMessageItem => ({ id, type: "message", role: "user", status: "completed", content: [{ type: "input_text", text }] });
const imageCall = (id: string, result: string | null): ImageGenerationCallItem => ({
  id, type: "image_generation_call", status: result ? "completed" : "in_progress", result, revised_prompt: "a cat", size: "1024x1024",
});

function response(id: string, output: ResponseObject["output"] = [], status: ResponseObject["status"] = "completed"): ResponseObject {
  return {
    id, object: "response", created_at: 1_700_000_000, status, background: false, completed_at: null, error: null, incomplete_details: null,
    instructions: null, max_output_tokens: null, max_tool_calls: null, model: "gpt-5", output, parallel_tool_calls: true,
    previous_response_id: null, prompt_cache_key: null, reasoning: { effort: null, summary: null }, safety_identifier: null,
    service_tier: "default", store: true, temperature: 1, text: { format: { type: "text" } }, tool_choice: "auto",
    tools: [{ type: "image_generation" }], top_logprobs: 0, top_p: 1, truncation: "disabled", usage: null, user: null, metadata: { k: "v" },
  };
}

const record = (id: string, owner = "alice", output: ResponseObject["output"] = [], inputs = 3): StoredResponse => ({
  owner,
  response: response(id, output),
  inputItems: Array.from({ length: inputs }, (_, i) => message(`msg_${id}_${i}`, `input ${i}`)),
});

const png = randomBytes(5000).toString("base64");

// The behaviour the ResponsesStore interface promises, from each store.
describe.each([
  ["SqliteResponsesStore", openSqlite],
  ["PgResponsesStore", openPostgres],
])("%s", (_name, make: () => Promise<ResponsesStore>) => {
  it("gives back what was stored, to its owner only", async () => {
    const responses = await make();
    const saved = record("resp_1", "alice", [imageCall("ig_1", png)]);
    await responses.insert(saved);
    expect(await responses.get("resp_1", "alice")).toEqual(saved);
    expect(await responses.get("resp_1", "bob")).toBeUndefined();
    expect(await responses.delete("resp_1", "bob")).toBe(false);
    expect(await responses.findItem("ig_1", "bob")).toBeUndefined();
    expect(await responses.listInputItems("resp_1", "bob", { limit: 20, order: "asc" })).toBeUndefined();
  });

  it("updates the response, and does nothing once it is deleted", async () => {
    const responses = await make();
    await responses.insert({ ...record("resp_2"), response: response("resp_2", [imageCall("ig_2", null)], "in_progress") });
    expect((await responses.listUnfinished()).map((r) => r.response.id)).toEqual(["resp_2"]);
    const done = response("resp_2", [imageCall("ig_2", png), { id: "msg_out", type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text: "Here it is.", annotations: [] }] }]);
    await responses.update("alice", done);
    expect((await responses.get("resp_2", "alice"))!.response).toEqual(done);
    expect(await responses.listUnfinished()).toEqual([]);
    await responses.update("bob", response("resp_2", [], "failed"));
    expect((await responses.get("resp_2", "alice"))!.response.status).toBe("completed");
    expect(await responses.delete("resp_2", "alice")).toBe(true);
    await responses.update("alice", done);
    expect(await responses.get("resp_2", "alice")).toBeUndefined();
  });

  it("finds items by id, the newest copy first", async () => {
    const responses = await make();
    await responses.insert(record("resp_a", "alice", [imageCall("ig_x", png)]));
    const other = randomBytes(100).toString("base64");
    await responses.insert({ ...record("resp_b"), inputItems: [{ ...imageCall("ig_x", other) }] });
    expect(await responses.findItem("ig_x", "alice")).toEqual(imageCall("ig_x", other));
    expect(await responses.findItem("msg_resp_a_1", "alice")).toEqual(message("msg_resp_a_1", "input 1"));
    await responses.delete("resp_b", "alice");
    expect(await responses.findItem("ig_x", "alice")).toEqual(imageCall("ig_x", png));
  });

  it("pages input items in both orders", async () => {
    const responses = await make();
    await responses.insert(record("resp_p", "alice", [], 5));
    const ids = (page: { data: { id: string }[] } | undefined) => page!.data.map((item) => item.id);
    const asc = await responses.listInputItems("resp_p", "alice", { limit: 2, order: "asc" });
    expect(ids(asc)).toEqual(["msg_resp_p_0", "msg_resp_p_1"]);
    expect(asc!.has_more).toBe(true);
    const next = await responses.listInputItems("resp_p", "alice", { limit: 3, order: "asc", after: "msg_resp_p_1" });
    expect(ids(next)).toEqual(["msg_resp_p_2", "msg_resp_p_3", "msg_resp_p_4"]);
    expect(next!.has_more).toBe(false);
    const desc = await responses.listInputItems("resp_p", "alice", { limit: 2, order: "desc", after: "msg_resp_p_3" });
    expect(ids(desc)).toEqual(["msg_resp_p_2", "msg_resp_p_1"]);
    expect(await responses.listInputItems("resp_p", "alice", { limit: 2, order: "asc", after: "msg_nope" })).toEqual({ data: [], has_more: false });
  });

  it("applies concurrent writes to one response in the order they were made", async () => {
    const responses = await make();
    await responses.insert({ ...record("resp_c"), response: response("resp_c", [], "in_progress") });
    const states = Array.from({ length: 5 }, (_, i) => response("resp_c", [imageCall("ig_c", randomBytes(2000 + i).toString("base64"))], i === 4 ? "completed" : "in_progress"));
    await Promise.all(states.map((state) => responses.update("alice", state)));
    expect((await responses.get("resp_c", "alice"))!.response).toEqual(states[4]);
  });
});

describe("SqliteResponsesStore on disk", () => {
  it("keeps image results as blobs, survives a reopen, and frees the blobs on delete", async () => {
    const responses = await openSqlite();
    const blobs = () => readdirSync(store!.blobs.dir);
    await responses.insert({ ...record("resp_d"), response: response("resp_d", [imageCall("ig_d", null)], "in_progress") });
    expect(blobs()).toHaveLength(0);
    const first = response("resp_d", [imageCall("ig_d", png)]);
    await responses.update("alice", first);
    await responses.update("alice", { ...first, usage: null, metadata: { again: "yes" } });
    expect(blobs()).toHaveLength(1);
    const body = store!.db.prepare("SELECT body FROM response_items WHERE item_id = 'ig_d'").pluck().get() as string;
    expect(JSON.parse(body).result).toBeNull();
    const replaced = randomBytes(300).toString("base64");
    await responses.update("alice", response("resp_d", [imageCall("ig_d", replaced)]));
    expect(blobs()).toHaveLength(1);

    await store!.close();
    const reopened = await openSqlite();
    expect((await reopened.get("resp_d", "alice"))!.response.output).toEqual([imageCall("ig_d", replaced)]);
    expect(await reopened.delete("resp_d", "alice")).toBe(true);
    expect(blobs()).toHaveLength(0);
    expect(store!.db.prepare("SELECT count(*) FROM response_items").pluck().get()).toBe(0);
  });

});
