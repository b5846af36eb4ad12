// game-icons.net (CC BY 3.0, through Iconify's `@iconify-json/game-icons`):
// about 4,000 one-colour silhouettes named by what they show ("windmill",
// "toaster", "submarine"). They fill the gaps the colour sets leave, so they
// rank below OpenMoji and OpenClipart for the same name. Pictures that use one
// credit the project in their metadata (attribution.ts).

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { normaliseWords } from "../words.js";
import { namesAThing, releaseNounTagger } from "./nouns.js";
import { placementFromWords } from "./placement.js";
import { SOURCE_PENALTY, type ArtEntry } from "./table.js";

interface IconSet {
  width?: number;
  height?: number;
  icons: Record<string, { body: string; width?: number; height?: number; hidden?: boolean }>;
}

/** Silhouettes are drawn in this colour unless the prompt names one: a mid slate that sits in day and night scenes. */
export const SILHOUETTE_COLOUR = "#5a6472";

function packageRoot(): string | null {
  try {
    return dirname(createRequire(import.meta.url).resolve("@iconify-json/game-icons/package.json"));
  } catch {
    return null;
  }
}

/** The package's identity for the index cache ("" when it is not installed). */
export function gameIconsIdentity(): string {
  const root = packageRoot();
  if (!root) return "";
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
  return `${root}@${version}`;
}

let set: IconSet | null = null;
function iconSet(file: string): IconSet {
  set ??= JSON.parse(readFileSync(file, "utf8")) as IconSet;
  return set;
}

/** Names that are game mechanics, not things: "rank-3", "health-normal", "upgrade". */
const NOT_THINGS = /\b(rank|level|health|mana|upgrade|downgrade|cancel|confirm|return|save|load|trophy cup|abstract|rune|sigil|glyph|pentacle|cycle|divert|contract|expand|shrink|split|merge)\b/;

export function gameIconEntries(): ArtEntry[] {
  const root = packageRoot();
  if (!root) return [];
  const file = join(root, "icons.json");
  const entries: ArtEntry[] = [];
  for (const [id, icon] of Object.entries(iconSet(file).icons)) {
    if (icon.hidden) continue;
    const name = normaliseWords(id.replace(/-/g, " ")).filter((w) => !/^\d+$/.test(w));
    const joined = name.join(" ");
    // Names of several words are compounds ("street light", where the tagger would see an adjective); one word must be a noun.
    const thing = name.length > 1 || namesAThing(joined);
    if (name.length === 0 || NOT_THINGS.test(joined) || !thing) continue;
    entries.push({
      art: { source: "gameicons", id, annotation: joined, file: `${file}#${id}`, placement: placementFromWords(name) ?? "ground" },
      name,
      tags: [],
      rank: name.length * 1e6 + icon.body.length,
      penalty: SOURCE_PENALTY.gameicons,
    });
  }
  releaseNounTagger();
  return entries;
}

/** One icon as an SVG document in its own coordinates, its `currentColor` made a real colour so recolouring works. */
export function gameIconSvg(ref: string): string {
  const at = ref.lastIndexOf("#");
  const data = iconSet(ref.slice(0, at));
  const icon = data.icons[ref.slice(at + 1)];
  if (!icon) throw new Error(`no game icon ${ref.slice(at + 1)}`);
  const width = icon.width ?? data.width ?? 512;
  const height = icon.height ?? data.height ?? 512;
  const body = icon.body.replace(/currentColor/g, SILHOUETTE_COLOUR);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${body}</svg>`;
}
