import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nameFromDescription, nameFromStampFile, tuxPaintEntries } from "./tuxpaint.js";

describe("Tux Paint stamp names", () => {
  it.each([
    ["A wombat.", "wombat"],
    ["A grey jacket.", "grey jacket"],
    ["A pair of blue jeans with patches.", "blue jeans with patches"],
    ["A peacock (a male peafowl).", "peacock"],
    ["A “Fuji” apple.", "fuji apple"],
    ["A ripe, red tomato!", "ripe red tomato"],
    ["Tux—the Linux mascot!", null],
    ["Eat your bread!", null],
    ["A stethoscope lets your doctor listen to your heart and lungs.", null],
  ])("%s names %s", (line, name) => expect(nameFromDescription(line)?.join(" ") ?? null).toBe(name));

  it.each([
    ["seasonal/christmas/Candy_cane_photo_1.png", "candy cane"],
    ["clothes/t_jacket.png", "jacket"],
    ["animals/dinosaur/cartoon/dinosaurSings.svg", "dinosaur sings"],
  ])("the file %s names %s", (file, name) => expect(nameFromStampFile(file).join(" ")).toBe(name));
});

/** A tiny stamps tree as Debian's tuxpaint-stamps-default lays it out: a picture beside its description. */
function fakeStamps(): string {
  const root = mkdtempSync(join(tmpdir(), "easel-tuxpaint-"));
  const stamp = (path: string, description: string, picture = "svg") => {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, `${path}.txt`), `${description}\nfr.utf8=Une description.\n`);
    writeFileSync(join(root, `${path}.${picture}`), picture === "svg" ? "<svg/>" : Buffer.alloc(8));
  };
  stamp("animals/marsupials/wombat", "A wombat.", "png");
  stamp("animals/fish/clownfish", "A clownfish.");
  stamp("household/toilet", "Remember to flush the toilet and wash your hands with soap!");
  stamp("seasonal/hanukkah/dreydl-shin", "Shin stands for shtel arayn or put in.");
  stamp("symbols/alphabets/english/filled/uppercase/A_filled", "A letter A.");
  stamp("town/roadsigns/stop", "A stop sign.");
  writeFileSync(join(root, "animals/marsupials/wombat.svg"), "<svg/>"); // SVG and PNG of one stamp: the SVG is used
  writeFileSync(join(root, "animals/marsupials/koala.png"), Buffer.alloc(8)); // no description: no stamp
  return root;
}

describe("Tux Paint entries", () => {
  const entries = tuxPaintEntries(fakeStamps());
  const byName = (name: string) => entries.find((e) => e.name.join(" ") === name);

  it("reads each described stamp once, named by its description or, for a sentence, its file", () => {
    expect(entries.map((e) => e.name.join(" ")).sort()).toEqual(["clownfish", "stop sign", "toilet", "wombat"]);
    expect(byName("wombat")?.art).toMatchObject({ source: "tuxpaint", id: "animals/marsupials/wombat.svg", placement: "ground" });
    expect(byName("clownfish")?.art.placement).toBe("water");
  });

  it("draws signs only by their whole name, and nothing without the package", () => {
    expect(byName("stop sign")?.restricted).toBe(true);
    expect(byName("wombat")?.restricted).toBe(false);
    expect(tuxPaintEntries(join(tmpdir(), "no-such-tuxpaint"))).toEqual([]);
  });
});
