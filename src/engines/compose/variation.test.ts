import { describe, it, expect } from "vitest";
import sharp from "sharp";
import type { ImageJob, RawImage } from "../engine.js";
import { createComposeEngine } from "./index.js";

const engine = createComposeEngine();
const signal = new AbortController().signal;

function job(over: Partial<ImageJob> = {}): ImageJob {
  return {
    mode: "generate", model: "dall-e-2", prompt: "a house next to a tree", images: [],
    width: 256, height: 256, n: 1, quality: "medium", background: "opaque", seed: 21, partialImages: 0,
    inputFidelity: "low", ...over,
  };
}

const variationOf = (input: RawImage, over: Partial<ImageJob> = {}) =>
  job({ mode: "variation", prompt: "", images: [input], ...over });

async function meanColour(img: RawImage): Promise<number[]> {
  const stats = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } }).stats();
  return stats.channels.slice(0, 3).map((c) => c.mean);
}

function meanAbsDiff(a: RawImage, b: RawImage): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) if (i % 4 !== 3) sum += Math.abs(a.data[i] - b.data[i]);
  return sum / ((a.data.length / 4) * 3);
}

describe("compose engine: variation", () => {
  it("differs from the input and between seeds, but stays the same picture", async () => {
    const [input] = await engine.run(job(), { signal });
    const variations = await engine.run(variationOf(input, { n: 3 }), { signal });
    expect(variations).toHaveLength(3);
    const inputMean = await meanColour(input);
    for (const v of variations) {
      expect([v.width, v.height]).toEqual([256, 256]);
      expect(meanAbsDiff(v, input)).toBeGreaterThan(3);
      const mean = await meanColour(v);
      const distance = Math.hypot(...mean.map((m, c) => m - inputMean[c]));
      expect(distance).toBeLessThan(30);
    }
    expect(meanAbsDiff(variations[0], variations[1])).toBeGreaterThan(3);
    expect(meanAbsDiff(variations[1], variations[2])).toBeGreaterThan(3);
  });

  it("is deterministic per seed", async () => {
    const [input] = await engine.run(job(), { signal });
    const [a] = await engine.run(variationOf(input), { signal });
    const [b] = await engine.run(variationOf(input), { signal });
    expect(a.data.equals(b.data)).toBe(true);
  });

  it("renders to the requested size and reports its stages", async () => {
    const [input] = await engine.run(job({ width: 512, height: 256 }), { signal });
    const frames: RawImage[] = [];
    const [out] = await engine.run(variationOf(input, { width: 256, height: 256, partialImages: 3 }), { signal, onPartial: (f) => frames.push(f) });
    expect([out.width, out.height]).toEqual([256, 256]);
    expect(frames).toHaveLength(3);
    for (const f of frames) expect(f.data.equals(out.data)).toBe(false);
  });

  it("keeps transparency when asked and fills it when opaque", async () => {
    const [input] = await engine.run(job({ background: "transparent" }), { signal });
    const [clear] = await engine.run(variationOf(input, { background: "transparent" }), { signal });
    expect(clear.data[3]).toBe(0);
    const [filled] = await engine.run(variationOf(input), { signal });
    let translucent = 0;
    for (let i = 3; i < filled.data.length; i += 4) if (filled.data[i] !== 255) translucent++;
    expect(translucent).toBe(0);
  });
});
