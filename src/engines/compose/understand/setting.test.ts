import { describe, it, expect } from "vitest";
import { planPicture } from "../prompt.js";
import { SettingReader } from "./setting.js";

describe("SettingReader", () => {
  it("keeps the first place and lets night outrank sunset", () => {
    const reader = new SettingReader();
    expect(reader.offer("beach")).toBe(true);
    expect(reader.offer("city")).toBe(true);
    expect(reader.offer("sunset")).toBe(true);
    expect(reader.offer("night")).toBe(true);
    expect(reader.offer("evening")).toBe(true);
    expect(reader.offer("cat")).toBe(false);
    expect(reader.result()).toEqual({ place: "water", time: "night", timeOfDay: "night", named: true, phrase: "beach" });
  });

  it("defaults to an unnamed meadow by day", () => {
    expect(new SettingReader().result()).toEqual({ place: "meadow", time: "day", timeOfDay: "day", named: false, phrase: null });
  });
});

describe("settings in prompts", () => {
  const setting = (prompt: string) => planPicture(prompt).setting;

  it.each([
    ["a winter landscape with a snowman", "snow", "day", "winter landscape"],
    ["a beach at sunset", "water", "sunset", "beach"],
    ["inside a subway train", "indoor", "day", "subway train"],
    ["a penguin standing on the moon", "moon", "day", "moon"],
    ["a city at night", "city", "night", "city"],
    ["a turtle underwater", "water", "day", "underwater"],
    ["underwater scene with fish", "water", "day", "underwater scene"],
    ["Draw a picture of a red sunset over the ocean", "water", "sunset", "ocean"],
    ["a rocket in outer space", "space", "day", "outer space"],
    ["a camel in the desert at dusk", "desert", "sunset", "desert"],
    ["a chef in a kitchen", "indoor", "day", "kitchen"],
    ["a fox in a snowy forest", "snow", "day", "snowy forest"],
  ])("%s → %s, %s", (prompt, place, timeOfDay, phrase) => {
    const s = setting(prompt);
    expect(s).toMatchObject({ place, timeOfDay, named: true });
    expect(s.time).toBe(timeOfDay === "night" ? "night" : "day");
    expect(s.phrase).toContain(phrase.split(" ").pop());
  });

  it("draws the moon unless something stands on it", () => {
    const jump = planPicture("a cow jumping over the moon");
    expect(jump.setting.place).toBe("meadow");
    expect(jump.things.map((t) => t.name)).toContain("moon");
    expect(planPicture("a cat on the moon").things.map((t) => t.name)).toEqual(["cat"]);
  });

  it("keeps the water in a glass out of the scene", () => {
    expect(setting("a glass of water").named).toBe(false);
  });

  it("draws what a place is full of: a tulip field has tulips", () => {
    const plan = planPicture("a windmill in a tulip field");
    expect(plan.setting.place).toBe("meadow");
    expect(plan.things.map((t) => t.name)).toContain("tulip");
  });

  it("turns a house into a setting only from inside it", () => {
    expect(planPicture("a cat in a house").things.map((t) => t.name)).toEqual(["cat", "house"]);
    expect(planPicture("a cat inside a house").setting.place).toBe("indoor");
  });
});
