// Quoted text drawn exactly: the words become glyph outlines (SVG paths) cut
// from DejaVu Sans (Debian's fonts-dejavu-core, which the compose engine
// already needs) by opentype.js. Because the same font file both measures and
// draws the text, the fit is exact and the picture does not depend on which
// fonts librsvg's fontconfig happens to find. Each role gets its own carrier
// shape — a sign board, a luggage-tag label, a ribbon banner for titles, a
// plate behind captions — dark ink on light carriers with a contrast of at
// least 7:1 (WCAG AAA), so the words stay legible, and OCR-readable, on any scene.

import { existsSync } from "node:fs";
import { join } from "node:path";
import opentype from "opentype.js";
import type { TextRole } from "./quoted-text.js";

export interface TextBox {
  width: number;
  height: number;
}

export interface TextArtOptions {
  /** Picks among each role's colour schemes; equal seeds give equal art. */
  seed?: number;
  /** Where to put the art when it is nested in a larger SVG (it is an <svg> element either way). */
  x?: number;
  y?: number;
}

export interface TextLayout {
  lines: string[];
  /** In pixels; callers can judge legibility from it (below ~9 px text is hard to read). */
  fontSize: number;
  /** The area inside the carrier shape that the text was fitted into. */
  inner: { x: number; y: number; width: number; height: number };
  /** False when no DejaVu font file was found and the text falls back to an SVG <text> element with estimated widths. */
  exact: boolean;
  /** Characters the font has no glyph for (drawn as the font's empty box). */
  missing: string[];
}

export interface Scheme {
  plate: string;
  edge: string;
  ink: string;
}

/**
 * Colour schemes per role. Ink is always dark on a light carrier, and the
 * carrier's edges and ribbon tails stay light too: that reads best at small
 * sizes and is what OCR engines expect (white-on-dark signs and dark frames
 * around words defeat Tesseract's binarisation and page layout). Every
 * ink/plate pair has a contrast ratio of at least 7:1 (the test checks it).
 */
export const SCHEMES: Record<TextRole, Scheme[]> = {
  sign: [
    { plate: "#f6eed8", edge: "#c9a578", ink: "#2e2116" }, // painted cream, light wood frame
    { plate: "#ffffff", edge: "#9fb4da", ink: "#1f3a70" }, // enamel
    { plate: "#f8dc5c", edge: "#d2b23a", ink: "#1a1a1a" }, // yellow
    { plate: "#e0f1da", edge: "#a3cc9f", ink: "#123f23" }, // pale green
  ],
  label: [
    { plate: "#fffdf4", edge: "#cfc5ad", ink: "#1e1e1e" }, // paper tag
    { plate: "#efdfbd", edge: "#c9ab7b", ink: "#261b10" }, // kraft
  ],
  title: [
    { plate: "#fbe3a0", edge: "#f0c866", ink: "#3a1f08" }, // gold ribbon
    { plate: "#d9e8fb", edge: "#abc7ef", ink: "#14264a" }, // sky ribbon
    { plate: "#fad6d2", edge: "#efaea7", ink: "#4a1210" }, // rose ribbon
  ],
  caption: [{ plate: "#ffffff", edge: "#00000018", ink: "#1a1a1a" }],
};

const FONT_DIRS = [
  "/usr/share/fonts/truetype/dejavu", // Debian, Ubuntu
  "/usr/share/fonts/dejavu-sans-fonts", // Fedora
  "/usr/share/fonts/TTF", // Arch
  "/usr/share/fonts/dejavu",
  "/usr/local/share/fonts",
];
const fonts = new Map<string, opentype.Font | null>();

/** DejaVu Sans (Bold), parsed once; null when not installed. */
function loadFont(bold: boolean): opentype.Font | null {
  const file = bold ? "DejaVuSans-Bold.ttf" : "DejaVuSans.ttf";
  if (!fonts.has(file)) {
    const dir = FONT_DIRS.find((d) => existsSync(join(d, file)));
    fonts.set(file, dir ? opentype.loadSync(join(dir, file)) : null);
  }
  return fonts.get(file) ?? null;
}

/** Line spacing, in ems. */
const LEADING = 1.15;
/** DejaVu's ascent and descent in ems (used when the font is missing, too). */
const ASCENT = 0.928;
const DESCENT = 0.236;
const MAX_LINES = 6;

/** Everything but the carrier shape: where the text goes and how big. */
export function layoutText(text: string, role: TextRole, box: TextBox): TextLayout {
  const font = loadFont(role !== "caption");
  const inner = innerArea(role, box);
  const words = text.trim().split(/\s+/).filter(Boolean);
  const measure = (s: string) => (font ? font.getAdvanceWidth(s, 1) : s.length * (role === "caption" ? 0.6 : 0.68));
  const missing = font ? [...new Set([...text].filter((c) => !/\s/.test(c) && font.charToGlyphIndex(c) === 0))] : [];
  let best: { lines: string[]; size: number } = { lines: [words.join(" ")], size: 0 };
  for (let k = 1; k <= Math.min(MAX_LINES, words.length); k++) {
    const lines = balancedLines(words, k, measure);
    const widest = Math.max(...lines.map(measure));
    const size = Math.min(inner.width / widest, inner.height / (ASCENT + DESCENT + (k - 1) * LEADING));
    // More lines only when they buy noticeably larger letters.
    if (size > best.size * 1.04) best = { lines, size };
  }
  return { lines: best.lines, fontSize: best.size, inner, exact: font !== null, missing };
}

/** Splits words into exactly k lines so that the widest line is as narrow as it can be (small dynamic programme). */
function balancedLines(words: string[], k: number, measure: (s: string) => number): string[] {
  const n = words.length;
  const width = (i: number, j: number) => measure(words.slice(i, j).join(" "));
  // cost[m][j]: the narrowest widest-line for words[0, j) in m lines; cut[m][j]: where the last line starts.
  const cost = Array.from({ length: k + 1 }, () => new Array<number>(n + 1).fill(Infinity));
  const cut = Array.from({ length: k + 1 }, () => new Array<number>(n + 1).fill(0));
  cost[0][0] = 0;
  for (let m = 1; m <= k; m++) {
    for (let j = m; j <= n; j++) {
      for (let i = m - 1; i < j; i++) {
        const c = Math.max(cost[m - 1][i], width(i, j));
        if (c < cost[m][j]) [cost[m][j], cut[m][j]] = [c, i];
      }
    }
  }
  const lines: string[] = [];
  for (let m = k, j = n; m > 0; m--) {
    const i = cut[m][j];
    lines.unshift(words.slice(i, j).join(" "));
    j = i;
  }
  return lines;
}

/** The text's area inside each carrier shape. */
function innerArea(role: TextRole, { width: w, height: h }: TextBox): TextLayout["inner"] {
  const u = Math.min(w, h);
  switch (role) {
    case "sign": {
      const pad = u * 0.14;
      return { x: pad, y: pad, width: w - 2 * pad, height: h - 2 * pad };
    }
    case "label": {
      // The tag's hole and cut corners take the left end.
      const left = h * 0.5;
      const pad = u * 0.14;
      return { x: left, y: pad, width: w - left - pad, height: h - 2 * pad };
    }
    case "title": {
      // The ribbon's body: the folded tails take the ends, its band the middle 64% of the height.
      const tail = Math.min(w * 0.14, h * 0.9);
      const bandTop = h * 0.18;
      const pad = (h - 2 * bandTop) * 0.14;
      return { x: tail + pad, y: bandTop + pad, width: w - 2 * tail - 2 * pad, height: h - 2 * bandTop - 2 * pad };
    }
    case "caption": {
      const pad = u * 0.12;
      return { x: pad, y: pad, width: w - 2 * pad, height: h - 2 * pad };
    }
  }
}

function carrier(role: TextRole, { width: w, height: h }: TextBox, s: Scheme): string {
  const u = Math.min(w, h);
  const n = (v: number) => (Math.round(v * 10) / 10).toString();
  switch (role) {
    case "sign": {
      const rim = u * 0.045;
      const bolts = [
        [rim * 2.2, rim * 2.2],
        [w - rim * 2.2, rim * 2.2],
        [rim * 2.2, h - rim * 2.2],
        [w - rim * 2.2, h - rim * 2.2],
      ];
      return (
        `<rect x="${n(rim / 2)}" y="${n(rim / 2)}" width="${n(w - rim)}" height="${n(h - rim)}" rx="${n(u * 0.08)}" fill="${s.plate}" stroke="${s.edge}" stroke-width="${n(rim)}"/>` +
        bolts.map(([x, y]) => `<circle cx="${n(x)}" cy="${n(y)}" r="${n(rim * 0.4)}" fill="${s.edge}"/>`).join("")
      );
    }
    case "label": {
      const c = h * 0.3;
      const line = u * 0.025;
      const points = [[c, line], [w - line, line], [w - line, h - line], [c, h - line], [line, h - c], [line, c]];
      return (
        `<polygon points="${points.map(([x, y]) => `${n(x)},${n(y)}`).join(" ")}" fill="${s.plate}" stroke="${s.edge}" stroke-width="${n(line * 2)}" stroke-linejoin="round"/>` +
        `<circle cx="${n(h * 0.26)}" cy="${n(h / 2)}" r="${n(h * 0.08)}" fill="#ffffff" stroke="${s.edge}" stroke-width="${n(line * 1.5)}"/>`
      );
    }
    case "title": {
      const tail = Math.min(w * 0.14, h * 0.9);
      const top = h * 0.18, bottom = h * 0.82;
      const drop = h * 0.16;
      const notch = tail * 0.35;
      // Tails sit lower and behind the band, folded under it (the darker triangles).
      const leftTail = [[0, top + drop], [tail * 1.4, top + drop], [tail * 1.4, bottom + drop], [0, bottom + drop], [notch, (top + bottom) / 2 + drop]];
      const rightTail = leftTail.map(([x, y]) => [w - x, y]);
      const poly = (pts: number[][], fill: string) => `<polygon points="${pts.map(([x, y]) => `${n(x)},${n(y)}`).join(" ")}" fill="${fill}"/>`;
      return (
        poly(leftTail, s.edge) +
        poly(rightTail, s.edge) +
        poly([[tail, bottom], [tail * 1.4, bottom + drop], [tail * 1.4, bottom]], "#00000022") +
        poly([[w - tail, bottom], [w - tail * 1.4, bottom + drop], [w - tail * 1.4, bottom]], "#00000022") +
        `<rect x="${n(tail)}" y="${n(top)}" width="${n(w - 2 * tail)}" height="${n(bottom - top)}" fill="${s.plate}"/>`
      );
    }
    case "caption":
      return `<rect x="0" y="0" width="${n(w)}" height="${n(h)}" rx="${n(u * 0.18)}" fill="${s.plate}" fill-opacity="0.88" stroke="${s.edge}"/>`;
  }
}

/** Characters XML 1.0 forbids (most control characters, U+FFFE, U+FFFF) and UTF-16 halves without their pair: librsvg refuses an SVG holding any. */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as SVG character data or an attribute value: markup escaped, characters XML cannot hold dropped. */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, "")
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/**
 * The text in its role's carrier shape as an <svg> element of box.width ×
 * box.height user units: a standalone document, or nested in a larger SVG at
 * options.x/y. The text is fitted (balanced line breaks, largest size that
 * fits) and centred.
 */
export function textArt(text: string, role: TextRole, box: TextBox, options: TextArtOptions = {}): string {
  const schemes = SCHEMES[role];
  const scheme = schemes[((options.seed ?? 0) >>> 0) % schemes.length];
  const layout = layoutText(text, role, box);
  const position = `${options.x !== undefined ? ` x="${options.x}"` : ""}${options.y !== undefined ? ` y="${options.y}"` : ""}`;
  const open = `<svg xmlns="http://www.w3.org/2000/svg"${position} width="${box.width}" height="${box.height}" viewBox="0 0 ${box.width} ${box.height}">`;
  return `${open}<title>${escapeXml(text)}</title>${carrier(role, box, scheme)}${words(layout, role, scheme.ink)}</svg>`;
}

/** The lines as glyph outlines, centred in the inner area (or as <text> when the font is missing). */
function words(layout: TextLayout, role: TextRole, ink: string): string {
  const { lines, fontSize: size, inner } = layout;
  const blockHeight = size * (ASCENT + DESCENT + (lines.length - 1) * LEADING);
  const firstBaseline = inner.y + (inner.height - blockHeight) / 2 + size * ASCENT;
  const cx = inner.x + inner.width / 2;
  const font = loadFont(role !== "caption");
  if (!font) {
    const weight = role === "caption" ? "normal" : "bold";
    return lines
      .map((line, i) => `<text x="${cx.toFixed(1)}" y="${(firstBaseline + i * size * LEADING).toFixed(1)}" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-weight="${weight}" font-size="${size.toFixed(2)}" fill="${ink}">${escapeXml(line)}</text>`)
      .join("");
  }
  const paths = lines.map((line, i) => {
    const x = cx - font.getAdvanceWidth(line, size) / 2;
    return font.getPath(line, x, firstBaseline + i * size * LEADING, size).toPathData(2);
  });
  return `<path d="${paths.join(" ")}" fill="${ink}"/>`;
}
