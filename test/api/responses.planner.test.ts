// The optional chat-completions planner, against a small fake
// OpenAI-compatible chat server: what it is asked, how its tool calls become
// image calls, and the built-in rules taking over when it fails.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decode, startServer, type TestServer } from "../helpers/server.js";

interface ChatRequest {
  headers: IncomingMessage["headers"];
  body: { model: string; messages: { role: string; content: string }[]; tools?: { type: string; function: { name: string } }[]; tool_choice?: unknown };
}

let chat: Server;
let chatURL: string;
const received: ChatRequest[] = [];
let answer: (request: ChatRequest) => { status?: number; body: unknown } = () => ({ body: {} });

const toolCall = (args: Record<string, unknown>, content: string | null = null, usage?: object) => ({
  id: "chatcmpl-1",
  object: "chat.completion",
  choices: [{ index: 0, finish_reason: "tool_calls", message: { role: "assistant", content, tool_calls: [{ id: "call_1", type: "function", function: { name: "image_generation", arguments: JSON.stringify(args) } }] } }],
  ...(usage ? { usage } : {}),
});
const textOnly = (content: string) => ({ id: "chatcmpl-2", object: "chat.completion", choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content } }] });

let server: TestServer;
beforeAll(async () => {
  chat = createServer((request, response) => {
    let data = "";
    request.on("data", (chunk) => (data += chunk));
    request.on("end", () => {
      const parsed: ChatRequest = { headers: request.headers, body: JSON.parse(data) };
      received.push(parsed);
      const { status = 200, body } = answer(parsed);
      response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => chat.listen(0, "127.0.0.1", resolve));
  chatURL = `http://127.0.0.1:${(chat.address() as AddressInfo).port}/v1`;
  process.env.EASEL_TEST_PLANNER_KEY = "sk-planner-secret";
  server = await startServer({ planner: { baseUrl: chatURL, model: "llama-planner", apiKeyEnv: "EASEL_TEST_PLANNER_KEY", timeoutMs: 5000 } });
});
afterAll(async () => {
  await server.close();
  await new Promise((resolve) => chat.close(resolve));
  delete process.env.EASEL_TEST_PLANNER_KEY;
});
beforeEach(() => {
  received.length = 0;
});

type ImageCall = { type: "image_generation_call"; result: string; revised_prompt: string; action: string };
const imageCall = (response: { output: unknown[] }) => (response.output as { type: string }[]).find((item) => item.type === "image_generation_call") as ImageCall | undefined;

describe("the chat-completions planner", () => {
  it("asks the chat model with the conversation and the image tool, and draws what it decides", async () => {
    answer = () => ({ body: toolCall({ prompt: "A watercolor lighthouse on a rocky cliff at sunset", action: "generate" }, "Here is your lighthouse.", { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 }) });
    const response = await server.client.responses.create({ model: "gpt-5", instructions: "Be brief.", input: "lighthouse please", tools: [{ type: "image_generation", quality: "low" }] });
    const call = imageCall(response)!;
    expect(call).toMatchObject({ action: "generate", revised_prompt: "A watercolor lighthouse on a rocky cliff at sunset" });
    expect((await decode(call.result)).width).toBe(1024);
    expect(response.output_text).toBe("Here is your lighthouse.");
    // The chat model's own token counts, plus the image tool's (272 for a low square).
    expect(response.usage!.output_tokens).toBe(30 + 272);
    expect(response.usage!.input_tokens).toBeGreaterThan(120);

    expect(received).toHaveLength(1);
    const [{ headers, body }] = received;
    expect(headers.authorization).toBe("Bearer sk-planner-secret");
    expect(body.model).toBe("llama-planner");
    expect(body.tools?.map((tool) => tool.function.name)).toEqual(["image_generation"]);
    expect(body.tool_choice).toBe("auto");
    expect(body.messages[0].role).toBe("system");
    expect(body.messages).toContainEqual({ role: "system", content: "Be brief." });
    expect(body.messages[body.messages.length - 1]).toEqual({ role: "user", content: "lighthouse please" });
  });

  it("shows earlier pictures as numbered markers with their prompts, and edits the ones it names", async () => {
    answer = () => ({ body: toolCall({ prompt: "A cat", action: "generate" }) });
    const first = await server.client.responses.create({ model: "gpt-5", input: "a cat", tools: [{ type: "image_generation", quality: "low" }] });
    answer = () => ({ body: toolCall({ prompt: "A cat in a tiny wizard hat", action: "edit", images: [0] }, "Done.") });
    const second = await server.client.responses.create({ model: "gpt-5", previous_response_id: first.id, input: "give it a wizard hat", tools: [{ type: "image_generation", quality: "low" }] });
    expect(imageCall(second)).toMatchObject({ action: "edit", revised_prompt: "A cat in a tiny wizard hat" });
    const messages = received[1].body.messages;
    expect(messages).toContainEqual({ role: "assistant", content: "[image 0] (drawn by the image tool from the prompt: A cat)" });
    expect(messages[messages.length - 1]).toEqual({ role: "user", content: "give it a wizard hat" });
  });

  it("forces the function when tool_choice requires the tool, and offers no tool when it is none", async () => {
    answer = () => ({ body: toolCall({ prompt: "A boat", action: "generate" }) });
    await server.client.responses.create({ model: "gpt-5", input: "hi", tools: [{ type: "image_generation", quality: "low" }], tool_choice: "required" });
    expect(received[0].body.tool_choice).toEqual({ type: "function", function: { name: "image_generation" } });
    answer = () => ({ body: textOnly("Hello there.") });
    const none = await server.client.responses.create({ model: "gpt-5", input: "hi", tools: [{ type: "image_generation" }], tool_choice: "none" });
    expect(received[1].body.tools).toBeUndefined();
    expect(none.output_text).toBe("Hello there.");
    expect(imageCall(none)).toBeUndefined();
  });

  it("answers with the chat model's text alone when it calls no tool", async () => {
    answer = () => ({ body: textOnly("Paris is the capital of France.") });
    const response = await server.client.responses.create({ model: "gpt-5", input: "What is the capital of France?", tools: [{ type: "image_generation" }] });
    expect(response.output.map((item) => item.type)).toEqual(["message"]);
    expect(response.output_text).toBe("Paris is the capital of France.");
  });

  it("still calls the tool when it is required and the chat model did not", async () => {
    answer = () => ({ body: textOnly("No.") });
    const response = await server.client.responses.create({ model: "gpt-5", input: "Draw a kite", tools: [{ type: "image_generation", quality: "low" }], tool_choice: "required" });
    expect(imageCall(response)).toMatchObject({ action: "generate", revised_prompt: "A kite." });
  });

  it("falls back to the built-in rules when the chat server fails or answers nonsense", async () => {
    for (const failure of [{ status: 500, body: { error: { message: "boom" } } }, { body: { choices: [] } }, { body: toolCall({ action: "generate" }) }]) {
      answer = () => failure;
      const response = await server.client.responses.create({ model: "gpt-5", input: "Generate an image of a red fox", tools: [{ type: "image_generation", quality: "low" }] });
      expect(imageCall(response)).toMatchObject({ action: "generate", revised_prompt: "A red fox." });
    }
  });
});
