// Where and when the picture happens. Only places the scene code can draw
// are named (words.ts Place); the prompt's own words are kept alongside so a
// richer scene can use them later ("subway train", "underwater").

import { sharedWordNet } from "../art/wordnet.js";
import type { Setting, TimeOfDay } from "../prompt.js";
import { NIGHT_WORDS, PLACE_WORDS, SUNSET_WORDS, type Place } from "../words.js";

/** Kinds of named places, as WordNet names them, and the scene each is drawn as. */
const NAMED_PLACE_KINDS: [string, Place][] = [
  ["city", "city"], ["national capital", "city"], ["state capital", "city"], ["town", "city"], ["borough", "city"],
  ["body of water", "water"], ["desert", "desert"], ["mountain range", "meadow"],
];

/** The scene of a place named in the prompt that WordNet knows ("Oslo" a city, "the Thames" water), or null. */
export function placeOfName(name: string): Place | null {
  const kinds = sharedWordNet().kindsOfName(name);
  return NAMED_PLACE_KINDS.find(([kind]) => kinds.includes(kind))?.[1] ?? null;
}

/** Whether WordNet knows a name as a country, state or region ("Kenya", "Tuscany", "Patagonia"): a where, not a thing. */
export function isRegion(name: string): boolean {
  const kinds = sharedWordNet().kindsOfName(name);
  return kinds.includes("administrative district") || kinds.includes("geographical area");
}

/** Kinds of places a common noun may be, as WordNet names them, and the scene each is drawn as. */
const PLACE_KINDS: [string, Place][] = [
  ["body of water", "water"], ["grassland", "meadow"], ["forest", "meadow"], ["garden", "meadow"], ["street", "city"],
  ["desert", "desert"], ["room", "indoor"],
];

/** The scene a place noun no list names stands for, by its most frequent sense ("a creek", "a savanna"), or null. */
export function placeOfNoun(lemma: string): Place | null {
  const kinds = sharedWordNet().kin(lemma, { depth: 6 }).flatMap((s) => s.words);
  return PLACE_KINDS.find(([kind]) => kinds.includes(kind))?.[1] ?? null;
}

/** Adjectives and adverbs that set the place whatever noun they qualify ("a snowy owl", "underwater"). */
export function placeOfWord(word: string): Place | null {
  return PLACE_WORDS[word] ?? null;
}

export function timeOfWord(word: string): TimeOfDay | null {
  if (NIGHT_WORDS.has(word)) return "night";
  if (SUNSET_WORDS.has(word)) return "sunset";
  return null;
}

/**
 * Collects setting words as the reader meets them; the first place named
 * wins, except that a place only an adjective suggested ("a snowy owl") gives
 * way to one a noun names ("in a grassy field").
 */
export class SettingReader {
  private place: Place | null = null;
  private phrase: string | null = null;
  private timeOfDay: TimeOfDay | null = null;
  private weak = false;

  /** The place named so far, if any. */
  get current(): Place | null {
    return this.place;
  }

  setPlace(place: Place, phrase: string, weak = false): void {
    if (this.place !== null && !(this.weak && !weak)) return;
    this.place = place;
    this.phrase = phrase;
    this.weak = weak;
  }

  /** Night outranks sunset: "a starry evening" is night. */
  setTime(time: TimeOfDay): void {
    if (this.timeOfDay === "night") return;
    this.timeOfDay = time;
  }

  /** Reads a word as a setting if it is one; true when it was. `weak` for a describing word ("snowy"). */
  offer(word: string, phrase = word, weak = false): boolean {
    const time = timeOfWord(word);
    if (time) {
      this.setTime(time);
      return true;
    }
    const place = placeOfWord(word);
    if (place) {
      this.setPlace(place, phrase, weak);
      return true;
    }
    return false;
  }

  result(): Setting {
    const timeOfDay = this.timeOfDay ?? "day";
    return {
      place: this.place ?? "meadow",
      time: timeOfDay === "night" ? "night" : "day",
      timeOfDay,
      named: this.place !== null || this.timeOfDay !== null,
      phrase: this.phrase,
    };
  }
}
