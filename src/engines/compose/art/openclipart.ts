// OpenClipart (public domain, Debian's `openclipart-svg` package): about 8,000
// SVGs under /usr/share/openclipart/svg, each with its title, author and
// keywords in its RDF metadata. Only that metadata block is read and parsed,
// so indexing reads a few kilobytes per file rather than 180 MB.

import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { basename, join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import type { Placement } from "../art-index.js";
import { normaliseWords } from "../words.js";
import { lemma } from "./lemma.js";
import { namesAThing, releaseNounTagger } from "./nouns.js";
import { filesUnder, folderOf, isUnder } from "./package-tree.js";
import { placementFromWords } from "./placement.js";
import { SOURCE_PENALTY, type ArtEntry } from "./table.js";

export const OPENCLIPART_ROOT = "/usr/share/openclipart/svg";

/** Folders that hold no pictures of things: icon themes, patterns, puzzle pieces, playing cards, flags (OpenMoji has them all). */
const EXCLUDED = [
  "buttons", "computer/buttons", "computer/icons", "recreation/games/cards", "shapes/arrows", "shapes/callouts",
  "shapes/flowchart", "shapes/jigsaw", "shapes/stars", "signs_and_symbols/flags", "signs_and_symbols/led",
  "special", "transportation/aiga-symbols", "unsorted/duplicates",
];
/** Signs and logos are drawn only when named exactly ("stop sign"), never for a word in their name. */
const RESTRICTED = ["logos", "signs_and_symbols", "transportation/roadsigns"];
/** Where the words of a name say nothing about placement, the folder may. */
const FOLDER_PLACEMENT: [string, Placement][] = [
  ["animals/birds/penguin", "ground"], ["animals/birds", "sky"], ["animals/fish", "water"],
  ["transportation/boating", "water"], ["geography/astronomy", "sky"], ["science/astronomy", "sky"],
  ["signs_and_symbols/weather", "sky"],
];

/** A keyword on more files than this is a category ("food", "animal"), too vague to choose a picture by. */
const CATEGORY_TAG_FILES = 40;
/** A title shared by this many files names a collection ("Lemon SVG theme"), not a picture: the file name is used instead. */
const COLLECTION_TITLE_FILES = 8;
/** Files whose title and file name say another thing than the drawing shows, as seen by looking at them. */
const MISNAMED: Record<string, string> = {
  "food/beverages/flower-pot_01.svg": "baby bottle",
  "food/beverages/flower-pot_02.svg": "baby bottle",
  "food/food_leif_lodahl_01.svg": "kitchen utensils",
  "computer/hardware/tower.svg": "computer tower",
  // Its title names the bomb's code name: "a little boy" is a child.
  "tools/weapons/little_boy_-_atomic_bom_01.svg": "atomic bomb",
};
/** Titles of one author's template, often left as they were in the drawing it was copied from. */
const TEMPLATE_TITLE = /^clip ?art by /i;
/** Words that describe the file rather than the thing drawn. */
const NOISE = new Set([
  "a", "an", "the", "cartoon", "cartoons", "clipart", "cliparts", "clip", "icon", "icons", "iconset", "vector", "svg",
  "drawing", "illustration", "image", "picture", "simple", "stylized", "stylised", "version", "ver", "sketch",
  "pd", "openclipart", "graphic", "graphics", "outline", "colour", "color", "bw", "md", "v",
]);
const JOINER_EDGE = new Set(["of", "with", "and", "in", "on", "for", "at", "from", "by"]);

interface Metadata {
  title: string;
  creator: string;
  keywords: string[];
  /** File size in bytes: smaller drawings are simpler and render faster. */
  size: number;
  /** False for the few files in the package that hold metadata but nothing to draw. */
  drawable: boolean;
}

/** Drawing elements; an <image> counts only with embedded data (some files link a PNG the package lacks). */
const DRAWING = /<(path|rect|circle|ellipse|polygon|polyline|line|use|text)\b|<image\b[^>]*href="data:/;

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => name === "li",
});
const CHUNK = 16384;
const MAX_HEAD = 262144;

/** Reads the file only up to the end of its `<metadata>` block; small files are read whole. */
function readHead(file: string): { head: string; size: number; complete: boolean } {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const chunks: Buffer[] = [];
    let position = 0;
    for (;;) {
      const chunk = Buffer.alloc(CHUNK);
      const n = readSync(fd, chunk, 0, CHUNK, position);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      position += n;
      // The last two chunks together, so a tag split across chunks is still found.
      if (Buffer.concat(chunks.slice(-2)).includes("</metadata>")) break;
      if (position >= MAX_HEAD) break;
    }
    return { head: Buffer.concat(chunks).toString("utf8"), size, complete: position >= size };
  } finally {
    closeSync(fd);
  }
}

function text(value: unknown): string {
  if (typeof value === "string" || typeof value === "number") return String(value).trim();
  if (value && typeof value === "object" && "#text" in value) return text((value as { "#text": unknown })["#text"]);
  return "";
}

export function readMetadata(file: string): Metadata {
  const { head, size, complete } = readHead(file);
  const start = head.indexOf("<metadata");
  const end = head.indexOf("</metadata>");
  // Only a file read to its end can be known to draw nothing.
  const drawable = !complete || DRAWING.test(head.slice(end + 1));
  const empty = { title: "", creator: "", keywords: [], size, drawable };
  if (start < 0 || end < start) return { ...empty, title: text(/<title[^>]*>([^<]*)<\/title>/.exec(head)?.[1]) };
  let parsed: Record<string, any>;
  try {
    parsed = parser.parse(head.slice(start, end + "</metadata>".length));
  } catch {
    return empty; // malformed metadata: the file name still names it
  }
  const rdf = parsed.metadata?.RDF;
  const work = Array.isArray(rdf?.Work) ? rdf.Work[0] : rdf?.Work;
  if (!work) return empty;
  const bag = work.subject?.Bag;
  return {
    title: text(work.title),
    creator: text(work.creator?.Agent?.title),
    keywords: ((Array.isArray(bag) ? bag[0]?.li : bag?.li) ?? []).map(text).filter(Boolean),
    size,
    drawable,
  };
}

function splitCamel(s: string): string {
  return s.replace(/([a-z])([A-Z])/g, "$1 $2");
}

/** Drops noise, digits, one-letter words, the author's name, and joiners left at the edges. */
function cleanWords(raw: string, creator: Set<string>): string[] {
  const words = normaliseWords(splitCamel(raw).replace(/\d+/g, " ")).filter(
    (w) => !NOISE.has(w) && w.length > 1 && !isCreatorWord(w, creator),
  );
  while (words.length && JOINER_EDGE.has(words[0])) words.shift();
  while (words.length && JOINER_EDGE.has(words[words.length - 1])) words.pop();
  return words;
}

/** File names carry the author's name cut short ("crazy_monkey_shandy_brow_01"). */
function isCreatorWord(word: string, creator: Set<string>): boolean {
  if (word.length < 3) return creator.has(word);
  for (const c of creator) if (c.startsWith(word) || (word.startsWith(c) && c.length >= 4)) return true;
  return false;
}

/**
 * The thing's name from a noisy title: "Cartoon cat by johndoe" → cat,
 * "Clipart by Nicu Buculei - head1" → head, "Ice Cream Cone (4 Scoop)" → ice cream cone.
 */
export function nameFromTitle(title: string, creatorName: string): string[] {
  const creator = new Set(normaliseWords(creatorName));
  let t = title.replace(/\([^)]*\)/g, " ");
  const nicu = /^clip ?art by [^-]+-\s*(.+)$/i.exec(t);
  if (nicu) t = nicu[1].replace(/[_\d]+/g, " ");
  t = t.replace(/\s+by\s+.*$/i, "");
  // "blueberry - iconset", "tree - RPG map elements": keep the part that names a thing (the first).
  const part = t.split(/\s+-\s+/)[0];
  return cleanWords(part, creator);
}

export function nameFromFile(file: string, creatorName: string): string[] {
  const creator = new Set(normaliseWords(creatorName));
  return cleanWords(basename(file, ".svg").replace(/[_-]+/g, " "), creator).filter((w) => w.length >= 3);
}

function placementFor(name: string[], folder: string): Placement {
  const byName = placementFromWords(name);
  if (byName) return byName;
  const byFolder = placementFromWords(normaliseWords(folder.split("/").pop() ?? "").map(lemma));
  if (byFolder) return byFolder;
  return FOLDER_PLACEMENT.find(([prefix]) => isUnder(folder, [prefix]))?.[1] ?? "ground";
}

export function openClipartEntries(root = OPENCLIPART_ROOT): ArtEntry[] {
  const files = filesUnder(root).filter((f) => f.toLowerCase().endsWith(".svg") && !isUnder(folderOf(f), EXCLUDED));
  const metadata = files.map((f) => readMetadata(join(root, f)));
  const titleUses = new Map<string, number>();
  for (const m of metadata) titleUses.set(m.title.toLowerCase(), (titleUses.get(m.title.toLowerCase()) ?? 0) + 1);
  const tagFiles = new Map<string, number>();
  const tagsOf = metadata.map((m, i) => {
    const folder = folderOf(files[i]);
    const tags = new Set([
      ...m.keywords.map((k) => cleanWords(k, new Set()).join(" ")),
      ...folder.split("/").map((d) => normaliseWords(d).join(" ")),
    ]);
    for (const t of tags) tagFiles.set(t, (tagFiles.get(t) ?? 0) + 1);
    return tags;
  });
  const usefulTag = (t: string, creator: string) =>
    !!t && t !== creator && t !== "unsorted" && t !== "hash" && (tagFiles.get(t) ?? 0) <= CATEGORY_TAG_FILES &&
    namesAThing(t);
  const entries: ArtEntry[] = [];
  files.forEach((f, i) => {
    const { title, creator, size, drawable } = metadata[i];
    if (!drawable) return;
    const folder = folderOf(f);
    const collection = !title || (titleUses.get(title.toLowerCase()) ?? 0) >= COLLECTION_TITLE_FILES;
    let name = collection ? [] : nameFromTitle(title, creator);
    // "Clipart by Nicu Buculei - svg_globe_green" on a red fedora: a template's title, kept from another drawing.
    const fromFile = nameFromFile(f, creator);
    if (TEMPLATE_TITLE.test(title) && fromFile.length > 0 && !name.some((w) => fromFile.includes(w))) name = [];
    if (name.length === 0) name = fromFile;
    if (MISNAMED[f]) name = MISNAMED[f].split(" ");
    const creatorWords = normaliseWords(creator).join(" ");
    const tags = [...tagsOf[i]].filter((t) => usefulTag(t, creatorWords));
    entries.push({
      art: {
        source: "openclipart",
        id: f,
        annotation: name.join(" ") || title,
        file: join(root, f),
        placement: placementFor(name, folder),
      },
      name,
      tags,
      // Shorter names are usually plainer pictures of the thing; then smaller files (simpler, faster to draw).
      rank: name.length * 1e9 + size,
      penalty: SOURCE_PENALTY.openclipart,
      restricted: isUnder(folder, RESTRICTED),
    });
  });
  releaseNounTagger();
  return entries;
}
