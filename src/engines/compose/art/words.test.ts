import { describe, it, expect } from "vitest";
import { headEnd, lemma, lemmaOfPhrase } from "./lemma.js";
import { nameFromFile, nameFromTitle } from "./openclipart.js";
import { placementFromWords } from "./placement.js";

describe("lemmas", () => {
  it("makes plural nouns singular and leaves singulars alone", () => {
    expect(["cats", "boxes", "puppies", "tomatoes", "houses", "mice", "leaves"].map(lemma)).toEqual([
      "cat", "box", "puppy", "tomato", "house", "mouse", "leaf",
    ]);
    expect(["glass", "bus", "cactus", "cat", "gas"].map(lemma)).toEqual(["glass", "bus", "cactus", "cat", "gas"]);
    expect(lemmaOfPhrase(["red", "flowers"])).toEqual(["red", "flower"]);
  });

  it("finds where the head noun phrase ends", () => {
    expect(headEnd(["cup", "of", "coffee"])).toBe(1);
    expect(headEnd(["man", "singing"])).toBe(1);
    expect(headEnd(["old", "building"])).toBe(2);
    expect(headEnd(["evergreen", "tree"])).toBe(2);
    // A word in -ing that starts a compound noun WordNet knows is part of the head, not a participle.
    expect(headEnd(["rectangle", "swimming", "pool"])).toBe(3);
    expect(headEnd(["cat", "swimming", "in", "pool"])).toBe(1);
  });
});

describe("OpenClipart names", () => {
  it("strips authors, numbers, parentheses and clip-art words from titles", () => {
    expect(nameFromTitle("Cartoon cat by johndoe", "John Doe")).toEqual(["cat"]);
    expect(nameFromTitle("cat 2", "")).toEqual(["cat"]);
    expect(nameFromTitle("Clipart by Nicu Buculei - head1", "Nicu Buculei")).toEqual(["head"]);
    expect(nameFromTitle("Ice Cream Cone (4 Scoop)", "")).toEqual(["ice", "cream", "cone"]);
    expect(nameFromTitle("blueberry - iconset", "")).toEqual(["blueberry"]);
    expect(nameFromTitle("RedCar", "")).toEqual(["red", "car"]);
    expect(nameFromTitle("A simple lighthouse icon", "")).toEqual(["lighthouse"]);
  });

  it("drops the author's shortened name from file names", () => {
    expect(nameFromFile("animals/crazy_monkey_shandy_brow_01.svg", "Shandy Brown")).toEqual(["crazy", "monkey"]);
    expect(nameFromFile("buildings/home12.svg", "Jose Hevia")).toEqual(["home"]);
  });
});

describe("placement from words", () => {
  it("reads the head noun", () => {
    expect(placementFromWords(["paper", "plane"])).toBe("sky");
    expect(placementFromWords(["plane", "in", "sky"])).toBe("sky");
    expect(placementFromWords(["bird", "house"])).toBe("ground");
    expect(placementFromWords(["baseball", "bat"])).toBe("ground");
    expect(placementFromWords(["sailboat"])).toBe("water");
    expect(placementFromWords(["fish", "cake"])).toBeNull();
  });
});
