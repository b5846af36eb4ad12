// Quoted text in a prompt ("a sign that says 'OPEN'") is text to draw
// exactly, not words to illustrate. Finding it means telling quotes from
// apostrophes ("children's", "the kids' room", "Mia's Café"), and its role —
// sign, label, title or caption — comes from the words around it.

export type TextRole = "sign" | "label" | "title" | "caption";

export interface QuotedText {
  text: string;
  role: TextRole;
  /** Where the quotation, marks included, sits in the prompt: [start, end). */
  start: number;
  end: number;
}

/** Which mark closes which opener. Straight and typographic marks mix in real prompts, so each opener accepts a few closers. */
const CLOSERS: Record<string, string> = {
  '"': '"”',
  "“": '”"',
  "„": '“”"',
  "«": "»",
  "'": "'’",
  "‘": "’'",
};
/** Single quotes double as apostrophes, so they need word boundaries to count. */
const SINGLE = new Set(["'", "‘", "’"]);
const OPEN_AFTER = /[\s([{:=\-—–/]/;
/** Longer quotations are not lettering; bounding the search keeps a prompt of stray quotes linear. */
const MAX_QUOTED = 400;
/** More quotations than this could not all be lettered in one picture. */
const MAX_QUOTES = 8;
const CLOSE_BEFORE = /[\s.,;:!?)\]}"”—–\-]/;

export function quotedTexts(prompt: string): QuotedText[] {
  const found: QuotedText[] = [];
  let i = 0;
  while (i < prompt.length && found.length < MAX_QUOTES) {
    const opener = prompt[i];
    const closers = CLOSERS[opener];
    if (!closers || !opensHere(prompt, i)) {
      i++;
      continue;
    }
    const close = findCloser(prompt, i, closers);
    if (close < 0) {
      i++;
      continue;
    }
    const text = drawable(prompt.slice(i + 1, close));
    if (text) found.push({ text, role: "caption", start: i, end: close + 1 });
    i = close + 1;
  }
  for (const q of shoutedTexts(prompt)) if (found.length < MAX_QUOTES && !found.some((f) => f.start < q.end && q.start < f.end)) found.push(q);
  found.sort((a, b) => a.start - b.start);
  return found.map((q, n) => ({ ...q, role: roleOf(prompt, q, n === 0 ? 0 : found[n - 1].end) }));
}

/**
 * Lettering written in capitals without quotes after a word that says what is written: "graffiti spelling BE KIND",
 * "a neon sign that says OPEN 24 HOURS". The capitals run to the first word with a small letter.
 */
const SHOUTED = /\b(?:says?|saying|reads?|reading|spell(?:s|ed|ing)?|spelt|written|labell?ed|titled)\s*:?\s+((?:[\p{Lu}\p{N}][\p{Lu}\p{N}'’&!?.,:-]*(?:\s+|$))+)/gu;

function shoutedTexts(prompt: string): QuotedText[] {
  const out: QuotedText[] = [];
  for (const m of prompt.slice(0, 4000).matchAll(SHOUTED)) {
    const text = drawable(m[1]).replace(/[.,:]+$/, "");
    // (Capitals, not a name: at least one word of two capital letters or more.)
    if (!/\p{Lu}{2}/u.test(text)) continue;
    const start = m.index! + m[0].length - m[1].length;
    out.push({ text, role: "caption", start, end: start + m[1].trimEnd().length });
  }
  return out;
}

/** What of quoted text can be drawn: control characters and unpaired UTF-16 halves have no glyph. */
function drawable(text: string): string {
  return text.replace(/[\p{Cc}\p{Cs}\uFFFE\uFFFF]/gu, " ").replace(/\s+/g, " ").trim();
}

function opensHere(prompt: string, i: number): boolean {
  const next = prompt[i + 1];
  if (next === undefined || /\s/.test(next)) return false;
  if (!SINGLE.has(prompt[i])) return true;
  return i === 0 || OPEN_AFTER.test(prompt[i - 1]);
}

/**
 * The closing mark for the opener at `open`, or -1. Double quotes close at the
 * next matching mark. A single quote closes only before a space, punctuation
 * or the end; and one that looks like a plural possessive ("kids' room": an s,
 * the mark, a space, a lower-case word) is used only when nothing better follows.
 */
function findCloser(prompt: string, open: number, closers: string): number {
  const single = SINGLE.has(prompt[open]);
  let weak = -1;
  const end = Math.min(prompt.length, open + 2 + MAX_QUOTED);
  for (let j = open + 2; j < end; j++) {
    if (!closers.includes(prompt[j])) continue;
    if (!single) return j;
    if (/\s/.test(prompt[j - 1])) continue;
    const after = prompt[j + 1];
    if (after !== undefined && !CLOSE_BEFORE.test(after)) continue;
    LOWER_WORD_AT.lastIndex = j + 1;
    const possessive = /[sS]/.test(prompt[j - 1]) && LOWER_WORD_AT.test(prompt);
    if (!possessive) return j;
    if (weak < 0) weak = j;
  }
  return weak;
}

const LOWER_WORD_AT = /\s+[a-z]/y;

// Things that carry text, by the role they give it; nouns outrank verbs ("a sign that says 'X'" is a sign).
const ROLE_NOUNS: [RegExp, TextRole][] = [
  [/\b(signs?|signboards?|signposts?|billboards?|placards?|marquees?|plaques?|boards?|storefronts?|shopfronts?|neon)\b/g, "sign"],
  [/\b(labels?|tags?|name ?tags?|stickers?|jars?|bottles?|boxe?s?|badges?|cans?|packages?)\b/g, "label"],
  [/\b(titles?|headlines?|headings?|banners?|posters?|covers?|books?|magazines?|headers?)\b/g, "title"],
];
const ROLE_VERBS: [RegExp, TextRole][] = [
  [/\b(label(?:l)?ed|tagged|marked|named|called|stamped)\b/g, "label"],
  [/\b(titled|entitled)\b/g, "title"],
];

/** Role from the nearest role word before the quote (in its clause), else just after it, else a caption. */
function roleOf(prompt: string, q: QuotedText, from: number): TextRole {
  const clauseStart = Math.max(from, ...[".", "!", "?", ";", "\n"].map((m) => prompt.lastIndexOf(m, q.start - 1) + 1));
  const before = prompt.slice(clauseStart, q.start).toLowerCase().split(/\s+/).slice(-8).join(" ");
  const after = prompt.slice(q.end, q.end + 200).toLowerCase().split(/[.!?;\n"“”'‘’]/)[0].split(/\s+/).slice(0, 4).join(" ");
  return (
    nearest(before, ROLE_NOUNS, "last") ??
    nearest(after, ROLE_NOUNS, "first") ??
    nearest(before, ROLE_VERBS, "last") ??
    // "a cake with 'Happy Birthday' written on it", "a mug with 'Coffee' printed on the side": on the thing itself.
    (ON_THE_THING.test(after) ? "label" : "caption")
  );
}

const ON_THE_THING = /^\s*(written|printed|painted|stamped|engraved|embroidered|lettered|inscribed|spelled out)?\s*(on|across|onto)\b/;

function nearest(text: string, table: [RegExp, TextRole][], which: "first" | "last"): TextRole | null {
  let best: { at: number; role: TextRole } | null = null;
  for (const [pattern, role] of table) {
    for (const m of text.matchAll(pattern)) {
      const at = m.index ?? 0;
      if (!best || (which === "last" ? at > best.at : at < best.at)) best = { at, role };
    }
  }
  return best?.role ?? null;
}
