// Prompt understanding, version 1: words, not grammar. Reads a prompt into a
// plan — which things to draw, how many, in what colour, and where — that the
// layout and renderer follow and that `easel explain` prints.

import { getArtIndex, type ArtMatch, type ArtRef } from "./art-index.js";
import { isColourWord, isShadeWord, namedColour, type NamedColour } from "./colour.js";
import {
  IRREGULAR_PLURALS,
  NIGHT_WORDS,
  NUMBER_WORDS,
  PLACE_WORDS,
  STOP_WORDS,
  normaliseWords,
  type Place,
} from "./words.js";

export interface ThingPlan {
  /** What the prompt called it, singular ("balloon"). */
  name: string;
  count: number;
  colour: NamedColour | null;
  art: ArtRef;
}

export interface Setting {
  place: Place;
  time: "day" | "night";
  /** Whether the prompt named a place or time; otherwise this is the default meadow by day. */
  named: boolean;
}

export interface PicturePlan {
  /** In prompt order; the first is the subject. */
  things: ThingPlan[];
  setting: Setting;
  /** Content words that matched nothing, so callers can say what was left out. */
  unmatched: string[];
}

const MAX_COUNT = 12;
/** Plurals without a number ("balloons") get a handful. */
const PLURAL_COUNT = 3;
/** Below this a match came from a tag, not the art's name; such matches need a noun-looking word. */
const NAME_MATCH_SCORE = 50;
/** Whole-name matches score 95 and up (smileys and extras are marked down a little). */
const EXACT_MATCH_SCORE = 95;

/** Candidate singulars for a word: cats→cat, foxes→fox, puppies→puppy, leaves→leaf. */
export function singulars(word: string): string[] {
  const out: string[] = [];
  if (IRREGULAR_PLURALS[word]) out.push(IRREGULAR_PLURALS[word]);
  if (word.length > 4 && word.endsWith("ies")) out.push(word.slice(0, -3) + "y");
  if (word.length > 4 && word.endsWith("ves")) out.push(word.slice(0, -3) + "f", word.slice(0, -3) + "fe");
  if (word.length > 3 && word.endsWith("es")) out.push(word.slice(0, -2));
  if (word.length > 2 && word.endsWith("s") && !/(ss|us|is)$/.test(word)) out.push(word.slice(0, -1));
  return out;
}

interface WordMatch extends ArtMatch {
  name: string;
  plural: boolean;
}

/** Looks a word group up as written and with its last word made singular; the best score wins. */
function lookupWords(words: string[], lookup: (key: string) => ArtMatch | null): WordMatch | null {
  const last = words[words.length - 1];
  const head = words.slice(0, -1);
  let best: WordMatch | null = null;
  for (const [form, plural] of [[last, false] as const, ...singulars(last).map((s) => [s, true] as const)]) {
    const name = [...head, form].join(" ");
    const hit = lookup(name);
    if (hit && (!best || hit.score > best.score)) best = { ...hit, name, plural };
  }
  return best;
}

function looksLikeNoun(word: string): boolean {
  return word.length >= 3 && !/(ing|ed|ly|ful|ous)$/.test(word);
}

/**
 * A name match is trusted; a tag match only for noun-looking words; and an
 * -ing word only when it is an art's whole name ("ring", "building"), so
 * "riding" does not draw "horse riding".
 */
function acceptable(word: string, m: WordMatch): boolean {
  if (/ing$/.test(word) && m.name === word) return m.score >= EXACT_MATCH_SCORE;
  return m.score >= NAME_MATCH_SCORE || looksLikeNoun(word);
}

export function planPicture(prompt: string, options: { artDirs?: string[] } = {}): PicturePlan {
  const index = getArtIndex(options.artDirs);
  const things: ThingPlan[] = [];
  const unmatched = new Set<string>();
  let place: Place | null = null;
  let time: Setting["time"] = "day";

  // Punctuation ends a phrase: "red, a cat" must not make the cat red.
  for (const clause of prompt.split(/[.,;:!?\n]+/)) {
    const words = normaliseWords(clause);
    let count: number | null = null;
    let colour: NamedColour | null = null;
    let colourWord: string | null = null;

    const addThing = (m: WordMatch, start: number) => {
      const n = count === -1 ? (m.plural ? PLURAL_COUNT : 1) : (count ?? (m.plural ? PLURAL_COUNT : 1));
      // "a cup of coffee": two words for one picture, joined by "of", are one thing.
      const last = things[things.length - 1];
      if (last && last.art.file === m.art.file && count === null && words[start - 1] === "of") {
        colour = null;
        colourWord = null;
        return;
      }
      things.push({ name: m.name, count: Math.max(1, Math.min(MAX_COUNT, n)), colour, art: m.art });
      count = null;
      colour = null;
      colourWord = null;
    };

    for (let i = 0; i < words.length; i++) {
      const w = words[i];

      // Multi-word art names first, so "ice cream", "black cat" and "red apple" stay whole.
      let phrase: { m: WordMatch; len: number } | null = null;
      for (const len of [3, 2]) {
        if (i + len > words.length || PLACE_WORDS[w] || STOP_WORDS.has(w)) continue;
        const m = lookupWords(words.slice(i, i + len), index.lookup);
        if (m && m.score >= NAME_MATCH_SCORE) {
          phrase = { m, len };
          break;
        }
      }
      if (phrase) {
        addThing(phrase.m, i);
        i += phrase.len - 1;
        continue;
      }

      if (/^\d+$/.test(w)) {
        count = Number(w);
        continue;
      }
      if (w in NUMBER_WORDS) {
        count = w === "some" ? -1 : NUMBER_WORDS[w];
        continue;
      }
      if (isShadeWord(w) && i + 1 < words.length && isColourWord(words[i + 1])) {
        colour = namedColour(words[i + 1], w);
        colourWord = words[i + 1];
        i++;
        continue;
      }
      if (isColourWord(w)) {
        colour = namedColour(w);
        colourWord = w;
        continue;
      }
      if (NIGHT_WORDS.has(w) || (w === "stars" && count === null && colour === null)) {
        time = "night";
        continue;
      }
      // "on the moon" is a place; "a wolf and the moon" draws the moon.
      if (w === "moon" && (words[i - 1] === "on" || (words[i - 1] === "the" && words[i - 2] === "on"))) {
        place ??= "moon";
        continue;
      }
      if (PLACE_WORDS[w]) {
        place ??= PLACE_WORDS[w];
        continue;
      }
      if (STOP_WORDS.has(w)) continue;

      const m = lookupWords([w], index.lookup);
      if (m && acceptable(w, m)) {
        addThing(m, i);
        continue;
      }
      unmatched.add(w);
    }

    // A colour with nothing after it may be the thing itself: "an orange".
    const leftover: string | null = colourWord;
    if (leftover !== null) {
      const m = lookupWords([leftover], index.lookup);
      colour = null;
      if (m && m.score >= NAME_MATCH_SCORE) addThing(m, words.length);
    }
  }

  return { things, setting: { place: place ?? "meadow", time, named: place !== null || time !== "day" }, unmatched: [...unmatched] };
}

/** Total drawn copies across all things. */
export function thingCount(plan: PicturePlan): number {
  return plan.things.reduce((sum, t) => sum + t.count, 0);
}
