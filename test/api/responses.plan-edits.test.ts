// Multi-turn editing through the Responses API with the official client: the
// guide's cat-and-otter conversation and one follow-up per edit kind. Each
// picture the image_generation tool returns (and the store keeps) carries its
// plan, so a follow-up changes the scene instead of drawing over it.
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ComposeRecord } from "../../src/engines/compose/plan-record.js";
import { boxOf, planInFile, thingNames } from "../helpers/picture-plan.js";
import { startServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
let openai: OpenAI;
const CAT_AND_OTTER = "Generate an image of gray tabby cat hugging an otter with an orange scarf";
const tools: OpenAI.Responses.Tool[] = [{ type: "image_generation", quality: "low" }];

let firstId: string;
let firstPlan: ComposeRecord;
beforeAll(async () => {
  server = await startServer();
  openai = server.client;
  const response = await openai.responses.create({ model: "gpt-5", input: CAT_AND_OTTER, tools });
  firstId = response.id;
  firstPlan = (await planOf(response))!;
});
afterAll(() => server.close());

type Call = { type: string; result: string; revised_prompt: string; action: string };
const callOf = (response: { output: unknown[] }) => (response.output as Call[]).find((o) => o.type === "image_generation_call")!;
const planOf = (response: { output: unknown[] }) => planInFile(callOf(response).result);
const followUp = (previous_response_id: string, input: string) => openai.responses.create({ model: "gpt-5", previous_response_id, input, tools });

describe("the guide's multi-turn conversation", () => {
  it("realistic, then a red hat: one cat, one otter, the hat on the cat, nothing moved", async () => {
    expect(thingNames(firstPlan)).toEqual(["tabby cat", "otter", "scarf"]);
    // The scarf is the otter's.
    expect(firstPlan.relations).toContainEqual({ subject: 1, relation: "wearing", object: 2 });

    const realistic = await followUp(firstId, "Now make it look realistic");
    expect(callOf(realistic).action).toBe("edit");
    const second = (await planOf(realistic))!;
    expect(second.style).toBe("photorealistic");
    expect(second.placed).toEqual(firstPlan.placed);

    const hatted = await followUp(realistic.id, "add a red hat to the cat");
    const third = (await planOf(hatted))!;
    expect(thingNames(third)).toEqual(["tabby cat", "otter", "scarf", "hat"]);
    expect(third.relations).toContainEqual({ subject: 0, relation: "wearing", object: 3 });
    expect(third.style).toBe("photorealistic");
    for (const id of [0, 1, 2]) expect(boxOf(third, id)).toEqual(boxOf(firstPlan, id));
  });
});

describe("one follow-up per edit kind", () => {
  it("remove", async () => {
    const plan = (await planOf(await followUp(firstId, "remove the otter")))!;
    expect(thingNames(plan)).toEqual(["tabby cat"]);
    expect(boxOf(plan, 0)).toEqual(boxOf(firstPlan, 0));
  });

  it("recolour", async () => {
    const plan = (await planOf(await followUp(firstId, "make the cat orange")))!;
    expect(plan.things.map((t) => t.colour?.name ?? null)).toEqual(["orange", null, "orange"]);
    expect(plan.placed).toEqual(firstPlan.placed);
  });

  it("move", async () => {
    const plan = (await planOf(await followUp(firstId, "move the cat to the left")))!;
    expect(thingNames(plan)).toEqual(["tabby cat", "otter", "scarf"]);
    expect(boxOf(plan, 0)![0]).toBeLessThan(boxOf(firstPlan, 0)![0] - 0.02);
  });

  it("restyle", async () => {
    const plan = (await planOf(await followUp(firstId, "turn it into a pixel art picture")))!;
    expect(plan.style).toBe("pixel-art");
    expect(plan.placed).toEqual(firstPlan.placed);
  });

  it("add, then the added thing edited in the next turn", async () => {
    const added = await followUp(firstId, "add a red balloon");
    const withBalloon = (await planOf(added))!;
    expect(thingNames(withBalloon)).toEqual(["tabby cat", "otter", "scarf", "balloon"]);
    const recoloured = (await planOf(await followUp(added.id, "make the balloon blue")))!;
    expect(recoloured.things[3].colour?.name).toBe("blue");
    expect(recoloured.placed).toEqual(withBalloon.placed);
  });
});
