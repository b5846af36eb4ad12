// Names in a prompt: landmarks, artworks, people, places and brands ("the
// Sydney Opera House", "Mount Everest", "Salvador Dalí", "New York City").
// A name is one entity, found from the prompt's capitals before the reader
// lowercases it. The reader then draws it by art of its whole name when there
// is some ("the Eiffel Tower"), sets the scene for a city, or shows one
// labelled placeholder; never the pieces of a name that happen to have art
// (the "house" of the Opera House).

export interface NamedEntity {
  /** As written, without leading articles ("Sydney Opera House"). */
  text: string;
  /** The reader's word forms (lowercase ASCII), to find the name among tokens. */
  words: string[];
  /** Whose style or work the picture is ("in the style of Rembrandt"): not a thing in it. */
  credit?: boolean;
}

const MAX_NAMES = 64;
/** Connectors inside a name ("Statue of Liberty", "Rio de Janeiro", "Tom and Jerry"): no nouns of their own. */
export const NAME_CONNECTORS = new Set(["of", "de", "da", "do", "dos", "del", "la", "le", "von", "van", "the", "and", "&"]);
/** Capitalised words that start sentences or name a style, not an entity. */
const NOT_NAMES = new Set(["a", "an", "the", "i", "this", "that", "these", "those", "there", "it", "my", "our", "your", "portrait", "photo", "photograph", "painting", "drawing", "picture", "image"]);
/** A name after these is whose style or work it is, not a thing in the picture. */
const CREDIT_BEFORE = /\b(?:style of|by|like|inspired by|manner of|after)\s*(?:(?:da|de|di|van|von|del|la|le)\s+)?$/i;

/** Connectors are lower case inside a name: "LA" and "La Paz" are not "la". */
const isConnector = (word: string) => word === word.toLowerCase() && NAME_CONNECTORS.has(word);

const formOf = (word: string) =>
  word.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9&]/g, "");

/**
 * The names in a prompt; none for prompts written in Title Case, where capitals say nothing. `isName` says whether a
 * word that opens a sentence alone is a name all the same ("Kilimanjaro at dawn").
 */
export function findNames(prompt: string, isName: (word: string) => boolean = () => false): NamedEntity[] {
  // Words may hold apostrophes, hyphens and inner dots ("I.C."); a dot that ends a sentence is its own token.
  const tokens = [...prompt.matchAll(/[\p{L}\p{N}](?:[\p{L}\p{N}'’-]|\.(?=\p{L}))*|[.!?;:,"“”()]/gu)].slice(0, 2000);
  // Title Case ("A Cat On A Sofa") capitalises little words inside a sentence; names never do.
  // ("The Beatles" is one name, so it takes two such words to tell.)
  const littleCapitals = tokens.filter((t, i) => i > 0 && /^(?:A|An|On|In|With|And|At|To|For|Of|The|By|Is|Are)$/.test(t[0]) && !/^[.!?:"“”(]$/.test(tokens[i - 1][0]));
  if (littleCapitals.length >= 2) return [];
  const names: NamedEntity[] = [];
  let run: RegExpMatchArray[] = [];
  let runStartsSentence = false;
  let afterIndefinite = false;
  let sentenceStart = true;
  let previous = "";
  const close = () => {
    // Connectors and articles at either end are not part of the name.
    while (run.length && isConnector(run[run.length - 1][0])) run.pop();
    while (run.length && (isConnector(run[0][0]) || NOT_NAMES.has(formOf(run[0][0])))) (run.shift(), (runStartsSentence = false));
    // One capitalised word that opens a sentence is just the sentence's first word; after "a" it is a common noun ("a Diplodocus").
    const enough = run.length > 1 || (run.length === 1 && !afterIndefinite && (!runStartsSentence || isName(formOf(run[0][0]))));
    const before = run.length ? prompt.slice(Math.max(0, run[0].index! - 24), run[0].index) : "";
    if (enough) {
      const text = prompt.slice(run[0].index, run[run.length - 1].index! + run[run.length - 1][0].length).replace(/[’']s$/, "");
      const credit = CREDIT_BEFORE.test(before);
      // "the Great Pyramids and Sphinx": each name on its own too, after the whole, for the reader to fall back on.
      const parts = /\s(and|&)\s/.test(text) ? text.split(/\s+(?:and|&)\s+/).map((p) => p.replace(/^the\s+/i, "")) : [];
      for (const part of [text, ...parts]) {
        const words = part.split(/[\s-]+/).map(formOf).filter(Boolean);
        if (words.length > 0 && !names.some((n) => n.words.join(" ") === words.join(" "))) names.push({ text: part, words, ...(credit ? { credit } : {}) });
      }
    }
    run = [];
  };
  for (const [k, token] of tokens.entries()) {
    const word = token[0];
    if (/^[.!?;:,"“”()]$/.test(word)) {
      close();
      if (/[.!?]/.test(word)) sentenceStart = true;
      previous = word;
      continue;
    }
    // Words in capitals are shouting or acronyms, except short ones in a name ("Downtown LA", "the CN Tower").
    const shouted = /^\p{Lu}{2,}$/u.test(word.replace(/[’'.-].*$/, ""));
    const startsName = word.length <= 3 && /^\p{Lu}\p{Ll}/u.test(tokens[k + 1]?.[0] ?? "");
    const capital = /^\p{Lu}/u.test(word) && (!shouted || (word.length <= 3 && (run.length > 0 || startsName)));
    const number = /^\p{N}/u.test(word) && run.length > 0;
    if (capital || number || (run.length > 0 && isConnector(word))) {
      if (run.length === 0) {
        runStartsSentence = sentenceStart;
        afterIndefinite = /^an?$/i.test(previous);
      }
      run.push(token);
    } else close();
    sentenceStart = false;
    previous = word;
  }
  close();
  // A picture has room for a few dozen things at most (prompt.ts MAX_THINGS); the rest would only cost time.
  return names.slice(0, MAX_NAMES);
}

/** Cities of one word, drawn as a city scene rather than a thing. */
export const CITIES = new Set(
  `london paris tokyo nyc manhattan brooklyn sanfrancisco la austin chicago boston seattle miami hollywood
  washington toronto vancouver montreal rio havana amsterdam berlin munich rome venice milan florence madrid
  barcelona lisbon vienna prague budapest warsaw moscow istanbul athens dubai cairo mumbai delhi bangkok
  singapore shanghai beijing seoul kyoto osaka sydney melbourne nairobi shibuya lima`.split(/\s+/),
);

/** Cities and city places of several words, checked as whole names. */
export const CITY_NAMES = new Set(["new york", "new york city", "san francisco", "los angeles", "las vegas", "mexico city", "rio de janeiro", "sao paulo", "buenos aires", "hong kong", "cape town", "times square", "tel aviv"]);

export function isCity(entity: NamedEntity): boolean {
  // "the Brooklyn Bridge", "Tokyo Tower": a thing in a city.
  if (kindOfName(entity)) return false;
  const name = entity.words.join(" ");
  // "London", "Downtown Austin", "New York City".
  return CITY_NAMES.has(name) || (entity.words.length <= 2 && entity.words.some((w) => CITIES.has(w))) || (entity.words[0] === "downtown" && entity.words.length > 1);
}

/**
 * The kind of thing a name ends in ("Kilchurn Castle", "the Brooklyn
 * Bridge"; "Mount" leads instead): such a name is a thing, not a city.
 */
const KINDS = new Set(
  `castle bridge tower palace cathedral church temple lighthouse mosque pyramid skyscraper building stadium volcano
  island mountain statue fountain gate arch center centre monument memorial obelisk museum station zoo`.split(/\s+/),
);

export function kindOfName(entity: NamedEntity): string | null {
  const first = entity.words[0];
  if (first === "mount" || first === "mt") return "mountain";
  const last = entity.words[entity.words.length - 1];
  return KINDS.has(last) ? last : null;
}

/** Where the name sits among a phrase's word forms, or -1. */
export function nameAt(words: string[], entity: NamedEntity): number {
  const n = entity.words.length;
  for (let i = 0; i + n <= words.length; i++) if (entity.words.every((w, k) => words[i + k] === w)) return i;
  return -1;
}
