import sharp from "sharp";
import { describe, it, expect } from "vitest";
import type { ImageJob, RawImage } from "../engine.js";
import { encodeImage } from "../../imaging/encode.js";
import { composeAttribution, createComposeEngine, OPENMOJI_ATTRIBUTION } from "./index.js";

const engine = createComposeEngine();
const signal = new AbortController().signal;

function job(over: Partial<ImageJob> = {}): ImageJob {
  return {
    mode: "generate", model: "gpt-image-1", prompt: "three red balloons and a cat", images: [],
    width: 256, height: 256, n: 1, quality: "low", background: "opaque", seed: 7, partialImages: 0,
    inputFidelity: "low", ...over,
  };
}

const alphaAt = (img: RawImage, x: number, y: number) => img.data[(y * img.width + x) * 4 + 3];

/** Mean per-channel variance of RGB: near 0 for a blank picture. */
function variance(img: RawImage): number {
  let total = 0;
  for (let c = 0; c < 3; c++) {
    let sum = 0, sq = 0;
    for (let i = c; i < img.data.length; i += 4) {
      sum += img.data[i];
      sq += img.data[i] * img.data[i];
    }
    const n = img.data.length / 4;
    total += sq / n - (sum / n) ** 2;
  }
  return total / 3;
}

/** Share of bytes that differ between two same-sized pictures. */
function difference(a: RawImage, b: RawImage): number {
  let diff = 0;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) diff++;
  return diff / a.data.length;
}

describe("compose engine: generate", () => {
  it("is named compose and credits OpenMoji in the files of pictures that use its art", async () => {
    expect(engine.name).toBe("compose");
    const [cat] = await engine.run(job({ prompt: "a cat", width: 256, height: 256 }), { signal });
    expect(cat.credits).toBe(OPENMOJI_ATTRIBUTION);
    expect(composeAttribution()).toContain(OPENMOJI_ATTRIBUTION);
    for (const format of ["png", "jpeg", "webp"] as const) {
      const exif = (await sharp(await encodeImage(cat, { format, compression: 90, alpha: false })).metadata()).exif?.toString("latin1");
      expect(exif).toContain("Emoji artwork by OpenMoji");
      expect(exif).toContain("License: CC BY-SA 4.0");
    }
  });

  it.each([
    [1024, 1024], [1536, 1024], [1024, 1536], [256, 256], [512, 512], [1792, 1024], [1024, 1792],
  ])("renders exactly %ix%i", async (width, height) => {
    const [img] = await engine.run(job({ width, height }), { signal });
    expect(img.width).toBe(width);
    expect(img.height).toBe(height);
    expect(img.data.length).toBe(width * height * 4);
    expect(variance(img)).toBeGreaterThan(100);
  });

  it("returns n pictures, each seeded with seed + i", async () => {
    const pictures = await engine.run(job({ n: 3 }), { signal });
    expect(pictures).toHaveLength(3);
    expect(difference(pictures[0], pictures[1])).toBeGreaterThan(0.1);
    const [third] = await engine.run(job({ seed: 9 }), { signal });
    expect(third.data.equals(pictures[2].data)).toBe(true);
  });

  it("is deterministic: the same job gives the same bytes, another seed another picture", async () => {
    for (const quality of ["low", "medium", "high"] as const) {
      const [a] = await engine.run(job({ quality }), { signal });
      const [b] = await engine.run(job({ quality }), { signal });
      expect(a.data.equals(b.data)).toBe(true);
      const [c] = await engine.run(job({ quality, seed: 8 }), { signal });
      expect(difference(a, c)).toBeGreaterThan(0.1);
    }
  });

  it("draws only the things on true transparency for background transparent", async () => {
    const [img] = await engine.run(job({ background: "transparent", width: 512, height: 384, quality: "high" }), { signal });
    for (const [x, y] of [[0, 0], [511, 0], [0, 383], [511, 383]]) expect(alphaAt(img, x, y)).toBe(0);
    let opaque = 0, clear = 0;
    for (let i = 3; i < img.data.length; i += 4) {
      if (img.data[i] === 255) opaque++;
      if (img.data[i] === 0) clear++;
    }
    expect(opaque).toBeGreaterThan(1000);
    expect(clear).toBeGreaterThan(img.data.length / 4 / 3);
  });

  it("fills every pixel for background opaque", async () => {
    for (const quality of ["low", "medium", "high"] as const) {
      const [img] = await engine.run(job({ quality, prompt: "a rocket in space" }), { signal });
      for (let i = 3; i < img.data.length; i += 4) if (img.data[i] !== 255) throw new Error(`alpha ${img.data[i]} at ${i}`);
    }
  });

  it("renders differently at each quality", async () => {
    const [low] = await engine.run(job({ quality: "low" }), { signal });
    const [medium] = await engine.run(job({ quality: "medium" }), { signal });
    const [high] = await engine.run(job({ quality: "high" }), { signal });
    expect(difference(low, medium)).toBeGreaterThan(0.05);
    expect(difference(medium, high)).toBeGreaterThan(0.05);
  });

  it("draws a labelled placeholder when nothing matches", async () => {
    const [img] = await engine.run(job({ prompt: "zzqx vvbn", background: "transparent" }), { signal });
    let visible = 0;
    for (let i = 3; i < img.data.length; i += 4) if (img.data[i] > 0) visible++;
    expect(visible).toBeGreaterThan(1000);
  });

  it.each([1, 2, 3])("sends %i real partial images of the first picture, in order", async (k) => {
    const frames: [RawImage, number][] = [];
    const pictures = await engine.run(job({ partialImages: k, n: 2, quality: "medium" }), {
      signal, onPartial: (frame, index) => frames.push([frame, index]),
    });
    expect(frames.map(([, i]) => i)).toEqual([...Array(k).keys()]);
    for (const [frame] of frames) {
      expect([frame.width, frame.height]).toEqual([256, 256]);
      expect(difference(frame, pictures[0])).toBeGreaterThan(0.01);
    }
    for (let i = 1; i < frames.length; i++) expect(difference(frames[i][0], frames[i - 1][0])).toBeGreaterThan(0.01);
  });

  it("sends distinct partial images on transparency too", async () => {
    const frames: RawImage[] = [];
    const [final] = await engine.run(job({ partialImages: 3, background: "transparent" }), { signal, onPartial: (f) => frames.push(f) });
    expect(frames).toHaveLength(3);
    for (const frame of frames) expect(difference(frame, final)).toBeGreaterThan(0.001);
    for (let i = 1; i < 3; i++) expect(difference(frames[i], frames[i - 1])).toBeGreaterThan(0.001);
  });

  it("stops with an AbortError when aborted", async () => {
    const aborted = new AbortController();
    aborted.abort();
    await expect(engine.run(job(), { signal: aborted.signal })).rejects.toMatchObject({ name: "AbortError" });

    const midway = new AbortController();
    const frames: number[] = [];
    const run = engine.run(job({ partialImages: 3, n: 4 }), {
      signal: midway.signal,
      onPartial: (_frame, index) => {
        frames.push(index);
        midway.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(frames).toEqual([0]);
  });
});

describe("compose engine: time of day", () => {
  it("paints a warm sunset sky for 'at sunset', a blue one by day", async () => {
    const skyColour = async (prompt: string) => {
      const [img] = await engine.run(job({ prompt, width: 128, height: 128 }), { signal });
      const sums = [0, 0, 0];
      // The upper third: sky in every outdoor scene.
      for (let p = 0; p < 128 * 42; p++) for (let c = 0; c < 3; c++) sums[c] += img.data[p * 4 + c];
      return sums;
    };
    const [dayRed, , dayBlue] = await skyColour("a turtle on the beach");
    const [sunsetRed, , sunsetBlue] = await skyColour("a turtle on the beach at sunset");
    expect(dayBlue).toBeGreaterThan(dayRed);
    expect(sunsetRed).toBeGreaterThan(dayRed * 1.2);
    expect(sunsetBlue).toBeLessThan(dayBlue);
  });
});
