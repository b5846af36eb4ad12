// The prompt as tagged words, by clause. wink-nlp's English model gives each
// word its part of speech and its lemma; the rest of the reader works on these
// tokens instead of guessing from spelling.

import type { ItsFunction } from "wink-nlp";
import { quotedTexts } from "../quoted-text.js";
import { tagger } from "../tagger.js";
import { sharedWordNet } from "../art/wordnet.js";
import { YOUNG_ANIMALS } from "./lexicon.js";

export interface Token {
  /** Lowercase ASCII form as written ("balloons", "'s" for a possessive). */
  word: string;
  /** Dictionary form ("balloon"); the word itself where wink has none. */
  lemma: string;
  /** Universal part-of-speech tag: NOUN, PROPN, ADJ, VERB, ADP, DET, NUM, CCONJ, PART, … */
  pos: string;
  /** A word the reader otherwise skips ("full") that starts an art's exact name ("a full moon"). */
  startsName?: true;
  /** Ends an art's exact name though alone it is filler: the "can" of "a paint can". */
  endsName?: true;
}

/** A stretch of the prompt between punctuation; colours and counts never cross it. */
export type Clause = Token[];

/** Loads the tagger now, so the first prompt is as fast as the rest. */
export function warmTagger(): void {
  tagger();
}

/** A young animal and, later in its sentence, its mother or father (lexicon.ts YOUNG_ANIMALS). */
const YOUNG_AND_PARENT = new RegExp(
  `\\b(${Object.keys(YOUNG_ANIMALS).join("|")})(s?)\\b([^.;]{0,60}?\\b(?:their|its|her|his|a|the) )(?:mother|mom|mum|mama|father|dad|parent)\\b`,
  "gi",
);

/** Words that are only ever one part of speech in a prompt, whatever the tagger makes of them. */
const FIXED_TAGS: Record<string, { pos: string; lemma: string }> = {
  halfway: { pos: "ADV", lemma: "halfway" }, midway: { pos: "ADV", lemma: "midway" }, partway: { pos: "ADV", lemma: "partway" },
  overhead: { pos: "ADV", lemma: "overhead" },
  // (Joined from "ice skating" below.)
  iceskating: { pos: "VERB", lemma: "iceskate" },
};

/** Punctuation that ends a clause; hyphens and apostrophes join words instead. */
const CLAUSE_END = /^[.,;:!?()[\]{}…\n]+$/;

function ascii(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

/** Quoted text is words to print, not things to draw: "labeled 'Relax & Unwind'" (quoted-text.ts finds it). */
export function withoutQuotes(prompt: string): string {
  let out = prompt;
  // From the end, so earlier spans keep their offsets.
  for (const { start, end } of quotedTexts(prompt).reverse()) out = out.slice(0, start) + " " + out.slice(end);
  return out;
}

/**
 * Names that lower case would read as plain words, named whole while their capitals show: the White House
 * is Easel's drawing of "the White House mansion", a white house only a house that is white.
 */
const WHOLE_NAMES: [RegExp, string][] = [
  [/\bWhite House\b/g, "White House mansion"],
  [/\bThe Scream\b/g, "Scream masterpiece"],
  [/\bThe Thinker\b/g, "Thinker statue"],
  [/\bStarry Night\b/g, "Starry Night masterpiece"],
  [/\bGreat Wave(?: off Kanagawa)?\b/g, "Great Wave print"],
  [/\bGirl with (?:a|the) Pearl Earring\b/g, "Pearl Earring Girl masterpiece"],
  [/\bThe Kiss\b/g, "klimtkiss"],
  // London's towers and the Pentagon go by one common word, capitalised after "the".
  [/\b([Tt]he) Shard\b/g, "$1 Shard tower"],
  [/\b([Tt]he) Gherkin\b/g, "$1 Gherkin building"],
  [/\b([Tt]he) Pentagon\b/g, "$1 Pentagon building"],
  // Superheroes whose names hold a thing ("Spider-Man" is no spider, "Iron Man" no man made of iron).
  [/\b(?:Spider[- ]?[Mm]an|Iron Man|Superman|Wonder Woman|Captain America|Ant[- ]Man|Bat[- ]?man|Super[- ]?hero)\b/g, "superhero"],
  // Drinks named with a name or "and" in them.
  [/\bbloody mary\b(?! cocktail)/gi, "bloody mary cocktail"],
  [/\bgin (?:and|&|n|'n') tonic\b/gi, "gin tonic"],
  // Names with "of" or "and" in them, which the reader would split, kept as one word in any case.
  [/\bmac(?:aroni)? (?:and|n|'n'|&) cheese\b/gi, "macandcheese"],
  // "a Citroën 2CV": its model name, which would read as two of something.
  [/\b2 ?CV\b/gi, "deux chevaux"],
  // "a glass of rosé" is wine, which its accent alone tells from a rose.
  [/\bros\u00e9(?: wine)?(?!\p{L})/giu, "wine"],
  [/\b(?:the )?persistence of memory\b/gi, "persistenceofmemory"],
  [/\b(?:the )?creation of adam\b/gi, "creationofadam"],
  [/\b(?:the )?birth of venus\b/gi, "birthofvenus"],
  [/\b(?:the )?son of man\b/gi, "sonofman"],
];

export function readClauses(prompt: string): Clause[] {
  // Lowercase first: prompts capitalise freely ("A Cat On A Sofa") and the
  // tagger would take capitalised words for names.
  // "2d", "4k", "35mm" describe the picture, and would otherwise read as counts.
  const text = ascii(WHOLE_NAMES.reduce((out, [name, whole]) => out.replace(name, whole), withoutQuotes(prompt)))
    .replace(/[‘’]/g, "'")
    .replace(/\s*\n\s*/g, " . ")
    .replace(/\b\d+(?:d|k|p|mm|px)\b/g, " ")
    // "a check for $10,000": a sum of money, not ten thousand of what follows (nor a clause ending at its comma).
    .replace(/[$£€¥]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|m|bn|million|billion|thousand)\b)?/g, " ")
    // "a bird's-eye view of a city": a viewpoint, no bird (nor a worm) in the picture.
    .replace(/\b(?:bird|worm)'?s?[- ]eye[- ]view\b/g, "view")
    // "a still life of pears": a kind of painting, not a film still.
    .replace(/\bstill[- ]lifes?\b/g, "painting")
    // "oil on canvas" is a painting's medium: no canvas is drawn in it.
    .replace(/\b(oil|oils|acrylic|acrylics|ink)[- ]on[- ](?:canvas|board|panel|paper|wood)\b/g, "$1 painting")
    // "ink-and-wash" is a way of painting, like watercolor: neither ink nor a wash is drawn.
    .replace(/\bink[- ](?:and[- ])?wash\b/g, "watercolor")
    .replace(/\bhalf a dozen\b/g, "six")
    // Idioms with a thing's name in them: "meerkats standing guard", "a hedgehog curled into a ball", "on a bed of leaves".
    .replace(/\b(stand|stands|standing|stood|keep|keeps|keeping|kept) (guard|watch)\b/g, "$1 watchfully")
    .replace(/\bcurl(s|ed|ing)? (up )?into a ball\b/g, "curled up")
    .replace(/\ba bed of (?=\w)/g, "a pile of ")
    // "a low-poly fox": a style, which the tagger would take for an adverb before the verb "fox".
    .replace(/\blow[- ]?poly(?:gon)?\b/g, "polygonal")
    // "a knight on horseback" rides a horse.
    .replace(/\bon horseback\b/g, "riding a horse")
    // "the letter A" is a letter of the alphabet, drawn as text if at all, not a letter in an envelope.
    // ("a letter I wrote" is still a letter: "a" and "i" only after "the".)
    .replace(/\bletter (?=['"]?[b-hj-z]['"]?(?:\W|$))/g, "letters ")
    .replace(/\bthe letter (?=['"]?[ai]['"]?(?:\W|$))/g, "the letters ")
    // "a pomegranate split open": opened, as a verb says, not a split and an open.
    .replace(/\b(?:split|cut|sliced|cracked|broken|torn|ripped|burst|bitten) open\b/g, "opened")
    // "a jack-in-the-box" is one toy, not a flag and a box.
    .replace(/\bjack[- ]in[- ]the[- ]box(?:es)?\b/g, "jackinthebox")
    // "a knight in shining armor": a knight's drawing is in armour already; no second piece of it is drawn.
    .replace(/\b(knights?) in (?:shining |full |his |her |their )?(?:suits? of )?armou?r\b/g, "$1")
    // "ducklings following their mother": a duck, not a woman.
    .replace(YOUNG_AND_PARENT, (_, young: string, plural: string, between: string) => `${young}${plural}${between}${YOUNG_ANIMALS[young.toLowerCase()]}`)
    // "a fox in a red scarf ice skating": the pastime (its skates drawn), not a block of ice after the scarf.
    .replace(/\bice[- ]skating\b/g, "iceskating")
    // "a candlelit window", "a crowned frog": the candle and the crown are drawn too.
    .replace(/\bcandlelit (?!with|by|in|and|or)([a-z]+)\b/g, "$1 with a candle")
    .replace(/\bcrowned (?!with|by|in|and|or|as|king|queen|champion)([a-z]+)\b/g, "$1 wearing a crown")
    // "two glasses of milk": drinking glasses, not spectacles (the count word still says how many).
    .replace(/\bglasses of\b/g, "glass of")
    // "tug-of-war" is a game played with a rope, not a tugboat at war.
    .replace(/\btug[- ]of[- ]war\b/g, "tugging")
    // "brightly coloured": colourful, no colour named.
    .replace(/\b[a-z]+ly[- ]colou?red\b/g, "colorful")
    // "cream colored", "rust-coloured": the colour word says it all (and "cream" is no dessert).
    .replace(/\b([a-z]+)[- ]colou?red\b/g, "$1")
    // "a diamond-shaped sign" is a diamond sign (a warning sign); "a heart-shaped balloon" stays a balloon.
    .replace(/\b([a-z]{3,})-shaped\b/g, "$1")
    // "spray-painted on a wall", "a hand-made quilt": painted, made (no hand is drawn).
    .replace(/\b(spray|hand|finger|home|man|machine)-(painted|made|drawn|crafted|knitted|carved|woven|written|sewn|stitched|built|blown)\b/g, "$1$2")
    // "a two-story house", "a 3-legged dog": how it is built, not how many there are.
    .replace(/\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)-([a-z]+)\b/g, "$1")
    // "beat-up", "worn-out", "pick-up": one word, not a verb or noun and a particle.
    .replace(/\b([a-z]{2,})-(up|out|down|off)\b/g, "$1$2");
  const its = tagger().its;
  const doc = tagger().readDoc(text);
  const words = doc.tokens().out();
  const tags = doc.tokens().out(its.pos);
  // wink's own typings declare `its.lemma` with the model's signature, which `out` does not accept.
  const lemmas = doc.tokens().out(its.lemma as unknown as ItsFunction<string>);

  const clauses: Clause[] = [];
  let clause: Clause = [];
  words.forEach((raw, i) => {
    if (CLAUSE_END.test(raw)) {
      if (clause.length) clauses.push(clause);
      clause = [];
      return;
    }
    const pos = tags[i];
    if (raw === "'s" || raw === "'") {
      if (pos === "PART") clause.push({ word: "'s", lemma: "'s", pos: "PART" });
      return;
    }
    const word = raw.replace(/[^a-z0-9&]/g, "");
    if (!word) return; // hyphens, quotes and symbols: "t-shirt" reads as "t shirt"
    // "a saw stuck halfway through a plank": how far, which the tagger may take for a noun.
    if (FIXED_TAGS[word]) {
      clause.push({ word, ...FIXED_TAGS[word] });
      return;
    }
    // wink's lemmatiser now and then answers with another word ("wash" → "washington"): keep the word then.
    // (It answers nothing at all for a contraction written without its apostrophe before a comma: "cannot,", "dont,".)
    const guess = (lemmas[i] ?? word).replace(/[^a-z0-9&]/g, "");
    // (and "york" → "ork": a lemma starts as its word does)
    // (and "a lighter", "a cooler" ending a noun phrase are the things, not the comparatives of light and cool;
    // "a lighter cat" is still lighter)
    const last = !["NOUN", "PROPN", "ADJ"].includes(tags[i + 1] ?? "");
    const comparative = last && /er$/.test(word) && guess !== word && sharedWordNet().senses(word).length > 0;
    const lemma = guess && guess.length <= word.length + 2 && guess[0] === word[0] && !comparative ? guess : word;
    clause.push({ word, lemma, pos });
  });
  if (clause.length) clauses.push(clause);
  return clauses;
}
