// The index from words to drawable art, over every source: OpenMoji and the
// Iconify sets (always); OpenClipart, Tux Paint's stamps, Sweet Home 3D's
// furniture icons and Xfig's maps (when Debian's openclipart-svg,
// tuxpaint-stamps-default, sweethome3d-furniture and xfig-libs are installed);
// and the operator's folders. Built once (at first start, then read from the
// cache dir) and kept small: one best match per key.

import { foldersIdentity, folderEntries } from "./art/folders.js";
import { drawingEntries, drawingsIdentity } from "./art/drawings.js";
import { INDEX_FORMAT, indexHash, readCachedIndex, writeCachedIndex } from "./art/cache.js";
import { iconSetEntries, iconSetsIdentity } from "./art/icon-sets.js";
import { OPENCLIPART_ROOT, openClipartEntries } from "./art/openclipart.js";
import { openMojiEntries, openMojiIdentity } from "./art/openmoji.js";
import { treeIdentity } from "./art/package-tree.js";
import { SWEETHOME3D_ROOT, sweetHome3dEntries } from "./art/sweethome3d.js";
import { TUXPAINT_ROOT, tuxPaintEntries } from "./art/tuxpaint.js";
import { XFIG_MAPS_ROOT, xfigMapEntries } from "./art/xfig-maps.js";
import { KinLookup } from "./art/kin.js";
import { lemma, sharesStem } from "./art/lemma.js";
import { respell, respellFurther } from "./art/spelling.js";
import { buildTable, KeyTable, lookupWithLemma, namesExactly, namesThing, SCORE, type ArtEntry } from "./art/table.js";
import { sharedWordNet } from "./art/wordnet.js";

/** Where a thing naturally sits in a scene. */
export type Placement = "ground" | "sky" | "water";

export type ArtSource = "easel" | "openmoji" | "openclipart" | "tuxpaint" | "sweethome3d" | "xfig" | "gameicons" | "mdi" | "fontawesome" | "temaki" | "iconpark" | "local";
/** The groups the index reads: every one-colour icon set counts as "icons". */
export type IndexSource = "easel" | "openmoji" | "openclipart" | "tuxpaint" | "sweethome3d" | "xfig" | "icons" | "local";

export interface ArtRef {
  source: ArtSource;
  /** OpenMoji hexcode, the path under the OpenClipart or Tux Paint root, `library.sh3f#icon.png` for Sweet Home 3D, the path under Xfig's maps, the icon set's name for it, or the file name for local art. */
  id: string;
  /** The art's own name, e.g. "balloon". */
  annotation: string;
  /** An SVG file, a PNG (local art, Tux Paint's stamps), an Xfig map (FIG), `archive.sh3f#icon.png` for a PNG inside a Sweet Home 3D library, or `icons.json#name` for an icon set's icon. */
  file: string;
  placement: Placement;
}

export interface ArtMatch {
  art: ArtRef;
  score: number;
}

export interface ArtIndexStats {
  /** Entries each source added (OpenMoji without skin-tone variants; OpenClipart without icon sets and flags; Tux Paint without letters; icons: the one-colour sets). */
  entries: Record<IndexSource, number>;
  keys: number;
  /** "cache" when read from the cache dir, "built" when the sources were read. */
  origin: "cache" | "built";
  milliseconds: number;
}

export interface ArtIndex {
  /** Looks up normalised words joined by single spaces ("cat", "ice cream"); plurals find their singular. */
  lookup(key: string): ArtMatch | null;
  /** The art of the kind WordNet knows a named thing as ("kremlin" → a stronghold's), for names the prompt capitalised. */
  kindOfName(name: string): ArtMatch | null;
  /** The drawable noun a misspelt word stands for ("squirrell" → "squirrel"), or null (art/spelling.ts). */
  respell(word: string): string | null;
  readonly stats: ArtIndexStats;
}

export interface ArtIndexOptions {
  /** Where the built index is kept between starts (`<dataDir>/cache`); without one it is built in memory. */
  cacheDir?: string;
  /** The OpenClipart SVG root; tests point it elsewhere. */
  openClipartRoot?: string;
  /** The Tux Paint stamps root; tests point it elsewhere. */
  tuxPaintRoot?: string;
  /** The folder of Sweet Home 3D's furniture libraries; tests point it elsewhere. */
  sweetHome3dRoot?: string;
  /** The folder of Xfig's maps; tests point it elsewhere. */
  xfigMapsRoot?: string;
}

/** One index per folder list: the engine passes the same list everywhere, so in practice one per process. */
const indexes = new Map<string, ArtIndex>();

/**
 * The memoised index. The first call for a folder list builds it (or reads it
 * from `cacheDir`); later calls, with or without a cache dir, reuse it.
 */
export function getArtIndex(artDirs: string[] = [], options: ArtIndexOptions = {}): ArtIndex {
  const memoKey = JSON.stringify([
    artDirs, options.openClipartRoot ?? OPENCLIPART_ROOT, options.tuxPaintRoot ?? TUXPAINT_ROOT, options.sweetHome3dRoot ?? SWEETHOME3D_ROOT,
    options.xfigMapsRoot ?? XFIG_MAPS_ROOT,
  ]);
  let index = indexes.get(memoKey);
  if (!index) {
    index = loadIndex(artDirs, options);
    indexes.set(memoKey, index);
  }
  return index;
}

/** Forgets built indexes, so the next call reads the cache or sources again (tests, benchmarks). */
export function clearArtIndexes(): void {
  indexes.clear();
}

function loadIndex(artDirs: string[], options: ArtIndexOptions): ArtIndex {
  const started = performance.now();
  const openClipartRoot = options.openClipartRoot ?? OPENCLIPART_ROOT;
  const tuxPaintRoot = options.tuxPaintRoot ?? TUXPAINT_ROOT;
  const sweetHome3dRoot = options.sweetHome3dRoot ?? SWEETHOME3D_ROOT;
  const xfigMapsRoot = options.xfigMapsRoot ?? XFIG_MAPS_ROOT;
  const { cacheDir } = options;
  const hash = cacheDir
    ? indexHash([
      drawingsIdentity(), openMojiIdentity(), treeIdentity(openClipartRoot), treeIdentity(tuxPaintRoot), treeIdentity(sweetHome3dRoot),
      treeIdentity(xfigMapsRoot), iconSetsIdentity(), foldersIdentity(artDirs),
    ])
    : "";
  const cached = cacheDir ? readCachedIndex(cacheDir, hash) : null;
  let table: KeyTable;
  let counts: Record<IndexSource, number>;
  if (cached) {
    table = KeyTable.fromJSON(cached);
    counts = cached.counts as Record<IndexSource, number>;
  } else {
    const sources: Record<IndexSource, ArtEntry[]> = {
      local: folderEntries(artDirs),
      easel: drawingEntries(),
      openmoji: openMojiEntries(),
      openclipart: openClipartEntries(openClipartRoot),
      tuxpaint: tuxPaintEntries(tuxPaintRoot),
      sweethome3d: sweetHome3dEntries(sweetHome3dRoot),
      xfig: xfigMapEntries(xfigMapsRoot),
      icons: iconSetEntries(),
    };
    table = buildTable(Object.values(sources).flat());
    counts = {
      local: sources.local.length,
      easel: sources.easel.length,
      openmoji: sources.openmoji.length,
      openclipart: sources.openclipart.length,
      tuxpaint: sources.tuxpaint.length,
      sweethome3d: sources.sweethome3d.length,
      xfig: sources.xfig.length,
      icons: sources.icons.length,
    };
    if (cacheDir) {
      try {
        writeCachedIndex(cacheDir, hash, { format: INDEX_FORMAT, counts, ...table.toJSON() });
      } catch {
        // An unwritable cache dir costs the next start a rebuild, nothing more.
      }
    }
  }
  const stats: ArtIndexStats = {
    entries: counts,
    keys: table.size,
    origin: cached ? "cache" : "built",
    milliseconds: performance.now() - started,
  };
  const kin = new KinLookup(table);
  // A weak match keeps its place when its art is named like the thing ("bench" → "park bench"); a
  // tag that names something else ("bench" → a flexed biceps) gives way to the thing's kind.
  const lookup = (key: string) => {
    const hit = lookupWithLemma(table, key);
    const words = key.split(" ");
    // "eye patch" is the art called "eyepatch", "store front" a "storefront": that exact name beats a weaker source's "long sword".
    const closed = words.length === 2 ? lookupWithLemma(table, words.join("")) : null;
    if (hit && namesThing(hit)) return closed && closed.score > hit.score ? closed : hit;
    // "shipwreck" is the art called "ship wreck", "firetruck" a "fire truck" (not a firefighter's tag).
    const apart = words.length === 1 ? writtenApart(table, key) : null;
    if (apart) return apart;
    if (hit && hit.score >= SCORE.KIN) return hit;
    // A head noun's or a tag's art does not stand for an abstraction: "research" is no archive, "fall" no leaf.
    if (hit && kin.abstract(key)) return null;
    if (hit && sharesStem(lemma(words.at(-1)!), hit.art.annotation)) return hit;
    if (closed && closed.score >= SCORE.KIN) return closed;
    return kin.lookup(key) ?? hit;
  };
  return { lookup, kindOfName: (name) => kin.lookup(name, true), respell: speller(table, kin), stats };
}

/** Longer words are no closed compound of two names: a prompt of 8,000 x's is not cut 8,000 ways. */
const LONGEST_COMPOUND = 24;

/** A closed compound's art named in two words, by its exact name in its source. */
function writtenApart(table: KeyTable, word: string): ArtMatch | null {
  if (word.length > LONGEST_COMPOUND) return null;
  for (let cut = 3; cut <= word.length - 3; cut++) {
    const m = lookupWithLemma(table, `${word.slice(0, cut)} ${word.slice(cut)}`);
    if (namesExactly(m)) return m;
  }
  return null;
}

/** Remembered spellings, at most: prompts bring new words without end. */
const SPELLING_MEMO_LIMIT = 20_000;

/** A misspelt word's drawable noun: a word WordNet has as a noun and art draws by its whole name, else by its kind. */
function speller(table: KeyTable, kin: KinLookup): (word: string) => string | null {
  const wordnet = sharedWordNet();
  const memo = new Map<string, string | null>();
  const known = (w: string) => table.get(w) !== null || wordnet.senses(w).length > 0 || wordnet.isVerbForm(w);
  const draws = (w: string) => namesExactly(table.get(w)) && wordnet.senses(w).length > 0;
  // Failing that, a common noun drawn by its kind's art: a "stegasaurus" is a stegosaurus, drawn as a dinosaur.
  const drawsByKind = (w: string) => wordnet.senses(w).length > 0 && kin.lookup(w) !== null;
  // Two keystrokes off, the one-word names art draws, listed once (about 9,000).
  let drawn: string[] | null = null;
  const drawnWords = () => (drawn ??= [...table.keysScoring(SCORE.EXACT - 40)].filter((k) => !k.includes(" ") && draws(k)));
  // (Not a word made of two words, misspelt or not: a "handpalm" is no handball, a "waterslide" no waterside.)
  const twoWords = (w: string) => [...Array(Math.max(0, w.length - 5)).keys()].some((k) => known(w.slice(0, k + 3)) && known(w.slice(k + 3)));
  return (word) => {
    let answer = memo.get(word);
    if (answer === undefined) {
      const near = respell(word, known, draws, drawsByKind);
      // (Nor is "waterslide", a keystroke from "waterside", misspelt.)
      answer = near !== null ? (twoWords(word) ? null : near) : known(word) || twoWords(word) ? null : respellFurther(word, drawnWords());
      if (memo.size >= SPELLING_MEMO_LIMIT) memo.clear();
      memo.set(word, answer);
    }
    return answer;
  };
}

/** Number of keys in the index without operator folders (for the explain command and tests). */
export function artIndexSize(): number {
  return getArtIndex().stats.keys;
}
