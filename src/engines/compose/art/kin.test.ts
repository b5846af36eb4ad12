import { describe, expect, it } from "vitest";
import { getArtIndex } from "../art-index.js";
import { WordNet } from "./wordnet.js";

describe("WordNet nouns", () => {
  const wordnet = new WordNet();
  const names = (lemma: string, names = false) => wordnet.kin(lemma, { names }).map((s) => s.words[0]);

  it("reads a sense's chain of kinds up to the roots that say nothing drawable", () => {
    expect(names("cricketer")).toEqual(["cricketer", "athlete", "contestant", "person"]);
    expect(names("chrysalis").slice(0, 3)).toEqual(["chrysalis", "pupa", "insect"]);
  });

  it("reads synsets whose lines are longer than one read (person has hundreds of pointers)", () => {
    const [person] = wordnet.senses("person");
    expect(wordnet.synset(person).words).toEqual(expect.arrayContaining(["person", "individual", "someone"]));
    expect(wordnet.synset(person).parents.length).toBeGreaterThan(0);
  });

  it("reads named things only when asked, and the first common sense otherwise", () => {
    expect(names("grand canyon", true).slice(0, 2)).toEqual(["grand canyon", "gorge"]);
    expect(names("peel")).not.toContain("person");
    expect(names("peel", true)).toContain("politician");
  });

  it("trusts a first sense only where WordNet ranked the senses by use (a 'hammock' first is a knoll)", () => {
    expect(wordnet.ranked("hammock")).toBe(false);
    expect(names("hammock")).toEqual([]);
    expect(wordnet.ranked("dog")).toBe(true);
    expect(names("cricketer")).not.toEqual([]);
  });

  it("knows no kinds of abstractions and unknown words", () => {
    expect(names("inspiration")).toEqual([]);
    expect(names("research")).toEqual([]);
    expect(names("zzyzx qwerty")).toEqual([]);
  });
});

describe("art of a thing's kind", () => {
  const index = getArtIndex();

  it("borrows the art a kind's own name finds, never a head noun's ('ruler' is no straight ruler)", () => {
    expect(index.lookup("defendant")?.art.annotation).toBe("person");
    expect(index.lookup("pharaoh")?.art.annotation).not.toBe("straight ruler");
    expect(index.lookup("bricklayer")?.art.annotation).toBe("person");
    // A head noun's or tag's art does not stand for an abstraction ("music theory", "archive research").
    expect(index.lookup("theory")).toBeNull();
    expect(index.lookup("research")).toBeNull();
    // A shape is abstract to WordNet, but drawable.
    expect(index.lookup("sphere")?.score).toBeGreaterThan(0);
  });

  it("keeps a common compound to the reader when its head has art ('white rice' is rice)", () => {
    expect(index.lookup("white rice")).toBeNull();
    // ...but a name WordNet knows is drawn as its kind: the Sears Tower is a skyscraper.
    expect(index.lookup("sears tower")?.art.annotation).toBe("skyscraper");
  });
});
