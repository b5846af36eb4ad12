import { describe, it, expect } from "vitest";
import { getArtIndex } from "./art-index.js";
import { planPicture, singulars, thingCount } from "./prompt.js";
import { buildScene } from "./scene.js";

const names = (prompt: string) => planPicture(prompt).things.map((t) => t.name);

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
    expect(balloon.id).toBe(0);
    expect(balloon.attributes).toEqual({ size: null, scale: 1, material: null });
  });

  it("finds both animals in 'a cat next to a dog', subject first", () => {
    const plan = planPicture("a cat next to a dog");
    expect(plan.things.map((t) => [t.name, t.count, t.art.annotation])).toEqual([
      ["cat", 1, "cat"],
      ["dog", 1, "dog"],
    ]);
    expect(plan.unmatched).toEqual([]);
    expect(plan.unrealised).toEqual([]);
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

  it.each([
    ["a dozen eggs", 12],
    ["twelve eggs", 12],
    ["a few eggs", 3],
    ["several eggs", 4],
    ["an egg", 1],
    ["eggs", 3],
    ["a herd of cows", 5],
    ["40 eggs", 12],
    ["two mice", 2],
    ["some fish", 1],
  ])("counts %s as %i", (prompt, count) => {
    expect(planPicture(prompt).things.map((t) => t.count)).toEqual([count]);
  });

  it("ignores request and style words", () => {
    expect(names("Generate an image of a robot, drawing style, high quality picture")).toEqual(["robot"]);
    expect(names("A children's book drawing of a lighthouse")).toEqual(["lighthouse"]);
    expect(names("pixel art of a frog, oil painting, pencil sketch")).toEqual(["frog"]);
  });

  it("keeps multi-word art names whole and prefers them to colour words", () => {
    expect(planPicture("a black cat").things[0].art.annotation).toBe("black cat");
    expect(planPicture("ice cream").things[0].art.annotation).toBe("ice cream");
    const car = planPicture("a light blue car").things[0];
    expect(car.colour?.name).toBe("light blue");
    expect(car.art.annotation).toBe("automobile");
    expect(names("a teddy bear under a christmas tree")).toEqual(["teddy bear", "christmas tree"]);
  });

  it("reads 'an orange' as the fruit and 'an orange scarf' as a colour", () => {
    expect(planPicture("an orange").things.map((t) => [t.name, t.colour])).toEqual([["orange", null]]);
    expect(planPicture("an orange scarf").things.map((t) => [t.name, t.colour?.name])).toEqual([["scarf", "orange"]]);
  });

  it("makes 'a cup of coffee' and 'a slice of pizza' one thing each", () => {
    expect(planPicture("a cup of coffee").things).toHaveLength(1);
    expect(names("a slice of pizza")).toEqual(["pizza slice"]);
    expect(names("a bowl of cherries")).toHaveLength(2);
  });

  it("binds a colour to its own noun only", () => {
    const plan = planPicture("a basket on a white background with a ribbon");
    expect(plan.things.map((t) => [t.name, t.colour?.name ?? null])).toEqual([
      ["basket", null],
      ["ribbon", null],
    ]);
    expect(planPicture("red, a cat").things[0].colour).toBeNull();
  });

  it("reads sizes and materials", () => {
    const [ship, crown] = planPicture("a huge wooden ship and a tiny golden crown").things;
    expect(ship.attributes).toMatchObject({ size: "huge", scale: 1.7, material: { name: "wood", finish: "matte" } });
    expect(crown.attributes).toMatchObject({ size: "tiny", scale: 0.5, material: { name: "gold", finish: "metallic" } });
    expect(crown.attributes.material?.hex).toMatch(/^#[0-9a-f]{6}$/);
    const [house] = planPicture("a small stone house").things;
    expect(house.name).toBe("house");
    expect(house.attributes).toMatchObject({ size: "small", scale: 0.75, material: { name: "stone", finish: "matte" } });
    expect(planPicture("a glass bottle").things[0].attributes.material?.finish).toBe("translucent");
  });

  it("separates a thing from the verb or adjective after it", () => {
    expect(names("two horses grazing in a green meadow")).toEqual(["horse"]);
    expect(names("a whale and a dolphin underwater")).toEqual(["whale", "dolphin"]);
    expect(names("a girl reading a book under a tree")).toEqual(["girl", "book", "tree"]);
    expect(names("a christmas tree with presents underneath")).toEqual(["christmas tree", "present"]);
  });

  it("refers 'the cat' back to the cat already named", () => {
    const plan = planPicture("a cat and a dog. the cat is on a sofa");
    expect(plan.things.map((t) => t.name)).toEqual(["cat", "dog", "sofa"]);
    expect(plan.relations).toContainEqual({ subject: 0, relation: "on", object: 2 });
  });

  it("reads settings and night", () => {
    expect(planPicture("a fox in the snow").setting).toMatchObject({ place: "snow", time: "day", named: true });
    expect(planPicture("a car in the city at night").setting).toMatchObject({ place: "city", time: "night" });
    expect(planPicture("a black cat on the moon").setting.place).toBe("moon");
    expect(planPicture("a cat").setting).toEqual({ place: "meadow", time: "day", timeOfDay: "day", named: false, phrase: null });
  });

  it("reports words that match nothing instead of inventing a subject", () => {
    const plan = planPicture("asdfgh qwerty");
    expect(plan.things).toEqual([]);
    expect(plan.unmatched).toEqual(["asdfgh", "qwerty"]);
    expect(plan.unrealised).toEqual(["asdfgh qwerty"]);
  });

  it("lists only things as unrealised, not verbs, styles or settings", () => {
    const plan = planPicture("A photorealistic picture of a zorblax sitting happily in the snow at sunset, in watercolor style");
    expect(plan.unrealised).toEqual(["zorblax"]);
  });

  it("makes it night where a moon is drawn and no time is named, and draws the sky's one sun or moon once", () => {
    const moon = planPicture("a full moon over a house");
    expect(moon.setting.time).toBe("night");
    expect(moon.setting.named).toBe(false);
    expect(planPicture("a cow jumping over the moon at sunset").setting.timeOfDay).toBe("sunset");
    expect(planPicture("a house on a hill").setting.time).toBe("day");
    // The scene's own sun gives way to one the picture draws as a thing.
    const sky = (prompt: string) => buildScene(planPicture(prompt), 512, 512, 7, "medium").details;
    const plain = sky("a mountain");
    const withSun = sky("a mountain and the sun");
    expect(plain).toContain("#ffe066");
    expect(withSun).not.toContain("#ffe066");
    expect(withSun.length).toBeLessThan(plain.length);
  });
});

describe("the image generation guide's prompts", () => {
  it("a veterinarian, a stethoscope and a baby otter", () => {
    const plan = planPicture(
      "A children's book drawing of a veterinarian using a stethoscope to listen to the heartbeat of a baby otter.",
    );
    const found = [...plan.things.map((t) => t.name), ...plan.unrealised];
    expect(found).toEqual(expect.arrayContaining(["stethoscope", "otter"]));
    expect(found.some((n) => /veterinarian|vet|doctor|health worker/.test(n))).toBe(true);
    expect(found).not.toContain("book");
    expect(found).not.toContain("child");
    expect(found).not.toContain("heartbeat");
  });

  it("a gift basket with a ribbon, not the quoted label", () => {
    const plan = planPicture(
      "Generate a photorealistic image of a gift basket on a white background labeled 'Relax & Unwind' with a ribbon and handwriting-like font, containing all the items in the reference pictures.",
    );
    expect(plan.things.map((t) => t.name)).toEqual(["basket", "ribbon"]);
    expect(plan.things.every((t) => t.colour === null)).toBe(true);
    expect(plan.unrealised).toEqual([]);
    expect(plan.relations.map((r) => [r.subject, r.object])).toEqual([[0, 1]]);
  });

  it("a gray tabby cat hugging an otter with an orange scarf", () => {
    const plan = planPicture("a gray tabby cat hugging an otter with an orange scarf");
    expect(plan.things.map((t) => [t.name, t.colour?.name ?? null])).toEqual([
      ["tabby cat", "gray"],
      ["otter", null],
      ["scarf", "orange"],
    ]);
    expect(plan.relations).toContainEqual({ subject: 0, relation: "holding", object: 1 });
    expect(plan.relations.some((r) => r.relation === "wearing" && r.object === 2)).toBe(true);
  });

  it("a red sunset over the ocean is a setting", () => {
    const plan = planPicture("Draw a picture of a red sunset over the ocean");
    expect(plan.setting).toMatchObject({ place: "water", timeOfDay: "sunset", time: "day", named: true });
    expect(plan.unrealised).toEqual([]);
  });
});

describe("planning speed", () => {
  it("plans a prompt in well under a few milliseconds once warm", () => {
    const prompts = [
      "A children's book drawing of a veterinarian using a stethoscope to listen to the heartbeat of a baby otter.",
      "a gray tabby cat hugging an otter with an orange scarf",
      "three red balloons floating over a snowy mountain at sunset",
      "a man wearing glasses and holding an umbrella next to a red car in the city at night",
    ];
    for (const p of prompts) planPicture(p);
    const started = performance.now();
    const rounds = 50;
    for (let i = 0; i < rounds; i++) for (const p of prompts) planPicture(p);
    const perPrompt = (performance.now() - started) / (rounds * prompts.length);
    // Measured about 0.1 ms; the bound leaves room for slow CI machines.
    expect(perPrompt).toBeLessThan(5);
    expect(thingCount(planPicture("three cats and a dog"))).toBe(4);
  });
});

describe("art index", () => {
  it("prefers the un-skintoned base emoji", () => {
    expect(getArtIndex().lookup("person")?.art.id).toBe("1F9D1");
    expect(getArtIndex().lookup("waving hand")?.art.id).toBe("1F44B");
  });

  it("keeps flags and components out of ordinary words", () => {
    // A flag is drawn only when its whole name is given ("france flag", as "the flag of France" asks), never for a word in it.
    expect(getArtIndex().lookup("france")?.art.id).not.toBe("1F1EB-1F1F7");
    expect(getArtIndex().lookup("flag")?.art.id).not.toBe("1F1EB-1F1F7");
    expect(getArtIndex().lookup("france flag")?.art.id).toBe("1F1EB-1F1F7");
  });
});

describe("plain backdrops and lettering words", () => {
  it("reads 'on a white background' as a studio backdrop of that colour", () => {
    const plan = planPicture("a photorealistic red apple on a white background");
    expect(plan.things.map((t) => t.name)).toEqual(["red apple"]);
    expect(plan.setting).toMatchObject({ place: "studio", named: true, backdrop: "#ffffff" });
    expect(planPicture("a robot against a black backdrop").setting.place).toBe("studio");
    // A real place wins over a backdrop phrase.
    expect(planPicture("a castle at night on a dark background").setting.place).not.toBe("meadow");
  });

  it("does not draw the verbs that introduce quoted text", () => {
    expect(planPicture("a birthday cake with 'Happy Birthday' written on it").things.map((t) => t.name)).toEqual(["birthday cake"]);
    expect(planPicture("a mug that says 'Coffee first'").things.map((t) => t.name)).toEqual(["mug"]);
  });
});
