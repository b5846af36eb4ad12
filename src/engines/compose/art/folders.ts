// Operator art: every SVG or PNG in the named folders is a thing called by
// its file name ("red-barn.svg" is drawn for "red barn"), ahead of any other
// source. A missing folder adds nothing rather than failing every job.

import { readdirSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { normaliseWords } from "../words.js";
import { placementFromWords } from "./placement.js";
import { SOURCE_PENALTY, type ArtEntry } from "./table.js";

const ART_FILE = /\.(svg|png)$/i;

function artFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => ART_FILE.test(f)).sort();
  } catch {
    return [];
  }
}

/** The folders' identity for the index cache: each file's name, size and modification time. */
export function foldersIdentity(dirs: string[]): string {
  return dirs
    .map((dir) => {
      const files = artFiles(dir).map((f) => {
        const s = statSync(join(dir, f));
        return `${f}:${s.size}:${Math.round(s.mtimeMs)}`;
      });
      return `${dir}\n${files.join("\n")}`;
    })
    .join("\n\n");
}

export function folderEntries(dirs: string[]): ArtEntry[] {
  const entries: ArtEntry[] = [];
  dirs.forEach((dir, d) => {
    for (const f of artFiles(dir)) {
      const name = normaliseWords(f.slice(0, -extname(f).length));
      if (name.length === 0) continue;
      entries.push({
        art: { source: "local", id: f, annotation: name.join(" "), file: join(dir, f), placement: placementFromWords(name) ?? "ground" },
        name,
        tags: [],
        // Earlier folders win, then SVG over PNG of the same name (it recolours).
        rank: d * 2 + (f.toLowerCase().endsWith(".png") ? 1 : 0),
        penalty: SOURCE_PENALTY.local,
      });
    }
  });
  return entries;
}
