// One-colour icon sets through Iconify's JSON packages. They fill the gaps the
// colour sets leave, so they rank below OpenMoji and OpenClipart for the same
// name, and are drawn in a mid slate unless the prompt names a colour. The
// interface sets' small pictograms are a last resort: they answer only words no
// other source draws by name or head noun (table.ts).
//   game-icons.net (CC BY 3.0): ~3,800 detailed silhouettes (windmill, toaster);
//   Material Design Icons (Apache 2.0): everyday objects, vehicles and solids (microwave, fire hydrant, pickup, cone);
//   Font Awesome Free solid (CC BY 4.0): a smaller set (cowboy hat, chalkboard);
//   Temaki (CC0): street and map objects (tree stump, geyser, climbing frame);
//   IconPark solid (Apache 2.0): household and travel objects (phonograph, clock tower).
// Sets that sort their icons into categories are read only in the categories
// that hold things (not arrows, brands or interface glyphs). Pictures that use
// one credit it in their metadata (attribution.ts).

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { ArtSource } from "../art-index.js";
import { normaliseWords } from "../words.js";
import { namesAThing, releaseNounTagger } from "./nouns.js";
import { placementFromWords } from "./placement.js";
import { SOURCE_PENALTY, type ArtEntry } from "./table.js";

interface IconSetSpec {
  source: Exclude<ArtSource, "openmoji" | "openclipart" | "local">;
  /** The Iconify prefix: the package is `@iconify-json/<prefix>`. */
  prefix: string;
  /** Categories (the package's metadata.json) whose icons are things; absent: every icon. */
  categories?: string[];
  /** Words that mark names which are not things. */
  notThings: RegExp;
  /**
   * Small interface pictograms: a last resort (table.ts `fallback`), and words after the first
   * that are badges on another icon ("car-clock") mark no thing.
   */
  pictograms?: boolean;
  /** Words that name the icon's group before the thing ("hat-cowboy", "food-croissant"): moved after it, or dropped. */
  groupFirst?: { after: string[]; dropped: string[] };
}

/** Names that are game mechanics, not things: "rank-3", "health-normal", "upgrade". */
const GAME_MECHANICS = /\b(rank|level|health|mana|upgrade|downgrade|cancel|confirm|return|save|load|trophy cup|abstract|rune|sigil|glyph|pentacle|cycle|divert|contract|expand|shrink|split|merge)\b/;
/** Interface glyphs in the interface sets: "lock-reset", "car-off", "account-cowboy-hat". */
const INTERFACE_WORDS = /\b(off|plus|minus|remove|check|alert|edit|cancel|search|sync|arrow|arrows|settings|cog|network|marker|account|user|file|folder|outline|reset|percent|question|exclamation|xmark|slash|multiple|wireless|bluetooth|import|export)\b/;
/** Badges on another icon ("car-clock", "earth-box", "dog-service"): a thing only as the first word ("clock-tower"). */
const BADGES = new Set(["clock", "heart", "star", "lock", "key", "wrench", "info", "refresh", "pound", "dollar", "music", "speed", "electric", "connected", "service", "circle", "box", "square"]);

export const ICON_SETS: IconSetSpec[] = [
  { source: "gameicons", prefix: "game-icons", notThings: GAME_MECHANICS },
  {
    source: "mdi",
    prefix: "mdi",
    notThings: INTERFACE_WORDS,
    pictograms: true,
    categories: [
      "Agriculture", "Animal", "Automotive", "Clothing", "Food / Drink", "Gaming / RPG", "Hardware / Tools", "Holiday",
      "Home Automation", "Medical / Hospital", "Music", "Nature", "Places", "Religion", "Science", "Shape", "Sport",
      "Transportation + Flying", "Transportation + Other", "Transportation + Road", "Transportation + Water",
    ],
    groupFirst: { after: ["hat", "shoe", "car", "truck", "bus", "glass", "bottle", "cup", "bed", "lamp", "guitar", "tent"], dropped: ["food", "fruit"] },
  },
  {
    source: "fontawesome",
    prefix: "fa6-solid",
    notThings: INTERFACE_WORDS,
    pictograms: true,
    categories: [
      "Animals", "Automotive", "Beverage", "Buildings", "Camping", "Childhood", "Clothing", "Construction", "Education",
      "Food", "Fruits & Vegetables", "Halloween", "Holiday", "Household", "Maritime", "Music", "Objects", "Science Fiction",
      "Sports", "Tabletop Gaming", "Travel", "Vehicles", "Weather", "Winter", "Chess",
    ],
    groupFirst: { after: ["hat", "truck", "car", "shoe", "bottle", "glass"], dropped: [] },
  },
  { source: "temaki", prefix: "temaki", notThings: INTERFACE_WORDS, pictograms: true },
  {
    source: "iconpark",
    prefix: "icon-park-solid",
    notThings: INTERFACE_WORDS,
    pictograms: true,
    categories: ["Animals", "Baby", "Build", "Clothes", "Foods", "Game", "Industry", "Life", "Makeups", "Music", "Sports", "Travel", "Weather"],
  },
];

/** Words that tell a variant of the same drawing apart ("dog-side", "radish-one"): not part of its name. */
const VARIANT_WORDS = new Set(["side", "variant", "alt", "one", "two", "three", "four", "five", "solid", "fill", "filled", "simple"]);

interface IconSet {
  width?: number;
  height?: number;
  icons: Record<string, { body: string; width?: number; height?: number; hidden?: boolean }>;
}

function packageRoot(prefix: string): string | null {
  try {
    return dirname(createRequire(import.meta.url).resolve(`@iconify-json/${prefix}/package.json`));
  } catch {
    return null;
  }
}

/** The installed sets' identity for the index cache. */
export function iconSetsIdentity(): string {
  return ICON_SETS.map(({ prefix }) => {
    const root = packageRoot(prefix);
    if (!root) return "";
    const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    return `${root}@${version}`;
  }).join(";");
}

const sets = new Map<string, IconSet>();
function iconSet(file: string): IconSet {
  let set = sets.get(file);
  if (!set) {
    set = JSON.parse(readFileSync(file, "utf8")) as IconSet;
    sets.set(file, set);
  }
  return set;
}

/** The icons of the categories that hold things, or null when the set has no categories to choose from. */
function iconsInCategories(root: string, categories: string[] | undefined): Set<string> | null {
  if (!categories) return null;
  const file = join(root, "metadata.json");
  const metadata = JSON.parse(readFileSync(file, "utf8")) as { categories?: Record<string, string[]> };
  return new Set(categories.flatMap((c) => metadata.categories?.[c] ?? []));
}

/** The words an icon's id names its thing by: "hat-cowboy-side" → "cowboy hat"; null when it names no thing. */
export function iconName(id: string, spec: Pick<IconSetSpec, "groupFirst" | "notThings" | "pictograms">): string[] | null {
  let words = normaliseWords(id.replace(/-/g, " ")).filter((w) => !/^\d+$/.test(w) && !VARIANT_WORDS.has(w));
  if (words.length === 0 || spec.notThings.test(words.join(" "))) return null;
  if (spec.pictograms && words.slice(1).some((w) => BADGES.has(w))) return null;
  const group = spec.groupFirst;
  if (group && words.length > 1) {
    if (group.dropped.includes(words[0])) words = words.slice(1);
    else if (group.after.includes(words[0])) words = [...words.slice(1), words[0]];
  }
  const joined = words.join(" ");
  // Names of several words are compounds ("street light", where the tagger would see an adjective); one word must be a noun.
  return words.length > 1 || namesAThing(joined) ? words : null;
}

export function iconSetEntries(): ArtEntry[] {
  const entries: ArtEntry[] = [];
  for (const spec of ICON_SETS) {
    const root = packageRoot(spec.prefix);
    if (!root) continue;
    const file = join(root, "icons.json");
    const wanted = iconsInCategories(root, spec.categories);
    for (const [id, icon] of Object.entries(iconSet(file).icons)) {
      if (icon.hidden || (wanted && !wanted.has(id))) continue;
      const name = iconName(id, spec);
      if (!name) continue;
      entries.push({
        art: { source: spec.source, id, annotation: name.join(" "), file: `${file}#${id}`, placement: placementFromWords(name) ?? "ground" },
        name,
        tags: [],
        rank: name.length * 1e6 + icon.body.length,
        penalty: SOURCE_PENALTY[spec.source],
        fallback: spec.pictograms === true,
      });
    }
  }
  releaseNounTagger();
  // Drawing needs only the sets whose icons a picture uses; they are read again then (iconSvg).
  sets.clear();
  return entries;
}

/** Silhouettes are drawn in this colour unless the prompt names one: a mid slate that sits in day and night scenes. */
export const SILHOUETTE_COLOUR = "#5a6472";

/** Whether art comes from one of these sets (drawn from its JSON, not a file of its own). */
export const isIconSetArt = (source: ArtSource): boolean => ICON_SETS.some((s) => s.source === source);

/** One icon as an SVG document in its own coordinates, its `currentColor` made a real colour so recolouring works. */
export function iconSvg(ref: string): string {
  const at = ref.lastIndexOf("#");
  const data = iconSet(ref.slice(0, at));
  const icon = data.icons[ref.slice(at + 1)];
  if (!icon) throw new Error(`no icon ${ref.slice(at + 1)}`);
  const width = icon.width ?? data.width ?? 512;
  const height = icon.height ?? data.height ?? 512;
  const body = icon.body.replace(/currentColor/g, SILHOUETTE_COLOUR);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${body}</svg>`;
}
