import { describe, expect, it } from "vitest";
import { asksForNewPicture, asksToRedraw, carryForward, describe as describePrompt, styleHints, withStyle } from "./revise.js";

describe("describe: a request becomes a description", () => {
  it.each([
    ["Generate an image of gray tabby cat hugging an otter with an orange scarf", "A gray tabby cat hugging an otter with an orange scarf."],
    ["Draw a 2D pixel art style sprite sheet of a tabby gray cat", "A 2D pixel art style sprite sheet of a tabby gray cat."],
    ["Can you please draw me a picture of an owl at night?", "An owl at night."],
    ["please create an image of three red balloons", "Three red balloons."],
    ["Draw a gorgeous image of a river made of white owl feathers", "A gorgeous image of a river made of white owl feathers."],
    ["Generate a photorealistic image of a gift basket", "A photorealistic image of a gift basket."],
    ["a lighthouse on a cliff", "A lighthouse on a cliff."],
    ["Make an image of cats playing", "Cats playing."],
  ])("%s", (text, expected) => expect(describePrompt(text)).toBe(expected));
});

describe("carryForward: an instruction applied to the earlier prompt", () => {
  const base = "A gray tabby cat hugging an otter with an orange scarf.";
  it.each([
    ["Now make it look realistic", "A gray tabby cat hugging an otter with an orange scarf, realistic."],
    ["make it more colorful", "A gray tabby cat hugging an otter with an orange scarf, more colorful."],
    ["Make it look like a watercolor painting", "A gray tabby cat hugging an otter with an orange scarf, like a watercolor painting."],
    ["turn it into a cartoon", "A gray tabby cat hugging an otter with an orange scarf, as a cartoon."],
    ["put them on a beach", "A gray tabby cat hugging an otter with an orange scarf, on a beach."],
    ["Add a party hat to the cat", "A gray tabby cat hugging an otter with an orange scarf, with a party hat on the cat."],
    ["remove the scarf", "A gray tabby cat hugging an otter."],
    ["remove the tree", "A gray tabby cat hugging an otter with an orange scarf, without tree."],
    ["replace the otter with a puppy", "A gray tabby cat hugging a puppy with an orange scarf."],
    ["change the background to a snowy forest", "A gray tabby cat hugging an otter with an orange scarf, with a snowy forest as the background."],
    ["make the scarf blue", "A gray tabby cat hugging an otter with a blue scarf."],
    ["make the cat orange", "An orange tabby cat hugging an otter with an orange scarf."],
    ["make the cat bigger", "A gray tabby cat hugging an otter with an orange scarf, with the cat bigger."],
    ["zoom out a little", "A gray tabby cat hugging an otter with an orange scarf. Zoom out a little."],
  ])("%s", (instruction, expected) => expect(carryForward(base, instruction)).toBe(expected));

  it("keeps carrying: each turn builds on the prompt before it", () => {
    const second = carryForward(base, "Now make it look realistic");
    const third = carryForward(second, "add a rainbow");
    expect(third).toBe("A gray tabby cat hugging an otter with an orange scarf, realistic, with a rainbow.");
  });
});

describe("new pictures, redraws and edits", () => {
  it.each([
    ["Generate an image of a dog", true],
    ["Draw two owls", true],
    ["Now draw a new picture of a horse", true],
    ["Now make it look realistic", false],
    ["make the scarf blue", false],
    ["draw it again", false],
    ["Generate the same image but bigger", false],
    ["add a hat", false],
  ])("asksForNewPicture(%s) is %s", (text, expected) => expect(asksForNewPicture(text)).toBe(expected));

  it.each([
    ["again", true],
    ["Another one please", true],
    ["try again!", true],
    ["make it again bigger", false],
  ])("asksToRedraw(%s) is %s", (text, expected) => expect(asksToRedraw(text)).toBe(expected));
});

describe("style hints from the instructions", () => {
  it("keeps the sentences about how pictures look, as phrases", () => {
    expect(styleHints("You are a helpful assistant. Always draw in a watercolor style. Be brief.")).toEqual(["in a watercolor style"]);
    expect(styleHints("All images should be in pixel art style")).toEqual(["in pixel art style"]);
    expect(styleHints("Use a pastel palette.")).toEqual(["with a pastel palette"]);
    expect(styleHints(null)).toEqual([]);
  });

  it("adds only what the prompt lacks", () => {
    expect(withStyle("A cat.", ["in a watercolor style"])).toBe("A cat, in a watercolor style.");
    expect(withStyle("A cat, in a watercolor style.", ["in a watercolor style"])).toBe("A cat, in a watercolor style.");
  });
});
