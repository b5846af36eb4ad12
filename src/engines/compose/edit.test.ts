import { describe, it, expect } from "vitest";
import type { ImageJob, RawImage } from "../engine.js";
import { wantsAllItems } from "./edit.js";
import { createComposeEngine } from "./index.js";

const engine = createComposeEngine();
const signal = new AbortController().signal;

function job(over: Partial<ImageJob> = {}): ImageJob {
  return {
    mode: "edit", model: "gpt-image-1", prompt: "add a red cat", images: [],
    width: 320, height: 240, n: 1, quality: "medium", background: "opaque", seed: 3, partialImages: 0,
    inputFidelity: "low", ...over,
  };
}

/** A deterministic, textured input: diagonal colour bands. */
function bands(width: number, height: number, alpha = 255): RawImage {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = (x * 3) & 255;
      data[i + 1] = (y * 5) & 255;
      data[i + 2] = ((x + y) * 2) & 255;
      data[i + 3] = alpha;
    }
  }
  return { data, width, height };
}

function solid(width: number, height: number, rgba: [number, number, number, number]): RawImage {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set(rgba, i);
  return { data, width, height };
}

/** Opaque everywhere except a clear rectangle: the editable area. */
function maskWithHole(width: number, height: number, hole: { x: number; y: number; w: number; h: number }): RawImage {
  const mask = solid(width, height, [0, 0, 0, 255]);
  for (let y = hole.y; y < hole.y + hole.h; y++) {
    for (let x = hole.x; x < hole.x + hole.w; x++) mask.data[(y * width + x) * 4 + 3] = 0;
  }
  return mask;
}

function countDiffering(a: RawImage, b: RawImage, where: (x: number, y: number) => boolean): number {
  let n = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      if (!where(x, y)) continue;
      const i = (y * a.width + x) * 4;
      if (a.data.readUInt32LE(i) !== b.data.readUInt32LE(i)) n++;
    }
  }
  return n;
}

describe("compose engine: edit", () => {
  const hole = { x: 40, y: 60, w: 160, h: 140 };
  const inHole = (x: number, y: number) => x >= hole.x && x < hole.x + hole.w && y >= hole.y && y < hole.y + hole.h;

  it("with a mask keeps every pixel outside it identical and draws inside it", async () => {
    const input = bands(320, 240);
    for (const quality of ["low", "medium", "high"] as const) {
      const [out] = await engine.run(job({ quality, images: [input], mask: maskWithHole(320, 240, hole) }), { signal });
      expect([out.width, out.height]).toEqual([320, 240]);
      expect(countDiffering(out, input, (x, y) => !inHole(x, y))).toBe(0);
      expect(countDiffering(out, input, inHole)).toBeGreaterThan(hole.w * hole.h * 0.05);
    }
  });

  it("with a mask and a named setting repaints the clear area, still only there", async () => {
    const input = bands(320, 240);
    const [out] = await engine.run(job({ prompt: "a fox in the snow", images: [input], mask: maskWithHole(320, 240, hole) }), { signal });
    expect(countDiffering(out, input, (x, y) => !inHole(x, y))).toBe(0);
    expect(countDiffering(out, input, inHole)).toBeGreaterThan(hole.w * hole.h * 0.9);
  });

  it("with a mask sends partial images that keep the outside too", async () => {
    const input = bands(320, 240);
    const frames: RawImage[] = [];
    const [out] = await engine.run(job({ partialImages: 2, images: [input], mask: maskWithHole(320, 240, hole) }), { signal, onPartial: (f) => frames.push(f) });
    expect(frames).toHaveLength(2);
    for (const f of frames) {
      expect(countDiffering(f, input, (x, y) => !inHole(x, y))).toBe(0);
      expect(countDiffering(f, out, inHole)).toBeGreaterThan(0);
    }
  });

  it("with one image and no mask keeps it as the backdrop and adds the things", async () => {
    const input = bands(320, 240);
    const [out] = await engine.run(job({ images: [input] }), { signal });
    const changed = countDiffering(out, input, () => true);
    expect(changed).toBeGreaterThan(320 * 240 * 0.02);
    expect(changed).toBeLessThan(320 * 240 * 0.7);
  });

  it("covers the output size when the input has another shape", async () => {
    const [out] = await engine.run(job({ images: [bands(200, 400)], width: 512, height: 256 }), { signal });
    expect([out.width, out.height, out.data.length]).toEqual([512, 256, 512 * 256 * 4]);
  });

  it("composes several images into one scene", async () => {
    const magenta = solid(120, 90, [230, 20, 200, 255]);
    const teal = solid(90, 120, [10, 180, 170, 255]);
    const [out] = await engine.run(job({ prompt: "a picnic", images: [magenta, teal], width: 512, height: 512 }), { signal });
    const count = (rgb: number[]) => {
      let n = 0;
      for (let i = 0; i < out.data.length; i += 4) {
        if (Math.abs(out.data[i] - rgb[0]) + Math.abs(out.data[i + 1] - rgb[1]) + Math.abs(out.data[i + 2] - rgb[2]) < 40) n++;
      }
      return n;
    };
    expect(count([230, 20, 200])).toBeGreaterThan(2000);
    expect(count([10, 180, 170])).toBeGreaterThan(2000);
  });

  it("recognises prompts asking for all the items", () => {
    expect(wantsAllItems("a gift basket containing all the items")).toBe(true);
    expect(wantsAllItems("a scene with all of these objects")).toBe(true);
    expect(wantsAllItems("add a cat")).toBe(false);
  });
});

describe("compose engine: input images inside a container", () => {
  it("puts each reference picture in the gift basket the prompt names", async () => {
    const { editPicture } = await import("./edit.js");
    const { planPicture } = await import("./prompt.js");
    const prompt = "Generate a photorealistic image of a gift basket on a white background containing all the items in the reference pictures.";
    const inputs = [solid(200, 200, [200, 40, 40, 255]), solid(200, 300, [40, 200, 40, 255]), solid(300, 200, [40, 40, 200, 255])];
    const picture = await editPicture(job({ prompt, images: inputs, width: 1024, height: 1024 }), planPicture(prompt), 5);
    const basketItem = picture.drawables.findIndex((d) => d.kind === "art" && /basket/.test(d.art.annotation));
    expect(basketItem).toBeGreaterThanOrEqual(0);
    const basket = picture.placed.find((p) => p.item === basketItem)!;
    const images = picture.placed.filter((p) => picture.drawables[p.item].kind === "image");
    expect(images).toHaveLength(3);
    for (const image of images) {
      const cx = image.x + image.width / 2;
      const cy = image.y + image.height / 2;
      expect(cx).toBeGreaterThan(basket.x);
      expect(cx).toBeLessThan(basket.x + basket.width);
      expect(cy).toBeGreaterThan(basket.y);
      expect(cy).toBeLessThan(basket.y + basket.height);
      // Drawn after the basket, so they show in it.
      expect(picture.placed.indexOf(image)).toBeGreaterThan(picture.placed.indexOf(basket));
    }
  });
});
