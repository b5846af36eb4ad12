import { describe, it, expect } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getArtIndex } from "./art-index.js";
import { artFragment } from "./art-svg.js";
import { colourMatrix, hexToHsl } from "./colour.js";
import { createComposeEngine } from "./index.js";
import { planPicture } from "./prompt.js";
import { mulberry32, randomFor } from "./random.js";

describe("random", () => {
  it("repeats per seed and differs between seeds and labels", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(mulberry32(43)()).not.toBe(first[0]);
    expect(randomFor(1, "scene").next()).not.toBe(randomFor(1, "layout").next());
    for (let i = 0; i < 1000; i++) {
      const v = a();
      expect(v >= 0 && v < 1).toBe(true);
    }
  });
});

describe("recolouring art", () => {
  const balloon = getArtIndex().lookup("balloon")!.art;

  it("moves fills toward the colour and keeps black outlines", () => {
    const original = artFragment(balloon, { colour: null, detail: "full", idPrefix: "a-" });
    const blue = artFragment(balloon, { colour: "#2d6bd8", detail: "full", idPrefix: "b-" });
    expect(original).toContain('fill="#EA5A47"');
    expect(blue).not.toMatch(/#EA5A47/i);
    const fills = [...blue.matchAll(/fill="(#[0-9a-f]{6})"/gi)].map((m) => m[1]);
    expect(fills.length).toBeGreaterThan(0);
    for (const fill of fills) expect(Math.abs(hexToHsl(fill)[0] - 218)).toBeLessThan(15);
    expect(blue.match(/stroke="#000000"/g)?.length).toBe(original.match(/stroke="#000000"/g)?.length);
  });

  it("leaves out the outline layer for the flat stage and prefixes ids", () => {
    const flat = artFragment(balloon, { colour: null, detail: "flat", idPrefix: "t0-" });
    expect(flat).not.toContain('stroke="#000000"');
    expect(flat).toContain('id="t0-color"');
  });

  it("builds an identity matrix for no change", () => {
    const m = colourMatrix({});
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(m[i][j]).toBeCloseTo(i === j ? 1 : 0, 6);
  });
});

describe("operator art folders", () => {
  it("draws a local SVG named in the prompt ahead of OpenMoji", async () => {
    const dir = mkdtempSync(join(tmpdir(), "easel-art-"));
    writeFileSync(join(dir, "red-barn.svg"), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect x="10" y="30" width="80" height="60" fill="#c0392b"/></svg>');
    const plan = planPicture("a red barn and a cow", { artDirs: [dir] });
    expect(plan.things.map((t) => [t.name, t.art.source])).toEqual([
      ["red barn", "local"],
      ["cow", "openmoji"],
    ]);
    const engine = createComposeEngine({ artDirs: [dir] });
    const [img] = await engine.run(
      {
        mode: "generate", model: "m", prompt: "a red barn", images: [], width: 128, height: 128, n: 1,
        quality: "low", background: "transparent", seed: 1, partialImages: 0, inputFidelity: "low",
      },
      { signal: new AbortController().signal },
    );
    let barn = 0;
    for (let i = 0; i < img.data.length; i += 4) if (img.data[i + 3] === 255 && img.data[i] > 150 && img.data[i + 1] < 90) barn++;
    expect(barn).toBeGreaterThan(500);
  });
});
