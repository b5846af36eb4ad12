// Maps of countries, states and continents from Xfig's libraries (Debian's
// `xfig-libs`, under the permissive Xfig licence): about 200 outlines in
// /usr/share/xfig/Libraries/Maps, each a FIG file of polygons, one per region
// (Texas, Australia, the United States with its states, Africa with its
// countries). They are named "<place> map" and answer only names nothing else
// draws, so "a map of Texas" is Texas (understand/things.ts joins "of" and a
// name) and "a map" stays OpenMoji's world map. Drawn as filled outlines.

import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { normaliseWords } from "../words.js";
import { filesUnder } from "./package-tree.js";
import { SOURCE_PENALTY, type ArtEntry } from "./table.js";

export const XFIG_MAPS_ROOT = "/usr/share/xfig/Libraries/Maps";

/** OpenMoji's world map is the one drawn for "a map of the world". */
const SKIPPED = new Set(["Miscellaneous/world.fig"]);
/** Other names a map is asked for by. */
const ALIASES: Record<string, string[]> = {
  "USA/usa.fig": ["united states", "usa", "us", "america"],
  "Europe/unitedkingdom.fig": ["united kingdom", "uk", "britain", "great britain"],
  "Europe/netherlands.fig": ["netherlands", "holland"],
  "Asia/myanmar.fig": ["myanmar", "burma"],
};
/** A region's own name in its file's first comment is at most this long; longer comments describe the projection. */
const LONGEST_NAME = 4;

/** "# The Netherlands" → netherlands; "# Cabinda (Angola)" → cabinda; a sentence → null. */
export function placeFromComment(comment: string): string | null {
  if (/\.\s*$/.test(comment)) return null;
  const words = normaliseWords(comment.replace(/\([^)]*\)/g, " ")).filter((w, i) => !(i === 0 && w === "the"));
  return words.length > 0 && words.length <= LONGEST_NAME ? words.join(" ") : null;
}

/** The places a map file shows, by its first comment, else its file name, and its aliases. */
function placesOf(file: string, text: string): string[] {
  const comment = /^# (.*)$/m.exec(text)?.[1] ?? "";
  const place = placeFromComment(comment) ?? normaliseWords(basename(file, ".fig").replace(/_/g, " ")).join(" ");
  return [...new Set([place, ...(ALIASES[file] ?? [])])];
}

/** A FIG drawing's polylines and splines as point lists, each marked closed or open. */
export function figShapes(text: string): { points: number[]; closed: boolean }[] {
  const lines = text.split("\n");
  const shapes: { points: number[]; closed: boolean }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fields = lines[i].trim().split(/\s+/).map(Number);
    const [code, subtype] = fields;
    if (lines[i].startsWith("\t") || (code !== 2 && code !== 3)) continue;
    const count = fields.at(-1) ?? 0;
    // A polyline's header has 16 fields (its arrows after it), a spline's 14; picture boxes (2 5) name a file first.
    if ((code === 2 && (fields.length !== 16 || subtype === 5)) || (code === 3 && fields.length !== 14) || !(count > 0)) continue;
    i += (fields[code === 2 ? 13 : 11] === 1 ? 1 : 0) + (fields[code === 2 ? 14 : 12] === 1 ? 1 : 0);
    const points: number[] = [];
    while (points.length < count * 2 && i + 1 < lines.length && lines[i + 1].startsWith("\t")) {
      points.push(...lines[++i].trim().split(/\s+/).map(Number));
    }
    if (points.length !== count * 2 || points.some((n) => !Number.isFinite(n))) continue;
    // Splines list their control factors after the points: skip them.
    if (code === 3) for (let seen = 0; seen < count && i + 1 < lines.length && lines[i + 1].startsWith("\t"); ) seen += lines[++i].trim().split(/\s+/).length;
    // An outline drawn as a polyline that ends where it began is a region too (Vietnam's).
    const ends = Math.hypot(points[0] - points.at(-2)!, points[1] - points.at(-1)!);
    const closed = code === 2 ? subtype !== 1 || (count > 3 && ends <= CLOSING_GAP) : subtype === 1 || subtype === 3 || subtype === 5;
    shapes.push({ points, closed });
  }
  return shapes;
}

/** FIG units (1/1200 inch) between a polyline's ends for it to close a region. */
const CLOSING_GAP = 60;
const LAND = "#e8d9a6";
const BORDER = "#6b5634";

/** A map file as an SVG of land-coloured regions with dark borders, framed to its drawing. */
export function figMapSvg(text: string): string {
  const shapes = figShapes(text);
  const xs = shapes.flatMap((s) => s.points.filter((_, k) => k % 2 === 0));
  const ys = shapes.flatMap((s) => s.points.filter((_, k) => k % 2 === 1));
  if (xs.length === 0) return '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>';
  const [x0, y0] = [Math.min(...xs), Math.min(...ys)];
  const [width, height] = [Math.max(...xs) - x0, Math.max(...ys) - y0];
  const stroke = Math.max(width, height) / 250;
  const paths = shapes.map(({ points, closed }) => {
    const d = points.reduce((acc, n, k) => acc + (k % 2 === 0 ? `${k === 0 ? "M" : "L"}${n} ` : `${n} `), "") + (closed ? "Z" : "");
    return `<path d="${d}" fill="${closed ? LAND : "none"}"/>`;
  });
  const m = stroke * 2;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${x0 - m} ${y0 - m} ${width + 2 * m} ${height + 2 * m}">` +
    `<g stroke="${BORDER}" stroke-width="${stroke}" stroke-linejoin="round">${paths.join("")}</g></svg>`;
}

export function xfigMapEntries(root = XFIG_MAPS_ROOT): ArtEntry[] {
  const maps = filesUnder(root).filter((f) => f.endsWith(".fig") && !SKIPPED.has(f));
  return maps.flatMap((file, n) => {
    const text = readFileSync(join(root, file), "latin1");
    return placesOf(file, text).map((place) => {
      const name = [...place.split(" "), "map"];
      return {
        art: { source: "xfig" as const, id: file, annotation: name.join(" "), file: join(root, file), placement: "ground" as const },
        name,
        tags: [],
        rank: n,
        penalty: SOURCE_PENALTY.xfig,
        // Only for names nothing else draws: "map" alone stays the world map.
        fallback: true,
      };
    });
  });
}
