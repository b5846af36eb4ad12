// A thing with no art of its own borrows the picture of what it is a kind of,
// as WordNet says: a "cricketer" is drawn as a person, a "chrysalis" as an
// insect, "the Empire State Building" as a skyscraper. Only the art a kind's
// own name finds (not a head noun's or a tag's) is borrowed, so a "ruler"
// (of a country) never borrows a straight ruler; and only near kinds are
// tried, so nothing is drawn as an "object".

import type { ArtMatch } from "../art-index.js";
import { isColourWord } from "../colour.js";
import { lemma } from "./lemma.js";
import { GENERIC_KINDS } from "./synonyms.js";
import { namesThing, SCORE, type KeyTable } from "./table.js";
import { sharedWordNet } from "./wordnet.js";

/** Remembered answers, at most: prompts bring new words without end. */
const MEMO_LIMIT = 20_000;

export class KinLookup {
  private readonly memo = new Map<string, ArtMatch | null>();

  constructor(
    private readonly table: KeyTable,
    private readonly wordnet = sharedWordNet(),
  ) {}

  /**
   * The art of `key`'s nearest drawable kind, scored as a kind (SCORE.KIN), or
   * null. Keys have lost the prompt's capitals, so a named thing is trusted
   * only when `name` says the prompt wrote one ("the Kremlin") or the key has
   * several words ("the grand canyon"): a lone "peel" is rind, not Robert Peel.
   */
  lookup(key: string, name = false): ArtMatch | null {
    const memoKey = `${name ? "name" : "word"}:${key}`;
    let hit = this.memo.get(memoKey);
    if (hit === undefined) {
      hit = this.find(key, name);
      if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
      this.memo.set(memoKey, hit);
    }
    return hit;
  }

  /** Whether the key names no physical thing ("research", "punk songs"). */
  abstract(key: string): boolean {
    const form = this.formOf(key);
    return form !== undefined && this.wordnet.isAbstract(form);
  }

  /** The key as WordNet lists it: as given, else with its last word singular ("punk songs" → "punk song"). */
  private formOf(key: string): string | undefined {
    const words = key.split(" ");
    return [key, [...words.slice(0, -1), lemma(words.at(-1)!)].join(" ")].find((f) => this.wordnet.senses(f).length > 0);
  }

  private find(key: string, name: boolean): ArtMatch | null {
    const words = key.split(" ");
    const form = this.formOf(key);
    // "the dog chased the cat": a verb the tagger took for a noun is not WordNet's rare noun ("the chased").
    if (!form || (words.length === 1 && this.wordnet.isVerbForm(key))) return null;
    const chain = this.wordnet.kin(form, { names: name || words.length > 1 });
    // A capitalised word WordNet knows only as a common noun is a brand or model: a "Corvette" is a car, not a warship.
    if (name && words.length === 1 && !chain[0]?.instance) return null;
    // A common compound whose head has art is read by the prompt reader as that head and its
    // modifiers ("white rice" is rice, not grain); a named one is itself ("the Empire State Building"),
    // and so is one of another sort than its head (a rock star is a performer, not a star).
    const last = lemma(words.at(-1)!);
    const head = this.table.get(last);
    // (Not one that starts with a colour: "blue stars" are stars, whatever plant WordNet calls a blue star.)
    const otherThing = !isColourWord(words[0]) && this.wordnet.isOtherThingThan(form, last);
    if (words.length > 1 && !chain[0]?.instance && head && head.score >= SCORE.KIN && !otherThing) return null;
    // Each kind by its first word only, and the sense itself skipped: WordNet's synonyms are
    // loose for pictures ("tux" is no penguin, "dress" is attire).
    for (const kind of chain.slice(1)) {
      const word = kind.words[0];
      // Art for a word shows its usual sense: soil is a kind of "earth", but "earth" is drawn as the planet.
      // (Curated kinds hold for every sense: a "peak" is drawn as a mountain.)
      const match = this.table.get(word);
      if (!match) continue;
      if (GENERIC_KINDS[word] !== undefined || (namesThing(match) && this.wordnet.senses(word)[0] === kind.offset)) return { art: match.art, score: SCORE.KIN };
    }
    return null;
  }
}

