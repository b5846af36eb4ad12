// Words of art names: noun lemmas ("cats" and "Cats" find the art called
// "cat": plurals are the inflection that matters for names of things) and
// where a name's head noun phrase ends ("man singing" is a man).

import { IRREGULAR_PLURALS, normaliseWords } from "../words.js";
import { sharedWordNet } from "./wordnet.js";

/** Words ending in -s that are already singular. */
const SINGULAR_S = /(ss|us|is|ics|ous|as|ys)$/;

/** Plural-only nouns: "glasses" are spectacles, not two drinking glasses. */
const PLURAL_ONLY = new Set(["glasses", "sunglasses", "scissors", "pants", "trousers", "jeans", "shorts", "binoculars", "tongs", "pliers", "goggles", "tweezers", "pyjamas", "pajamas", "headphones", "earphones", "clothes"]);

/** A noun with no singular: "a pair of glasses" is one thing. */
export const isPluralOnly = (word: string): boolean => PLURAL_ONLY.has(word);

/** The singular of one lowercase word, or the word itself when it does not look plural. */
export function lemma(word: string): string {
  const irregular = IRREGULAR_PLURALS[word];
  if (irregular) return irregular;
  if (PLURAL_ONLY.has(word)) return word;
  if (word.length <= 3 || !word.endsWith("s") || SINGULAR_S.test(word)) return word;
  if (word.endsWith("ies") && word.length > 4) return word.slice(0, -3) + "y"; // puppies
  if (/(ch|sh|x|z|ss)es$/.test(word)) return word.slice(0, -2); // boxes, dishes, glasses
  if (/[^aeiou]oes$/.test(word)) return word.slice(0, -2); // tomatoes
  return word.slice(0, -1); // cats, houses, trees
}

/** A phrase with its last word (the head noun in English) made singular: "red flowers" → "red flower". */
export function lemmaOfPhrase(words: string[]): string[] {
  if (words.length === 0) return words;
  return [...words.slice(0, -1), lemma(words[words.length - 1])];
}

/** Words that join a head noun to its complement: the head of "cup of coffee" is "cup". */
const JOINERS = new Set(["of", "with", "and", "in", "on", "for", "at", "from", "under", "over", "by", "drawn", "made"]);
/** Nouns that look like participles ("man singing" is a man, but "old building" is a building). */
const ING_ED_NOUNS = new Set([
  "building", "ceiling", "painting", "pudding", "earring", "string", "clothing", "wedding", "icing", "frosting",
  "stuffing", "dumpling", "sapling", "duckling", "seedling", "gosling", "spring", "evening", "morning", "awning",
  "lightning", "stocking", "filling", "railing", "bedding", "topping", "herring", "darling", "seaweed",
  "tumbleweed", "bobsled", "watershed", "homestead", "ring", "king", "wing", "swing", "sling", "thing",
]);

/** Where the head noun phrase ends: at a joiner or a participle after the first word. */
export function headEnd(words: string[]): number {
  const i = words.findIndex(
    (w, i) => i > 0 && (JOINERS.has(w) || (/(ing|ed)$/.test(w) && w.length > 4 && !ING_ED_NOUNS.has(w) && !startsCompound(words, i))),
  );
  return i > 0 ? i : words.length;
}

/** "rectangle swimming pool", "oak rocking chair": a word in -ing that begins a compound noun WordNet knows is no participle. */
function startsCompound(words: string[], i: number): boolean {
  return i + 1 < words.length && sharedWordNet().senses(`${words[i]} ${words[i + 1]}`).length > 0;
}

/** Whether an art's name shares a word's stem: a tag match names the thing when it does ("bench" → "park bench" by tag). */
export function sharesStem(word: string, annotation: string): boolean {
  if (word.length < 4) return false;
  const stem = word.slice(0, 4);
  return normaliseWords(annotation).some((w) => w.length >= 4 && w.startsWith(stem));
}
