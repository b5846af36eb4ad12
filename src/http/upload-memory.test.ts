import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { afterAll, describe, expect, it } from "vitest";
import { UploadMemory } from "./upload-memory.js";

const dir = mkdtempSync(join(tmpdir(), "easel-uploads-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const chunks = (...sizes: number[]) => Readable.from(sizes.map((size, i) => Buffer.alloc(size, 97 + i)));

describe("UploadMemory", () => {
  it("keeps parts in memory within the budget and spools the rest to disk, whole", async () => {
    const memory = new UploadMemory(10, dir);
    const small = await memory.read(chunks(4, 4));
    expect(small.bytes?.length).toBe(8);
    expect(memory.heldBytes).toBe(8);
    const big = await memory.read(chunks(1, 5, 3));
    expect(big.path && readFileSync(big.path).toString()).toBe("a" + "bbbbb" + "ccc");
    expect(memory.heldBytes).toBe(8);
    memory.discard(small);
    memory.discard(big);
    expect(memory.heldBytes).toBe(0);
    expect(existsSync(big.path!)).toBe(false);
  });

  it("meters a body as it arrives and refuses the chunk that finds no room", async () => {
    const memory = new UploadMemory(10, dir);
    const fits = memory.metered(chunks(3, 3), () => new Error("no room"));
    expect(await text(fits.stream)).toBe("aaabbb");
    expect(memory.heldBytes).toBe(6);
    const over = memory.metered(chunks(3, 3), () => new Error("no room"));
    await expect(text(over.stream)).rejects.toThrow("no room");
    over.release();
    fits.release();
    expect(memory.heldBytes).toBe(0);
  });
});
