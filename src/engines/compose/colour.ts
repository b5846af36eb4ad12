// Colour words and the maths to recolour art toward them. OpenMoji draws
// every picture as flat fills under black outlines, so a recolour is a rewrite
// of fill/stroke values, never a pixel operation.

export interface NamedColour {
  name: string;
  hex: string;
}

const COLOUR_WORDS: Record<string, string> = {
  red: "#d22f27",
  scarlet: "#e0301e",
  crimson: "#b0142c",
  maroon: "#7a1f2b",
  orange: "#f4902a",
  yellow: "#fcdc2b",
  gold: "#d4af37",
  golden: "#d4af37",
  lime: "#a6d83a",
  green: "#3fa535",
  teal: "#1f8f8a",
  turquoise: "#34c6c0",
  cyan: "#3cc8e8",
  blue: "#2d6bd8",
  navy: "#1e2f6e",
  indigo: "#4b3aa8",
  purple: "#8e44b8",
  violet: "#9b59d0",
  lavender: "#b9a3e3",
  magenta: "#d93ca0",
  pink: "#f28cb8",
  brown: "#8a5a32",
  beige: "#e3cfa5",
  cream: "#f3e6c4",
  ivory: "#f8f4e3",
  black: "#2b2b2b",
  white: "#f7f7f5",
  gray: "#9b9b9a",
  grey: "#9b9b9a",
  silver: "#c4c8cc",
};

/** Words that shift the lightness of the colour word that follows them. */
const SHADE_WORDS: Record<string, number> = { light: 0.18, pale: 0.25, pastel: 0.22, dark: -0.18, deep: -0.12 };

export function isColourWord(word: string): boolean {
  return word in COLOUR_WORDS;
}

export function isShadeWord(word: string): boolean {
  return word in SHADE_WORDS;
}

/** "dark" + "blue" → a darker blue named "dark blue". */
export function namedColour(word: string, shade?: string): NamedColour {
  const base = COLOUR_WORDS[word];
  if (!shade || !(shade in SHADE_WORDS)) return { name: word, hex: base };
  const [h, s, l] = hexToHsl(base);
  const lighter = clamp01(l + SHADE_WORDS[shade]);
  return { name: `${shade} ${word}`, hex: hslToHex(h, s, lighter) };
}

export function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** Parses #rgb or #rrggbb; null for anything else (none, currentColor, url(...)). */
export function parseHex(value: string): [number, number, number] | null {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim());
  if (!m) return null;
  let hex = m[1];
  if (hex.length === 3) hex = hex.replace(/./g, (c) => c + c);
  const n = parseInt(hex, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function rgbToHex(r: number, g: number, b: number): string {
  const to = (v: number) => Math.round(Math.max(0, Math.min(255, v))).toString(16).padStart(2, "0");
  return `#${to(r)}${to(g)}${to(b)}`;
}

export function hexToHsl(hex: string): [number, number, number] {
  const rgb = parseHex(hex) ?? [0, 0, 0];
  const [r, g, b] = rgb.map((v) => v / 255);
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l];
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  let h: number;
  if (max === r) h = (g - b) / d + (g < b ? 6 : 0);
  else if (max === g) h = (b - r) / d + 2;
  else h = (r - g) / d + 4;
  return [h * 60, s, l];
}

export function hslToHex(h: number, s: number, l: number): string {
  const hue = (((h % 360) + 360) % 360) / 360;
  if (s === 0) return rgbToHex(l * 255, l * 255, l * 255);
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const channel = (t: number) => {
    if (t < 0) t += 1;
    if (t > 1) t -= 1;
    if (t < 1 / 6) return p + (q - p) * 6 * t;
    if (t < 1 / 2) return q;
    if (t < 2 / 3) return p + (q - p) * (2 / 3 - t) * 6;
    return p;
  };
  return rgbToHex(channel(hue + 1 / 3) * 255, channel(hue) * 255, channel(hue - 1 / 3) * 255);
}

/** Shifts a colour's hue/saturation/lightness; used for seeded scene palettes. */
export function shiftHex(hex: string, dh: number, ds = 0, dl = 0): string {
  const [h, s, l] = hexToHsl(hex);
  return hslToHex(h + dh, clamp01(s + ds), clamp01(l + dl));
}

export function mixHex(a: string, b: string, t: number): string {
  const x = parseHex(a) ?? [0, 0, 0];
  const y = parseHex(b) ?? [0, 0, 0];
  return rgbToHex(x[0] + (y[0] - x[0]) * t, x[1] + (y[1] - x[1]) * t, x[2] + (y[2] - x[2]) * t);
}

/**
 * Builds a mapping from each of the art's colours to the target colour.
 * Black outlines, near-whites (eyes, highlights) and very dark details stay;
 * every other colour takes the target hue and saturation while keeping its
 * lightness *relative to the art's main colour*, so shading survives.
 */
export function recolourMap(colours: Map<string, number>, target: string): Map<string, string> {
  const [th, ts, tl] = hexToHsl(target);
  const recolourable = [...colours].filter(([hex]) => isRecolourable(hex));
  const out = new Map<string, string>();
  if (recolourable.length === 0) return out;
  const [mainHex] = recolourable.reduce((best, c) => (c[1] > best[1] ? c : best));
  const mainL = hexToHsl(mainHex)[2];
  for (const [hex] of recolourable) {
    const [, s, l] = hexToHsl(hex);
    // Greys in the art become lighter/darker versions of the target, coloured
    // parts take it fully; a little of the original saturation keeps variety.
    const sat = ts === 0 ? 0 : clamp01(ts * 0.85 + s * 0.15);
    const light = clamp01(tl + (l - mainL) * 0.7);
    out.set(hex, hslToHex(th, sat, Math.min(light, 0.97)));
  }
  return out;
}

function isRecolourable(hex: string): boolean {
  const rgb = parseHex(hex);
  if (!rgb) return false;
  const [, s, l] = hexToHsl(hex);
  if (l < 0.2) return false; // outlines, pupils, tyres
  if (l > 0.92 && s < 0.3) return false; // whites of eyes, highlights
  return true;
}

export type Matrix3 = [[number, number, number], [number, number, number], [number, number, number]];

function multiply(a: Matrix3, b: Matrix3): Matrix3 {
  const row = (i: number) => [0, 1, 2].map((j) => a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j]) as [number, number, number];
  return [row(0), row(1), row(2)];
}

/**
 * One RGB matrix for a hue rotation (degrees), saturation and brightness
 * change, as SVG's feColorMatrix defines them, so libvips applies the whole
 * colour change in a single cheap `recomb` pass.
 */
export function colourMatrix(change: { hue?: number; saturation?: number; brightness?: number; gains?: [number, number, number] }): Matrix3 {
  const a = ((change.hue ?? 0) * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  const hue: Matrix3 = [
    [0.213 + c * 0.787 - s * 0.213, 0.715 - c * 0.715 - s * 0.715, 0.072 - c * 0.072 + s * 0.928],
    [0.213 - c * 0.213 + s * 0.143, 0.715 + c * 0.285 + s * 0.14, 0.072 - c * 0.072 - s * 0.283],
    [0.213 - c * 0.213 - s * 0.787, 0.715 - c * 0.715 + s * 0.715, 0.072 + c * 0.928 + s * 0.072],
  ];
  const k = change.saturation ?? 1;
  const sat: Matrix3 = [
    [0.213 + 0.787 * k, 0.715 - 0.715 * k, 0.072 - 0.072 * k],
    [0.213 - 0.213 * k, 0.715 + 0.285 * k, 0.072 - 0.072 * k],
    [0.213 - 0.213 * k, 0.715 - 0.715 * k, 0.072 + 0.928 * k],
  ];
  const b = change.brightness ?? 1;
  const [gr, gg, gb] = change.gains ?? [1, 1, 1];
  const gain: Matrix3 = [[gr * b, 0, 0], [0, gg * b, 0], [0, 0, gb * b]];
  return multiply(gain, multiply(sat, hue));
}
