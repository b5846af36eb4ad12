import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadClipTokenizer } from "./tokenizer.js";

const FIXTURES = join(import.meta.dirname, "../../../test/fixtures/diffusion");

interface ExpectedIds {
  fast: number[];
  slowFtfy: number[];
  slowPlain: number[];
}
interface Case {
  prompt: string;
  untruncatedLength: number;
  sd1: ExpectedIds;
  sd2: ExpectedIds;
}
const expected = JSON.parse(readFileSync(join(FIXTURES, "clip-tokenizer-expected.json"), "utf8")) as {
  vocabSize: number;
  cases: Case[];
};

// Every folder form must give transformers' CLIPTokenizerFast ids (see tokenizer.ts
// for where the old slow tokenizer differs).
const forms = [
  { folder: "clip-tokenizer", variant: "sd1", about: "vocab.json + merges.txt, pads with <|endoftext|>" },
  { folder: "clip-tokenizer-sd2", variant: "sd2", about: 'vocab.json + merges.txt, pads with "!"' },
  { folder: "clip-tokenizer-json", variant: "sd1", about: "tokenizer.json only" },
  { folder: "clip-tokenizer-sd2-json", variant: "sd2", about: 'tokenizer.json only, pads with "!"' },
] as const;

describe.each(forms)("loadClipTokenizer($folder: $about)", ({ folder, variant }) => {
  const tokenizer = loadClipTokenizer(join(FIXTURES, folder));

  it("has CLIP's 77 positions", () => {
    expect(tokenizer.maxLength).toBe(77);
  });

  it.each(expected.cases.map((c) => [JSON.stringify(c.prompt).slice(0, 70), c] as const))(
    "encodes %s like transformers",
    (_, c) => {
      const ids = tokenizer.encode(c.prompt);
      expect(ids).toBeInstanceOf(Int32Array);
      expect(Array.from(ids)).toEqual(c[variant].fast);
      expect(tokenizer.truncatedCount(c.prompt)).toBe(Math.max(0, c.untruncatedLength - 77));
    },
  );
});

describe("the fixture", () => {
  it("is laid out like a real CLIP vocab: bytes, bytes</w>, merges, then BOS and EOS", () => {
    const vocab = JSON.parse(readFileSync(join(FIXTURES, "clip-tokenizer/vocab.json"), "utf8")) as Record<
      string,
      number
    >;
    const size = Object.keys(vocab).length;
    expect(size).toBe(expected.vocabSize);
    expect(vocab["!"]).toBe(0);
    expect(vocab["!</w>"]).toBe(256);
    expect(vocab["<|startoftext|>"]).toBe(size - 2);
    expect(vocab["<|endoftext|>"]).toBe(size - 1);
  });

  it("has prompts that need padding, exact fit, and truncation", () => {
    const lengths = expected.cases.map((c) => c.untruncatedLength);
    expect(lengths).toContain(77);
    expect(lengths).toContain(78);
    expect(Math.max(...lengths)).toBeGreaterThan(100);
  });
});

describe("loadClipTokenizer configuration", () => {
  const scratch = mkdtempSync(join(tmpdir(), "clip-tokenizer-test-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** A copy of the SD 1.x fixture folder with some files replaced (a string) or left out (null). */
  function folderWith(name: string, changes: Record<string, string | null>): string {
    const dir = join(scratch, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const file of ["vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"]) {
      const change = changes[file];
      if (change === null) continue;
      if (change === undefined) copyFileSync(join(FIXTURES, "clip-tokenizer", file), join(dir, file));
      else writeFileSync(join(dir, file), change);
    }
    return dir;
  }

  it("truncates to the folder's model_max_length", () => {
    const config = JSON.parse(readFileSync(join(FIXTURES, "clip-tokenizer/tokenizer_config.json"), "utf8"));
    const dir = folderWith("short", { "tokenizer_config.json": JSON.stringify({ ...config, model_max_length: 8 }) });
    const tokenizer = loadClipTokenizer(dir);
    const long = expected.cases.find((c) => c.untruncatedLength > 77)!;
    const full = long.sd1.fast;
    expect(tokenizer.maxLength).toBe(8);
    expect(Array.from(tokenizer.encode(long.prompt))).toEqual([...full.slice(0, 7), full[76]]);
    expect(tokenizer.truncatedCount(long.prompt)).toBe(long.untruncatedLength - 8);
  });

  it("falls back to 77 and <|endoftext|> padding without any config files", () => {
    const dir = folderWith("bare", { "tokenizer_config.json": null, "special_tokens_map.json": null });
    const tokenizer = loadClipTokenizer(dir);
    const c = expected.cases[0]!;
    expect(tokenizer.maxLength).toBe(77);
    expect(Array.from(tokenizer.encode(c.prompt))).toEqual(c.sd1.fast);
  });

  it("takes the pad token from special_tokens_map.json when tokenizer_config.json has none", () => {
    const dir = folderWith("pad-from-map", {
      "tokenizer_config.json": JSON.stringify({ model_max_length: 77 }),
      "special_tokens_map.json": JSON.stringify({ pad_token: { content: "!" } }),
    });
    const c = expected.cases[0]!;
    expect(Array.from(loadClipTokenizer(dir).encode(c.prompt))).toEqual(c.sd2.fast);
  });

  it("names the folder and the missing file", () => {
    const noMerges = folderWith("no-merges", { "merges.txt": null });
    expect(() => loadClipTokenizer(noMerges)).toThrow(new RegExp(`${escape(noMerges)}.*merges\\.txt`));
    const missing = join(scratch, "does-not-exist");
    expect(() => loadClipTokenizer(missing)).toThrow(new RegExp(`${escape(missing)}.*vocab\\.json`));
  });

  it("names the folder and the file that is not JSON", () => {
    const dir = folderWith("bad-json", { "vocab.json": "{ not json" });
    expect(() => loadClipTokenizer(dir)).toThrow(new RegExp(`${escape(dir)}.*vocab\\.json is not valid JSON`));
  });

  it("rejects a pad token the vocabulary lacks", () => {
    const dir = folderWith("bad-pad", { "tokenizer_config.json": JSON.stringify({ pad_token: "<pad>" }) });
    expect(() => loadClipTokenizer(dir)).toThrow(/pad_token "<pad>" is not in the vocabulary/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
