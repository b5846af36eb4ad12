import { describe, it, expect } from "vitest";
import { planPicture } from "../prompt.js";

/** Relations as readable triples: "cat on sofa". */
function relations(prompt: string): string[] {
  const plan = planPicture(prompt);
  return plan.relations.map((r) => `${plan.things[r.subject].name} ${r.relation} ${plan.things[r.object].name}`);
}

describe("relations", () => {
  it.each([
    ["a cat on a red sofa", ["cat on sofa"]],
    ["a dog wearing a hat", ["dog wearing hat"]],
    ["a girl holding a balloon", ["girl holding balloon"]],
    ["a frog in a bucket", ["frog inside bucket"]],
    ["a basket containing apples", ["apple inside basket"]],
    ["a basket full of apples", ["apple inside basket"]],
    ["a cat next to a dog", ["cat next to dog"]],
    ["a dog in front of a house", ["dog in front of house"]],
    ["a cat behind a tree", ["cat behind tree"]],
    ["a teddy bear under a christmas tree", ["teddy bear under christmas tree"]],
    ["a balloon above a house", ["balloon above house"]],
    ["a fish below a boat", ["fish below boat"]],
    ["a snake coiled around a rock", ["snake around rock"]],
    ["a rock surrounded by snakes", ["snake around rock"]],
    ["a cat in a hat", ["cat wearing hat"]],
    ["an otter with an orange scarf", ["otter wearing scarf"]],
    ["a girl with a balloon", ["girl next to balloon"]],
    ["the girl's hat", ["girl wearing hat"]],
    ["an astronaut riding a horse", ["astronaut on horse"]],
    ["a basket of apples", ["apple inside basket"]],
    ["a camel walking past a pyramid", ["camel next to pyramid"]],
  ])("%s", (prompt, expected) => {
    expect(relations(prompt)).toEqual(expected);
  });

  it("gives 'between' both objects", () => {
    expect(relations("a cat between a dog and a fox")).toEqual(["cat between dog", "cat between fox"]);
  });

  it("attaches verbs to the one doing them, not to what they already hold", () => {
    expect(relations("a man wearing glasses and holding an umbrella")).toEqual(["man wearing glasses", "man holding umbrella"]);
    expect(relations("a robot holding a flower, wearing a crown")).toEqual(["robot holding flower", "robot wearing crown"]);
    expect(relations("a girl holding a balloon next to a dog")).toEqual(["girl holding balloon", "girl next to dog"]);
  });

  it("shares a preposition among things joined by 'and'", () => {
    expect(relations("a cat and a dog on a sofa")).toEqual(["cat on sofa", "dog on sofa"]);
  });

  it("lets a verb after a place go back to its subject", () => {
    expect(relations("a cat on a sofa holding a ball")).toEqual(["cat on sofa", "cat holding ball"]);
  });

  it("carries a relation across a comma to the subject", () => {
    expect(relations("a cat, sitting on a sofa")).toEqual(["cat on sofa"]);
  });

  it("relates nothing through a thing without art", () => {
    const plan = planPicture("a cat next to a zxqvocrat under a tree");
    expect(plan.unrealised).toEqual(["zxqvocrat"]);
    expect(relations("a cat next to a zxqvocrat under a tree")).toEqual([]);
  });

  it("points at things by id", () => {
    const plan = planPicture("a dog wearing a hat");
    expect(plan.things.map((t) => t.id)).toEqual([0, 1]);
    expect(plan.relations).toEqual([{ subject: 0, relation: "wearing", object: 1 }]);
  });
});
