import { describe, expect, it } from "vitest";
import { moderatePrompt, normaliseForModeration } from "./prompt.js";

describe("moderatePrompt", () => {
  it("lets ordinary prompts through", () => {
    for (const prompt of [
      "A children's book drawing of a veterinarian using a stethoscope to listen to the heartbeat of a baby otter.",
      "a murder mystery book cover",
      "4 cats on a sofa",
      "a sexy red sports car",
    ]) expect(moderatePrompt(prompt, "auto")).toEqual({ flagged: false, categories: [] });
  });

  it("blocks nudity and graphic violence at auto but not at low", () => {
    expect(moderatePrompt("a nude figure", "auto").categories).toEqual(["sexual/nudity"]);
    expect(moderatePrompt("a nude figure", "low").flagged).toBe(false);
    expect(moderatePrompt("a gory battlefield", "auto").flagged).toBe(true);
    expect(moderatePrompt("a gory battlefield", "low").flagged).toBe(false);
  });

  it("always blocks sexual content with minors, explicit acts and extreme gore", () => {
    expect(moderatePrompt("sexy schoolgirl", "low").categories).toContain("sexual/minors");
    expect(moderatePrompt("hardcore porn", "low").flagged).toBe(true);
    expect(moderatePrompt("a decapitated man", "low").flagged).toBe(true);
  });

  it("sees through simple disguises", () => {
    expect(normaliseForModeration("p0rn")).toBe("porn");
    expect(normaliseForModeration("n.u.d.e")).toBe("nude");
    expect(normaliseForModeration("4 cats")).toBe("4 cats");
    expect(moderatePrompt("P0RN", "low").flagged).toBe(true);
  });
});
