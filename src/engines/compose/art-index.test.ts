import { describe, it, expect, beforeEach } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clearArtIndexes, getArtIndex } from "./art-index.js";

/** A tiny OpenClipart-shaped tree: titles and keywords in RDF metadata, as the Debian package ships them. */
function fakeOpenClipart(): string {
  const root = mkdtempSync(join(tmpdir(), "easel-openclipart-"));
  const clip = (folder: string, file: string, title: string, creator: string, keywords: string[]) => {
    mkdirSync(join(root, folder), { recursive: true });
    const li = keywords.map((k) => `<rdf:li>${k}</rdf:li>`).join("");
    writeFileSync(join(root, folder, file), `<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:cc="http://web.resource.org/cc/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" width="744" height="1052">
  <metadata><rdf:RDF><cc:Work rdf:about="">
    <dc:title>${title}</dc:title>
    <dc:subject><rdf:Bag>${li}</rdf:Bag></dc:subject>
    <dc:creator><cc:Agent><dc:title>${creator}</dc:title></cc:Agent></dc:creator>
  </cc:Work></rdf:RDF></metadata>
  <rect x="300" y="400" width="100" height="80" fill="#336699"/>
</svg>`);
  };
  clip("buildings", "lighthouse_jane_roe_01.svg", "Lighthouse by Jane Roe", "Jane Roe", ["coast", "beaconhouse"]);
  clip("animals/mammals/housecats", "cartoon_cat_02.svg", "Cartoon cat 2", "John Doe", ["kitty", "pet"]);
  clip("animals/birds", "seagull_01.svg", "Flying seagull", "John Doe", ["gull"]);
  clip("transportation/boating", "dinghy.svg", "Little dinghy", "John Doe", ["boat"]);
  clip("computer/icons", "gnome-folder.svg", "Folder", "Someone", ["icon"]);
  return root;
}

describe("art index over all sources", () => {
  beforeEach(() => clearArtIndexes());
  const openClipartRoot = fakeOpenClipart();

  it("indexes OpenClipart titles and keywords next to OpenMoji", () => {
    const index = getArtIndex([], { openClipartRoot });
    expect(index.stats.entries.openclipart).toBe(4); // the icon folder is left out
    expect(index.stats.entries.openmoji).toBeGreaterThan(2000);
    const lighthouse = index.lookup("lighthouse");
    expect(lighthouse?.art).toMatchObject({ source: "openclipart", id: "buildings/lighthouse_jane_roe_01.svg", annotation: "lighthouse" });
    expect(index.lookup("lighthouses")?.art.id).toBe(lighthouse?.art.id);
    expect(index.lookup("beaconhouse")?.art.source).toBe("openclipart");
    // A very common thing stays OpenMoji even when OpenClipart has a clean "cat".
    expect(index.lookup("cat")?.art.source).toBe("openmoji");
    expect(index.lookup("folder")?.art.source).not.toBe("openclipart");
  });

  it("places OpenClipart art by its name and folder", () => {
    const index = getArtIndex([], { openClipartRoot });
    expect(index.lookup("flying seagull")?.art.placement).toBe("sky");
    expect(index.lookup("little dinghy")?.art.placement).toBe("water");
    expect(index.lookup("lighthouse")?.art.placement).toBe("ground");
  });

  it("indexes Tux Paint's stamps below the colour sets", () => {
    const tuxPaintRoot = mkdtempSync(join(tmpdir(), "easel-tuxpaint-"));
    for (const [stamp, description] of [["wombat", "A wombat."], ["cat", "A cat."]]) {
      writeFileSync(join(tuxPaintRoot, `${stamp}.txt`), `${description}\n`);
      writeFileSync(join(tuxPaintRoot, `${stamp}.svg`), "<svg/>");
    }
    const index = getArtIndex([], { openClipartRoot, tuxPaintRoot });
    expect(index.stats.entries.tuxpaint).toBe(2);
    expect(index.lookup("wombats")?.art).toMatchObject({ source: "tuxpaint", id: "wombat.svg" });
    expect(index.lookup("cat")?.art.source).toBe("openmoji");
  });

  it("lists operator SVG and PNG files ahead of every other source", () => {
    const dir = mkdtempSync(join(tmpdir(), "easel-art-"));
    writeFileSync(join(dir, "cat.png"), Buffer.alloc(0));
    writeFileSync(join(dir, "red-barn.svg"), "<svg/>");
    const index = getArtIndex([dir], { openClipartRoot });
    expect(index.lookup("cat")?.art).toMatchObject({ source: "local", id: "cat.png" });
    expect(index.lookup("red barn")?.art.source).toBe("local");
    expect(index.stats.entries.local).toBe(2);
  });
});

describe("the index cache", () => {
  beforeEach(() => clearArtIndexes());
  const openClipartRoot = fakeOpenClipart();

  it("builds once, then reads the cache; a changed folder rebuilds it", () => {
    const cacheDir = join(mkdtempSync(join(tmpdir(), "easel-cache-")), "cache");
    const dir = mkdtempSync(join(tmpdir(), "easel-art-"));
    writeFileSync(join(dir, "robot.svg"), "<svg/>");

    const first = getArtIndex([dir], { cacheDir, openClipartRoot });
    expect(first.stats.origin).toBe("built");
    const files = readdirSync(cacheDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^art-index-[0-9a-f]{16}\.json$/);

    clearArtIndexes();
    const second = getArtIndex([dir], { cacheDir, openClipartRoot });
    expect(second.stats.origin).toBe("cache");
    expect(second.stats.keys).toBe(first.stats.keys);
    expect(second.stats.entries).toEqual(first.stats.entries);
    for (const key of ["robot", "lighthouse", "cats", "kitten", "car", "beaconhouse"]) expect(second.lookup(key)).toEqual(first.lookup(key));

    writeFileSync(join(dir, "spaceship.svg"), "<svg/>");
    clearArtIndexes();
    const third = getArtIndex([dir], { cacheDir, openClipartRoot });
    expect(third.stats.origin).toBe("built");
    expect(third.lookup("spaceship")?.art.source).toBe("local");
    // The stale index is removed, the new one kept.
    expect(readdirSync(cacheDir)).toHaveLength(1);
    expect(readdirSync(cacheDir)[0]).not.toBe(files[0]);
  });

  it("rebuilds from a damaged cache file", () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "easel-cache-"));
    getArtIndex([], { cacheDir, openClipartRoot });
    const [file] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, file), "{ not json");
    clearArtIndexes();
    const index = getArtIndex([], { cacheDir, openClipartRoot });
    expect(index.stats.origin).toBe("built");
    expect(index.lookup("lighthouse")?.art.source).toBe("openclipart");
  });

  it("reuses the index built for a folder list whether or not later callers pass a cache dir", () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "easel-cache-"));
    const index = getArtIndex([], { cacheDir, openClipartRoot });
    expect(getArtIndex([], { openClipartRoot })).toBe(index);
  });
});

const hasOpenClipart = existsSync("/usr/share/openclipart/svg");

describe("the installed openclipart-svg package", () => {
  beforeEach(() => clearArtIndexes());

  it.skipIf(!hasOpenClipart)("adds thousands of entries and fills gaps OpenMoji leaves", () => {
    const index = getArtIndex();
    expect(index.stats.entries.openclipart).toBeGreaterThan(2500);
    for (const key of ["lighthouse", "piano", "xylophone", "grain elevator"]) {
      expect(index.lookup(key)?.art.source, key).toBe("openclipart");
    }
    for (const key of ["cat", "dog", "car", "tree", "balloon", "house"]) {
      expect(index.lookup(key)?.art.source, key).toBe("openmoji");
    }
  });
});
