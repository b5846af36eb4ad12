// The style a prompt asks for ("a watercolor of…", "pixel art", "as a
// sticker") and its application to the finished picture as real image
// processing, one module per style under styles/. Quoted text is not read for
// style words: a sign saying 'Pixel Art Club' is not a pixel art request.

import type { Quality, RawImage } from "../engine.js";
import { quotedTexts } from "./quoted-text.js";
import { childrensBook } from "./styles/childrens-book.js";
import { comic } from "./styles/comic.js";
import { flatVector, logo } from "./styles/flat.js";
import { neon } from "./styles/neon.js";
import { oilPainting } from "./styles/oil.js";
import { photorealistic } from "./styles/photorealistic.js";
import { pixelArt } from "./styles/pixel-art.js";
import type { StyleFilter } from "./styles/pixels.js";
import { sketch } from "./styles/sketch.js";
import { sticker } from "./styles/sticker.js";
import { watercolor } from "./styles/watercolor.js";

const FILTERS = {
  "childrens-book": childrensBook,
  "pixel-art": pixelArt,
  watercolor,
  sketch,
  "oil-painting": oilPainting,
  photorealistic,
  sticker,
  logo,
  "flat-vector": flatVector,
  comic,
  neon,
} satisfies Record<string, StyleFilter>;

export type StyleName = keyof typeof FILTERS;
export const STYLE_NAMES = Object.keys(FILTERS) as StyleName[];

export interface StyleMatch {
  style: StyleName;
  /** The words that named it, as written in the prompt. */
  phrase: string;
  /** Where the phrase sits in the prompt: [start, end). */
  start: number;
  end: number;
}

/**
 * Phrases per style. "strong" names a medium or technique; "weak" is a loose
 * look word ("cartoon", "realistic", "painting") that yields to a strong one
 * anywhere in the prompt: "a watercolor painting of a cartoon cat" is a watercolor.
 */
const PHRASES: { style: StyleName; strong: boolean; pattern: RegExp }[] = [
  { style: "childrens-book", strong: true, pattern: /\b(?:children'?s'?|childrens|kids'?|kid's)\s+(?:story\s?|picture\s?)?book(?:\s+(?:illustration|drawing|art|style))?/g },
  { style: "childrens-book", strong: true, pattern: /\b(?:story\s?book|picture\s?book|nursery)\s+(?:illustration|drawing|art|style)\b/g },
  { style: "pixel-art", strong: true, pattern: /\bpixel[- ]?art\b|\b(?:8|16)[- ]?bit\b|\bpixell?ated\b|\bretro (?:video )?game (?:art|style|sprite)\b|\bsprites?\b/g },
  { style: "watercolor", strong: true, pattern: /\bwater[- ]?colou?r(?:s|ed)?\b|\baquarelle\b|\bgouache\b/g },
  { style: "sketch", strong: true, pattern: /\b(?:pencil|charcoal|graphite)[- ](?:sketch|drawing)\b|\bsketch(?:ed)?\b|\bline[- ](?:art|drawing)\b|\bink drawing\b|\b(?:drawn )?in (?:pencil|charcoal)\b/g },
  { style: "sketch", strong: false, pattern: /\bhand[- ]drawn\b|\bsketchy\b|\bdoodle\b/g },
  { style: "oil-painting", strong: true, pattern: /\boil[- ]?paint(?:ing|ed)?\b|\b(?:oil|acrylic)s? on canvas\b|\bacrylic (?:painting|paint)\b|\bimpasto\b|\bimpressionis[tm]\b|\bvan gogh\b/g },
  { style: "oil-painting", strong: false, pattern: /\bpainting\b|\bon canvas\b/g },
  { style: "photorealistic", strong: true, pattern: /\b(?:photo|hyper)[- ]?realistic\b|\bphotorealism\b|\bphotograph(?:ic|y)?\b|\bdslr\b|\b35 ?mm\b|\bbokeh\b/g },
  { style: "photorealistic", strong: false, pattern: /\bphoto\b(?![- ]?(?:frame|album|booth|camera|studio|album|shoot|printer))|\brealistic\b|\bcinematic\b|\blifelike\b/g },
  { style: "sticker", strong: true, pattern: /\b(?:die[- ]cut |vinyl )?sticker(?:s| design| style| art| sheet)?\b/g },
  { style: "logo", strong: true, pattern: /\blogo(?:s| design| mark)?\b|\bemblem\b|\bmascot logo\b/g },
  { style: "flat-vector", strong: true, pattern: /\bflat (?:vector|design|illustration|style|colou?rs?|art)\b|\bvector (?:art|illustration|graphic|style)\b|\bclip[- ]?art\b|\bapp icon\b/g },
  { style: "flat-vector", strong: false, pattern: /\bminimal(?:ist(?:ic)?)?\b/g },
  { style: "comic", strong: true, pattern: /\bcomic(?:[- ]book| strip| style| art|s)?\b|\bmanga\b|\bpop art\b/g },
  { style: "comic", strong: false, pattern: /\bcartoon(?:ish|y|s)?\b|\banime\b/g },
  { style: "neon", strong: true, pattern: /\bneon\b(?!\s+(?:red|orange|yellow|green|blue|pink|purple|violet|cyan|magenta|lime)\b)|\bsynthwave\b|\bvaporwave\b|\bcyberpunk\b/g },
];

/** A thing that merely carries the word ("a laptop with a sticker", "a cap with a logo") is not a style. */
const THING_NOT_STYLE = /\b(?:with|covered (?:in|with)|full of|wearing|its|their|his|her)\s+(?:an?\s+|the\s+|some\s+|many\s+|\w+\s+)?$/;

export function detectStyle(prompt: string): StyleMatch | null {
  // Quoted text is blanked (same length, so offsets still point into the prompt).
  let text = prompt.replace(/[’‘]/g, "'").toLowerCase();
  for (const q of quotedTexts(prompt)) text = text.slice(0, q.start) + " ".repeat(q.end - q.start) + text.slice(q.end);
  let best: (StyleMatch & { strong: boolean }) | null = null;
  for (const { style, strong, pattern } of PHRASES) {
    for (const m of text.matchAll(pattern)) {
      const start = m.index ?? 0;
      if ((style === "sticker" || style === "logo") && THING_NOT_STYLE.test(text.slice(Math.max(0, start - 30), start))) continue;
      const better = !best || (strong && !best.strong) || (strong === best.strong && start < best.start);
      if (better) best = { style, strong, phrase: prompt.slice(start, start + m[0].length), start, end: start + m[0].length };
    }
  }
  if (!best) return null;
  const { strong: _, ...match } = best;
  return match;
}

export interface StyleOptions {
  /** Seeds the style's textures (paper, grain, strokes): equal seeds give equal pictures. */
  seed: number;
  /** How much detail the style renders: kernel sizes, texture resolution, extra layers. */
  quality: Quality;
  /** Transparent output: the transparent background stays transparent (see sticker.ts for its one exception). */
  transparent: boolean;
  /**
   * Optional: the things alone on transparency (alpha > 0 where a thing is),
   * same size as the picture. Only the sticker style uses it, to cut around
   * the things of an opaque picture; without it an opaque sticker is a card.
   */
  subjectMask?: RawImage;
}

/** The picture in the given style, same size; the input is not changed. */
export async function applyStyle(image: RawImage, style: StyleName, options: StyleOptions): Promise<RawImage> {
  if (image.data.length !== image.width * image.height * 4) throw new Error("applyStyle needs 8-bit RGBA pixels");
  const mask = options.subjectMask;
  if (mask && (mask.width !== image.width || mask.height !== image.height)) throw new Error("subjectMask must match the picture's size");
  return FILTERS[style](image, { ...options, seed: options.seed >>> 0 });
}
