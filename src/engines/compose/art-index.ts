// The index from words to drawable art. Built once per process from
// OpenMoji's metadata (plus any operator art folders), keeping only the best
// entry per key so it stays small: a few thousand short strings.

import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, basename } from "node:path";
import { normaliseWords } from "./words.js";

/** Where a thing naturally sits in a scene. */
export type Placement = "ground" | "sky" | "water";

export interface ArtRef {
  source: "openmoji" | "local";
  /** OpenMoji hexcode, or the file name for local art. */
  id: string;
  /** The art's own name, e.g. "balloon". */
  annotation: string;
  file: string;
  placement: Placement;
}

export interface ArtMatch {
  art: ArtRef;
  score: number;
}

export interface ArtIndex {
  /** Looks up normalised words joined by single spaces ("cat", "ice cream"). */
  lookup(key: string): ArtMatch | null;
}

/** Scores: an exact art name beats a name ending in the word beats a tag. */
const SCORE_LOCAL = 110;
const SCORE_EXACT = 100;
const SCORE_ALIAS = 99;
const SCORE_SUFFIX = 70;
const SCORE_TAG = 30;
const SCORE_RESTRICTED = 25;

/**
 * Everyday words whose best OpenMoji picture is not an exact name match
 * ("car" would otherwise find "railway car"). Checked against the data.
 */
const ALIASES: Record<string, string> = {
  car: "automobile", flower: "tulip", tree: "deciduous tree", moon: "crescent moon", boat: "sailboat",
  heart: "red heart", bike: "bicycle", plane: "airplane", aeroplane: "airplane", train: "locomotive",
  ball: "soccer ball", dinosaur: "sauropod", kitten: "cat", kitty: "cat", puppy: "dog", doggy: "dog",
  bunny: "rabbit", ufo: "flying saucer", phone: "mobile phone", computer: "laptop", planet: "ringed planet",
  bee: "honeybee", ladybug: "lady beetle", ladybird: "lady beetle", truck: "delivery truck", kid: "child",
  baby: "baby", bus: "bus", balloon: "balloon", cake: "birthday cake", hat: "top hat", pizza: "pizza",
  fire: "fire", mountain: "mountain", house: "house", castle: "castle", star: "star", sun: "sun",
  queen: "person with crown", king: "person with crown", orange: "tangerine", cup: "hot beverage", coffee: "hot beverage", tea: "teacup without handle", rocketship: "rocket", spaceship: "rocket", alien: "alien",
};

const SKY_WORDS = new Set([
  "balloon", "kite", "butterfly", "honeybee", "mosquito", "fly", "bat", "bird", "black bird", "dove", "eagle",
  "owl", "parrot", "macaw", "pigeon", "phoenix", "feather", "wing", "dragon", "angel",
]);
const GROUND_SKY_EXCEPTIONS = new Set([
  "thermometer", "closed umbrella", "umbrella", "umbrella with rain drops", "umbrella on ground",
  "snowman", "snowman without snow", "fire", "droplet", "water wave", "seat", "tornado",
]);

function placementFor(group: string, subgroup: string, annotation: string): Placement {
  if (GROUND_SKY_EXCEPTIONS.has(annotation)) return "ground";
  if (subgroup === "sky-weather" || subgroup === "transport-air") return "sky";
  if (SKY_WORDS.has(annotation)) return "sky";
  if (subgroup === "transport-water") return "water";
  if (subgroup === "animal-marine" && !/crab|lobster|shell|oyster|coral|shrimp|seal/.test(annotation)) return "water";
  if (group === "extras-openmoji" && /fish|orca|narwhal|beluga|porpoise/.test(annotation)) return "water";
  return "ground";
}

interface OpenMojiEntry {
  hexcode: string;
  group: string;
  subgroups: string;
  annotation: string;
  tags: string;
  openmoji_tags: string;
  skintone: string;
  order: number | string;
}

/** Groups that are not pictures of things: drawn only when named exactly. */
function isRestricted(e: OpenMojiEntry): boolean {
  return (
    e.group === "component" || e.group === "flags" || e.group === "extras-unicode" ||
    (e.group === "extras-openmoji" && (e.subgroups === "brand" || e.subgroups === "flags" || e.subgroups === "ui-element"))
  );
}

function openMojiRoot(): string {
  return dirname(createRequire(import.meta.url).resolve("openmoji/package.json"));
}

class KeyTable {
  private best = new Map<string, { art: ArtRef; score: number; rank: number }>();
  offer(key: string, art: ArtRef, score: number, rank: number): void {
    if (!key) return;
    const current = this.best.get(key);
    if (!current || score > current.score || (score === current.score && rank < current.rank)) {
      this.best.set(key, { art, score, rank });
    }
  }
  get(key: string): ArtMatch | null {
    const hit = this.best.get(key);
    return hit ? { art: hit.art, score: hit.score } : null;
  }
  entries(): IterableIterator<[string, { art: ArtRef; score: number; rank: number }]> {
    return this.best.entries();
  }
}

function buildOpenMojiTable(): KeyTable {
  const root = openMojiRoot();
  const svgDir = join(root, "color", "svg");
  const data = JSON.parse(readFileSync(join(root, "data", "openmoji.json"), "utf8")) as OpenMojiEntry[];
  const table = new KeyTable();
  const byAnnotation = new Map<string, ArtRef>();
  data.forEach((e, position) => {
    if (e.skintone) return; // the un-skintoned base emoji stands for all of them
    const words = normaliseWords(e.annotation);
    const name = words.join(" ");
    const art: ArtRef = {
      source: "openmoji",
      id: e.hexcode,
      annotation: e.annotation,
      file: join(svgDir, `${e.hexcode}.svg`),
      placement: placementFor(e.group, e.subgroups, e.annotation.toLowerCase()),
    };
    // Rank breaks ties: OpenMoji's own order puts common emoji first.
    const rank = (typeof e.order === "number" ? e.order : 100000) + position / 100000;
    if (isRestricted(e)) {
      table.offer(name, art, SCORE_RESTRICTED, rank);
      return;
    }
    if (!byAnnotation.has(name)) byAnnotation.set(name, art);
    const penalty = (e.group === "extras-openmoji" ? 3 : 0) + (e.group === "smileys-emotion" ? 4 : 0);
    table.offer(name, art, SCORE_EXACT - penalty, rank);
    // "evergreen tree" answers "tree": the last words of a name are its head noun.
    for (let k = 1; k < words.length; k++) {
      table.offer(words.slice(k).join(" "), art, SCORE_SUFFIX - k * 4 - penalty, rank);
    }
    for (const tag of `${e.tags},${e.openmoji_tags}`.split(",")) {
      const key = normaliseWords(tag).join(" ");
      if (key && key !== name) table.offer(key, art, SCORE_TAG - words.length - penalty, rank);
    }
  });
  for (const [word, target] of Object.entries(ALIASES)) {
    const art = byAnnotation.get(target);
    if (art && table.get(word)?.score !== SCORE_EXACT) table.offer(word, art, SCORE_ALIAS, 0);
  }
  return table;
}

let openMojiTable: KeyTable | undefined;
const localTables = new Map<string, KeyTable>();

/** Operator art: every `name.svg` in the folders becomes a thing called "name". */
function buildLocalTable(dirs: string[]): KeyTable {
  const table = new KeyTable();
  dirs.forEach((dir, d) => {
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => f.toLowerCase().endsWith(".svg")).sort();
    } catch {
      return; // a missing folder adds nothing rather than failing every job
    }
    for (const f of files) {
      const name = normaliseWords(basename(f, ".svg")).join(" ");
      const art: ArtRef = { source: "local", id: f, annotation: name, file: join(dir, f), placement: "ground" };
      table.offer(name, art, SCORE_LOCAL, d);
    }
  });
  return table;
}

/** The memoised index: OpenMoji once per process, local folders once per folder list. */
export function getArtIndex(artDirs: string[] = []): ArtIndex {
  openMojiTable ??= buildOpenMojiTable();
  const base = openMojiTable;
  if (artDirs.length === 0) return { lookup: (key) => base.get(key) };
  const cacheKey = JSON.stringify(artDirs);
  let local = localTables.get(cacheKey);
  if (!local) {
    local = buildLocalTable(artDirs);
    localTables.set(cacheKey, local);
  }
  const own = local;
  return { lookup: (key) => own.get(key) ?? base.get(key) };
}

/** Number of keys in the OpenMoji index (for the explain command and tests). */
export function artIndexSize(): number {
  openMojiTable ??= buildOpenMojiTable();
  return [...openMojiTable.entries()].length;
}
