// Easel's own drawings: every file the table names is there and draws
// something, every file there is named, and the index answers their names
// ahead of the stand-ins they replace.
import { readdirSync, readFileSync } from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { getArtIndex } from "../art-index.js";
import { planPicture } from "../prompt.js";
import { DRAWINGS, DRAWINGS_DIR, drawingEntries } from "./drawings.js";

describe("Easel's own drawings", () => {
  it("has a file for every drawing the table names, and a name for every file", () => {
    const files = readdirSync(DRAWINGS_DIR).filter((f) => f.endsWith(".svg")).map((f) => f.slice(0, -4)).sort();
    expect(files).toEqual(Object.keys(DRAWINGS).sort());
  });

  it.each(Object.keys(DRAWINGS))("%s is a 72×72 drawing with ink on it", async (file) => {
    const svg = readFileSync(`${DRAWINGS_DIR}${file}.svg`, "utf8");
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 72 72">/);
    expect(svg).not.toMatch(/<script|<image|href=|<text/i);
    const { data, info } = await sharp(Buffer.from(svg)).resize(72, 72).raw().toBuffer({ resolveWithObject: true });
    let inked = 0;
    for (let i = 3; i < data.length; i += info.channels) if (data[i] > 0) inked++;
    expect(inked / (72 * 72)).toBeGreaterThan(0.02); // a constellation is a few dots and lines
  });

  it("gives each name one entry, own name first", () => {
    const names = drawingEntries().map((e) => e.name.join(" "));
    expect(new Set(names).size).toBe(names.length);
    expect(drawingEntries().find((e) => e.art.id === "leather-jacket")?.art.annotation).toBe("leather jacket");
  });

  it.each([
    ["skyscraper", "skyscraper"],
    ["leather jacket", "leather-jacket"],
    ["business suit", "suit"],
    ["corgi", "corgi"],
    ["kilt", "kilt"],
    ["doorknocker", "door-knocker"],
    ["lego block", "lego-brick"],
    ["formal clothes", "tuxedo"],
    ["chrysler building", "chrysler-building"],
    ["grand canyon", "grand-canyon"],
    ["pug", "pug"],
    ["st bernard", "saint-bernard"],
    ["mailman", "mail-carrier"],
    ["candy floss", "cotton-candy"],
    ["suit of armour", "suit-of-armor"],
  ])("draws %s by its own drawing", (name, file) => {
    expect(getArtIndex().lookup(name)?.art).toMatchObject({ source: "easel", id: file });
  });

  it("puts a drawing whose name does not say where it sits on water or in the sky", () => {
    expect(getArtIndex().lookup("swordfish")?.art.placement).toBe("water");
    expect(getArtIndex().lookup("hubble telescope")?.art.placement).toBe("sky");
    expect(getArtIndex().lookup("pug")?.art.placement).toBe("ground");
    // One drawing, one place, whichever of its names found it: a Corvette Stingray is no ray, a komodo dragon no flier.
    expect(getArtIndex().lookup("corvette stingray")?.art.placement).toBe("ground");
    expect(getArtIndex().lookup("komodo dragon")?.art.placement).toBe("ground");
    expect(getArtIndex().lookup("cardinal bird")?.art.placement).toBe(getArtIndex().lookup("cardinal")?.art.placement);
  });

  it("keeps the other sources' art for the general words in its names", () => {
    for (const word of ["jacket", "clothes", "table", "bag", "building", "block", "sign"]) expect(getArtIndex().lookup(word)?.art.source, word).not.toBe("easel");
  });

  it("draws them in pictures of the prompts that had only stand-ins", () => {
    const drawn = (prompt: string) => planPicture(prompt).things.map((t) => `${t.art.source}:${t.art.id}`);
    expect(drawn("a kangaroo wearing a leather jacket and a kilt")).toEqual(["openmoji:1F998", "easel:leather-jacket", "easel:kilt"]);
    expect(drawn("a giant gorilla at the top of the Empire State Building")).toContain("easel:empire-state-building");
    expect(planPicture("a giant gorilla at the top of the Empire State Building").setting.place).toBe("city");
  });
});
