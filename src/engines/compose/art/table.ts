// From art entries (every source) to the key table the prompt reader asks:
// each key keeps only its best match, ranked by how the key relates to the
// art (exact name > lemma of the name > curated pick > synonym > head noun >
// tag) and then by source (operator folders > OpenMoji > OpenClipart).

import type { ArtMatch, ArtRef } from "../art-index.js";
import { headEnd, lemma, lemmaOfPhrase } from "./lemma.js";
import { normaliseWords } from "../words.js";
import { GENERAL_PICKS, GENERIC_KINDS, OPENMOJI_PICKS, PARTICULAR_KINDS, SYNONYM_GROUPS } from "./synonyms.js";
import { sharedWordNet } from "./wordnet.js";
import { isColourWord } from "../colour.js";

/** One drawable picture and the words that name it, as a source reads them. */
export interface ArtEntry {
  art: ArtRef;
  /** Normalised words of its name ("evergreen", "tree"); empty when only its tags say what it is. */
  name: string[];
  /** Normalised keywords, each words joined by single spaces. */
  tags: string[];
  /** Ties go to the lower rank: each source's own order of preference. */
  rank: number;
  /** Points off every score: how much less this source or group is trusted. */
  penalty: number;
  /** Not a picture of a thing (flags, brands): only its whole name draws it, at a low score. */
  restricted?: boolean;
  /** A crude pictogram (the interface icon sets): it answers only words nothing else draws by name or head noun. */
  fallback?: boolean;
  /** One particular kind (a bike rack, poker chips): it answers its whole names only, never a head noun ("rack", "chips"). */
  wholeNameOnly?: boolean;
}

export const SCORE = {
  EXACT: 100,
  PICK: 99,
  LEMMA: 98,
  SYNONYM: 90,
  /** Head nouns of longer names: this less 4 points per word dropped. */
  HEAD: 70,
  /** Tags: this less one point per word of the art's name. */
  TAG: 30,
  RESTRICTED: 25,
  /** A kind's art for a thing that has none (synonyms.ts GENERIC_KINDS): an approximation. */
  GENERIC: 60,
  /** The art of what WordNet says a thing with no art is a kind of (kin.ts). */
  KIN: 55,
  /** A person's or animal's head for one with no art of its own ("triceratops head"): this less the source's penalty. */
  HEAD_OF: 97,
} as const;

/**
 * Extra trust per source, applied as part of each entry's penalty. game-icons
 * are one-colour silhouettes: their exact names (65) lose to a colour set's
 * name-level match, even a head noun's ("water wave" for "wave"), and win over
 * tags and kinds. The interface sets' 24-pixel pictograms give way to game-icons' detailed ones, and
 * IconPark's and Temaki's to those. Tux Paint's stamps and Sweet Home 3D's icons are small PNGs: their
 * exact names lose to the colour sets' names and lemmas and win over their head nouns, tags and kinds;
 * a stamp's (91) also wins over a synonym (a jacket is no coat), a furniture icon's (88) does not.
 */
export const SOURCE_PENALTY = { local: -10, easel: 0, openmoji: 0, openclipart: 5, tuxpaint: 9, sweethome3d: 12, xfig: 5, gameicons: 35, mdi: 36, fontawesome: 36, iconpark: 37, temaki: 37 } as const;

/** The match is by the art's own name, a curated pick or a synonym, not a head noun or a tag. */
export const namesThing = (m: ArtMatch): boolean => m.score + SOURCE_PENALTY[m.art.source] >= SCORE.SYNONYM;

/** The match is the art's own whole name in its source, however much its source is marked down ("rocking chair" in game-icons). */
export const namesExactly = (m: ArtMatch | null): boolean => m !== null && m.score + SOURCE_PENALTY[m.art.source] >= SCORE.EXACT - 5;

/** Name-level matches a synonym may borrow (not heads or tags: "kitty" must not become a cat-shaped tag match). */
const BORROWABLE = SCORE.LEMMA - SOURCE_PENALTY.openclipart - 4;


/**
 * Words for a kind of picture, not a thing in one ("fall scene", "parchment
 * paper landscape"): they answer only for an art named exactly so, never as a
 * head noun or tag, so "a winter landscape" stays a setting.
 */
const PICTURE_WORDS = new Set([
  "scene", "landscape", "background", "view", "portrait", "pattern", "border", "design", "image", "picture",
  "illustration", "drawing", "collection", "set", "silhouette", "sketch", "poster", "wallpaper", "banner", "clipart",
  "art", "style", "theme", "icon", "logo", "symbol", "photo", "version", "example", "template",
]);

interface Best {
  art: number;
  score: number;
  rank: number;
}

export class KeyTable {
  readonly arts: ArtRef[] = [];
  private readonly best = new Map<string, Best>();

  offer(key: string, art: number, score: number, rank: number): void {
    if (!key) return;
    const current = this.best.get(key);
    if (!current || score > current.score || (score === current.score && rank < current.rank)) {
      this.best.set(key, { art, score, rank });
    }
  }

  get(key: string): ArtMatch | null {
    const hit = this.best.get(key);
    return hit ? { art: this.arts[hit.art], score: hit.score } : null;
  }

  /** Keys whose best match scores at least `min`. */
  keysScoring(min: number): Set<string> {
    return new Set([...this.best].filter(([, b]) => b.score >= min).map(([key]) => key));
  }

  get size(): number {
    return this.best.size;
  }

  /** Compact JSON form for the cache: arts once, then [key, art, score] rows. */
  toJSON(): { arts: ArtRef[]; keys: [string, number, number][] } {
    return { arts: this.arts, keys: [...this.best].map(([key, b]) => [key, b.art, b.score]) };
  }

  static fromJSON(data: { arts: ArtRef[]; keys: [string, number, number][] }): KeyTable {
    const table = new KeyTable();
    table.arts.push(...data.arts);
    for (const [key, art, score] of data.keys) table.best.set(key, { art, score, rank: 0 });
    return table;
  }
}

/** OpenMoji writes names of one particular thing with capitals ("Statue of Liberty", "Tokyo tower"). */
function properName(e: ArtEntry): boolean {
  return e.art.source === "openmoji" && /^\p{Lu}\p{Ll}/u.test(e.art.annotation) && e.name.length > 1;
}

/**
 * Whether a name's word before its head is a noun that makes it one particular kind: a pictogram's "hamburger menu",
 * "card pickup" or "metronome tick" is no menu, pickup or tick (but a "natural arch" or a "red car" are still the
 * head, and so is a "tree stump", which WordNet calls a stump in one of its senses).
 */
function namedByNoun(name: string[]): boolean {
  const end = headEnd(name);
  const kind = name[end - 2];
  if (kind === undefined || isColourWord(kind)) return false;
  const wordnet = sharedWordNet();
  // (A word WordNet does not know at all is a name or a noun too: game-icons' "poo storm" is no storm.)
  if (wordnet.isAdjective(kind)) return false;
  const heads = new Set(wordnet.senses(lemma(name[end - 1])));
  return !wordnet.senses(lemmaOfPhrase(name.slice(0, end)).join(" ")).some((sense) => heads.has(sense));
}

type Offer = (key: string, art: number, score: number, rank: number) => void;

/** PARTICULAR_KINDS as the sources' normalised names. */
const PARTICULAR = new Set([...PARTICULAR_KINDS].map((name) => normaliseWords(name).join(" ")));

function offerEntry(table: KeyTable, e: ArtEntry, index: number, offer: Offer = (...args) => table.offer(...args)): void {
  const name = e.name.join(" ");
  if (e.restricted) {
    offer(name, index, SCORE.RESTRICTED - e.penalty, e.rank);
    return;
  }
  if (name) {
    offer(name, index, SCORE.EXACT - e.penalty, e.rank);
    offer(lemmaOfPhrase(e.name).join(" "), index, SCORE.LEMMA - e.penalty, e.rank);
    // The head noun phrase: "evergreen tree" answers "tree"; "cup of coffee" answers "cup".
    // Not for proper names: a "statue" is not the Statue of Liberty, nor a "tower" Tokyo Tower.
    const head = properName(e) || e.wholeNameOnly || PARTICULAR.has(name) || ((e.fallback || e.art.source === "gameicons") && namedByNoun(e.name)) ? [] : e.name.slice(0, headEnd(e.name));
    const dropped = e.name.length - head.length;
    for (let k = dropped > 0 ? 0 : 1; k < head.length; k++) {
      const words = head.slice(k);
      if (words.length === 1 && PICTURE_WORDS.has(lemma(words[0]))) continue;
      const score = SCORE.HEAD - (k + Math.min(dropped, 2)) * 4 - e.penalty;
      offer(words.join(" "), index, score, e.rank);
      offer(lemmaOfPhrase(words).join(" "), index, score - 1, e.rank);
    }
  }
  const tagScore = SCORE.TAG - Math.max(1, e.name.length) - e.penalty;
  for (const tag of e.tags) {
    if (!tag || tag === name || PICTURE_WORDS.has(lemma(tag))) continue;
    offer(tag, index, tagScore, e.rank);
    const words = tag.split(" ");
    offer(lemmaOfPhrase(words).join(" "), index, tagScore - 1, e.rank);
  }
}

/**
 * Builds the table: entries first, then curated picks, then synonyms borrowing
 * name-level matches, then fallback pictograms for words still undrawn, then kinds.
 */
export function buildTable(entries: ArtEntry[]): KeyTable {
  const table = new KeyTable();
  entries.forEach((e, i) => {
    table.arts.push(e.art);
    if (!e.fallback) offerEntry(table, e, i);
  });
  // Picks name a particular picture (OpenMoji's, or any source's for general words);
  // they beat everything but an exact name from OpenMoji or the operator.
  offerPicks(table, entries, OPENMOJI_PICKS, (e) => e.art.source === "openmoji");
  offerPicks(table, entries, GENERAL_PICKS, () => true);
  // Synonyms look at the table as it stands now, so a borrowed match is never lent on.
  const named = new Map<string, ArtMatch>();
  for (const group of SYNONYM_GROUPS) {
    for (const word of group) {
      const hit = table.get(word);
      if (hit && hit.score >= BORROWABLE) named.set(word, hit);
    }
  }
  for (const group of SYNONYM_GROUPS) {
    const lender = group.map((w) => named.get(w)).filter((m): m is ArtMatch => !!m).sort((a, b) => b.score - a.score)[0];
    if (!lender) continue;
    const art = table.arts.indexOf(lender.art);
    const score = SCORE.SYNONYM - SOURCE_PENALTY[lender.art.source];
    for (const word of group) {
      if ((table.get(word)?.score ?? 0) < score) table.offer(word, art, score, 0);
    }
  }
  // Fallback pictograms: a "vase" keeps game-icons' porcelain vase (a head-noun match), a "microwave" with no other art gets one.
  const covered = table.keysScoring(SCORE.TAG);
  entries.forEach((e, i) => {
    if (e.fallback) offerEntry(table, e, i, (key, ...rest) => covered.has(key) || table.offer(key, ...rest));
  });
  // A head or face of someone with no art of their own is them: game-icons' "triceratops head", "monk face", "walrus head"
  // (not OpenMoji's faces, which are moods: a "thinking face" is no thinker).
  entries.forEach((e, i) => {
    const whose = e.name.slice(0, -1).join(" ");
    if (e.name.length < 2 || !["head", "face"].includes(e.name.at(-1)!) || e.art.source === "openmoji" || e.restricted) return;
    const hit = table.get(whose);
    if ((hit && namesThing(hit)) || !sharedWordNet().isKindOf(whose, ["person", "animal"])) return;
    table.offer(whose, i, SCORE.HEAD_OF - e.penalty, e.rank);
  });
  // Kinds last: only words still without a name-level match borrow their kind's picture.
  for (const [word, kind] of Object.entries(GENERIC_KINDS)) {
    const hit = table.get(kind);
    if (!hit || hit.score < BORROWABLE || (table.get(word)?.score ?? 0) >= SCORE.GENERIC) continue;
    table.offer(word, table.arts.indexOf(hit.art), SCORE.GENERIC, 0);
  }
  return table;
}

/**
 * Offers each picked word the first unrestricted entry named as the pick says, among the sources `from`
 * accepts; a pick written "source:id" names one picture where several share a name (five OpenClipart "ball"s).
 */
function offerPicks(table: KeyTable, entries: ArtEntry[], picks: Record<string, string>, from: (e: ArtEntry) => boolean): void {
  const byName = new Map<string, number>();
  entries.forEach((e, i) => {
    const name = e.name.join(" ");
    if (!from(e) || e.restricted) return;
    if (!byName.has(name)) byName.set(name, i);
    byName.set(`${e.art.source}:${e.art.id}`, i);
  });
  for (const [word, target] of Object.entries(picks)) {
    const art = byName.get(target);
    if (art !== undefined && (table.get(word)?.score ?? 0) < SCORE.EXACT) table.offer(word, art, SCORE.PICK, -1);
  }
}

/** The key as given, else its lemma a point lower (so callers that try singulars themselves still prefer theirs). */
export function lookupWithLemma(table: KeyTable, key: string): ArtMatch | null {
  const direct = table.get(key);
  const words = key.split(" ");
  const last = words[words.length - 1];
  const singular = lemma(last);
  if (singular === last) return direct;
  const viaLemma = table.get([...words.slice(0, -1), singular].join(" "));
  if (viaLemma && (!direct || viaLemma.score - 1 > direct.score)) return { art: viaLemma.art, score: viaLemma.score - 1 };
  return direct;
}
