import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import type { RawImage } from "../engine.js";
import { applyStyle, detectStyle, STYLE_NAMES, type StyleName } from "./style.js";

describe("detectStyle", () => {
  const cases: [string, StyleName, string][] = [
    ["a children's book drawing of a bear", "childrens-book", "children's book drawing"],
    ["a bear, childrens book illustration", "childrens-book", "childrens book illustration"],
    ["a children’s book illustration of a fox", "childrens-book", "children’s book illustration"],
    ["pixel art of a castle", "pixel-art", "pixel art"],
    ["an 8-bit dragon", "pixel-art", "8-bit"],
    ["a watercolour of a harbour", "watercolor", "watercolour"],
    ["a pencil sketch of an old man", "sketch", "pencil sketch"],
    ["line art of a cat", "sketch", "line art"],
    ["an oil painting of a vase of flowers", "oil-painting", "oil painting"],
    ["a photorealistic red car", "photorealistic", "photorealistic"],
    ["a photo of a dog on a beach", "photorealistic", "photo"],
    ["a sticker of a happy avocado", "sticker", "sticker"],
    ["a logo for a coffee shop", "logo", "logo"],
    ["a minimalist mountain landscape", "flat-vector", "minimalist"],
    ["a flat vector illustration of a rocket", "flat-vector", "flat vector"],
    ["a cartoon penguin", "comic", "cartoon"],
    ["a comic book hero", "comic", "comic book"],
    ["a neon sign of a cocktail glass", "neon", "neon"],
    // A medium beats a loose look word wherever it stands.
    ["a cartoon cat as a watercolor painting", "watercolor", "watercolor"],
    ["a realistic pixel art robot", "pixel-art", "pixel art"],
  ];
  it.each(cases)("%s → %s", (prompt, style, phrase) => {
    const match = detectStyle(prompt);
    expect(match?.style).toBe(style);
    expect(match?.phrase).toBe(phrase);
    expect(prompt.slice(match!.start, match!.end)).toBe(phrase);
  });

  it.each([
    "a cat next to a tree",
    "a sign that says 'Pixel Art Club'",
    "a laptop covered in stickers",
    "a baseball cap with a logo",
    "a neon green frog",
    "a photo frame on a wall",
  ])("finds no style in %s", (prompt) => {
    expect(detectStyle(prompt)).toBeNull();
  });
});

/** A small compose-like picture: sky gradient, ground, outlined flat shapes; and the shapes alone on transparency. */
async function picture(transparent: boolean): Promise<RawImage> {
  const scene = `<defs><linearGradient id="s" x2="0" y2="1"><stop offset="0" stop-color="#3b7fd9"/><stop offset="1" stop-color="#bfe0f7"/></linearGradient></defs>
    <rect width="192" height="160" fill="url(#s)"/><rect y="110" width="192" height="50" fill="#6cb85c"/><circle cx="160" cy="28" r="14" fill="#fcd34d"/>`;
  const things = `<g stroke="#1a1a1a" stroke-width="3"><circle cx="70" cy="90" r="36" fill="#d22f27"/><rect x="120" y="70" width="44" height="56" fill="#fcdc2b"/></g>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="192" height="160">${transparent ? "" : scene}${things}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

const opts = { seed: 5, quality: "medium" as const, transparent: false };
/** Styles whose textures are drawn from the seed (the others are pure functions of the picture). */
const SEEDED: StyleName[] = ["watercolor", "sketch", "oil-painting", "childrens-book", "photorealistic"];
const alphaAt = (img: RawImage, x: number, y: number) => img.data[(y * img.width + x) * 4 + 3];
const pixelAt = (img: RawImage, x: number, y: number) => [...img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4)];

describe("applyStyle", () => {
  let opaque: RawImage;
  let cutout: RawImage;
  beforeAll(async () => {
    opaque = await picture(false);
    cutout = await picture(true);
  });

  it.each(STYLE_NAMES)("%s: same size, changed, reproducible, input untouched", async (style) => {
    const before = Buffer.from(opaque.data);
    const a = await applyStyle(opaque, style, opts);
    const b = await applyStyle(opaque, style, opts);
    expect([a.width, a.height, a.data.length]).toEqual([192, 160, 192 * 160 * 4]);
    expect(a.data.equals(b.data)).toBe(true);
    expect(a.data.equals(opaque.data)).toBe(false);
    expect(opaque.data.equals(before)).toBe(true);
    for (let i = 3; i < a.data.length; i += 4) expect(a.data[i]).toBe(255);
    const low = await applyStyle(opaque, style, { ...opts, quality: "low" });
    const high = await applyStyle(opaque, style, { ...opts, quality: "high" });
    expect(low.data.equals(high.data)).toBe(false);
  });

  it.each(SEEDED)("%s: textures change with the seed", async (style) => {
    const a = await applyStyle(opaque, style, opts);
    const b = await applyStyle(opaque, style, { ...opts, seed: 6 });
    expect(a.data.equals(b.data)).toBe(false);
  });

  it.each(STYLE_NAMES.filter((s) => s !== "sticker" && s !== "pixel-art"))("%s keeps a transparent picture's alpha exactly", async (style) => {
    const out = await applyStyle(cutout, style, { ...opts, transparent: true });
    for (let i = 3; i < out.data.length; i += 4) if (out.data[i] !== cutout.data[i]) throw new Error(`alpha changed at byte ${i}`);
  });

  it("pixel art: blocky, few colours, transparent background kept clear", async () => {
    const out = await applyStyle(opaque, "pixel-art", opts);
    const colours = new Set<number>();
    for (let i = 0; i < out.data.length; i += 4) colours.add(out.data.readUInt32LE(i));
    expect(colours.size).toBeLessThanOrEqual(20);
    // 64 cells across the short side of 160 px: runs of 2–3 equal pixels along every row.
    let same = 0;
    for (let y = 0; y < 160; y++) for (let x = 0; x + 1 < 192; x++) if (out.data.readUInt32LE((y * 192 + x) * 4) === out.data.readUInt32LE((y * 192 + x + 1) * 4)) same++;
    expect(same / (160 * 191)).toBeGreaterThan(0.55);
    const clear = await applyStyle(cutout, "pixel-art", { ...opts, transparent: true });
    expect(alphaAt(clear, 2, 2)).toBe(0);
    expect(alphaAt(clear, 70, 90)).toBe(255);
  });

  it("sketch: grey pencil on paper", async () => {
    const out = await applyStyle(opaque, "sketch", opts);
    let chroma = 0;
    for (let i = 0; i < out.data.length; i += 4) chroma += Math.max(out.data[i], out.data[i + 1], out.data[i + 2]) - Math.min(out.data[i], out.data[i + 1], out.data[i + 2]);
    expect(chroma / (192 * 160)).toBeLessThan(12);
    // The red disc's black outline is drawn as a dark line; its inside is light paper.
    expect(pixelAt(out, 70, 90)[0]).toBeGreaterThan(180);
    expect(Math.min(...[-2, -1, 0, 1, 2].map((d) => pixelAt(out, 34 + d, 90)[0]))).toBeLessThan(150);
  });

  it("sticker: a white border and shadow around a transparent subject, the rest left clear", async () => {
    const out = await applyStyle(cutout, "sticker", { ...opts, transparent: true });
    // Just outside the disc's edge (radius 36 + stroke): white and opaque.
    const rim = pixelAt(out, 70 - 40, 90);
    expect(rim[3]).toBeGreaterThan(200);
    expect(Math.min(rim[0], rim[1], rim[2])).toBeGreaterThan(230);
    expect(pixelAt(out, 70, 90)).toEqual(pixelAt(cutout, 70, 90));
    expect(alphaAt(out, 2, 2)).toBe(0);
  });

  it("sticker: an opaque picture becomes a card on a backdrop, or is cut around a subject mask", async () => {
    const card = await applyStyle(opaque, "sticker", opts);
    expect(pixelAt(card, 1, 1)).toEqual([236, 236, 240, 255]);
    const cut = await applyStyle(opaque, "sticker", { ...opts, subjectMask: cutout });
    expect(pixelAt(cut, 2, 2)).toEqual(pixelAt(opaque, 2, 2));
    expect(Math.min(...pixelAt(cut, 70 - 40, 90).slice(0, 3))).toBeGreaterThan(230);
    await expect(applyStyle(opaque, "sticker", { ...opts, subjectMask: { ...cutout, width: 10 } })).rejects.toThrow(/size/);
  });

  it("photorealistic vignettes the corners of opaque pictures", async () => {
    const out = await applyStyle(opaque, "photorealistic", { ...opts, quality: "low" });
    const luma = (p: number[]) => p[0] + p[1] + p[2];
    expect(luma(pixelAt(out, 0, 0))).toBeLessThan(luma(pixelAt(opaque, 0, 0)) * 0.85);
  });
});
