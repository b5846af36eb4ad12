// Every bad Responses request gets OpenAI's error shape with a 4xx, naming
// the field at fault: never a 500, never a half-done response.
import { toFile } from "openai";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeImage, makeMask, startServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
let earlier: { id: string; callId: string };
let fileIds: { text: string; picture: string };
beforeAll(async () => {
  server = await startServer();
  const response = await server.client.responses.create({ model: "gpt-5", input: "Draw a cat", tools: [{ type: "image_generation", quality: "low" }] });
  earlier = { id: response.id, callId: response.output.find((item) => item.type === "image_generation_call")!.id };
  const text = await server.client.files.create({ file: await toFile(Buffer.from("just some text"), "notes.txt", { type: "text/plain" }), purpose: "user_data" });
  const picture = await server.client.files.create({ file: await toFile(await makeImage(512, 512), "p.png", { type: "image/png" }), purpose: "vision" });
  fileIds = { text: text.id, picture: picture.id };
});
afterAll(() => server.close());

async function post(body: unknown, contentType = "application/json") {
  const response = await fetch(`${server.baseURL}/responses`, { method: "POST", headers: { "content-type": contentType }, body: typeof body === "string" ? body : JSON.stringify(body) });
  const json = (await response.json()) as { error: { message: string; type: string; param: string | null; code: string | null } };
  return { status: response.status, error: json.error };
}

const tool = (options: Record<string, unknown> = {}) => [{ type: "image_generation", ...options }];
const withImage = (text: string, image: Record<string, unknown>) => [{ role: "user", content: [{ type: "input_text", text }, { type: "input_image", ...image }] }];
const png = async (width: number, height: number, alpha = false) => `data:image/png;base64,${(await makeImage(width, height, "png", alpha)).toString("base64")}`;
/** A png with no alpha channel at all. */
const opaquePng = async (width: number, height: number) => `data:image/png;base64,${(await sharp(await makeImage(width, height)).removeAlpha().png().toBuffer()).toString("base64")}`;

type Case = [string, () => Promise<unknown> | unknown, number, string | null, string | null];

const cases: Case[] = [
  ["an unknown field", () => ({ model: "gpt-5", input: "x", colour: "red" }), 400, "colour", "unknown_parameter"],
  ["no model", () => ({ input: "x" }), 400, "model", "missing_required_parameter"],
  ["no input and no previous response", () => ({ model: "gpt-5" }), 400, "input", "missing_required_parameter"],
  ["input of the wrong type", () => ({ model: "gpt-5", input: 42 }), 400, "input", "invalid_type"],
  ["a field of the wrong type", () => ({ model: "gpt-5", input: "x", store: "yes" }), 400, "store", "invalid_type"],
  ["temperature out of range", () => ({ model: "gpt-5", input: "x", temperature: 3 }), 400, "temperature", "decimal_above_max_value"],
  ["top_p out of range", () => ({ model: "gpt-5", input: "x", top_p: -0.5 }), 400, "top_p", "decimal_below_min_value"],
  ["too much metadata", () => ({ model: "gpt-5", input: "x", metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])) }), 400, "metadata", "invalid_value"],
  ["a structured text format", () => ({ model: "gpt-5", input: "x", text: { format: { type: "json_object" } } }), 400, "text.format.type", "unsupported_value"],
  ["conversations", () => ({ model: "gpt-5", input: "x", conversation: "conv_1" }), 400, "conversation", "unsupported_parameter"],
  ["an unsupported item type", () => ({ model: "gpt-5", input: [{ type: "function_call", call_id: "c", name: "f", arguments: "{}" }] }), 400, "input[0].type", "unsupported_value"],
  ["an unknown item type", () => ({ model: "gpt-5", input: [{ type: "telepathy" }] }), 400, "input[0].type", "invalid_value"],
  ["a message without a role", () => ({ model: "gpt-5", input: [{ type: "message", content: "x" }] }), 400, "input[0].role", "missing_required_parameter"],
  ["a bad role", () => ({ model: "gpt-5", input: [{ role: "robot", content: "x" }] }), 400, "input[0].role", "invalid_value"],
  ["an unknown content type", () => ({ model: "gpt-5", input: [{ role: "user", content: [{ type: "input_video" }] }] }), 400, "input[0].content[0].type", "invalid_value"],
  ["a file content part", () => ({ model: "gpt-5", input: [{ role: "user", content: [{ type: "input_file", file_id: "file-1" }] }] }), 400, "input[0].content[0].type", "unsupported_value"],
  ["an input_image with neither url nor file", () => ({ model: "gpt-5", input: [{ role: "user", content: [{ type: "input_image", detail: "auto" }] }] }), 400, "input[0].content[0].image_url", "missing_required_parameter"],
  ["an unknown previous_response_id", () => ({ model: "gpt-5", input: "x", previous_response_id: "resp_nope" }), 400, "previous_response_id", "previous_response_not_found"],
  ["an unknown item reference", () => ({ model: "gpt-5", input: [{ type: "item_reference", id: "msg_nope" }] }), 404, "input[0].id", null],
  ["an unknown image_generation_call id", () => ({ model: "gpt-5", input: [{ type: "image_generation_call", id: "ig_nope" }], tools: tool() }), 404, "input[0].id", null],
  ["a message id given as an image_generation_call", async () => {
    const items = await server.client.responses.inputItems.list(earlier.id);
    return { model: "gpt-5", input: [{ type: "image_generation_call", id: items.data[0].id }], tools: tool() };
  }, 404, "input[0].id", null],
  ["an unknown file_id", () => ({ model: "gpt-5", input: withImage("edit", { file_id: "file-nope" }), tools: tool() }), 404, "input[0].content[1].file_id", "file_not_found"],
  ["a file that is not an image", () => ({ model: "gpt-5", input: withImage("edit", { file_id: fileIds.text }), tools: tool() }), 400, "input[0].content[1]", "invalid_image"],
  ["a data URL that is not an image", () => ({ model: "gpt-5", input: withImage("edit", { image_url: "data:image/png;base64,aGVsbG8=" }), tools: tool() }), 400, "input[0].content[1]", "invalid_image"],
  ["an image URL that is neither data nor http", () => ({ model: "gpt-5", input: withImage("edit", { image_url: "ftp://x/y.png" }), tools: tool() }), 400, "input[0].content[1].image_url", "invalid_value"],
  ["a mask of the wrong size", async () => ({ model: "gpt-5", input: withImage("add a flamingo", { image_url: await png(512, 512) }), tools: tool({ input_image_mask: { image_url: `data:image/png;base64,${(await makeMask(256, 256, { left: 0, top: 0, width: 10, height: 10 })).toString("base64")}` } }) }), 400, "tools[0].input_image_mask", "invalid_mask"],
  ["a mask without alpha", async () => ({ model: "gpt-5", input: withImage("add a flamingo", { image_url: await png(512, 512) }), tools: tool({ input_image_mask: { image_url: await opaquePng(512, 512) } }) }), 400, "tools[0].input_image_mask", "invalid_mask"],
  ["a mask by unknown file_id", async () => ({ model: "gpt-5", input: withImage("add a flamingo", { file_id: fileIds.picture }), tools: tool({ input_image_mask: { file_id: "file-nope" } }) }), 404, "tools[0].input_image_mask.file_id", "file_not_found"],
  ["a mask with no image to edit", async () => ({ model: "gpt-5", input: "add a flamingo", tools: tool({ input_image_mask: { image_url: await png(64, 64, true) } }) }), 400, "tools[0].input_image_mask", "invalid_value"],
  ["action edit with no image", () => ({ model: "gpt-5", input: "make it blue", tools: tool({ action: "edit" }) }), 400, "tools[0].action", "invalid_value"],
  ["tool_choice required without tools", () => ({ model: "gpt-5", input: "x", tool_choice: "required" }), 400, "tool_choice", "invalid_value"],
  ["tool_choice image_generation without the tool", () => ({ model: "gpt-5", input: "x", tool_choice: { type: "image_generation" } }), 400, "tool_choice", "invalid_value"],
  ["tool_choice naming a function", () => ({ model: "gpt-5", input: "x", tools: tool(), tool_choice: { type: "function", name: "f" } }), 400, "tool_choice", "invalid_value"],
  ["a bad tool_choice", () => ({ model: "gpt-5", input: "x", tool_choice: "sometimes" }), 400, "tool_choice", "invalid_value"],
  ["another kind of tool", () => ({ model: "gpt-5", input: "x", tools: [{ type: "web_search" }] }), 400, "tools[0].type", "unsupported_value"],
  ["two image tools", () => ({ model: "gpt-5", input: "x", tools: [...tool(), ...tool()] }), 400, "tools[1]", "invalid_value"],
  ["an unknown tool option", () => ({ model: "gpt-5", input: "x", tools: tool({ n: 2 }) }), 400, "tools[0].n", "unknown_parameter"],
  ["a bad size", () => ({ model: "gpt-5", input: "x", tools: tool({ size: "640x480" }) }), 400, "tools[0].size", "invalid_value"],
  ["a bad quality", () => ({ model: "gpt-5", input: "x", tools: tool({ quality: "ultra" }) }), 400, "tools[0].quality", "invalid_value"],
  ["too many partial images", () => ({ model: "gpt-5", input: "x", tools: tool({ partial_images: 4 }) }), 400, "tools[0].partial_images", "integer_above_max_value"],
  ["a transparent jpeg", () => ({ model: "gpt-5", input: "x", tools: tool({ background: "transparent", output_format: "jpeg" }) }), 400, "tools[0].background", "unsupported_value"],
  ["compression with png", () => ({ model: "gpt-5", input: "x", tools: tool({ output_compression: 50 }) }), 400, "tools[0].output_compression", "unsupported_value"],
  ["input fidelity on the mini model", () => ({ model: "gpt-5", input: "x", tools: tool({ model: "gpt-image-1-mini", input_fidelity: "high" }) }), 400, "tools[0].input_fidelity", "unsupported_parameter"],
  ["an unknown tool model", () => ({ model: "gpt-5", input: "x", tools: tool({ model: "gpt-image-9" }) }), 404, "tools[0].model", "model_not_found"],
  ["a DALL·E tool model", () => ({ model: "gpt-5", input: "x", tools: tool({ model: "dall-e-3" }) }), 400, "tools[0].model", "unsupported_model"],
  ["background without store", () => ({ model: "gpt-5", input: "x", background: true, store: false }), 400, "background", "unsupported_value"],
  ["a prompt moderation refuses", () => ({ model: "gpt-5", input: "Draw a graphic scene of gore and dismemberment", tools: tool() }), 400, null, "moderation_blocked"],
];

describe("refusals", () => {
  it.each(cases)("refuses %s", async (_name, body, status, param, code) => {
    const { status: got, error } = await post(await body());
    expect({ status: got, param: error.param, code: error.code }).toEqual({ status, param, code });
    expect(error.message).toEqual(expect.any(String));
    expect(error.type).toMatch(/^(invalid_request_error|image_generation_user_error)$/);
  });

  it("refuses bodies that are not JSON objects", async () => {
    expect(await post("not json")).toMatchObject({ status: 400, error: { code: null } });
    expect(await post("[1]")).toMatchObject({ status: 400, error: { code: "invalid_body" } });
    expect(await post("model=gpt-5", "application/x-www-form-urlencoded")).toMatchObject({ status: 400, error: { code: "unsupported_content_type" } });
  });

  it("stores nothing for a refused request", async () => {
    const before = await server.client.responses.inputItems.list(earlier.id);
    await post({ model: "gpt-5", input: "x", tools: tool({ size: "1x1" }) });
    expect((await server.client.responses.inputItems.list(earlier.id)).data).toEqual(before.data);
  });

  it("refuses bad retrieval and list parameters", async () => {
    const get = async (path: string) => {
      const response = await fetch(`${server.baseURL}${path}`);
      return { status: response.status, error: ((await response.json()) as { error: unknown }).error };
    };
    expect(await get("/responses/resp_nope")).toMatchObject({ status: 404, error: { type: "invalid_request_error" } });
    expect(await get(`/responses/${earlier.id}/input_items?limit=0`)).toMatchObject({ status: 400, error: { param: "limit", code: "integer_below_min_value" } });
    expect(await get(`/responses/${earlier.id}/input_items?limit=101`)).toMatchObject({ status: 400, error: { param: "limit", code: "integer_above_max_value" } });
    expect(await get(`/responses/${earlier.id}/input_items?order=up`)).toMatchObject({ status: 400, error: { param: "order", code: "invalid_value" } });
    expect(await get(`/responses/${earlier.id}?stream=true`)).toMatchObject({ status: 400, error: { param: "stream" } });
  });

  it("refuses through the official client too, as an APIError", async () => {
    await expect(server.client.responses.create({ model: "gpt-5", input: "x", previous_response_id: "resp_nope" })).rejects.toMatchObject({
      status: 400,
      error: { code: "previous_response_not_found", param: "previous_response_id" },
    });
    await expect(server.client.responses.retrieve("resp_nope")).rejects.toMatchObject({ status: 404 });
  });
});
