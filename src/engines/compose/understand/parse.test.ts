import { describe, it, expect } from "vitest";
import { readClauses, withoutQuotes } from "./parse.js";

const words = (prompt: string) => readClauses(prompt).map((c) => c.map((t) => t.word));

describe("readClauses", () => {
  it("tags parts of speech and lemmas", () => {
    const [clause] = readClauses("three mice chasing two red balloons");
    const byWord = Object.fromEntries(clause.map((t) => [t.word, t]));
    expect(byWord.three.pos).toBe("NUM");
    expect(byWord.mice).toMatchObject({ pos: "NOUN", lemma: "mouse" });
    expect(byWord.balloons).toMatchObject({ pos: "NOUN", lemma: "balloon" });
    expect(byWord.red.pos).toBe("ADJ");
    expect(byWord.chasing.pos).toBe("VERB");
  });

  it("reads capitalised prompts like lowercase ones", () => {
    expect(readClauses("A Cat On A Red Sofa")).toEqual(readClauses("a cat on a red sofa"));
  });

  it("splits clauses at punctuation and keeps hyphenated words as words", () => {
    expect(words("a red, a t-shirt; blue!")).toEqual([["a", "red"], ["a", "t", "shirt"], ["blue"]]);
  });

  it("keeps possessives as a marker and leaves quoted text out", () => {
    expect(words("the children's book labeled 'Relax & Unwind' with a ribbon")).toEqual([
      ["the", "children", "'s", "book", "labeled", "with", "a", "ribbon"],
    ]);
    expect(withoutQuotes('a sign saying "open late" and the kids\' toys')).toBe("a sign saying   and the kids' toys");
  });

  it("reads a contraction written without its apostrophe before a comma, for which the tagger gives no lemma", () => {
    expect(words("a cat that cannot, sleep; dont, isnt, now")).toEqual([["a", "cat", "that", "cannot"], ["sleep"], ["dont"], ["isnt"], ["now"]]);
  });

  it("folds accents to ASCII", () => {
    expect(words("a café crème")).toEqual([["a", "cafe", "creme"]]);
  });
});
