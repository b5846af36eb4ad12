import { describe, it, expect } from "vitest";
import type { ArtRef } from "../art-index.js";
import { buildTable, lookupWithLemma, SOURCE_PENALTY, type ArtEntry } from "./table.js";

function entry(source: ArtRef["source"], name: string, tags: string[] = [], rank = 0): ArtEntry {
  return {
    art: { source, id: `${source}:${name}`, annotation: name, file: `/art/${name}.svg`, placement: "ground" },
    name: name.split(" ").filter(Boolean),
    tags,
    rank,
    penalty: SOURCE_PENALTY[source],
  };
}

describe("key table ranking", () => {
  const table = buildTable([
    entry("openmoji", "cat", ["pet"]),
    entry("openmoji", "cat face", ["cat"]),
    entry("openclipart", "cat"),
    entry("openclipart", "lighthouses"),
    entry("openmoji", "lighthouse of alexandria"),
    entry("openmoji", "evergreen tree"),
    entry("openclipart", "kitty"),
    entry("openmoji", "automobile"),
    entry("openclipart", "car"),
    entry("openmoji", "sauropod"),
    entry("openclipart", "old pine", ["forest"]),
    entry("openmoji", "ewe", ["forest"]),
  ]);
  const id = (key: string) => lookupWithLemma(table, key)?.art.id;
  const score = (key: string) => lookupWithLemma(table, key)?.score ?? 0;

  it("prefers an exact name, and OpenMoji's over OpenClipart's", () => {
    expect(id("cat")).toBe("openmoji:cat");
    expect(score("cat")).toBe(100);
  });

  it("ranks exact > lemma > synonym > head noun > tag", () => {
    expect(score("cat")).toBeGreaterThan(score("lighthouse")); // lemma of "lighthouses"
    expect(id("lighthouse")).toBe("openclipart:lighthouses"); // an OpenClipart lemma beats an OpenMoji head noun
    expect(score("lighthouse")).toBeGreaterThan(score("kitten")); // synonym of cat
    expect(score("kitten")).toBeGreaterThan(score("tree")); // head noun of "evergreen tree"
    expect(score("tree")).toBeGreaterThan(score("pet")); // tag
    expect(id("kitten")).toBe("openmoji:cat");
    expect(id("pet")).toBe("openmoji:cat");
  });

  it("lets a word with its own exact art keep it rather than borrow a synonym", () => {
    expect(id("kitty")).toBe("openclipart:kitty");
  });

  it("keeps curated OpenMoji picks for everyday words over other sources", () => {
    expect(id("car")).toBe("openmoji:automobile");
    expect(id("dinosaur")).toBe("openmoji:sauropod");
  });

  it("finds a singular for a plural key, a point lower than the singular itself", () => {
    expect(id("cats")).toBe("openmoji:cat");
    expect(score("cats")).toBe(score("cat") - 1);
    expect(id("old pines")).toBe("openclipart:old pine");
  });

  it("prefers OpenMoji on equal tags", () => {
    expect(id("forest")).toBe("openmoji:ewe");
  });

  it("round-trips through its JSON form", async () => {
    const { KeyTable } = await import("./table.js");
    const copy = KeyTable.fromJSON(JSON.parse(JSON.stringify(table.toJSON())));
    for (const key of ["cat", "lighthouse", "kitten", "tree", "pet", "car"]) {
      expect(copy.get(key)).toEqual(table.get(key));
    }
    expect(copy.size).toBe(table.size);
  });
});
