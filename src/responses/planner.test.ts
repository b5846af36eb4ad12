import { describe, expect, it } from "vitest";
import { buildConversation, type ItemWithOrigin } from "./conversation.js";
import { finalizePlan, MESSAGES, planTurn, wantsPicture, type PlannerTool, type PlanRequest } from "./planner.js";
import type { ImageGenerationCallItem, InputMessageItem } from "./types.js";

const user = (text: string, current = true, images: string[] = []): ItemWithOrigin => ({
  item: {
    id: `msg_${text.length}`,
    type: "message",
    role: "user",
    status: "completed",
    content: [{ type: "input_text", text }, ...images.map((url) => ({ type: "input_image" as const, image_url: url, detail: "auto" as const }))],
  } satisfies InputMessageItem,
  current,
  param: "input",
});
const generated = (prompt: string, current = false): ItemWithOrigin => ({
  item: { id: "ig_1", type: "image_generation_call", status: "completed", result: "aGk=", revised_prompt: prompt } satisfies ImageGenerationCallItem,
  current,
  param: "previous_response_id",
});
const tool = (overrides: Partial<PlannerTool> = {}): PlannerTool => ({ present: true, available: true, required: false, action: "auto", hasMask: false, ...overrides });
const request = (items: ItemWithOrigin[], toolOverrides: Partial<PlannerTool> = {}, instructions: string | null = null): PlanRequest => ({
  model: "gpt-5",
  conversation: buildConversation(instructions, items),
  tool: tool(toolOverrides),
});

describe("when the planner calls the image tool", () => {
  it.each([
    ["Generate an image of a cat", true],
    ["a lighthouse at dusk", true],
    ["Can you draw a horse?", true],
    ["What is the capital of France?", false],
    ["thanks!", false],
    ["", false],
  ])("wantsPicture(%j) is %s", (text, expected) => expect(wantsPicture(text)).toBe(expected));

  it("always calls it when tool_choice requires it", () => {
    expect(planTurn(request([user("thanks!")], { required: true })).call).not.toBeNull();
  });

  it("never calls it when tool_choice is none, or without the tool, and says why", () => {
    expect(planTurn(request([user("Draw a cat")], { available: false }))).toEqual({ call: null, message: MESSAGES.toolOff });
    expect(planTurn(request([user("Draw a cat")], { present: false, available: false }))).toEqual({ call: null, message: MESSAGES.noTool });
  });

  it("answers questions and small talk with a message only", () => {
    expect(planTurn(request([user("What is the capital of France?")]))).toEqual({ call: null, message: MESSAGES.notAPictureRequest });
  });
});

describe("generate or edit", () => {
  it("generates a new picture from a request", () => {
    const plan = planTurn(request([user("Generate an image of gray tabby cat hugging an otter with an orange scarf")]));
    expect(plan.call).toEqual({ action: "generate", prompt: "A gray tabby cat hugging an otter with an orange scarf.", images: [] });
    expect(plan.message).toBe("Here is the image: a gray tabby cat hugging an otter with an orange scarf.");
  });

  it("edits the latest picture when a follow-up refers to it, carrying its prompt forward", () => {
    const plan = planTurn(request([user("Generate an image of gray tabby cat hugging an otter", false), generated("A gray tabby cat hugging an otter with an orange scarf."), user("Now make it look realistic")]));
    expect(plan.call).toEqual({ action: "edit", prompt: "A gray tabby cat hugging an otter with an orange scarf, realistic.", images: [0] });
  });

  it("edits a picture referenced in this turn's input (the image_generation_call id style)", () => {
    const plan = planTurn(request([user("Now make it look realistic"), generated("A gray tabby cat hugging an otter.", true)]));
    expect(plan.call).toMatchObject({ action: "edit", prompt: "A gray tabby cat hugging an otter, realistic.", images: [0] });
  });

  it("edits the pictures sent with the message, all of them, with the request as the prompt", () => {
    const plan = planTurn(request([user("Generate a photorealistic image of a gift basket containing all the items in the reference pictures", true, ["data:a", "data:b", "data:c"])]));
    expect(plan.call).toEqual({ action: "edit", prompt: "A photorealistic image of a gift basket containing all the items in the reference pictures.", images: [0, 1, 2] });
  });

  it("draws anew when the message asks for a new picture, or again", () => {
    const history = [user("Draw a cat", false), generated("A cat.")];
    expect(planTurn(request([...history, user("Generate an image of a dog")])).call).toEqual({ action: "generate", prompt: "A dog.", images: [] });
    expect(planTurn(request([...history, user("again")])).call).toEqual({ action: "generate", prompt: "A cat.", images: [] });
  });

  it("follows the tool's action", () => {
    const history = [user("Draw a cat", false), generated("A cat.")];
    expect(planTurn(request([...history, user("make it blue")], { action: "generate" })).call).toMatchObject({ action: "generate", prompt: "A cat, blue.", images: [] });
    expect(planTurn(request([...history, user("Generate an image of a dog")], { action: "edit" })).call).toMatchObject({ action: "edit", images: [0] });
  });

  it("adds the instructions' style to the prompt", () => {
    const plan = planTurn(request([user("Draw a cat")], {}, "Always draw in a watercolor style."));
    expect(plan.call?.prompt).toBe("A cat, in a watercolor style.");
  });
});

describe("finalizePlan holds any planner to the request", () => {
  const base = request([user("Draw a cat", false), generated("A cat."), user("make it blue")]);

  it("drops a call the tool choice does not allow", () => {
    const off = { ...base, tool: tool({ available: false }) };
    expect(finalizePlan({ call: { action: "generate", prompt: "x", images: [] }, message: "m" }, off, 0).call).toBeNull();
  });

  it("adds the built-in call when one is required and the planner made none", () => {
    const required = { ...base, tool: tool({ required: true }) };
    expect(finalizePlan({ call: null, message: "m" }, required, 0).call).toMatchObject({ action: "edit", images: [0] });
  });

  it("keeps only pictures that exist, and edits the latest one when none is named", () => {
    expect(finalizePlan({ call: { action: "edit", prompt: "p", images: [7, -1] }, message: "m" }, base, 0).call).toEqual({ action: "edit", prompt: "p", images: [0] });
  });

  it("turns an edit without any picture into a generation, unless the tool demands an edit", () => {
    const empty = request([user("make it blue")]);
    expect(finalizePlan({ call: { action: "edit", prompt: "p", images: [] }, message: "m" }, empty, 0).call).toMatchObject({ action: "generate" });
    const demanding = { ...empty, tool: tool({ action: "edit" }) };
    expect(() => finalizePlan({ call: { action: "edit", prompt: "p", images: [] }, message: "m" }, demanding, 2)).toThrow(/tools\[2\]\.action/);
  });

  it("makes a masked request an edit", () => {
    const masked = { ...base, tool: tool({ hasMask: true }) };
    expect(finalizePlan({ call: { action: "generate", prompt: "p", images: [] }, message: "m" }, masked, 0).call).toMatchObject({ action: "edit", images: [0] });
  });
});
