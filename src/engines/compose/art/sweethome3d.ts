// Sweet Home 3D's extra furniture libraries (Debian's `sweethome3d-furniture`):
// about 800 pieces of furniture and household things, each with a 128-pixel
// rendered icon, in five zip archives (.sh3f) under
// /usr/share/sweethome3d/furniture. Their catalogues name each piece ("Coffee
// table", "Hammock", "Iron railing", "Ashtray"); the art is the icon, read from
// the archive when a picture needs it. Licences: CC BY 3.0 (Kator Legaz,
// Reallusion, Scopia, Blend Swap) and CC0 (Blend Swap's CC-0 library).

import { join } from "node:path";
import { normaliseWords } from "../words.js";
import { filesUnder } from "./package-tree.js";
import { placementFromWords } from "./placement.js";
import { SOURCE_PENALTY, type ArtEntry } from "./table.js";
import { readZipEntry, zipEntries, type ZipEntry } from "./zip-entries.js";

export const SWEETHOME3D_ROOT = "/usr/share/sweethome3d/furniture";
const CATALOGUE = "PluginFurnitureCatalog.properties";

const libraries = (root: string) => filesUnder(root).filter((f) => f.endsWith(".sh3f"));

const JAVA_ESCAPE = /\\u([0-9a-fA-F]{4})|\\(.)/g;
const CONTROL: Record<string, string> = { t: "\t", n: "\n", r: "\r", f: "\f" };
const unescape = (s: string) => s.replace(JAVA_ESCAPE, (_all, hex: string | undefined, c: string) => (hex ? String.fromCharCode(parseInt(hex, 16)) : CONTROL[c] ?? c));

/** A Java .properties file (ISO-8859-1, `\uXXXX` escapes, `\` continued lines) as key → value. */
export function parseProperties(text: string): Map<string, string> {
  const properties = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i].trimStart();
    while (/(?:^|[^\\])(?:\\\\)*\\$/.test(line) && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i].trimStart();
    if (!line || line.startsWith("#") || line.startsWith("!")) continue;
    const pair = /^((?:\\.|[^=:\s\\])*)\s*[=:\s]?\s*(.*)$/.exec(line);
    if (pair) properties.set(unescape(pair[1]), unescape(pair[2]));
  }
  return properties;
}

/** "Concept Sedan 02" → concept sedan; model numbers and years name no thing. */
const nameWords = (name: string) => normaliseWords(name).filter((w) => !/\d/.test(w) && w.length > 1);

export function sweetHome3dEntries(root = SWEETHOME3D_ROOT): ArtEntry[] {
  const entries: ArtEntry[] = [];
  for (const library of libraries(root)) {
    const archive = join(root, library);
    let catalogue: Map<string, string>;
    let files: Map<string, ZipEntry>;
    try {
      files = zipEntries(archive);
      const listing = files.get(CATALOGUE);
      if (!listing) continue;
      catalogue = parseProperties(readZipEntry(archive, listing).toString("latin1"));
    } catch {
      continue; // a damaged library adds nothing rather than failing every job
    }
    for (let n = 1; catalogue.has(`id#${n}`); n++) {
      const name = nameWords(catalogue.get(`name#${n}`) ?? "");
      const icon = (catalogue.get(`icon#${n}`) ?? "").replace(/^\//, "");
      if (name.length === 0 || !icon.toLowerCase().endsWith(".png") || !files.has(icon)) continue;
      entries.push({
        art: { source: "sweethome3d", id: `${library}#${icon}`, annotation: name.join(" "), file: `${archive}#${icon}`, placement: placementFromWords(name) ?? "ground" },
        name,
        tags: [],
        // Shorter names are plainer pieces; then each library's own order.
        rank: name.length * 1e6 + n,
        penalty: SOURCE_PENALTY.sweethome3d,
      });
    }
  }
  return entries;
}
