// The planner on prompts nobody would write: random runs of WordNet's words,
// punctuation, contractions without apostrophes, numbers, quotes and symbols.
// Each must plan without throwing and within its bounds. A probe like this
// found "a cat that cannot, sleep" crashing the reader (parse.ts).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { wordNetDir } from "./art/wordnet.js";
import { MAX_THINGS, planPicture } from "./prompt.js";

const lemmas = (file: string) =>
  readFileSync(join(wordNetDir(), file), "latin1")
    .split("\n")
    .filter((line) => /^[a-z_]+ /.test(line))
    .map((line) => line.slice(0, line.indexOf(" ")).replaceAll("_", " "));

const ODD = [
  "cannot", "dont", "won't", "it's", "'s", "o'clock", "&", "%", "$10,000", "3.5", "1/2", "#1", "...", "—", "“", "”",
  "'", '"', "(", ")", ";", ":", "!", "?", ",", ".", "-", "/", "The", "Of", "And", "New York", "U.S.", "e.g.", "no",
  "without", "of", "in front of", "two", "dozen", "a", "the", "made of", "wearing", "2x2", "4k", "t-shirt",
  "'quoted text'", "café", "日本", "🙂", "\u0000", "\t", "\n",
];

describe("planning random prompts", () => {
  it("plans 2,000 random prompts without throwing, each within the thing limit", () => {
    const words = { nouns: lemmas("index.noun"), adjectives: lemmas("index.adj"), verbs: lemmas("index.verb") };
    let seed = 2026;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
    for (let i = 0; i < 2000; i++) {
      const parts = Array.from({ length: 1 + Math.floor(random() * 14) }, () => {
        const r = random();
        return r < 0.35 ? pick(ODD) : r < 0.65 ? pick(words.nouns) : r < 0.85 ? pick(words.adjectives) : pick(words.verbs);
      });
      // Most words apart, some run together ("cannot," "2x2!").
      const prompt = parts.reduce((text, part) => text + (random() < 0.8 ? " " : "") + part);
      let things = 0;
      expect(() => (things = planPicture(prompt).things.length), JSON.stringify(prompt)).not.toThrow();
      expect(things).toBeLessThanOrEqual(MAX_THINGS);
    }
  });
});
