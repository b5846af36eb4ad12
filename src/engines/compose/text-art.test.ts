import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import opentype from "opentype.js";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { parseHex } from "./colour.js";
import type { TextRole } from "./quoted-text.js";
import { layoutText, SCHEMES, textArt } from "./text-art.js";

const ROLES: TextRole[] = ["sign", "label", "title", "caption"];

function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, b] = parseHex(hex)!.map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

async function rasterise(svg: string, background = "#ffffff"): Promise<Buffer> {
  return sharp(Buffer.from(svg)).flatten({ background }).png().toBuffer();
}

describe("layoutText", () => {
  const texts = ["OPEN", "Relax & Unwind", "Happy Birthday Mia!", "Grand Opening Sale — Everything Must Go Today", "Supercalifragilisticexpialidocious"];
  const boxes = [{ width: 300, height: 120 }, { width: 120, height: 160 }, { width: 600, height: 90 }, { width: 80, height: 40 }];
  const bold = opentype.loadSync("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf");
  const book = opentype.loadSync("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");

  it("keeps every word, in order, and fits the lines inside the carrier", () => {
    for (const text of texts) for (const box of boxes) for (const role of ROLES) {
      const layout = layoutText(text, role, box);
      expect(layout.exact).toBe(true);
      expect(layout.lines.join(" ")).toBe(text);
      const { inner, fontSize } = layout;
      expect(inner.x).toBeGreaterThanOrEqual(0);
      expect(inner.x + inner.width).toBeLessThanOrEqual(box.width);
      const measure = role === "caption" ? book : bold;
      for (const line of layout.lines) expect(measure.getAdvanceWidth(line, fontSize)).toBeLessThanOrEqual(inner.width + 0.01);
      expect(fontSize * (0.928 + 0.236 + (layout.lines.length - 1) * 1.15)).toBeLessThanOrEqual(inner.height + 0.01);
    }
  });

  it("wraps long text into balanced lines when that makes the letters larger", () => {
    const one = layoutText("Happy Birthday Mia!", "sign", { width: 600, height: 120 });
    expect(one.lines).toEqual(["Happy Birthday Mia!"]);
    const tall = layoutText("Happy Birthday Mia!", "sign", { width: 200, height: 200 });
    expect(tall.lines.length).toBeGreaterThan(1);
    expect(tall.fontSize).toBeGreaterThan(layoutText("Happy Birthday Mia!", "sign", { width: 200, height: 60 }).fontSize);
  });

  it("reports characters the font cannot draw", () => {
    expect(layoutText("Hello 𝄞", "caption", { width: 200, height: 60 }).missing).toEqual(["𝄞"]);
  });
});

describe("textArt", () => {
  it("uses dark ink on light carriers with at least 7:1 contrast", () => {
    for (const role of ROLES) for (const s of SCHEMES[role]) expect(contrast(s.ink, s.plate)).toBeGreaterThanOrEqual(7);
  });

  it("is an SVG of exactly the box, nestable at x/y, with the text escaped in its title", async () => {
    const text = `Tom & Jerry's <"Best"> Café`;
    const svg = textArt(text, "sign", { width: 320, height: 140 }, { x: 10, y: 20 });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" x="10" y="20" width="320" height="140"/);
    expect(svg).toContain("<title>Tom &amp; Jerry&apos;s &lt;&quot;Best&quot;&gt; Café</title>");
    const meta = await sharp(Buffer.from(textArt(text, "sign", { width: 320, height: 140 }))).metadata();
    expect([meta.width, meta.height]).toEqual([320, 140]);
  });

  it("draws ink: dark pixels within the carrier, and the same art for the same seed", async () => {
    const a = textArt("OPEN", "title", { width: 300, height: 100 }, { seed: 2 });
    expect(textArt("OPEN", "title", { width: 300, height: 100 }, { seed: 2 })).toBe(a);
    expect(textArt("OPEN", "title", { width: 300, height: 100 }, { seed: 3 })).not.toBe(a);
    const { data } = await sharp(Buffer.from(a)).flatten({ background: "#ffffff" }).greyscale().raw().toBuffer({ resolveWithObject: true });
    const dark = data.filter((v) => v < 90).length;
    expect(dark / data.length).toBeGreaterThan(0.03);
  });
});

const hasTesseract = (() => {
  try {
    execFileSync("tesseract", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasTesseract)("textArt read back by OCR (tesseract)", () => {
  const dir = mkdtempSync(join(tmpdir(), "easel-ocr-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ocr = (png: Buffer) => {
    const file = join(dir, "text.png");
    writeFileSync(file, png);
    return execFileSync("tesseract", [file, "stdout", "--psm", "6"], { stdio: ["ignore", "pipe", "ignore"] }).toString().trim().replace(/\s+/g, " ");
  };

  const cases: [string, TextRole, number, number, number][] = [
    ["Relax & Unwind", "label", 320, 110, 0],
    ["Relax & Unwind", "sign", 300, 160, 0],
    ["Relax & Unwind", "title", 420, 120, 1],
    ["OPEN", "sign", 240, 120, 1],
    ["OPEN", "title", 300, 100, 2],
    ["OPEN", "label", 200, 80, 1],
    ["Happy Birthday Mia!", "title", 600, 150, 0],
    ["Happy Birthday Mia!", "caption", 360, 90, 0],
    ["Happy Birthday Mia!", "sign", 200, 140, 3],
  ];
  it.each(cases)("%s as a %s of %i×%i reads back exactly", async (text, role, width, height, seed) => {
    expect(ocr(await rasterise(textArt(text, role, { width, height }, { seed })))).toBe(text);
  });

  it("reads back over a busy picture", async () => {
    const scene = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360"><defs><linearGradient id="g"><stop offset="0" stop-color="#2a6fd1"/><stop offset="1" stop-color="#e0a030"/></linearGradient></defs>
      <rect width="640" height="360" fill="url(#g)"/><circle cx="120" cy="120" r="90" fill="#d22f27"/><rect x="380" y="180" width="200" height="160" fill="#3fa535"/>
      ${textArt("Happy Birthday Mia!", "caption", { width: 380, height: 80 }, { x: 130, y: 140 })}</svg>`;
    expect(ocr(await rasterise(scene))).toContain("Happy Birthday Mia!");
  });
});
