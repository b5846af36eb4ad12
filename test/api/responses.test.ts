// The Responses API with the image_generation tool, driven by the official
// `openai` client: the guide's Responses examples as test code, multi-turn
// editing both ways, inputs (data URLs, file ids, http URLs), masks,
// transparency, input fidelity, retrieval, input items and deletion.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI, { toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alphaAt, decode, makeImage, makeMask, pixelSpread, startServer, type TestServer } from "../helpers/server.js";
import { haveOpenApi, schemaErrors } from "../helpers/openapi.js";

let server: TestServer;
let openai: OpenAI;
beforeAll(async () => {
  server = await startServer();
  openai = server.client;
});
afterAll(() => server.close());

type Item = { type: string; [key: string]: unknown };
type ImageCall = { id: string; type: "image_generation_call"; status: string; result: string; revised_prompt: string; size: string; quality: string; background: string; output_format: string; action: string };
const imageCalls = (response: { output: unknown[] }) => (response.output as Item[]).filter((o) => o.type === "image_generation_call") as unknown as ImageCall[];
const messages = (response: { output: unknown[] }) => (response.output as Item[]).filter((o) => o.type === "message");
const dataUrl = (bytes: Buffer, type = "image/png") => `data:${type};base64,${bytes.toString("base64")}`;

const CAT_AND_OTTER = "Generate an image of gray tabby cat hugging an otter with an orange scarf";

describe("the guide's generate example", () => {
  it("returns an image_generation_call with a real picture, the settings used, and an assistant message", async () => {
    // As in the guide:
    const response = await openai.responses.create({
      model: "gpt-5",
      input: CAT_AND_OTTER,
      tools: [{ type: "image_generation" }],
    });
    const imageData = response.output.filter((output) => output.type === "image_generation_call").map((output) => output.result);
    expect(imageData).toHaveLength(1);
    const picture = await decode(imageData[0]!);
    expect(picture).toMatchObject({ format: "png", width: 1024, height: 1024 });
    expect(pixelSpread(picture.pixels)).toBeGreaterThan(10);

    // What else OpenAI's shapes promise.
    expect(response).toMatchObject({ object: "response", status: "completed", model: "gpt-5", error: null, store: true, background: false, previous_response_id: null, tool_choice: "auto" });
    expect(response.id).toMatch(/^resp_[0-9a-f]{48}$/);
    const [call] = imageCalls(response);
    expect(call).toMatchObject({ type: "image_generation_call", status: "completed", action: "generate", size: "1024x1024", quality: "medium", background: "opaque", output_format: "png" });
    expect(call.id).toMatch(/^ig_[0-9a-f]{48}$/);
    expect(call.revised_prompt).toBe("A gray tabby cat hugging an otter with an orange scarf.");
    const [message] = messages(response);
    expect(message).toMatchObject({ type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", annotations: [] }] });
    expect(message.id).toMatch(/^msg_/);
    expect(response.output_text).toMatch(/^Here is the image: a gray tabby cat/);
    expect(response.tools).toEqual([{ type: "image_generation", background: "auto", model: "gpt-image-1", moderation: "auto", output_compression: 100, output_format: "png", quality: "auto", size: "auto" }]);
    expect(typeof response.created_at).toBe("number");
    expect(response.completed_at).toBeGreaterThanOrEqual(response.created_at);
    if (haveOpenApi) expect(schemaErrors("Response", JSON.parse(JSON.stringify(response)))).toEqual([]);
  });

  it("reports usage as ResponseUsage: the planner's text tokens plus the image tool's tokens", async () => {
    const response = await openai.responses.create({ model: "gpt-4.1", input: "Draw a red apple", tools: [{ type: "image_generation", quality: "low" }] });
    const usage = response.usage!;
    expect(usage.total_tokens).toBe(usage.input_tokens + usage.output_tokens);
    // 272 tokens for a low-quality square picture, plus the planner's own words (the revised prompt and message).
    expect(usage.output_tokens).toBeGreaterThan(272);
    expect(usage.output_tokens).toBeLessThan(272 + 60);
    // The conversation read by the planner ("Draw a red apple") and the prompt read by the image model.
    expect(usage.input_tokens).toBeGreaterThanOrEqual(6);
    expect(usage.input_tokens_details).toEqual({ cached_tokens: 0, cache_write_tokens: 0 });
    expect(usage.output_tokens_details).toEqual({ reasoning_tokens: 0 });
  });
});

describe("multi-turn image generation", () => {
  it("follows up with previous_response_id, as in the guide: the revised prompt carries the cat and otter forward", async () => {
    const response = await openai.responses.create({ model: "gpt-5", input: CAT_AND_OTTER, tools: [{ type: "image_generation" }] });
    const first = imageCalls(response)[0];
    // Follow up
    const response_fwup = await openai.responses.create({
      model: "gpt-5",
      previous_response_id: response.id,
      input: "Now make it look realistic",
      tools: [{ type: "image_generation" }],
    });
    const imageData_fwup = response_fwup.output.filter((output) => output.type === "image_generation_call").map((output) => output.result);
    expect(imageData_fwup).toHaveLength(1);
    const [call] = imageCalls(response_fwup);
    expect(call.revised_prompt).toMatch(/gray tabby cat/);
    expect(call.revised_prompt).toMatch(/otter/);
    expect(call.revised_prompt).toMatch(/orange scarf/);
    expect(call.revised_prompt).toMatch(/realistic/);
    expect(call.action).toBe("edit");
    expect(call.id).not.toBe(first.id);
    expect(response_fwup.previous_response_id).toBe(response.id);
    const before = await decode(first.result);
    const after = await decode(call.result);
    expect(after).toMatchObject({ width: 1024, height: 1024, format: "png" });
    expect(after.pixels.equals(before.pixels)).toBe(false);
  });

  it("keeps the whole chain in context, however long", async () => {
    let previous = await openai.responses.create({ model: "gpt-5", input: CAT_AND_OTTER, tools: [{ type: "image_generation", quality: "low" }] });
    const steps = ["Now make it look realistic", "add a rainbow", "put them on a beach", "make the scarf blue"];
    for (const step of steps) {
      previous = await openai.responses.create({ model: "gpt-5", previous_response_id: previous.id, input: step, tools: [{ type: "image_generation", quality: "low" }] });
    }
    expect(imageCalls(previous)[0].revised_prompt).toBe("A gray tabby cat hugging an otter with a blue scarf, realistic, with a rainbow, on a beach.");
  });

  it("follows up with the image_generation_call id, as in the guide", async () => {
    const response = await openai.responses.create({ model: "gpt-5", input: CAT_AND_OTTER, tools: [{ type: "image_generation" }] });
    const imageGenerationCalls = response.output.filter((output) => output.type === "image_generation_call");
    const response_fwup = await openai.responses.create({
      model: "gpt-5",
      input: [
        { role: "user", content: [{ type: "input_text", text: "Now make it look realistic" }] },
        // The guide passes the id alone (the client's type wants the whole item).
        { type: "image_generation_call", id: imageGenerationCalls[0].id } as unknown as OpenAI.Responses.ResponseInputItem,
      ],
      tools: [{ type: "image_generation" }],
    });
    const [call] = imageCalls(response_fwup);
    expect(call).toMatchObject({ status: "completed", action: "edit" });
    expect(call.revised_prompt).toBe("A gray tabby cat hugging an otter with an orange scarf, realistic.");
    expect((await decode(call.result)).width).toBe(1024);
  });

  it("resolves item_reference items and earlier calls passed back whole", async () => {
    const response = await openai.responses.create({ model: "gpt-5", input: "Draw a cat", tools: [{ type: "image_generation", quality: "low" }], store: false });
    const [earlier] = imageCalls(response);
    // Not stored, so only the full item (with its result) can carry the picture.
    const whole = await openai.responses.create({
      model: "gpt-5",
      input: [earlier as unknown as OpenAI.Responses.ResponseInputItem, { role: "user", content: "make it blue" }],
      tools: [{ type: "image_generation", quality: "low" }],
    });
    expect(imageCalls(whole)[0]).toMatchObject({ action: "edit", revised_prompt: "A cat, blue." });

    const stored = await openai.responses.create({ model: "gpt-5", input: "Draw a dog", tools: [{ type: "image_generation", quality: "low" }] });
    const referenced = await openai.responses.create({
      model: "gpt-5",
      input: [{ type: "item_reference", id: imageCalls(stored)[0].id }, { role: "user", content: "add a hat" }],
      tools: [{ type: "image_generation", quality: "low" }],
    });
    expect(imageCalls(referenced)[0]).toMatchObject({ action: "edit", revised_prompt: "A dog, with a hat." });
  });

  it("answers with a message only when tool_choice is none, or without the tool", async () => {
    const none = await openai.responses.create({ model: "gpt-5", input: "Draw a cat", tools: [{ type: "image_generation" }], tool_choice: "none" });
    expect(imageCalls(none)).toHaveLength(0);
    expect(none.output_text).toMatch(/tool_choice is 'none'/);
    const noTool = await openai.responses.create({ model: "gpt-5", input: "Draw a cat" });
    expect(noTool.output.map((o) => o.type)).toEqual(["message"]);
    expect(noTool.output_text).toMatch(/image_generation tool/);
    const chat = await openai.responses.create({ model: "gpt-5", input: "What is the capital of France?", tools: [{ type: "image_generation" }] });
    expect(imageCalls(chat)).toHaveLength(0);
  });

  it("always calls the tool when tool_choice requires it", async () => {
    for (const tool_choice of ["required", { type: "image_generation" }] as const) {
      const response = await openai.responses.create({ model: "gpt-5", input: "thanks!", tools: [{ type: "image_generation", quality: "low" }], tool_choice });
      expect(imageCalls(response)).toHaveLength(1);
    }
  });

  it("uses the current instructions only, and lets them set the style", async () => {
    const first = await openai.responses.create({ model: "gpt-5", instructions: "Always draw in a watercolor style.", input: "Draw a cat", tools: [{ type: "image_generation", quality: "low" }] });
    expect(first.instructions).toBe("Always draw in a watercolor style.");
    expect(imageCalls(first)[0].revised_prompt).toBe("A cat, in a watercolor style.");
    const second = await openai.responses.create({ model: "gpt-5", previous_response_id: first.id, input: "Generate an image of a dog", tools: [{ type: "image_generation", quality: "low" }] });
    expect(second.instructions).toBeNull();
    expect(imageCalls(second)[0].revised_prompt).toBe("A dog.");
  });
});

describe("image inputs", () => {
  let files: Server;
  let filesOrigin: string;
  let permissive: TestServer;
  beforeAll(async () => {
    const pictures: Record<string, [Buffer, string]> = {
      "/woman_futuristic.jpg": [await makeImage(1024, 1536, "jpeg"), "image/jpeg"],
      "/brain_logo.png": [await makeImage(400, 400, "png", true), "image/png"],
    };
    files = createServer((request, response) => {
      const picture = pictures[request.url ?? ""];
      if (!picture) return response.writeHead(404).end();
      response.writeHead(200, { "content-type": picture[1] }).end(picture[0]);
    });
    await new Promise<void>((resolve) => files.listen(0, "127.0.0.1", resolve));
    filesOrigin = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    // The test's picture server is on loopback, which Easel refuses unless the operator allows it.
    permissive = await startServer({ allowPrivateImageUrls: true });
  });
  afterAll(async () => {
    await permissive.close();
    await new Promise((resolve) => files.close(resolve));
  });

  it("runs the guide's input fidelity example: http(s) images, edited with input_fidelity high", async () => {
    const cdn = (name: string) => `${filesOrigin}/${name}`; // https://cdn.openai.com/API/docs/images/… in the guide
    const response = await permissive.client.responses.create({
      model: "gpt-4.1",
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "Add the logo to the woman's top, as if stamped into the fabric." },
            { type: "input_image", image_url: cdn("woman_futuristic.jpg"), detail: "auto" },
            { type: "input_image", image_url: cdn("brain_logo.png"), detail: "auto" },
          ],
        },
      ],
      tools: [{ type: "image_generation", input_fidelity: "high" }],
    });
    const imageBase64 = response.output.find((o) => o.type === "image_generation_call")?.result;
    expect(imageBase64).toBeTruthy();
    const [call] = imageCalls(response);
    // An edit of both pictures, shaped like the first (portrait).
    expect(call).toMatchObject({ action: "edit", size: "1024x1536" });
    expect(await decode(imageBase64!)).toMatchObject({ width: 1024, height: 1536 });
    // High fidelity adds 6240 (portrait first image) + 4160 (square logo) image tokens to the tool's input.
    expect(response.usage!.input_tokens).toBeGreaterThan(6240 + 4160);
    expect(response.tools[0]).toMatchObject({ input_fidelity: "high" });
  });

  it("refuses http(s) images on private addresses unless the operator allows them", async () => {
    const refused = await openai.responses
      .create({
        model: "gpt-4.1",
        input: [{ role: "user", content: [{ type: "input_text", text: "edit this" }, { type: "input_image", image_url: `${filesOrigin}/brain_logo.png`, detail: "auto" }] }],
        tools: [{ type: "image_generation" }],
      })
      .catch((error) => error);
    expect(refused).toMatchObject({ status: 400, error: { code: "invalid_image", param: "input[0].content[1].image_url" } });
  });

  it("runs the guide's reference-images example: data URLs and file ids together", async () => {
    const createFile = async (bytes: Buffer, name: string) => (await openai.files.create({ file: await toFile(bytes, name, { type: "image/png" }), purpose: "vision" })).id;
    const encodeImage = (bytes: Buffer) => bytes.toString("base64");
    const lotion = await makeImage(600, 900);
    const soap = await makeImage(700, 700);
    const incense = await makeImage(900, 600);
    const prompt = `Generate a photorealistic image of a gift basket on a white background
labeled 'Relax & Unwind' with a ribbon and handwriting-like font,
containing all the items in the reference pictures.`;
    const base64Image1 = encodeImage(lotion);
    const base64Image2 = encodeImage(soap);
    const fileId1 = await createFile(lotion, "body-lotion.png");
    const fileId2 = await createFile(incense, "incense-kit.png");
    const response = await openai.responses.create({
      model: "gpt-4.1",
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: prompt },
            { type: "input_image", image_url: `data:image/jpeg;base64,${base64Image1}`, detail: "auto" },
            { type: "input_image", image_url: `data:image/jpeg;base64,${base64Image2}`, detail: "auto" },
            { type: "input_image", file_id: fileId1, detail: "auto" },
            { type: "input_image", file_id: fileId2, detail: "auto" },
          ],
        },
      ],
      tools: [{ type: "image_generation" }],
    });
    const [call] = imageCalls(response);
    expect(call).toMatchObject({ action: "edit", status: "completed" });
    expect(call.revised_prompt).toMatch(/^A photorealistic image of a gift basket/);
    // Four input pictures were read: each costs image tokens.
    expect(response.usage!.input_tokens).toBeGreaterThan(4 * 65);
    // size auto follows the first picture (600x900: portrait).
    expect(await decode(call.result)).toMatchObject({ width: 1024, height: 1536 });
    // The input items list the message as sent, ids and all.
    const items = await openai.responses.inputItems.list(response.id);
    expect(items.data).toHaveLength(1);
    expect(items.data[0]).toMatchObject({ type: "message", role: "user", content: [{ type: "input_text" }, { image_url: expect.stringMatching(/^data:/) }, {}, { file_id: fileId1 }, { file_id: fileId2 }] });
  });

  it("edits with input_image_mask, by file_id as in the guide, and by image_url: only the clear area changes", async () => {
    const lounge = await makeImage(1024, 1024);
    const box = { left: 300, top: 500, width: 400, height: 300 };
    const mask = await makeMask(1024, 1024, box);
    const fileId = (await openai.files.create({ file: await toFile(lounge, "sunlit_lounge.png", { type: "image/png" }), purpose: "vision" })).id;
    const maskId = (await openai.files.create({ file: await toFile(mask, "mask.png", { type: "image/png" }), purpose: "vision" })).id;
    const text = "generate an image of the same sunlit indoor lounge area with a pool but the pool should contain a flamingo";
    for (const input_image_mask of [{ file_id: maskId }, { image_url: dataUrl(mask) }]) {
      const response = await openai.responses.create({
        model: "gpt-4o",
        input: [{ role: "user", content: [{ type: "input_text", text }, { type: "input_image", file_id: fileId, detail: "auto" }] }],
        tools: [{ type: "image_generation", quality: "high", input_image_mask }],
      });
      const [call] = imageCalls(response);
      expect(call).toMatchObject({ action: "edit", quality: "high", size: "1024x1024" });
      const original = await decode(lounge);
      const edited = await decode(call.result);
      const pixel = (image: typeof edited, x: number, y: number) => image.pixels.subarray((y * 1024 + x) * 4, (y * 1024 + x) * 4 + 4);
      // Outside the mask's clear box the picture is kept; inside it changed.
      expect(pixel(edited, 50, 50)).toEqual(pixel(original, 50, 50));
      expect(pixel(edited, 1000, 1000)).toEqual(pixel(original, 1000, 1000));
      let changed = 0;
      for (let y = box.top; y < box.top + box.height; y += 10) for (let x = box.left; x < box.left + box.width; x += 10) if (!pixel(edited, x, y).equals(pixel(original, x, y))) changed++;
      expect(changed).toBeGreaterThan(50);
    }
  });
});

describe("output options", () => {
  it("runs the guide's transparent background example: a png with real transparency", async () => {
    const response = await openai.responses.create({
      model: "gpt-5",
      input: "Draw a 2D pixel art style sprite sheet of a tabby gray cat",
      tools: [{ type: "image_generation", background: "transparent", quality: "high" }],
    });
    const [call] = imageCalls(response);
    expect(call).toMatchObject({ background: "transparent", quality: "high", output_format: "png" });
    const picture = await decode(call.result);
    expect(picture.hasAlpha).toBe(true);
    expect(alphaAt(picture, 0, 0)).toBe(0);
    expect(response.usage!.output_tokens).toBeGreaterThan(4160);
  });

  it("honours size, quality, format and compression as the tool's options", async () => {
    const response = await openai.responses.create({
      model: "gpt-5",
      input: "Draw a lighthouse",
      tools: [{ type: "image_generation", size: "1536x1024", quality: "low", output_format: "webp", output_compression: 60, moderation: "low" }],
    });
    const [call] = imageCalls(response);
    expect(call).toMatchObject({ size: "1536x1024", quality: "low", output_format: "webp", background: "opaque" });
    expect(await decode(call.result)).toMatchObject({ format: "webp", width: 1536, height: 1024 });
  });

  it("takes the tool's model and action", async () => {
    const response = await openai.responses.create({ model: "gpt-5", input: "Draw a boat", tools: [{ type: "image_generation", model: "gpt-image-1-mini", action: "generate" }] });
    expect(imageCalls(response)[0]).toMatchObject({ quality: "low", action: "generate" });
  });
});

describe("stored responses", () => {
  it("retrieves a response as it was created, with metadata", async () => {
    const created = await openai.responses.create({ model: "gpt-5", input: "Draw a kite", tools: [{ type: "image_generation", quality: "low" }], metadata: { session: "42" } });
    const fetched = await openai.responses.retrieve(created.id);
    expect(fetched).toEqual(created);
    expect(fetched.metadata).toEqual({ session: "42" });
  });

  it("lists input items with OpenAI's pagination", async () => {
    const input = ["first", "second", "third", "fourth", "fifth"].map((text) => ({ role: "user" as const, content: text }));
    const created = await openai.responses.create({ model: "gpt-5", input, tools: [{ type: "image_generation", quality: "low" }], tool_choice: "none" });
    const all = await openai.responses.inputItems.list(created.id, { order: "asc" });
    expect(all.data.map((item) => (item as { content: { text: string }[] }).content[0].text)).toEqual(["first", "second", "third", "fourth", "fifth"]);
    for (const item of all.data) expect(item).toMatchObject({ id: expect.stringMatching(/^msg_/), type: "message", role: "user", status: "completed" });
    // Newest first by default, two at a time.
    const page = await openai.responses.inputItems.list(created.id, { limit: 2 });
    expect(page.data.map((item) => item.id)).toEqual([all.data[4].id, all.data[3].id]);
    expect(page.has_more).toBe(true);
    const texts: string[] = [];
    for await (const item of openai.responses.inputItems.list(created.id, { limit: 2 })) texts.push((item as { content: { text: string }[] }).content[0].text);
    expect(texts).toEqual(["fifth", "fourth", "third", "second", "first"]);
    const raw = await (await fetch(`${server.baseURL}/responses/${created.id}/input_items?limit=2&after=${all.data[2].id}&order=asc`)).json();
    expect(raw).toMatchObject({ object: "list", first_id: all.data[3].id, last_id: all.data[4].id, has_more: false });
    if (haveOpenApi) expect(schemaErrors("ResponseItemList", raw)).toEqual([]);
  });

  it("deletes a response: then it is gone, and so are its items", async () => {
    const created = await openai.responses.create({ model: "gpt-5", input: "Draw a bell", tools: [{ type: "image_generation", quality: "low" }] });
    const deleted = await fetch(`${server.baseURL}/responses/${created.id}`, { method: "DELETE" });
    expect(await deleted.json()).toEqual({ id: created.id, object: "response", deleted: true });
    await expect(openai.responses.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
    await expect(openai.responses.delete(created.id)).rejects.toMatchObject({ status: 404 });
    await expect(openai.responses.inputItems.list(created.id)).rejects.toMatchObject({ status: 404 });
    const reference = openai.responses.create({ model: "gpt-5", input: [{ type: "item_reference", id: imageCalls(created)[0].id }], tools: [{ type: "image_generation" }] });
    await expect(reference).rejects.toMatchObject({ status: 404, error: { param: "input[0].id" } });
  });

  it("keeps nothing with store: false", async () => {
    const created = await openai.responses.create({ model: "gpt-5", input: "Draw a cup", tools: [{ type: "image_generation", quality: "low" }], store: false });
    expect((created as unknown as { store: boolean }).store).toBe(false);
    await expect(openai.responses.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
    await expect(openai.responses.create({ model: "gpt-5", previous_response_id: created.id, input: "again" })).rejects.toMatchObject({
      status: 400,
      error: { code: "previous_response_not_found", param: "previous_response_id" },
    });
  });
});

describe("ownership", () => {
  it("gives another API key a 404 for every way to reach a response", async () => {
    const keyed = await startServer({ apiKeys: ["key-a", "key-b"] }, { apiKey: "key-a" });
    try {
      const other = new OpenAI({ baseURL: keyed.baseURL, apiKey: "key-b", maxRetries: 0 });
      const mine = await keyed.client.responses.create({ model: "gpt-5", input: "Draw a cat", tools: [{ type: "image_generation", quality: "low" }] });
      await expect(other.responses.retrieve(mine.id)).rejects.toMatchObject({ status: 404 });
      await expect(other.responses.inputItems.list(mine.id)).rejects.toMatchObject({ status: 404 });
      await expect(other.responses.delete(mine.id)).rejects.toMatchObject({ status: 404 });
      await expect(other.responses.cancel(mine.id)).rejects.toMatchObject({ status: 404 });
      await expect(other.responses.create({ model: "gpt-5", previous_response_id: mine.id, input: "again" })).rejects.toMatchObject({ status: 400, error: { code: "previous_response_not_found" } });
      await expect(other.responses.create({ model: "gpt-5", input: [{ type: "item_reference", id: imageCalls(mine)[0].id }] })).rejects.toMatchObject({ status: 404 });
      // The owner still has it.
      expect((await keyed.client.responses.retrieve(mine.id)).id).toBe(mine.id);
    } finally {
      await keyed.close();
    }
  });
});
