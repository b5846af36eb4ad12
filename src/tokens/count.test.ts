import { readFileSync } from "node:fs";
import { getEncoding } from "js-tiktoken";
import { afterAll, describe, expect, it } from "vitest";
import { countTextTokens, MAX_RUN } from "./count.js";
import { closeTokenizer, countTokens, estimateTokens } from "./index.js";

// js-tiktoken is the reference o200k_base implementation here (exact, but
// far slower than linear on long runs, which is why Easel does not use it).
const reference = getEncoding("o200k_base");
const exact = (text: string) => reference.encode(text, [], []).length;

const corpus: string[] = JSON.parse(readFileSync(new URL("../../test/fixtures/compose/prompts.json", import.meta.url), "utf8")).map(
  (entry: { prompt: string }) => entry.prompt,
);
const other = [
  "", "hello world", "a cat <|endoftext|> and <|im_start|>", "Ein Hund, der über den Zaun springt.", "一只猫坐在窗台上看雨。",
  "猫が窓辺で雨を見ている", "кот сидит на подоконнике", "🐱🐶🦊 emoji soup!!!", "don't won't I'll they've", "   leading and trailing   ",
  "line\nbreaks\r\nand\ttabs", "1234567 digits 3.14159", "mixed-case CamelCaseWords and SHOUTING", "a\u0301ccents co\u0308mbining",
];

afterAll(() => closeTokenizer());

describe("token counting", () => {
  it("matches o200k_base exactly on ordinary text", () => {
    for (const text of [...corpus, ...other]) expect(countTextTokens(text), text).toBe(exact(text));
    expect(corpus.length).toBeGreaterThan(300);
  });

  it("counts runs longer than MAX_RUN in chunks, close to the exact count", () => {
    const cases = ["x".repeat(1500), "猫".repeat(1000), "!?".repeat(750), " ".repeat(1500) + "a", "word ".repeat(50) + "z".repeat(1000) + " end"];
    for (const text of cases) {
      const chunks = Math.ceil(text.length / MAX_RUN);
      expect(Math.abs(countTextTokens(text) - exact(text)), text.slice(0, 20)).toBeLessThanOrEqual(2 * chunks);
    }
  });

  it("never splits a surrogate pair when it chunks a run", () => {
    const emoji = "😀".repeat(MAX_RUN + 10);
    expect(Math.abs(countTextTokens(emoji) - exact(emoji))).toBeLessThanOrEqual(2);
  });

  it("counts in a worker thread, several texts at once, with the same result", async () => {
    const texts = ["hello world", "", corpus[0], "猫".repeat(1000)];
    expect(await countTokens(...texts)).toEqual(texts.map(countTextTokens));
  });

  it("estimates one token per four bytes when a count cannot be had", () => {
    expect(estimateTokens("abcdefgh")).toBe(2);
    expect(estimateTokens("猫")).toBe(1);
  });
});
