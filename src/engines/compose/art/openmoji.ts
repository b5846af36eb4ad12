// OpenMoji (CC BY-SA 4.0, the `openmoji` npm package): about 4,000 emoji with
// annotations and tags. Always present, so it is the index's backbone.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Placement } from "../art-index.js";
import { normaliseWords } from "../words.js";
import { placementFromWords } from "./placement.js";
import { SOURCE_PENALTY, type ArtEntry } from "./table.js";

interface OpenMojiRecord {
  hexcode: string;
  group: string;
  subgroups: string;
  annotation: string;
  tags: string;
  openmoji_tags: string;
  skintone: string;
  order: number | string;
}

export function openMojiRoot(): string {
  return dirname(createRequire(import.meta.url).resolve("openmoji/package.json"));
}

/** The package's identity for the index cache. */
export function openMojiIdentity(): string {
  const root = openMojiRoot();
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
  return `${root}@${version}`;
}

/** Groups that are not pictures of things: drawn only when named exactly. */
function isRestricted(e: OpenMojiRecord): boolean {
  return (
    e.group === "component" || e.group === "extras-unicode" ||
    (e.group === "extras-openmoji" && (e.subgroups === "brand" || e.subgroups === "ui-element"))
  );
}

const isFlag = (e: OpenMojiRecord) =>
  e.group === "flags" || e.subgroups === "subdivision-flag" || (e.group === "extras-openmoji" && e.subgroups === "flags");

/**
 * A flag's names, as a prompt asks for it: "flag: United Kingdom" is the "united kingdom flag", and
 * by OpenMoji's own tags the "uk flag" and "great britain flag" (so "the flag of the United Kingdom"
 * finds it). Country codes ("GB") name nothing a prompt says.
 */
function flagNames(e: OpenMojiRecord): { name: string[]; rank: number }[] {
  const order = typeof e.order === "number" ? e.order : 100000;
  const country = /^flag: (.*)$/i.exec(e.annotation)?.[1];
  if (!country) return [{ name: normaliseWords(e.annotation), rank: order }];
  const own = normaliseWords(country);
  const aliases = e.openmoji_tags.split(",").map((t) => normaliseWords(t)).filter((w) => w.length > 0);
  // A flag's own name first; then aliases, those of a flag that lists its own name among them first: the U.S.
  // Outlying Islands carry the United States' aliases ("usa", "america"), but the "america flag" is the US flag.
  const ownsAliases = aliases.some((a) => a.join(" ") === own.join(" "));
  const flagged = (words: string[]) => (words.at(-1) === "flag" ? words : [...words, "flag"]);
  return [{ name: flagged(own), rank: order }, ...aliases.map((a) => ({ name: flagged(a), rank: order + (ownsAliases ? 1e6 : 2e6) }))];
}

function placementFor(e: OpenMojiRecord, words: string[]): Placement {
  const byWords = placementFromWords(words);
  if (byWords === "ground") return "ground";
  if (e.subgroups === "sky-weather" || e.subgroups === "transport-air") return "sky";
  if (e.subgroups === "transport-water") return "water";
  if (e.subgroups === "animal-marine" && !/crab|lobster|shell|oyster|coral|shrimp|seal/.test(e.annotation)) return "water";
  return byWords ?? "ground";
}

export function openMojiEntries(): ArtEntry[] {
  const root = openMojiRoot();
  const svgDir = join(root, "color", "svg");
  const data = JSON.parse(readFileSync(join(root, "data", "openmoji.json"), "utf8")) as OpenMojiRecord[];
  const entries: ArtEntry[] = [];
  data.forEach((e, position) => {
    if (e.skintone) return; // the un-skintoned base emoji stands for all of them
    // Flags answer only their own names ("japan flag"), never "flag" alone: a plain flag is no country's.
    if (isFlag(e)) {
      for (const { name, rank } of flagNames(e)) {
        entries.push({
          art: { source: "openmoji", id: e.hexcode, annotation: e.annotation, file: join(svgDir, `${e.hexcode}.svg`), placement: "ground" },
          name,
          tags: [],
          rank,
          penalty: SOURCE_PENALTY.openmoji,
          fallback: true,
        });
      }
      return;
    }
    const name = normaliseWords(e.annotation);
    const tags = `${e.tags},${e.openmoji_tags}`.split(",").map((t) => normaliseWords(t).join(" ")).filter(Boolean);
    // Smileys and OpenMoji's own extras are marked down a little: a "cat" is the animal, not the face.
    const groupPenalty = (e.group === "extras-openmoji" ? 3 : 0) + (e.group === "smileys-emotion" ? 4 : 0);
    entries.push({
      art: {
        source: "openmoji",
        id: e.hexcode,
        annotation: e.annotation,
        file: join(svgDir, `${e.hexcode}.svg`),
        placement: placementFor(e, name),
      },
      name,
      tags,
      // OpenMoji's own order puts common emoji first.
      rank: (typeof e.order === "number" ? e.order : 100000) + position / 100000,
      penalty: SOURCE_PENALTY.openmoji + groupPenalty,
      restricted: isRestricted(e),
    });
  });
  return entries;
}
