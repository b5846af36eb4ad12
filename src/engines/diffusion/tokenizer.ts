/**
 * CLIP's byte-level BPE tokenizer, as Stable Diffusion pipelines use it for their
 * `tokenizer/` and `tokenizer_2/` folders: every prompt becomes exactly
 * `maxLength` (77) ids — BOS, the prompt's tokens, EOS, then padding.
 *
 * The BPE itself is `@huggingface/tokenizers`, which runs a `tokenizer.json`.
 * Many exported SD folders ship only `vocab.json` + `merges.txt`, so for those we
 * build the same `tokenizer.json` that transformers' slow-to-fast conversion
 * (`CLIPTokenizerFast`) produces. The ids therefore match `CLIPTokenizerFast`
 * (and transformers 5's `CLIPTokenizer`, which is the same thing). The old
 * pure-Python `CLIPTokenizer` differs only on unusual text: with ftfy installed it
 * first "fixes" curly quotes, HTML entities, ligatures, full-width letters and
 * control characters; without ftfy it splits CJK characters and drops control
 * characters. Prompts without those match all three.
 *
 * The package reproduces CLIP exactly (checked against transformers on ~40 prompts
 * in tokenizer.test.ts), so there is no hand-written BPE here; padding and
 * truncation are ours because the package does not do them.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";

export interface ClipTokenizer {
  readonly maxLength: number;
  /** `maxLength` ids: BOS, tokens, EOS, padding; truncated like diffusers' pipelines. */
  encode(text: string): Int32Array;
  /** How many of the prompt's tokens did not fit (diffusers logs a warning). */
  truncatedCount(text: string): number;
}

/** CLIP's text encoder has 77 position embeddings. */
const CLIP_MAX_LENGTH = 77;
const START_OF_TEXT = "<|startoftext|>";
const END_OF_TEXT = "<|endoftext|>";
/** transformers' slow CLIPTokenizer reads only this many merges (49152 - 256 - 2). */
const CLIP_MAX_MERGES = 48894;

type Json = Record<string, unknown>;

/** Loads the tokenizer in `dir` (a model's `tokenizer` or `tokenizer_2` folder). */
export function loadClipTokenizer(dir: string): ClipTokenizer {
  const config = readOptionalJson(dir, "tokenizer_config.json");
  const specialTokensMap = readOptionalJson(dir, "special_tokens_map.json");
  const tokenizerJson = readTokenizerJson(dir);
  const vocab = ((tokenizerJson.model as Json | undefined)?.vocab ?? {}) as Json;
  const addedTokens = (tokenizerJson.added_tokens ?? []) as Json[];

  // Special tokens come from the configs, as transformers resolves them; SD 2.x
  // pads with "!" where SD 1.x pads with <|endoftext|>.
  const special = (role: string, fallback: string): SpecialToken => {
    const declared = config[role] ?? specialTokensMap[role];
    const content = tokenContent(declared) ?? fallback;
    const id = addedTokens.find((token) => token.content === content)?.id ?? vocab[content];
    if (typeof id !== "number") {
      throw new Error(`CLIP tokenizer in ${dir}: its ${role} ${JSON.stringify(content)} is not in the vocabulary`);
    }
    // CLIPTokenizer declares BOS/EOS/UNK as normalized tokens; other special tokens
    // given as plain strings are matched on the raw text.
    const normalized = (declared as Json | undefined)?.normalized ?? role !== "pad_token";
    return { id, content, normalized: normalized === true };
  };
  const bos = special("bos_token", START_OF_TEXT);
  const eos = special("eos_token", END_OF_TEXT);
  const unk = special("unk_token", END_OF_TEXT);
  const pad = special("pad_token", END_OF_TEXT);
  // transformers registers all of them as added tokens, so a prompt's literal "!"
  // becomes SD 2.x's pad id 0 instead of going through the BPE (which would give "!</w>").
  addMissingSpecialTokens(tokenizerJson, [bos, eos, unk, pad]);
  const tokenizer = new Tokenizer(tokenizerJson, config);
  const maxLength = readMaxLength(config);
  const room = maxLength - 2; // BOS and EOS always stay

  const promptIds = (text: string): number[] => tokenizer.encode(text, { add_special_tokens: false }).ids;

  return {
    maxLength,
    encode(text) {
      const ids = promptIds(text).slice(0, room);
      const out = new Int32Array(maxLength).fill(pad.id);
      out[0] = bos.id;
      out.set(ids, 1);
      out[ids.length + 1] = eos.id;
      return out;
    },
    truncatedCount(text) {
      return Math.max(0, promptIds(text).length - room);
    },
  };
}

/**
 * T5's tokenizer (FLUX's `tokenizer_2/`), from its tokenizer.json (SentencePiece Unigram), as
 * FluxPipeline calls it: the prompt's pieces, then `</s>`, padded with `<pad>` to `maxLength`
 * (256 for [schnell], 512 for [dev]) and truncated so `</s>` stays last.
 */
export function loadT5Tokenizer(dir: string, maxLength: number): ClipTokenizer {
  const config = readOptionalJson(dir, "tokenizer_config.json");
  const tokenizerJson = readJson(dir, "tokenizer.json");
  const tokenizer = new Tokenizer(tokenizerJson, config);
  const idOf = (content: string) => {
    const id = tokenizer.token_to_id(content);
    if (typeof id !== "number") throw new Error(`T5 tokenizer in ${dir}: ${content} is not in the vocabulary`);
    return id;
  };
  const eos = idOf(tokenContent(config.eos_token) ?? "</s>");
  const pad = idOf(tokenContent(config.pad_token) ?? "<pad>");
  const room = maxLength - 1;
  const promptIds = (text: string): number[] => tokenizer.encode(text, { add_special_tokens: false }).ids;
  return {
    maxLength,
    encode(text) {
      const ids = promptIds(text).slice(0, room);
      const out = new Int32Array(maxLength).fill(pad);
      out.set(ids, 0);
      out[ids.length] = eos;
      return out;
    },
    truncatedCount(text) {
      return Math.max(0, promptIds(text).length - room);
    },
  };
}

interface SpecialToken {
  id: number;
  content: string;
  normalized: boolean;
}

function addMissingSpecialTokens(tokenizerJson: Json, tokens: SpecialToken[]): void {
  const added = (tokenizerJson.added_tokens ?? []) as Json[];
  for (const { id, content, normalized } of tokens) {
    if (added.some((token) => token.content === content)) continue;
    added.push({ id, content, single_word: false, lstrip: false, rstrip: false, normalized, special: true });
  }
  tokenizerJson.added_tokens = added;
}

function readTokenizerJson(dir: string): Json {
  if (existsSync(join(dir, "tokenizer.json"))) return readJson(dir, "tokenizer.json");
  for (const file of ["vocab.json", "merges.txt"]) {
    if (!existsSync(join(dir, file))) {
      throw new Error(`CLIP tokenizer in ${dir}: missing ${file} (and there is no tokenizer.json)`);
    }
  }
  return clipTokenizerJson(readJson(dir, "vocab.json"), readMerges(dir));
}

/**
 * The tokenizer.json that transformers writes for a CLIP vocab + merges: NFC,
 * whitespace runs to one space, lower-case; split into CLIP's word pattern (the
 * Split keeps the matches, hence `invert`), bytes mapped to printable characters;
 * BPE whose word-final symbols carry `</w>`.
 */
function clipTokenizerJson(vocab: Json, merges: string[]): Json {
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [], // the special tokens, added from the configs by the caller
    normalizer: {
      type: "Sequence",
      normalizers: [
        { type: "NFC" },
        { type: "Replace", pattern: { Regex: "\\s+" }, content: " " },
        { type: "Lowercase" },
      ],
    },
    pre_tokenizer: {
      type: "Sequence",
      pretokenizers: [
        {
          type: "Split",
          pattern: { Regex: "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+" },
          behavior: "Removed",
          invert: true,
        },
        { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
      ],
    },
    post_processor: null, // encode() adds BOS/EOS itself
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: END_OF_TEXT,
      continuing_subword_prefix: "",
      end_of_word_suffix: "</w>",
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges,
    },
  };
}

/** merges.txt: a `#version` header, then one "left right" pair per line. */
function readMerges(dir: string): string[] {
  const lines = readText(dir, "merges.txt").split(/\r?\n/);
  if (lines[0]?.startsWith("#version")) lines.shift();
  return lines.filter((line) => line.trim() !== "").slice(0, CLIP_MAX_MERGES);
}

/** Folders without a usable model_max_length get CLIP's 77 (transformers would give 1e30). */
function readMaxLength(config: Json): number {
  const value = config.model_max_length;
  return typeof value === "number" && Number.isSafeInteger(value) && value > 2 ? value : CLIP_MAX_LENGTH;
}

/** A special token is written either as a string or as an AddedToken object. */
function tokenContent(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value !== null && typeof value === "object" && typeof (value as Json).content === "string") {
    return (value as Json).content as string;
  }
  return undefined;
}

function readOptionalJson(dir: string, file: string): Json {
  return existsSync(join(dir, file)) ? readJson(dir, file) : {};
}

function readJson(dir: string, file: string): Json {
  const text = readText(dir, file);
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    throw new Error(`CLIP tokenizer in ${dir}: ${file} is not valid JSON (${(error as Error).message})`);
  }
}

function readText(dir: string, file: string): string {
  try {
    return readFileSync(join(dir, file), "utf8");
  } catch (error) {
    throw new Error(`CLIP tokenizer in ${dir}: cannot read ${file} (${(error as Error).message})`);
  }
}
