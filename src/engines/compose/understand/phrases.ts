// Noun phrases in tagged words: which words belong together, which word is
// the head, what counts come before it, and how a group of words is looked
// up in the art index. The reader in things.ts builds on these.

import type { ArtMatch } from "../art-index.js";
import { isPluralOnly, sharesStem } from "../art/lemma.js";
import { namesExactly, namesThing, SCORE } from "../art/table.js";
import { sharedWordNet } from "../art/wordnet.js";
import { singulars } from "../prompt.js";
import { isAnimalWord, isPersonWord, isWearer, normaliseWords, MEDIUM_NOUNS, NON_THING_NOUNS, NUMBER_WORDS, SCENE_NOUNS, STOP_WORDS, WEARABLES } from "../words.js";
import { sizeOf } from "./attributes.js";
import { GROUP_HEADS, POSSESSIVES, SHAPED } from "./lexicon.js";
import { isColourWord } from "../colour.js";
import { partOfSpeechAfter } from "../tagger.js";
import type { Clause, Token } from "./parse.js";

export type Lookup = (key: string) => ArtMatch | null;

/** Below this a match came from a tag, not the art's name. */
export const NAME_MATCH_SCORE = 50;

/** Whole-name matches score 95 and up (smileys and extras are marked down a little). */
export const EXACT_MATCH_SCORE = 95;

/** The score of art borrowed from what WordNet says a thing is a kind of (art/kin.ts). */
export const KIN_SCORE = SCORE.KIN;

/** "some balloons": a handful when plural, one when not. */
export const SOME = -1;

/** Count words that need "of" after them: "a pair of foxes", not "a pair". */
const COLLECTIVE = new Set([
  "pair", "couple", "bunch", "group", "herd", "flock", "pack", "crowd", "swarm", "school", "family", "lot", "lots", "plenty", "dozens", "hundreds",
  "thousands", "pile", "stack", "heap", "colony", "troop", "team", "roll", "pride", "gaggle", "pod", "litter", "murder", "parliament",
]);
export const NOUN_TAGS = new Set(["NOUN", "PROPN", "X"]);
export const PHRASE_TAGS = new Set(["NOUN", "PROPN", "X", "ADJ"]);

/** Tags before a word that put it where a noun goes ("among leaves", "the ice"). */
const BEFORE_NOUN = new Set(["DET", "ADP", "NUM", "ADJ"]);

/** Tags that start a verb's object: "holding a …", "using it". */
export const OBJECT_STARTS = new Set(["DET", "PRON", "NUM"]);

export const ARTICLES = new Set(["a", "an", "the"]);

/** Look words that are also objects, when "a" or "an" comes right before them. */
const OBJECT_TOO = new Set(["palette", "frame", "light", "scale"]);

/** An -ing or -ed form of a verb WordNet knows: "building", "parked", but not "ring", "king", "string" or "sled". */
export const isParticiple = (word: string) => /(ing|ed)$/.test(word) && sharedWordNet().isVerbForm(word);

/** Whether a word in -s reads as a verb after "it" ("rises", "shines"). */
export function isThirdPersonVerb(word: string): boolean {
  return word.endsWith("s") && partOfSpeechAfter("it", word) === "VERB";
}

/** Whether a word in -ing is a verb's ("posing", "sobbing", "coming"): its stem reads as a verb after "to". */
export function isGerund(word: string): boolean {
  const stem = word.slice(0, -3);
  if (!word.endsWith("ing") || stem.length < 2) return false;
  const stems = [stem, `${stem}e`, /(.)\1$/.test(stem) ? stem.slice(0, -1) : null].filter((s): s is string => s !== null);
  return stems.some((s) => partOfSpeechAfter("to", s) === "VERB");
}

export interface SpanMatch extends ArtMatch {
  name: string;
  plural: boolean;
}

/** Looks a word group up with its last word as written, as its lemma and as a singular; the best score wins. */
export function lookupSpan(span: Token[], lookup: Lookup): SpanMatch | null {
  const last = span[span.length - 1];
  const head = span.slice(0, -1).map((t) => t.word);
  const forms = [...new Set([last.word, last.lemma, ...singulars(last.word)])];
  let best: SpanMatch | null = null;
  for (const form of forms) {
    // (As names are indexed, without the possessive: "st paul 's cathedral" is the art named "st paul's cathedral"; but
    // only such a name, for "a cat's tail" is no cattail.)
    const name = [...head, form].join(" ").replace(/ 's\b/g, "");
    const found = lookup(name);
    const hit = found && head.includes("'s") && !found.art.annotation.includes("'s") ? null : found;
    if (hit && (!best || hit.score > best.score)) best = { ...hit, name, plural: form !== last.word };
  }
  return best;
}

/**
 * A multi-word name must match by name; one noun may match by tag only when
 * the tag shares its stem with the art's name, an -ing noun only by its whole
 * name ("ring", "building", not "horse riding"), and a word tagged otherwise
 * only by an exact name.
 */
export function acceptable(span: Token[], m: SpanMatch): boolean {
  if (span.length > 1) return m.score >= NAME_MATCH_SCORE;
  const [t] = span;
  // A tag alone is too loose to draw by: "post" tags an envelope, "bench" a flexed biceps, "knight" a dragon.
  // Without a name match the thing is an honest placeholder instead.
  if (m.score < NAME_MATCH_SCORE && !sharesStem(t.lemma, m.art.annotation)) return false;
  if (!NOUN_TAGS.has(t.pos)) return m.score >= EXACT_MATCH_SCORE;
  if (/ing$/.test(t.word) && m.name === t.word) return m.score >= EXACT_MATCH_SCORE;
  return true;
}

/** Shapes that describe a thing after its noun as well as before it. */
const SHAPE_ADJECTIVES = new Set(["square", "round", "oval", "triangular", "circular"]);

const BE = new Set(["is", "are", "was", "were", "be", "been", "being", "looks", "look", "seems", "turns", "becomes"]);

/**
 * The tagger's guesses, corrected where prompts differ from the prose it
 * learnt from: a verb where a noun goes is a noun ("with presents", "a pocket
 * watch", "ice cream"); an -ing word right after a noun is a verb ("horses
 * grazing"), unless it names the medium ("a book drawing").
 */
export function retag(tokens: Clause, lookup: Lookup): Clause {
  return tokens.map((t, k) => {
    const prev = tokens[k - 1];
    const next = tokens[k + 1];
    // "a full moon", "running shoes": a word otherwise skipped as filler starts an art's exact name.
    // (The next word may be tagged a modal: "a paint can".)
    // ("a sleeping bag", "a walking stick" where a phrase starts, whatever the tagger made of "stick"; never an
    // article, though "a corn" is spelt like an acorn.)
    if (STOP_WORDS.has(t.word) && next !== undefined && t.pos !== "DET" && !sizeOf(t.word)) {
      // (Or after a describing word: "a red walking stick".)
      const phraseStart = prev === undefined || prev.pos === "DET" || prev.pos === "ADP" || prev.pos === "ADJ";
      const m = NOUN_TAGS.has(next.pos) || next.pos === "AUX" || (phraseStart && next.pos === "VERB") ? lookupSpan([t, next], lookup) : null;
      if ((m?.score ?? 0) >= EXACT_MATCH_SCORE || (phraseStart && namesExactly(m))) return { ...t, pos: "NOUN", startsName: true };
    }
    // The first word of an art name is part of it whatever its tag: "magnifying glass", "ice cream";
    // a one-colour set's name only where a phrase starts ("a rocking chair", not "a toaster shaking hands").
    if (!NOUN_TAGS.has(t.pos) && next !== undefined && NOUN_TAGS.has(next.pos) && t.pos !== "DET" && t.pos !== "NUM") {
      const m = lookup(`${t.word} ${next.word}`);
      // (Or after a describing word: "a wooden rocking horse".)
      const phraseStart = prev === undefined || prev.pos === "DET" || prev.pos === "ADP" || (prev.pos === "ADJ" && /ing$/.test(t.word));
      if ((m?.score ?? 0) >= EXACT_MATCH_SCORE || (phraseStart && namesExactly(m))) return { ...t, pos: "NOUN" };
    }
    // "fish and chips", "a bow and arrow": an "and" inside an art's exact name joins it, not two things.
    if (t.pos === "CCONJ" && prev !== undefined && next !== undefined && andInName(tokens, k, lookup)) return { ...t, pos: "NOUN", endsName: true };
    // "a meadow dotted with sheep", "a table covered with books": a participle after a noun, before "with" or
    // "by", says what is done to it (the tagger may take it for a noun).
    if (t.pos === "NOUN" && prev !== undefined && NOUN_TAGS.has(prev.pos) && (next?.word === "with" || next?.word === "by") &&
      /(?:ed|en)$/.test(t.word) && sharedWordNet().isVerbForm(t.word)) return { ...t, pos: "VERB" };
    // "carrying a ladder past a fire truck": before an article "past" is a preposition (the tagger takes it for an adjective).
    // ("driving past Big Ben" too: after a verb or a noun, before a name.)
    if (t.word === "past" && next !== undefined && (next.pos === "DET" || ((NOUN_TAGS.has(next.pos) || next.pos === "ADJ") && prev !== undefined && (prev.pos === "VERB" || NOUN_TAGS.has(prev.pos))))) {
      return { ...t, pos: "ADP" };
    }
    // "seagulls circle overhead", "the mother films them": what the thing before does, which the tagger made a compound's noun.
    if (NOUN_TAGS.has(t.pos) && doneByTheNounBefore(tokens, k, lookup)) return { ...t, pos: "VERB" };
    // "round windows": a shape before a noun describes it, though the tagger made the two a compound ("a round table" has art
    // of that name, which the lookup finds with the adjective too).
    if (t.pos === "NOUN" && SHAPE_ADJECTIVES.has(t.word) && next !== undefined && NOUN_TAGS.has(next.pos) && !namesExactly(lookupSpan([t, next], lookup))) {
      return { ...t, pos: "ADJ" };
    }
    // "a broken mirror", "a frozen lake": a participle WordNet has only as an adjective describes the noun after it.
    if (describingParticiple(tokens, k)) return { ...t, pos: "ADJ" };
    // "its lid open", "a book open on his lap": a state after a noun says how it is (the tagger may take it for a noun).
    if (t.pos === "NOUN" && STATES.has(t.word) && prev !== undefined && NOUN_TAGS.has(prev.pos) && !(next && NOUN_TAGS.has(next.pos))) return { ...t, pos: "ADJ" };
    // Right after an article a modal is a noun: "a CD player" ("cd" is the tagger's "could").
    if (t.pos === "AUX" && prev?.pos === "DET" && ARTICLES.has(prev.word)) return { ...t, pos: "NOUN" };
    // "a statue cast in bronze": a shaping verb between a thing and its material is no noun.
    if (SHAPED.has(t.word) && prev !== undefined && NOUN_TAGS.has(prev.pos) && ["in", "from", "of"].includes(next?.word ?? "")) return { ...t, pos: "VERB" };
    if (t.pos === "VERB" && !isParticiple(t.word) && !STOP_WORDS.has(t.word)) {
      // After an article, possessive or preposition any object-less verb is a noun ("checks its watch"); after a noun only a
      // base form with nothing after it.
      // (Or an adverb after an article: "a brightly coloured fox", where the tagger makes "fox" the verb.)
      const beforeNoun = prev !== undefined && (BEFORE_NOUN.has(prev.pos) || POSSESSIVES.has(prev.word) || (prev.pos === "ADV" && tokens[k - 2]?.pos === "DET") ||
        describingParticiple(tokens, k - 1));
      const afterArticle = beforeNoun && (!next || !OBJECT_STARTS.has(next.pos));
      // ("The horse raced past the barn fell": "fell" is no base form, so no noun.)
      // (Not before an adverb after a plural: "seagulls fly overhead".)
      const afterNoun = prev !== undefined && NOUN_TAGS.has(prev.pos) && !/s$/.test(t.word) && t.lemma === t.word && (!next || !["DET", "PRON", "ADP", "NUM"].includes(next.pos)) &&
        !(next?.pos === "ADV" && /s$/.test(prev.word)) && !(LOOKING.has(t.lemma) && (isPersonWord(prev.lemma) || isAnimalWord(prev.lemma)));
      // "a brass trumpet on a cushion": a thing art names, after a described noun and before a preposition.
      const described = prev !== undefined && NOUN_TAGS.has(prev.pos) && ["DET", "ADJ"].includes(tokens[k - 2]?.pos ?? "") && next?.pos === "ADP" && next.word !== "of" &&
        !/s$/.test(t.word) && t.lemma === t.word && namesExactly(lookupSpan([t], lookup));
      // "where clocks and watches appear": a plural with art before "and" and a noun is one of a list.
      const listed = /s$/.test(t.word) && next?.pos === "CCONJ" && NOUN_TAGS.has(tokens[k + 2]?.pos ?? "") && namesExactly(lookupSpan([t], lookup));
      // "among autumn leaves": a plural with art that ends a preposition's noun phrase is no verb.
      // (Or a verb's object: "a koala eating eucalyptus leaves".)
      const ending = /s$/.test(t.word) && next === undefined && NOUN_TAGS.has(prev?.pos ?? "") && (tokens[k - 2]?.pos === "ADP" || isParticiple(tokens[k - 2]?.word ?? "")) && namesExactly(lookupSpan([t], lookup));
      // "otters carrying logs", "otters carry logs across the river": a plural with art right after a verb is its object
      // (the tagger may take a base-form verb for a noun).
      const verbBefore = prev !== undefined && (prev.pos === "VERB" || (NOUN_TAGS.has(prev.pos) && sharedWordNet().isVerb(prev.lemma) &&
        (prev.word === prev.lemma || NOUN_TAGS.has(tokens[k - 2]?.pos ?? ""))));
      const object = /s$/.test(t.word) && verbBefore && (!next || !PHRASE_TAGS.has(next.pos)) && namesExactly(lookupSpan([t], lookup));
      if (afterArticle || afterNoun || described || listed || ending || object) return { ...t, pos: "NOUN" };
    }
    // The second word of an art name is a noun whatever its tag: "traffic light", "watering can"; a one-colour set's name
    // only where that word names a thing ("a book cover" is a picture) and is no participle ("motorcycle parked" is a pictogram).
    if (prev && !NOUN_TAGS.has(t.pos) && PHRASE_TAGS.has(prev.pos)) {
      const m = lookup(`${prev.word} ${t.word}`);
      // (A "tank top" is a garment, which WordNet knows, though "top" alone is a position.)
      const thing = !NON_THING_NOUNS.has(t.word) || sharedWordNet().senses(`${prev.lemma} ${t.word}`).length > 0;
      const iconName = thing && !isParticiple(t.word) && namesExactly(m);
      // (A synonym's name too where the tagger took the word for a modal: "a trash can".)
      if (t.pos === "AUX" && m !== null && namesThing(m)) return { ...t, pos: "NOUN", endsName: true };
      // ("a swing set": a filler word that ends an exact name is part of it.)
      if ((m?.score ?? 0) >= EXACT_MATCH_SCORE && STOP_WORDS.has(t.word) && (t.pos === "VERB" || t.pos === "NOUN")) return { ...t, pos: "NOUN", endsName: true };
      if ((m?.score ?? 0) >= EXACT_MATCH_SCORE || iconName) return { ...t, pos: "NOUN" };
    }
    // "a green alien wearing…", "playing piano": an art's exact name that no noun follows is the thing, whatever its tag.
    // ("a large present with a ribbon": the tagger reads "large" there as an adverb.)
    const describedAfterArticle = prev?.pos === "ADV" && tokens[k - 2]?.pos === "DET";
    const objectSlot = prev !== undefined && (prev.pos === "DET" || prev.pos === "ADJ" || describedAfterArticle || (prev.pos === "VERB" && !BE.has(prev.word)));
    const nothingAfter = !next || !PHRASE_TAGS.has(next.pos) || /ing$/.test(next.word);
    if ((t.pos === "ADJ" || t.pos === "ADV") && objectSlot && nothingAfter && !isColourWord(t.word) && (lookup(t.word)?.score ?? 0) >= EXACT_MATCH_SCORE) {
      return { ...t, pos: "NOUN" };
    }
    // "a butterfly net", "a mosquito net": a noun with art of its own after a noun, ending the phrase, is its head (the
    // tagger takes "net" for the adjective); "a koala asleep" says how the koala is.
    // (Not a position or a shape: "a mountain top", "a town square".)
    if (t.pos === "ADJ" && prev !== undefined && NOUN_TAGS.has(prev.pos) && nothingAfter && !isColourWord(t.word) && !NON_THING_NOUNS.has(t.word) && !STATES.has(t.word) &&
      !SHAPE_ADJECTIVES.has(t.word) && sharedWordNet().senses(t.word).length > 0 && (lookup(t.word)?.score ?? 0) >= NAME_MATCH_SCORE) {
      return { ...t, pos: "NOUN" };
    }
    // "a robot watering plants", "an alien waving from a ufo" (the tagger calls "alien" an adjective there).
    const nextIsNoun = next !== undefined && PHRASE_TAGS.has(next.pos);
    // After an adjective, an -ing word that art names is that thing: "a tall building" (not "a tall [one] building").
    // ("a pocket watch melting": after a word the tagger took for a verb that ends an art's name.)
    const beforePrev = tokens[k - 2];
    const endsNameBefore = prev !== undefined && beforePrev !== undefined && NOUN_TAGS.has(beforePrev.pos) && !NOUN_TAGS.has(prev.pos) &&
      namesExactly(lookup(`${beforePrev.word} ${prev.word}`));
    const afterThing = prev !== undefined && (NOUN_TAGS.has(prev.pos) || endsNameBefore || (prev.pos === "ADJ" && !nextIsNoun && !namesExactly(lookup(t.word))));
    // A word that ends a colour set's exact name after a noun is part of it: "an apartment building" is one thing,
    // "a fanny pack" no group of fannies (but "horses grazing" are horses, "a man standing" a man, and "a scarf ice
    // skating" no pictogram of the pastime).
    // (Looked up only for the words it can change.)
    // (After up to three nouns: "the empire state building".)
    const endsArtName = () => {
      if (prev === undefined || !NOUN_TAGS.has(prev.pos) || isWearer(prev.lemma)) return false;
      for (let from = k - 1; from >= Math.max(0, k - 3) && NOUN_TAGS.has(tokens[from].pos); from--) {
        if ((lookup(tokens.slice(from, k + 1).map((w) => w.word).join(" "))?.score ?? 0) >= EXACT_MATCH_SCORE) return true;
      }
      return false;
    };
    // ("a blue watering can": an -ing word that starts an art's exact name with the next word stays in it.)
    const startsArtName = () => next !== undefined && (lookup(`${t.word} ${next.word}`)?.score ?? 0) >= EXACT_MATCH_SCORE;
    if (t.pos === "NOUN" && /ing$/.test(t.word) && isParticiple(t.word) && afterThing && !MEDIUM_NOUNS.has(t.word) && !endsArtName() && !startsArtName()) {
      return { ...t, pos: "VERB" };
    }
    if (t.pos === "NOUN" && STOP_WORDS.has(t.word) && endsArtName()) return { ...t, endsName: true };
    return t;
  });
}

/**
 * Whether the noun-tagged word at k is what the thing before it does: a verb of looking after a person or animal
 * ("two children watch wide-eyed", "a dog watches TV"), an -s verb after a person before its object ("the mother
 * films them"), a landform rising ("karst mountains rise behind him"), an animal or boat moving somewhere ("seagulls
 * circle overhead", "a flock of swallows circles overhead", "a tall ship sail along the Thames"). Never where the two
 * words name art together ("a pocket watch").
 */
function doneByTheNounBefore(tokens: Clause, k: number, lookup: Lookup): boolean {
  const t = tokens[k];
  const prev = tokens[k - 1];
  const next = tokens[k + 1];
  if (prev === undefined || namesExactly(lookupSpan([prev, t], lookup))) return false;
  // (The tagger may take the animals of "a flock of swallows" for a verb too.)
  const ofGroup = tokens[k - 2]?.word === "of" && GROUP_HEADS.has(tokens[k - 3]?.word ?? "");
  if (!NOUN_TAGS.has(prev.pos) && !ofGroup) return false;
  const doer = isPersonWord(prev.lemma) || isAnimalWord(prev.lemma);
  if (LOOKING.has(t.lemma) && doer) return true;
  const person = isPersonWord(prev.lemma) || sharedWordNet().isKindOf(prev.lemma, ["person"]);
  if (/s$/.test(t.word) && !/s$/.test(prev.word) && person && (next?.pos === "PRON" || next?.pos === "DET") && isThirdPersonVerb(t.word)) return true;
  const where = next?.pos === "ADP" && next.word !== "of";
  if (RISING.has(t.lemma) && (where || next?.pos === "ADV")) return true;
  const moving = next?.pos === "ADV" || (where && GOINGS.has(t.lemma));
  const verb = sharedWordNet().isVerb(t.lemma) || sharedWordNet().isVerbForm(t.word);
  return moving && verb && (isAnimalWord(prev.lemma) || ofGroup || (SAILING.has(t.lemma) && where));
}

/** Verbs of looking that are nouns too ("a watch"). */
const LOOKING = new Set(["watch", "stare", "look", "gaze", "peek", "wait"]);

/** How animals move about, said before where ("gulls circle above the harbour"). */
const GOINGS = new Set(["circle", "fly", "swim", "soar", "glide", "hover", "dive", "float", "perch", "roost", "graze", "wander", "swoop", "sail", "cruise", "drift"]);
/** What landforms do, said before where ("peaks rise behind the lake"). */
const RISING = new Set(["rise", "loom"]);

/** What boats do, said before where ("ships sail along the coast"). */
const SAILING = new Set(["sail", "cruise", "drift"]);

/** Whether token k is a participle after an article that WordNet has only as an adjective ("a broken mirror"). */
function describingParticiple(tokens: Clause, k: number): boolean {
  const t = tokens[k];
  const next = tokens[k + 1];
  return t !== undefined && (t.pos === "NOUN" || t.pos === "VERB") && tokens[k - 1]?.pos === "DET" && next !== undefined &&
    (NOUN_TAGS.has(next.pos) || next.pos === "VERB") && /(?:en|ed|n)$/.test(t.word) && sharedWordNet().senses(t.word).length === 0 &&
    sharedWordNet().isAdjective(t.word);
}

/** States a thing is in, said after it. */
const STATES = new Set(["open", "closed", "shut", "ajar", "lit", "unlit", "upright", "askew", "agape"]);

/** Whether the "and" at k joins up to two words either side into an art's exact name ("bucket and spade"). */
function andInName(tokens: Clause, k: number, lookup: Lookup): boolean {
  for (let before = 1; before <= 2 && k - before >= 0 && tokens[k - before].pos !== "DET"; before++) {
    for (let after = 1; after <= 2 && k + after < tokens.length && tokens[k + after].pos !== "DET"; after++) {
      if (namesExactly(lookup(tokens.slice(k - before, k + after + 1).map((t) => t.word).join(" ")))) return true;
    }
  }
  return false;
}

/** Age words that are part of a thing's name: "an old man" is OpenMoji's old man. */
const AGE_NAMES = /^(?:man|woman|person|lady|men|women|people)$/;

/** Whether token k continues (or starts) a noun phrase. */
export function inPhrase(tokens: Clause, k: number): boolean {
  const t = tokens[k];
  const prev = tokens[k - 1];
  if ((t.word === "old" || t.word === "elderly") && AGE_NAMES.test(tokens[k + 1]?.word ?? "")) return true;
  // "a children's book drawing": the medium noun ends the phrase even when tagged as a verb.
  if (MEDIUM_NOUNS.has(t.word) && prev && PHRASE_TAGS.has(prev.pos)) return true;
  if (t.startsName || t.endsName) return true;
  if (PHRASE_TAGS.has(t.pos)) return !STOP_WORDS.has(t.word) || NON_THING_NOUNS.has(t.word) || SCENE_NOUNS.has(t.word) || sizeOf(t.word) !== null;
  if (t.word === "'s") return k > 0 && k + 1 < tokens.length && PHRASE_TAGS.has(tokens[k + 1].pos);
  // "light blue": an adverb before an adjective or noun.
  // (Not after the noun: "an eggplant fast asleep" is an eggplant.)
  if (t.pos === "ADV" && !STOP_WORDS.has(t.word)) return tokens[k + 1] !== undefined && PHRASE_TAGS.has(tokens[k + 1].pos) && !(prev && NOUN_TAGS.has(prev.pos));
  return false;
}

/** An adjective after a noun, with no noun after it, says something of it: "a dolphin underwater", "a koala asleep". */
export function endsPhrase(tokens: Clause, k: number): boolean {
  const next = tokens[k + 1];
  return tokens[k].pos === "ADJ" && NOUN_TAGS.has(tokens[k - 1].pos) && !(next && PHRASE_TAGS.has(next.pos));
}

/** A count word at k: "three", "3", "a dozen", "a pair of", "some". Returns the count and how many tokens it used. */
export function countAt(tokens: Clause, k: number): { count: number; used: number } | null {
  const t = tokens[k];
  // "the number 7 written on it": a numeral that names a number, not a count of what follows.
  if (tokens[k - 1]?.word === "number") return null;
  const ofFollows = tokens[k + 1]?.word === "of";
  // "a 1977 Corvette": a year, not a dozen cars.
  if (/^\d+$/.test(t.word)) return /^(1[5-9]|20)\d\d$/.test(t.word) ? { count: 1, used: 1 } : { count: Number(t.word), used: 1 };
  if (!(t.word in NUMBER_WORDS)) return null;
  // "a family of four" with no noun after the number is the family itself ("a stack of three red cubes" is cubes).
  let after = k + 3;
  while (tokens[after]?.pos === "ADJ") after++;
  const ofNumberAlone = ofFollows && tokens[k + 2] !== undefined && (tokens[k + 2].word in NUMBER_WORDS || /^\d+$/.test(tokens[k + 2].word)) && (!NOUN_TAGS.has(tokens[after]?.pos ?? "") || tokens[after].word.endsWith("ing"));
  // "a pair of headphones" is one thing, as "a pair of glasses" is; "a pair of foxes" are two.
  const pairOfOne = t.word === "pair" && isPluralOnly(tokens.slice(k + 2).find((n) => NOUN_TAGS.has(n.pos))?.word ?? "");
  if (COLLECTIVE.has(t.word)) return ofFollows && !ofNumberAlone ? { count: pairOfOne ? 1 : NUMBER_WORDS[t.word], used: 2 } : null;
  if (t.word === "some") return { count: SOME, used: 1 };
  return { count: NUMBER_WORDS[t.word], used: ofFollows ? 2 : 1 };
}

export function isWearable(t: Token): boolean {
  return WEARABLES.has(t.word) || WEARABLES.has(t.lemma);
}

/** The longest closed compound looked into for a known last part ("hummingbird", "lighthousekeeper"). */
const LONGEST_COMPOUND = 30;

/** Closed compounds that are not a kind of their last part. */
const FALSE_COMPOUNDS = new Set(["scarecrow", "seahorse", "starfish", "jellyfish", "dragonfly", "firefly", "butterfly", "ladybird", "ladybug", "bookworm", "silverfish", "cuttlefish", "hotdog", "pineapple", "eggplant", "rainbow", "sawhorse", "cupboard", "catwalk", "moonwalk", "pancake", "cheesecake", "earthworm", "windshield", "windscreen", "sunflower", "football", "baseball", "basketball", "snowball", "keyboard", "skateboard", "surfboard", "cupcake", "popcorn"]);

/** "hummingbird" → bird, "campfire" → fire: a closed compound's last part, when that is an art's exact name. */
export function closedCompoundPart(head: Token, lookup: Lookup): SpanMatch | null {
  if (!NOUN_TAGS.has(head.pos) || isParticiple(head.word) || FALSE_COMPOUNDS.has(head.word) || FALSE_COMPOUNDS.has(head.lemma)) return null;
  const form = head.lemma;
  // No compound is this long: a word of 32,000 letters is not looked up at 32,000 cuts.
  if (form.length > LONGEST_COMPOUND) return null;
  // A word WordNet knows is the part only if it is a kind of it: a hummingbird is a bird, but a
  // cauliflower is no flower, a barbell no bell and a pinwheel no wheel.
  const known = sharedWordNet().senses(form).length > 0;
  for (let cut = 3; cut <= form.length - 4; cut++) {
    const part = form.slice(cut);
    const m = lookupSpan([{ ...head, word: part, lemma: part }], lookup);
    if (m && m.score >= EXACT_MATCH_SCORE && (!known || sharedWordNet().thingIsKindOf(form, part))) return { ...m, name: part, plural: head.lemma !== head.word };
  }
  return null;
}

export function isNonThing(t: Token, article?: string): boolean {
  // "a palette" is a painter's; "a warm palette" is colours.
  if (article !== undefined && ARTICLES.has(article) && article !== "the" && OBJECT_TOO.has(t.word)) return false;
  return NON_THING_NOUNS.has(t.word) || NON_THING_NOUNS.has(t.lemma) || SCENE_NOUNS.has(t.word) || (STOP_WORDS.has(t.word) && !sizeOf(t.word));
}

export function splitPossessive(tokens: Clause, start: number, end: number): { start: number; end: number }[] {
  const parts: { start: number; end: number }[] = [];
  let from = start;
  for (let k = start; k < end; k++) {
    if (tokens[k].word !== "'s") continue;
    if (k > from) parts.push({ start: from, end: k });
    from = k + 1;
  }
  if (end > from) parts.push({ start: from, end });
  return parts;
}
