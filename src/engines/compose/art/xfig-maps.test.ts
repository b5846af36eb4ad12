import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { figMapSvg, figShapes, placeFromComment, xfigMapEntries } from "./xfig-maps.js";

/** A FIG 3.2 file as Xfig's map library writes them: a header, a comment naming the region, its polygons. */
const FIG = `#FIG 3.2
Landscape
Center
Inches
Letter
100.00
Single
-2
# Squareland
1200 2
# Squareland
2 3 0 1 0 7 100 0 -1 0.000 1 0 7 0 0 5
\t 100 100 500 100 500 400 100 400
\t 100 100
2 1 0 1 0 7 100 0 -1 0.000 1 0 7 1 0 2
\t0 0 1.00 60.00 120.00
\t 100 100 500 400
4 0 0 50 -1 0 12 0.0000 4 135 495 300 300 label\\001
`;

describe("Xfig maps", () => {
  it("reads polygons and polylines (past an arrow line), not text", () => {
    expect(figShapes(FIG)).toEqual([
      { points: [100, 100, 500, 100, 500, 400, 100, 400, 100, 100], closed: true },
      { points: [100, 100, 500, 400], closed: false },
    ]);
    const svg = figMapSvg(FIG);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="[\d. -]+">/);
    expect(svg).toContain('<path d="M100 100 L500 100 L500 400 L100 400 L100 100 Z" fill="#e8d9a6"/>');
    expect(svg).toContain('fill="none"');
  });

  it.each([
    ["Texas", "texas"],
    ["The Netherlands", "netherlands"],
    ["Cabinda (Angola)", "cabinda"],
    ["Albers Equal-Area projection map of the USA.", null],
  ])("names the region of the comment %s", (comment, place) => expect(placeFromComment(comment)).toBe(place));

  it("names each map '<place> map', with aliases, as a fallback that leaves 'map' alone", () => {
    const root = mkdtempSync(join(tmpdir(), "easel-xfig-"));
    mkdirSync(join(root, "USA"));
    writeFileSync(join(root, "USA", "squareland.fig"), FIG);
    writeFileSync(join(root, "USA", "usa.fig"), FIG.replace(/# Squareland/g, "# Albers Equal-Area projection map of the USA."));
    const entries = xfigMapEntries(root);
    expect(entries.map((e) => e.name.join(" "))).toEqual([
      "squareland map", "usa map", "united states map", "us map", "america map",
    ]);
    expect(entries.every((e) => e.fallback && e.art.source === "xfig")).toBe(true);
    expect(xfigMapEntries(join(root, "absent"))).toEqual([]);
  });
});
