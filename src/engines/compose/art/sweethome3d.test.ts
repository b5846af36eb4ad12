import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseProperties, sweetHome3dEntries } from "./sweethome3d.js";
import { readArchivedFile, zipEntries } from "./zip-entries.js";

/** A zip archive as Sweet Home 3D writes its libraries: local headers, then the central directory and its end record. */
function zip(files: Record<string, Buffer | string>, deflate = true): Buffer {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content);
    const stored = deflate ? deflateRawSync(data) : data;
    const nameBytes = Buffer.from(name);
    // The local header holds method, sizes and name length from byte 8, the directory entry from byte 10.
    const header = (signature: number, length: number, at: number) => {
      const record = Buffer.alloc(length);
      record.writeUInt32LE(signature, 0);
      record.writeUInt16LE(deflate ? 8 : 0, at);
      record.writeUInt32LE(stored.length, at + 10);
      record.writeUInt32LE(data.length, at + 14);
      record.writeUInt16LE(nameBytes.length, at + 18);
      return record;
    };
    const local = header(0x04034b50, 30, 8);
    const entry = header(0x02014b50, 46, 10);
    entry.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, stored);
    directory.push(entry, nameBytes);
    offset += 30 + nameBytes.length + stored.length;
  }
  const central = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, central, end]);
}

const CATALOGUE = `# PluginFurnitureCatalog.properties
id=SweetHome3D#Test
id#1=Test#hammock
name#1=Hammock
icon#1=/test/hammock.png
id#2=Test#sedan
name#2=Concept Sedan 02
icon#2=/test/sedan.png
id#3=Test#caf\\u00e9
name#3=Caf\\u00e9 \\
  table
icon#3=/test/missing.png
`;

describe("zip entries", () => {
  it("reads one entry, stored or deflated, without the rest", () => {
    const dir = mkdtempSync(join(tmpdir(), "easel-zip-"));
    for (const deflate of [true, false]) {
      const file = join(dir, `${deflate}.zip`);
      writeFileSync(file, zip({ "a.txt": "first", "icons/b.png": Buffer.from([1, 2, 3]) }, deflate));
      expect([...zipEntries(file).keys()]).toEqual(["a.txt", "icons/b.png"]);
      expect([...readArchivedFile(`${file}#icons/b.png`)]).toEqual([1, 2, 3]);
      expect(readArchivedFile(`${file}#a.txt`).toString()).toBe("first");
      expect(() => readArchivedFile(`${file}#c.png`)).toThrow(/no entry/);
    }
    writeFileSync(join(dir, "not.zip"), "plain text");
    expect(() => zipEntries(join(dir, "not.zip"))).toThrow(/not a zip/);
  });
});

describe("Sweet Home 3D libraries", () => {
  it("parses Java properties: escapes and continued lines", () => {
    const properties = parseProperties(CATALOGUE);
    expect(properties.get("name#1")).toBe("Hammock");
    expect(properties.get("name#3")).toBe("Café table");
    expect(properties.get("id#3")).toBe("Test#café");
  });

  it("names each piece by its catalogue name, drawn by its icon inside the archive", () => {
    const root = mkdtempSync(join(tmpdir(), "easel-sweethome3d-"));
    const png = Buffer.from("89504e470d0a1a0a", "hex");
    writeFileSync(join(root, "Test.sh3f"), zip({ "PluginFurnitureCatalog.properties": CATALOGUE, "test/hammock.png": png, "test/sedan.png": png }));
    writeFileSync(join(root, "Damaged.sh3f"), "not a zip");
    const entries = sweetHome3dEntries(root);
    // The piece whose icon is not in the archive is left out, and so is the damaged library.
    expect(entries.map((e) => e.name.join(" "))).toEqual(["hammock", "concept sedan"]);
    expect(entries[0].art).toMatchObject({ source: "sweethome3d", id: "Test.sh3f#test/hammock.png", placement: "ground" });
    expect(readArchivedFile(entries[0].art.file)).toEqual(png);
    expect(sweetHome3dEntries(join(root, "absent"))).toEqual([]);
  });
});
