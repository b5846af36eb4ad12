import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../config.js";
import { chatMessages, planFromCompletion } from "./chat-planner.js";
import { buildConversation } from "./conversation.js";
import type { PlanRequest } from "./planner.js";

const conversation = buildConversation("Be brief.", [
  { item: { id: "msg_1", type: "message", role: "user", status: "completed", content: [{ type: "input_text", text: "a cat" }] }, current: false, param: "x" },
  { item: { id: "ig_1", type: "image_generation_call", status: "completed", result: "aGk=", revised_prompt: "A cat." }, current: false, param: "x" },
  {
    item: { id: "msg_2", type: "message", role: "user", status: "completed", content: [{ type: "input_text", text: "put it in this box" }, { type: "input_image", image_url: "data:x", detail: "auto" }] },
    current: true,
    param: "input[0]",
  },
]);
const request: PlanRequest = { model: "gpt-5", conversation, tool: { present: true, available: true, required: false, action: "auto", hasMask: false } };

describe("the chat planner's side of the conversation", () => {
  it("writes the conversation as chat messages, pictures as numbered markers", () => {
    const messages = chatMessages(conversation);
    expect(messages.slice(1)).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "a cat" },
      { role: "assistant", content: "[image 0] (drawn by the image tool from the prompt: A cat.)" },
      { role: "user", content: "put it in this box\n[image 1]" },
    ]);
  });

  it("reads a tool call into an image call, with the model's message and usage", () => {
    const plan = planFromCompletion(
      {
        choices: [{ message: { content: "Boxed.", tool_calls: [{ function: { name: "image_generation", arguments: '{"prompt":"A cat in a box","action":"edit","images":[1,0,"x"]}' } }] } }],
        usage: { prompt_tokens: 50, completion_tokens: 9 },
      },
      request,
    );
    expect(plan).toEqual({ call: { action: "edit", prompt: "A cat in a box", images: [1, 0] }, message: "Boxed.", usage: { input_tokens: 50, output_tokens: 9 } });
  });

  it("reads a plain answer as a message only, and refuses answers it cannot use", () => {
    expect(planFromCompletion({ choices: [{ message: { content: "Hello." } }] }, request)).toEqual({ call: null, message: "Hello." });
    expect(() => planFromCompletion({ choices: [] }, request)).toThrow();
    expect(() => planFromCompletion({ choices: [{ message: { tool_calls: [{ function: { name: "image_generation", arguments: "{" } }] } }] }, request)).toThrow();
    expect(() => planFromCompletion({ choices: [{ message: { tool_calls: [{ function: { name: "image_generation", arguments: '{"prompt":""}' } }] } }] }, request)).toThrow();
  });
});

describe("planner settings", () => {
  it("come from the environment, both or neither", () => {
    const env = { EASEL_PLANNER_BASE_URL: "http://127.0.0.1:9/v1", EASEL_PLANNER_MODEL: "m", EASEL_PLANNER_API_KEY_ENV: "KEY" };
    expect(loadConfig(env).planner).toEqual({ baseUrl: "http://127.0.0.1:9/v1", model: "m", apiKeyEnv: "KEY" });
    expect(loadConfig({}).planner).toBeUndefined();
    expect(() => loadConfig({ EASEL_PLANNER_MODEL: "m" })).toThrow(ConfigError);
    expect(() => loadConfig({ EASEL_PLANNER_BASE_URL: "not a url", EASEL_PLANNER_MODEL: "m" })).toThrow(ConfigError);
  });
});
