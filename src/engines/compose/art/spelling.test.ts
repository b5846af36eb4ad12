import { describe, expect, it } from "vitest";
import { editDistance, oneEditAway, respell, respellFurther } from "./spelling.js";

describe("respell", () => {
  const drawable = new Set(["squirrel", "giraffe", "horse", "house"]);
  const known = new Set(["crap", "hoarse", "squirrel", "giraffe", "horse", "house"]);
  const fix = (word: string) => respell(word, (w) => known.has(w), (w) => drawable.has(w));

  it("lists every word one deletion, transposition, substitution or insertion away", () => {
    const near = oneEditAway("cat");
    for (const w of ["at", "ct", "act", "cta", "bat", "cot", "cab", "scat", "cart", "cats"]) expect(near).toContain(w);
    expect(near).not.toContain("cat");
    expect(near).not.toContain("dog");
  });

  it("answers the one drawable thing a keystroke away", () => {
    expect(fix("squirrell")).toBe("squirrel");
    expect(fix("giraff")).toBe("giraffe");
    expect(fix("hroses")).toBeNull();
  });

  it("leaves known words, short words, names with other characters and ambiguous ones alone", () => {
    expect(fix("hoarse")).toBeNull();
    expect(fix("hose")).toBeNull();
    expect(fix("squir-rel")).toBeNull();
    expect(fix("housr")).toBe("house");
    expect(respell("horsf", () => false, (w) => w === "horse" || w === "horsy")).toBeNull();
    expect(respell("zester", () => false, (w) => w === "jester")).toBeNull();
  });

  it("counts edits with a neighbour's transposition as one, and stops past the limit", () => {
    expect(editDistance("bycicle", "bicycle", 2)).toBe(2);
    expect(editDistance("giraffe", "girafef", 2)).toBe(1);
    expect(editDistance("elephant", "giraffe", 2)).toBe(3);
  });

  it("answers a long word two keystrokes from one drawn name with its first letter, and nothing when two are", () => {
    expect(respellFurther("bycicle", ["bicycle", "tricycle", "icicle"])).toBe("bicycle");
    expect(respellFurther("butterflie", ["butterfly", "butter"])).toBe("butterfly");
    expect(respellFurther("bycicle", ["bicycle", "bicicle"])).toBeNull();
    expect(respellFurther("ycicles", ["bicycle"])).toBeNull();
    expect(respellFurther("bicyc", ["bicycle"])).toBeNull();
  });
});
