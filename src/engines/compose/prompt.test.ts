import { describe, it, expect } from "vitest";
import { getArtIndex } from "./art-index.js";
import { planPicture, singulars } from "./prompt.js";

describe("planPicture", () => {
  it("reads a count, a colour and a plural: three red balloons", () => {
    const plan = planPicture("three red balloons");
    expect(plan.things).toHaveLength(1);
    const [balloon] = plan.things;
    expect(balloon.name).toBe("balloon");
    expect(balloon.count).toBe(3);
    expect(balloon.colour?.name).toBe("red");
    expect(balloon.art.annotation).toBe("balloon");
    expect(balloon.art.source).toBe("openmoji");
  });

  it("finds both animals in 'a cat next to a dog', subject first", () => {
    const plan = planPicture("a cat next to a dog");
    expect(plan.things.map((t) => [t.name, t.count, t.art.annotation])).toEqual([
      ["cat", 1, "cat"],
      ["dog", 1, "dog"],
    ]);
    expect(plan.unmatched).toEqual([]);
  });

  it("handles plurals, digits and 'a pair of'", () => {
    expect(singulars("foxes")).toContain("fox");
    expect(singulars("puppies")).toContain("puppy");
    const plan = planPicture("2 cats and a pair of foxes with some puppies");
    expect(plan.things.map((t) => [t.name, t.count])).toEqual([
      ["cat", 2],
      ["fox", 2],
      ["puppy", 3],
    ]);
  });

  it("ignores request and style words", () => {
    const plan = planPicture("Generate an image of a robot, drawing style, high quality picture");
    expect(plan.things.map((t) => t.name)).toEqual(["robot"]);
  });

  it("keeps multi-word art names whole and prefers them to colour words", () => {
    expect(planPicture("a black cat").things[0].art.annotation).toBe("black cat");
    expect(planPicture("ice cream").things[0].art.annotation).toBe("ice cream");
    const car = planPicture("a light blue car").things[0];
    expect(car.colour?.name).toBe("light blue");
    expect(car.art.annotation).toBe("automobile");
  });

  it("reads settings and night", () => {
    expect(planPicture("a fox in the snow").setting).toMatchObject({ place: "snow", time: "day", named: true });
    expect(planPicture("a car in the city at night").setting).toMatchObject({ place: "city", time: "night" });
    expect(planPicture("a black cat on the moon").setting.place).toBe("moon");
    expect(planPicture("a cat").setting).toEqual({ place: "meadow", time: "day", named: false });
  });

  it("reports words that match nothing instead of inventing a subject", () => {
    const plan = planPicture("asdfgh qwerty");
    expect(plan.things).toEqual([]);
    expect(plan.unmatched).toEqual(["asdfgh", "qwerty"]);
  });
});

describe("art index", () => {
  it("prefers the un-skintoned base emoji", () => {
    expect(getArtIndex().lookup("person")?.art.id).toBe("1F9D1");
    expect(getArtIndex().lookup("waving hand")?.art.id).toBe("1F44B");
  });

  it("keeps flags and components out of ordinary words", () => {
    // A flag is drawn only when its whole name is given, never for a word in it.
    expect(getArtIndex().lookup("france")?.art.id).not.toBe("1F1EB-1F1F7");
    expect(getArtIndex().lookup("flag france")?.art.id).toBe("1F1EB-1F1F7");
  });
});
