// Plan edits: a compose picture's recorded plan, changed by an edit prompt.
// Records come from real renders, so what is checked is what a client's next
// edit would get back in the file.
import { beforeAll, describe, expect, it } from "vitest";
import type { ImageJob, RawImage } from "../engine.js";
import { createComposeEngine } from "./index.js";
import { changePlan } from "./plan-change.js";
import { readRecord, type ComposeRecord } from "./plan-record.js";

const engine = createComposeEngine();
const signal = new AbortController().signal;
const job = (prompt: string, images: RawImage[] = []): ImageJob => ({
  mode: images.length ? "edit" : "generate", model: "m", prompt, images, width: 256, height: 256,
  n: 1, quality: "low", background: "opaque", seed: 11, partialImages: 0, inputFidelity: "low",
});
const SIZE = { width: 256, height: 256 };

let cat: RawImage;
let record: ComposeRecord;
beforeAll(async () => {
  [cat] = await engine.run(job("A gray tabby cat hugging an otter with an orange scarf"), { signal });
  record = readRecord(cat.plan)!;
});

const names = (plan: { things: { name: string }[] }) => plan.things.map((t) => t.name);
const keptBox = (changed: ReturnType<typeof changePlan>, thing: number) => changed.kept.get(`thing:${thing}:0`);

describe("the record a generated picture carries", () => {
  it("holds the scene graph, the seed, the version and where each copy was drawn", () => {
    expect(record).toMatchObject({ engine: "compose", version: 1, seed: 11, style: null, setting: { place: "meadow" } });
    expect(record.things.map((t) => [t.name, t.colour?.name ?? null])).toEqual([["tabby cat", "gray"], ["otter", null], ["scarf", "orange"]]);
    // The otter wears the scarf: the nearest animal before "with a scarf", not the cat hugging it.
    expect(record.relations).toEqual([{ subject: 0, relation: "holding", object: 1 }, { subject: 1, relation: "wearing", object: 2 }]);
    expect(record.placed.map((p) => p.origin)).toEqual(expect.arrayContaining([{ thing: 0, copy: 0 }, { thing: 1, copy: 0 }, { thing: 2, copy: 0 }]));
  });

  it("is refused when it is not a compose plan this version can trust", () => {
    expect(readRecord(undefined)).toBeNull();
    expect(readRecord({ engine: "diffusion", version: 1 })).toBeNull();
    expect(readRecord({ ...record, version: 2 } as never)).toBeNull();
    expect(readRecord({ ...record, relations: [{ subject: 0, relation: "on", object: 9 }] })).toBeNull();
    expect(readRecord({ ...record, seed: -1 })).toBeNull();
    expect(readRecord({ ...record, things: Array(30).fill(record.things[0]) })).toBeNull();
    expect(readRecord({ ...record, placed: [{ origin: { thing: 0, copy: 0 }, box: [Infinity, 0, 1, 1], flip: false, grounded: true }] })).toBeNull();
  });

  it("finds art again by name only: a path in the file is never read", () => {
    const hostile = { ...record, things: [{ ...record.things[0], name: "../../../../etc/passwd" }, ...record.things.slice(1)], relations: [] };
    const changed = changePlan(readRecord(hostile)!, "make it look realistic", SIZE);
    expect(names(changed.plan)).toEqual(["otter", "scarf"]);
    for (const thing of changed.plan.things) expect(thing.art.file).not.toContain("passwd");
  });
});

describe("each edit kind changes the plan and keeps the rest where it was", () => {
  it("add: 'add a red hat to the cat' puts one hat on the one cat", () => {
    const changed = changePlan(record, "add a red hat to the cat", SIZE);
    expect(names(changed.plan)).toEqual(["tabby cat", "otter", "scarf", "hat"]);
    expect(changed.plan.things[3].colour?.name).toBe("red");
    expect(changed.plan.relations).toContainEqual({ subject: 0, relation: "wearing", object: 3 });
    expect(changed.change).toMatchObject({ added: ["hat"], removed: [], unread: [] });
    for (const id of [0, 1, 2]) expect(keptBox(changed, id)).toBeDefined();
    expect(keptBox(changed, 3)).toBeUndefined();
  });

  it("add: 'give the otter a blue hat' adds a hat even when the cat has one", () => {
    const hatted = changePlan(record, "add a red hat to the cat", SIZE);
    const twice = changePlan({ ...record, things: [...record.things, { ...record.things[2], name: "hat", phrase: "red hat", colour: { name: "red", hex: "#d22f27" } }], relations: [...record.relations, { subject: 0, relation: "wearing", object: 3 }] }, "give the otter a blue hat", SIZE);
    expect(names(hatted.plan)).toEqual(["tabby cat", "otter", "scarf", "hat"]);
    expect(names(twice.plan)).toEqual(["tabby cat", "otter", "scarf", "hat", "hat"]);
    expect(twice.plan.relations).toContainEqual({ subject: 1, relation: "wearing", object: 4 });
  });

  it("remove: 'remove the otter' takes the otter and the scarf it wore", () => {
    const changed = changePlan(record, "remove the otter", SIZE);
    expect(names(changed.plan)).toEqual(["tabby cat"]);
    expect(changed.change.removed).toEqual(["otter", "scarf"]);
    expect(keptBox(changed, 0)).toEqual(changePlan(record, "", SIZE).kept.get("thing:0:0"));
  });

  it("recolour: 'make the cat orange' changes the cat's colour only", () => {
    const changed = changePlan(record, "make the cat orange", SIZE);
    expect(changed.plan.things.map((t) => t.colour?.name ?? null)).toEqual(["orange", null, "orange"]);
    expect(changed.change.recoloured).toEqual([{ thing: "tabby cat", colour: "orange" }]);
    expect(changePlan(record, "change the colour of the scarf to light blue", SIZE).plan.things[2].colour?.name).toBe("light blue");
  });

  it("move: 'move the cat to the left' moves the cat and what it holds, not their size", () => {
    const before = changePlan(record, "", SIZE);
    const changed = changePlan(record, "move the cat to the left", SIZE);
    const [was, now] = [keptBox(before, 0)!, keptBox(changed, 0)!];
    expect(now.x).toBeLessThan(was.x - 10);
    expect([now.width, now.height]).toEqual([was.width, was.height]);
    // The otter is held by the cat: it moves by the same amount.
    expect(keptBox(changed, 1)!.x - keptBox(before, 1)!.x).toBeCloseTo(now.x - was.x, 5);
    expect(changed.change.moved).toEqual([{ thing: "tabby cat", to: "left" }]);
  });

  it("restyle: 'make it look realistic' changes the style alone", () => {
    const changed = changePlan(record, "Now make it look realistic", SIZE);
    expect(changed.style).toBe("photorealistic");
    expect(names(changed.plan)).toEqual(["tabby cat", "otter", "scarf"]);
    expect(changed.kept).toEqual(changePlan(record, "", SIZE).kept);
    expect(changed.change).toMatchObject({ added: [], removed: [], recoloured: [], moved: [], restyled: { from: null, to: "photorealistic" } });
  });

  it("setting: 'put it on a beach at sunset' changes the place and the light", () => {
    const changed = changePlan(record, "put it on a beach at sunset", SIZE);
    expect(changed.plan.setting).toMatchObject({ place: "water", timeOfDay: "sunset" });
    expect(names(changed.plan)).toEqual(["tabby cat", "otter", "scarf"]);
    expect(changePlan(record, "make it night", SIZE).plan.setting).toMatchObject({ place: "meadow", time: "night" });
  });
});

describe("descriptions (the Responses API's revised prompts)", () => {
  it("keep what they name, add what is new, and drop what a whole description leaves out", () => {
    const hat = changePlan(record, "A gray tabby cat hugging an otter with an orange scarf, realistic, with a red hat on the cat.", SIZE);
    expect(names(hat.plan)).toEqual(["tabby cat", "otter", "scarf", "hat"]);
    expect(hat.plan.relations).toContainEqual({ subject: 0, relation: "wearing", object: 3 });
    expect(hat.style).toBe("photorealistic");
    const scarfOnly = changePlan(record, "A gray tabby cat with an orange scarf.", SIZE);
    expect(names(scarfOnly.plan)).toEqual(["tabby cat", "scarf"]);
    expect(scarfOnly.change.removed).toEqual(["otter"]);
  });

  it("read 'without the otter' as a removal, and the move sentence after a description", () => {
    const without = changePlan(record, "A gray tabby cat hugging an otter with an orange scarf, without otter.", SIZE);
    expect(names(without.plan)).toEqual(["tabby cat"]);
    const moved = changePlan(record, "A gray tabby cat hugging an otter with an orange scarf. Move the cat to the left.", SIZE);
    expect(moved.change).toMatchObject({ added: [], removed: [], moved: [{ thing: "tabby cat", to: "left" }] });
  });

  it("say which sentences changed nothing", () => {
    expect(changePlan(record, "remove the giraffe", SIZE).change.unread).toEqual(["remove the giraffe"]);
    expect(changePlan(record, "zoom out a little", SIZE).change.unread).toEqual(["zoom out a little"]);
  });
});

describe("drawing a plan edit", () => {
  const differing = (a: RawImage, b: RawImage) => {
    let changed = 0;
    for (let i = 0; i < a.data.length; i += 4) if (Math.abs(a.data[i] - b.data[i]) + Math.abs(a.data[i + 1] - b.data[i + 1]) + Math.abs(a.data[i + 2] - b.data[i + 2]) > 24) changed++;
    return changed / (a.width * a.height);
  };

  it("redraws the same picture for an edit that changes nothing, and only the hat's area for a hat", async () => {
    const [same] = await engine.run(job("zoom out a little", [cat]), { signal });
    expect(differing(same, cat)).toBe(0);
    const [hatted] = await engine.run(job("add a red hat to the cat", [cat]), { signal });
    const share = differing(hatted, cat);
    expect(share).toBeGreaterThan(0.003);
    expect(share).toBeLessThan(0.08);
    expect(readRecord(hatted.plan)!.things.map((t) => t.name)).toEqual(["tabby cat", "otter", "scarf", "hat"]);
  });

  it("keeps today's behaviour for pictures without a plan", async () => {
    const [edited] = await engine.run(job("add a red hat to the cat", [{ ...cat, plan: undefined }]), { signal });
    // The input is the backdrop and the prompt's things join it: a second cat, as before plans existed.
    expect(edited.plan).toBeUndefined();
  });

  it("explains the change", async () => {
    const explained = await engine.explain!(job("remove the otter", [cat]));
    expect(explained).toMatchObject({ mode: "edit", edit: { kind: "plan", seed: 11, change: { removed: ["otter", "scarf"] } } });
    expect((explained.things as { name: string }[]).map((t) => t.name)).toEqual(["tabby cat"]);
  });
});
