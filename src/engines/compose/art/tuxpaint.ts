// Tux Paint's stamps (GPL-2.0-or-later, Debian's `tuxpaint-stamps-default`):
// about 800 pictures of everyday things a child might stamp, many that no other
// source has (a wombat, a walnut, a jacket, a chimpanzee, a cowboy hat), under
// /usr/share/tuxpaint/stamps. Each stamp is an SVG or a PNG beside a .txt whose
// first line describes it in English ("A grey jacket."); that line names the
// thing, and the file name does where the line is a sentence. Most PNGs are
// small (a median of 190 pixels a side), so the stamps rank below OpenMoji's
// and OpenClipart's drawings and answer for what those lack.

import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { basename, join } from "node:path";
import type { Placement } from "../art-index.js";
import { normaliseWords } from "../words.js";
import { lemma } from "./lemma.js";
import { filesUnder, folderOf, isUnder } from "./package-tree.js";
import { placementFromWords } from "./placement.js";
import { SOURCE_PENALTY, type ArtEntry } from "./table.js";
import { sharedWordNet } from "./wordnet.js";

export const TUXPAINT_ROOT = "/usr/share/tuxpaint/stamps";

/** Folders of letters, digits and faces: no things. */
const EXCLUDED = ["symbols/alphabets", "symbols/math", "symbols/faces"];
/** Signs, flags, coins and notes are drawn only when named exactly, never for a word in their name. */
const RESTRICTED = ["symbols", "town/roadsigns", "town/flags"];
const FOLDER_PLACEMENT: [string, Placement][] = [
  ["animals/fish", "water"], ["animals/mammals/aquatic", "water"], ["vehicles/ship", "water"],
  ["vehicles/flight", "sky"], ["space", "sky"],
];
/** Leading words of a description that are not the thing: "a pair of blue jeans" is blue jeans. */
const LEADING = /^(?:(?:a|an|the|some|two|another)\s+)?(?:(?:pair|couple|cluster|bunch|quarter|head) of\s+(?:a\s+)?)?/;
/** A description longer than this is a sentence about the thing ("A stethoscope lets your doctor listen…"). */
const LONGEST_NAME = 4;
/** Words a name from a file may hold besides nouns: "loaf_of_bread". */
const JOINERS = new Set(["of", "with", "in", "on", "and"]);
/** File-name words that describe the file, not the thing: "cartoon/apple", "candy_cane_photo_1", "t_jacket", "xmas_tp_bulb". */
const FILE_NOISE = new Set(["cartoon", "photo", "mirror", "new", "old", "iso", "tp", "drawing", "outline", "filled"]);

/**
 * The thing a description's first line names, or null where the line is no
 * name: it must open with an article ("Eat your bread!", "Say cheese!" do not)
 * and stay short up to its first stop, bracket or dash.
 */
export function nameFromDescription(line: string): string[] | null {
  const clause = line.split(/[.!?;:(—–]|\s-\s/)[0].trim().toLowerCase();
  if (!/^(a|an|the|some|two|another)\s/.test(clause)) return null;
  const words = normaliseWords(clause.replace(LEADING, ""));
  return words.length > 0 && words.length <= LONGEST_NAME ? words : null;
}

/** "candy_cane_photo_1" → candy cane; "dinosaurSings" → dinosaur sings. */
export function nameFromStampFile(file: string): string[] {
  const stem = basename(file).replace(/\.(svg|png)$/i, "").replace(/([a-z])([A-Z])/g, "$1 $2");
  return normaliseWords(stem.replace(/[_\d]+/g, " ")).filter((w) => w.length > 1 && !FILE_NOISE.has(w));
}

/** A PNG's longer side, from its IHDR chunk; 0 when the file is no PNG. */
function pngSide(file: string): number {
  const fd = openSync(file, "r");
  try {
    const head = Buffer.alloc(24);
    if (readSync(fd, head, 0, 24, 0) < 24 || head.toString("latin1", 12, 16) !== "IHDR") return 0;
    return Math.max(head.readUInt32BE(16), head.readUInt32BE(20));
  } finally {
    closeSync(fd);
  }
}

function placementFor(name: string[], folder: string): Placement {
  return placementFromWords(name) ?? FOLDER_PLACEMENT.find(([prefix]) => isUnder(folder, [prefix]))?.[1] ?? "ground";
}

/** Each stamp once, as its picture (SVG over PNG: it scales and recolours) and its description. */
function listStamps(root: string): { picture: string; description: string }[] {
  const sorted = filesUnder(root);
  const files = new Set(sorted);
  const stamps: { picture: string; description: string }[] = [];
  for (const f of sorted) {
    if (!f.endsWith(".txt")) continue;
    const stem = f.slice(0, -".txt".length);
    const picture = [`${stem}.svg`, `${stem}.png`].find((p) => files.has(p));
    if (picture && !isUnder(folderOf(stem), EXCLUDED)) stamps.push({ picture, description: f });
  }
  return stamps;
}

/** Up to this much of a description is read: its first line is all that is used. */
const DESCRIPTION_HEAD = 512;

function firstLine(file: string): string {
  const text = readFileSync(file).subarray(0, DESCRIPTION_HEAD).toString("utf8");
  return text.split("\n")[0].trim();
}

export function tuxPaintEntries(root = TUXPAINT_ROOT): ArtEntry[] {
  const wordnet = sharedWordNet();
  const isNoun = (word: string) => JOINERS.has(word) || wordnet.senses(lemma(word)).length > 0;
  const entries: ArtEntry[] = [];
  for (const { picture, description } of listStamps(root)) {
    const folder = folderOf(picture);
    const fromFile = nameFromStampFile(picture);
    // A file name stands in for a sentence only where WordNet knows its words: "dreydl-shin" is a dreidel's letter, not a shin.
    const name = nameFromDescription(firstLine(join(root, description))) ?? (fromFile.every(isNoun) ? fromFile : []);
    if (name.length === 0) continue;
    const file = join(root, picture);
    const png = picture.endsWith(".png");
    entries.push({
      art: { source: "tuxpaint", id: picture, annotation: name.join(" "), file, placement: placementFor(name, folder) },
      name,
      // "dromedary" is described as "A camel."; "pig_golden" as "A Tamworth pig.".
      tags: fromFile.join(" ") !== name.join(" ") && fromFile.length > 0 ? [fromFile.join(" ")] : [],
      // Shorter names are plainer pictures of the thing; then SVGs, then larger PNGs (they blur less).
      rank: name.length * 1e6 + (png ? 1e5 - Math.min(pngSide(file), 99_999) : 0),
      penalty: SOURCE_PENALTY.tuxpaint,
      restricted: isUnder(folder, RESTRICTED),
    });
  }
  return entries;
}
