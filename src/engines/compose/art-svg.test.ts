import { describe, it, expect } from "vitest";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import type { ArtRef } from "./art-index.js";
import { getArtIndex } from "./art-index.js";
import { ART_BOX, artFragment, contentBox } from "./art-svg.js";

const dir = mkdtempSync(join(tmpdir(), "easel-art-svg-"));

function localArt(file: string, content: string | Buffer): ArtRef {
  writeFileSync(join(dir, file), content);
  return { source: "local", id: file, annotation: file, file: join(dir, file), placement: "ground" };
}

/** Renders fragments side by side, each in its own 72×72 cell, and counts pixels near each colour (null: any opaque one) per cell. */
async function renderCells(fragments: string[], colours: ([number, number, number] | null)[]): Promise<number[][]> {
  const size = 96;
  const cells = fragments.map((f, i) => `<g transform="translate(${i * ART_BOX} 0)">${f}</g>`).join("");
  const doc = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${size * fragments.length}" height="${size}" viewBox="0 0 ${ART_BOX * fragments.length} ${ART_BOX}">${cells}</svg>`;
  const { data, info } = await sharp(Buffer.from(doc)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return fragments.map((_f, cell) =>
    colours.map((colour) => {
      let n = 0;
      for (let y = 0; y < info.height; y++) {
        for (let x = cell * size; x < (cell + 1) * size; x++) {
          const i = (y * info.width + x) * 4;
          if (data[i + 3] <= 200) continue;
          if (!colour || Math.abs(data[i] - colour[0]) + Math.abs(data[i + 1] - colour[1]) + Math.abs(data[i + 2] - colour[2]) < 60) n++;
        }
      }
      return n;
    }),
  );
}

const inkscape = (fill: string) => `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:sodipodi="http://inkscape.sourceforge.net/DTD/sodipodi-0.dtd"
  xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" width="210mm" height="297mm" sodipodi:docname="x.svg">
  <metadata><rdf:RDF><dc:title>x</dc:title></rdf:RDF></metadata>
  <sodipodi:namedview id="base" inkscape:zoom="0.35"><inkscape:grid type="xygrid"/></sodipodi:namedview>
  <style type="text/css">.st0{fill:${fill}}</style>
  <g inkscape:label="Layer 1" inkscape:groupmode="layer" id="layer1">
    <rect class="st0" x="300" y="500" width="60" height="60" sodipodi:nodetypes="cccc"/>
  </g>
</svg>`;

describe("art from other editors", () => {
  it("drops editor namespaces, scopes stylesheets and frames a small drawing on a big page", async () => {
    const red = localArt("red-square.svg", inkscape("#ff0000"));
    const blue = localArt("blue-square.svg", inkscape("#0000ff"));
    for (const art of [red, blue]) {
      const box = await contentBox(art);
      // The 60-unit square on an A4 page now fills the art box, less a small margin.
      expect(box.right - box.left).toBeGreaterThan(0.85);
      expect(box.bottom - box.top).toBeGreaterThan(0.85);
    }
    const fragments = [red, blue].map((art, i) => artFragment(art, { colour: null, detail: "full", idPrefix: `t${i}-` }));
    for (const f of fragments) expect(f).not.toMatch(/sodipodi|inkscape|metadata|rdf:/);
    // Same class name in both files: each keeps its own colour.
    const [redCell, blueCell] = await renderCells(fragments, [[255, 0, 0], [0, 0, 255]]);
    expect(redCell[0]).toBeGreaterThan(3000);
    expect(redCell[1]).toBe(0);
    expect(blueCell[1]).toBeGreaterThan(3000);
    expect(blueCell[0]).toBe(0);
  });

  it("expands Illustrator's entity styles", async () => {
    const art = localArt("green.svg", `<?xml version="1.0"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [
  <!ENTITY ns_svg "http://www.w3.org/2000/svg">
  <!ENTITY st0 "fill:#00ff00;">
]>
<svg xmlns="&ns_svg;" xmlns:i="http://ns.adobe.com/AdobeIllustrator/10.0/" width="100" height="100" viewBox="0 0 100 100">
  <i:pgf id="adobe_illustrator_pgf">binary</i:pgf>
  <g i:extraneous="self"><circle style="&st0;" cx="50" cy="50" r="40"/></g>
</svg>`);
    await contentBox(art);
    const [[green]] = await renderCells([artFragment(art, { colour: null, detail: "full", idPrefix: "g-" })], [[0, 255, 0]]);
    expect(green).toBeGreaterThan(3000);
  });
});

describe("PNG art", () => {
  it("is drawn as an embedded image, framed to its opaque pixels and scaled down when large", async () => {
    // 800×400, transparent, with an opaque green block in the middle.
    const png = await sharp({ create: { width: 800, height: 400, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .composite([{ input: { create: { width: 200, height: 200, channels: 4, background: { r: 20, g: 200, b: 40, alpha: 1 } } }, left: 300, top: 100 }])
      .png()
      .toBuffer();
    const art = localArt("green-block.png", png);
    const box = await contentBox(art);
    expect(box.right - box.left).toBeGreaterThan(0.85);
    const fragment = artFragment(art, { colour: "#ff0000", detail: "full", idPrefix: "p-" });
    expect(fragment).toMatch(/<image [^>]*href="data:image\/png;base64,/);
    expect(fragment.length).toBeLessThan(png.toString("base64").length);
    const [[green]] = await renderCells([fragment], [[20, 200, 40]]);
    expect(green).toBeGreaterThan(6000);
  });

  it("is found by its file name through the index", () => {
    localArt("kite.png", Buffer.alloc(8));
    expect(getArtIndex([dir]).lookup("kite")?.art).toMatchObject({ source: "local", id: "kite.png", placement: "sky" });
  });
});

describe.skipIf(!existsSync("/usr/share/openclipart/svg"))("installed OpenClipart art", () => {
  it("renders, framed to its drawing", async () => {
    const piano = getArtIndex().lookup("piano")!.art;
    expect(piano.source).toBe("openclipart");
    const box = await contentBox(piano);
    expect(Math.max(box.right - box.left, box.bottom - box.top)).toBeGreaterThan(0.85);
    // Framed, the drawing covers much of its 96×96 cell (on its A4 page it would be a speck).
    const [[opaque]] = await renderCells([artFragment(piano, { colour: null, detail: "full", idPrefix: "o-" })], [null]);
    expect(opaque).toBeGreaterThan(96 * 96 * 0.3);
  });
});

describe("the surface a thing rests on", () => {
  it("is the drawing's lowest top over its middle third: a bed's mattress, not its headboard", async () => {
    // A headboard post on the left reaching the top, a mattress across the bottom half.
    const bed = localArt("bed.svg", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
<rect x="5" y="10" width="10" height="80" fill="#000"/><rect x="5" y="55" width="90" height="35" fill="#000"/></svg>`);
    const box = await contentBox(bed);
    expect(box.top).toBeLessThan(0.2);
    expect(box.surface).toBeGreaterThan(box.top + 0.3);
    expect(box.surface).toBeLessThan(box.bottom);
  });
});
