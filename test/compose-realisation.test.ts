// The compose engine against its labelled corpus (test/fixtures/compose/prompts.json):
// how many named things the planner realises with art, and — through the real
// engine, on a sample of the corpus — that pictures are not blank, differ across
// prompts and seeds, repeat for equal seeds, keep unmasked pixels, and are truly
// transparent when asked.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OPENCLIPART_ROOT } from "../src/engines/compose/art/openclipart.js";
import { SWEETHOME3D_ROOT } from "../src/engines/compose/art/sweethome3d.js";
import { TUXPAINT_ROOT } from "../src/engines/compose/art/tuxpaint.js";
import { XFIG_MAPS_ROOT } from "../src/engines/compose/art/xfig-maps.js";
import {
  formatRealisation,
  labelRealised,
  loadCorpus,
  measureRealisation,
  REALISATION_THRESHOLD,
  topMisses,
  type LabelledPrompt,
} from "../bench/compose-realisation.js";
import type { ImageJob, RawImage } from "../src/engines/engine.js";
import { formatTally, loadJudgements, loadLabels, scorePrompt, tally } from "../bench/compose-judged.js";
import { createComposeEngine } from "../src/engines/compose/index.js";
import { planPicture } from "../src/engines/compose/prompt.js";

const corpus = loadCorpus();
const STYLES = ["children's book", "pixel art", "watercolor", "pencil sketch", "oil painting", "photorealistic", "sticker", "logo"];
/**
 * The share of labelled things the planner must realise with art (not a
 * placeholder): the 0.9 with every art source (CI installs Debian's
 * openclipart-svg; it measures 0.941). Without OpenClipart it measured 0.934,
 * so 0.85 guards that setup against regressions. `npx tsx
 * bench/compose-realisation.ts` prints the share and every miss.
 */
const REALISATION_FLOOR = existsSync(OPENCLIPART_ROOT) ? REALISATION_THRESHOLD : 0.85;

describe("the labelled prompt corpus", () => {
  it("has at least 200 prompts of its own besides the guide's", () => {
    expect(corpus.filter((e) => e.source !== "guide").length).toBeGreaterThanOrEqual(200);
    expect(corpus.filter((e) => e.source === "guide").length).toBeGreaterThanOrEqual(8);
    expect(new Set(corpus.map((e) => e.prompt.toLowerCase())).size).toBe(corpus.length);
  });

  it("labels every prompt consistently", () => {
    for (const e of corpus) {
      for (const label of e.things) expect(label.split("|").every((name) => /^[a-z][a-z0-9' -]*[a-z]$/.test(name)), `${label} in ${e.prompt}`).toBe(true);
      if (e.style !== null) expect(STYLES).toContain(e.style);
      for (const text of e.text ?? []) expect(e.prompt).toContain(text);
    }
  });

  it("covers every style, quoted text, counts and relations", () => {
    const styles = new Set(corpus.map((e) => e.style));
    for (const style of STYLES) expect(styles, style).toContain(style);
    expect(corpus.filter((e) => e.text).length).toBeGreaterThanOrEqual(10);
    for (const word of ["two", "three", "five", "dozen", " on ", "under", "next to", "holding", "wearing", "inside", "above", "in front of"]) {
      expect(corpus.some((e) => e.prompt.toLowerCase().includes(word)), word).toBe(true);
    }
  });
});

describe("matching labels to a plan", () => {
  const art = (annotation: string, source = "openmoji") => ({ source, id: annotation, annotation });
  it("accepts plurals, the art's own name and label alternatives", () => {
    expect(labelRealised("balloon", { things: [{ name: "balloons", art: art("balloon") }] })).toBe(true);
    expect(labelRealised("cherry", { things: [{ name: "cherries", art: art("cherries") }] })).toBe(true);
    expect(labelRealised("sofa|couch", { things: [{ name: "couch", art: art("couch and lamp") }] })).toBe(true);
    expect(labelRealised("lamp", { things: [{ name: "light", art: art("couch and lamp") }] })).toBe(true);
  });
  it("does not count placeholders, unrealised things or other things", () => {
    expect(labelRealised("sofa", { things: [{ name: "sofa", art: art("sofa", "placeholder") }] })).toBe(false);
    expect(labelRealised("sofa", { things: [{ name: "sofa", art: null }] })).toBe(false);
    expect(labelRealised("sofa", { things: [{ name: "sofa", art: art("sofa") }], unrealised: [{ name: "sofa" }] })).toBe(false);
    expect(labelRealised("sofa", { things: [{ name: "cat", art: art("cat") }] })).toBe(false);
  });
});

describe("realisation of the corpus by the planner", () => {
  it(`realises at least ${REALISATION_FLOOR * 100} % of the labelled things`, async () => {
    const result = await measureRealisation(corpus);
    console.log(formatRealisation(result));
    console.log("most missed:", topMisses(result.misses, 15).map(([label, n]) => `${label} ×${n}`).join(", "));
    expect(result.labelled).toBe(corpus.reduce((sum, e) => sum + e.things.length, 0));
    expect(result.realised + result.misses.length).toBe(result.labelled);
    expect(result.share).toBeGreaterThanOrEqual(REALISATION_FLOOR);
  });
});

describe("PartiPrompts, labelled and judged by looking at the art (bench/compose-judged.ts)", () => {
  const labels = loadLabels();
  const judgements = loadJudgements();

  it("holds the 1,433 prompts of the shared file (1,370 to tune on, 63 only measured) and 150 in each written set (round 10, round 11 twice, round 12)", () => {
    expect(labels.filter((e) => e.part === "tune")).toHaveLength(1370);
    expect(labels.filter((e) => e.part === "measure")).toHaveLength(63);
    expect(labels.filter((e) => e.part === "written")).toHaveLength(150);
    expect(labels.filter((e) => e.part === "written11")).toHaveLength(150);
    expect(labels.filter((e) => e.part === "written11b")).toHaveLength(150);
    expect(labels.filter((e) => e.part === "written12")).toHaveLength(150);
    expect(new Set(labels.map((e) => `${e.part.startsWith("written") ? e.part : "dev"} ${e.line}`)).size).toBe(labels.length);
    for (const e of labels) for (const label of e.things) expect(label.split("|").every((name) => /^[a-z0-9][a-z0-9'. -]*$/.test(name)), label).toBe(true);
  });

  it("scores a thing by the judged art, and as missing when nothing is drawn for it", () => {
    const entry = { line: 0, part: "tune" as const, prompt: "a cat next to a zorblax", things: ["cat", "zorblax"], setting: null };
    const [cat, zorblax] = scorePrompt(entry, { cat: { "openmoji:1F408": "right" } }).things;
    expect(cat).toMatchObject({ outcome: "right", art: "openmoji:1F408 cat" });
    expect(zorblax.outcome).toBe("missing");
    expect(scorePrompt(entry, {}).things[0].outcome).toBe("unjudged");
  });

  it("lets art drawn for a phrase that names a label's thing show it, as judged by looking, unless asked not to", () => {
    const entry = { line: 0, part: "tune" as const, prompt: "an accordion player", things: ["accordion player|person", "accordion"], setting: null };
    const plan = planPicture(entry.prompt);
    const key = `${plan.things[0].art.source}:${plan.things[0].art.id}`;
    expect(scorePrompt(entry, { accordion: { [key]: "right" } }, plan).things[1].outcome).toBe("right");
    // Art judged not to show it leaves it missing, and the rounds 1-11 rule never shares.
    expect(scorePrompt(entry, { accordion: { [key]: "wrong" } }, plan).things[1].outcome).toBe("missing");
    expect(scorePrompt(entry, { accordion: { [key]: "right" } }, plan, { sharedArt: false }).things[1].outcome).toBe("missing");
  });

  // Art choices depend on the installed sources; the judgements were made with all of them (CI installs
  // OpenClipart, Tux Paint's stamps, Sweet Home 3D's furniture and Xfig's maps).
  it.skipIf([OPENCLIPART_ROOT, TUXPAINT_ROOT, SWEETHOME3D_ROOT, XFIG_MAPS_ROOT].some((root) => !existsSync(root)))("draws no art nobody judged, and keeps the measured figures", () => {
    // The figures each part reached when it was last measured, less a little: tuned 94.3 %; round 9 measured
    // once 88.7 % right (90.6 % now it is tuned on); round 10's written prompts measured once 77.9 % right (94.8 %
    // now they are tuned on); round 11's first set measured once 86.9 % right (96.0 % now it is tuned on), its
    // second set measured once 84.1 % (92.4 % now it is tuned on); round 12's set measured once, at the end of the
    // round, 91.3 %.
    for (const [part, right] of [["tune", 0.92], ["measure", 0.87], ["written", 0.92], ["written11", 0.93], ["written11b", 0.9], ["written12", 0.9]] as const) {
      const t = tally(labels.filter((e) => e.part === part).map((e) => scorePrompt(e, judgements)));
      console.log(formatTally(part, t));
      expect(t.counts.unjudged, "run bench/compose-realisation.ts --sheet DIR and judge the new art").toBe(0);
      expect(t.counts.right / t.things).toBeGreaterThanOrEqual(right);
      expect(t.counts.wrong / t.things).toBeLessThanOrEqual(0.03);
    }
  });
});

// ---- Through the real engine, on a sample of the corpus ----

const engine = createComposeEngine();
const signal = new AbortController().signal;
const SIZE = 256;
/**
 * Share of pixels two pictures must differ in. Two prompts with one seed may share a backdrop and
 * a thing ("a bowl of ramen", "a bowl of cherries"), and a logo or sticker keeps a plain ground
 * across seeds, so 2 % (about 1,300 pixels at 256×256: a thing's worth) is the bar.
 */
const VISIBLY_DIFFERENT = 0.02;

/** About 30 prompts spread over the corpus, each naming at least one thing. */
const sample: LabelledPrompt[] = (() => {
  const named = corpus.filter((e) => e.things.length > 0);
  const step = Math.max(1, Math.floor(named.length / 30));
  return named.filter((_, i) => i % step === 0).slice(0, 30);
})();

function job(prompt: string, over: Partial<ImageJob> = {}): ImageJob {
  return {
    mode: "generate", model: "gpt-image-1", prompt, images: [], width: SIZE, height: SIZE, n: 1,
    quality: "medium", background: "opaque", seed: 11, partialImages: 0, inputFidelity: "low", ...over,
  };
}

async function render(prompt: string, over: Partial<ImageJob> = {}): Promise<RawImage> {
  const [picture] = await engine.run(job(prompt, over), { signal });
  expect([picture.width, picture.height, picture.data.length]).toEqual([SIZE, SIZE, SIZE * SIZE * 4]);
  return picture;
}

/** Mean per-channel variance of RGB: near 0 for a blank picture. */
function spread(img: RawImage): number {
  let total = 0;
  const n = img.data.length / 4;
  for (let c = 0; c < 3; c++) {
    let sum = 0, sq = 0;
    for (let i = c; i < img.data.length; i += 4) {
      sum += img.data[i];
      sq += img.data[i] * img.data[i];
    }
    total += sq / n - (sum / n) ** 2;
  }
  return total / 3;
}

/** Share of pixels that differ between two same-sized pictures. */
function differingPixels(a: RawImage, b: RawImage, where: (x: number, y: number) => boolean = () => true): number {
  let diff = 0, count = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      if (!where(x, y)) continue;
      count++;
      const i = (y * a.width + x) * 4;
      if (a.data.readUInt32LE(i) !== b.data.readUInt32LE(i)) diff++;
    }
  }
  return count === 0 ? 0 : diff / count;
}

describe("the engine on a sample of the corpus", () => {
  it("samples about 30 prompts", () => {
    expect(sample.length).toBeGreaterThanOrEqual(25);
  });

  it("draws pictures that are not blank, that differ across prompts and seeds, and repeat for equal seeds", async () => {
    const pictures: RawImage[] = [];
    for (const entry of sample) {
      const picture = await render(entry.prompt);
      expect(spread(picture), entry.prompt).toBeGreaterThan(100);
      const again = await render(entry.prompt);
      expect(again.data.equals(picture.data), `same seed, same picture: ${entry.prompt}`).toBe(true);
      const reseeded = await render(entry.prompt, { seed: 12 });
      expect(differingPixels(picture, reseeded), `another seed: ${entry.prompt}`).toBeGreaterThan(VISIBLY_DIFFERENT);
      pictures.push(picture);
    }
    // Every pair of prompts gives a visibly different picture, not only the neighbours.
    for (let i = 0; i < pictures.length; i++) {
      for (let j = i + 1; j < pictures.length; j++) {
        expect(differingPixels(pictures[i], pictures[j]), `"${sample[i].prompt}" vs "${sample[j].prompt}"`).toBeGreaterThan(VISIBLY_DIFFERENT);
      }
    }
  });

  it("with a mask leaves every unmasked pixel of the input untouched and draws in the hole", async () => {
    const input = textured(SIZE, SIZE);
    const hole = { x: 48, y: 64, w: 144, h: 120 };
    const inHole = (x: number, y: number) => x >= hole.x && x < hole.x + hole.w && y >= hole.y && y < hole.y + hole.h;
    const mask = maskWithHole(SIZE, SIZE, inHole);
    for (const entry of sample.filter((_, i) => i % 3 === 0)) {
      const edited = await render(entry.prompt, { mode: "edit", images: [input], mask, quality: "medium" });
      expect(differingPixels(edited, input, (x, y) => !inHole(x, y)), entry.prompt).toBe(0);
      expect(differingPixels(edited, input, inHole), entry.prompt).toBeGreaterThan(0.05);
    }
  });

  it("draws transparent pictures with fully transparent and fully opaque pixels", async () => {
    for (const entry of sample.filter((_, i) => i % 2 === 0)) {
      const picture = await render(entry.prompt, { background: "transparent", quality: "medium" });
      let clear = 0, opaque = 0;
      for (let i = 3; i < picture.data.length; i += 4) {
        if (picture.data[i] === 0) clear++;
        else if (picture.data[i] === 255) opaque++;
      }
      const pixels = SIZE * SIZE;
      expect(clear, `transparent pixels: ${entry.prompt}`).toBeGreaterThan(pixels * 0.1);
      // Half a percent: even a translucent "no matching art" placeholder has an opaque border and text.
      expect(opaque, `opaque pixels: ${entry.prompt}`).toBeGreaterThan(pixels * 0.005);
    }
  });
});

/** A deterministic input with detail everywhere, so any change shows. */
function textured(width: number, height: number): RawImage {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = (x * 7 + y) & 255;
      data[i + 1] = (y * 5) & 255;
      data[i + 2] = ((x ^ y) * 3) & 255;
      data[i + 3] = 255;
    }
  }
  return { data, width, height };
}

/** Opaque black, clear where `inHole`: the area the edit may change. */
function maskWithHole(width: number, height: number, inHole: (x: number, y: number) => boolean): RawImage {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[(y * width + x) * 4 + 3] = inHole(x, y) ? 0 : 255;
  }
  return { data, width, height };
}
