// Counting o200k_base tokens (gpt-image-1's tokenizer) in time linear in the
// text. BPE tokenizers merge within each piece of their pre-split, and that
// merge grows faster than linearly with the piece: one run of 8,000 letters
// without a space, or of CJK characters, took seconds. Runs longer than
// MAX_RUN characters are therefore counted in MAX_RUN-character chunks; all
// other text is counted exactly, in one call. A chunked run may count a token
// or two more per chunk than an exact count would; no real word is that long.
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";

export const MAX_RUN = 256;

/** Maximal runs of one class the tokenizer keeps together: letters and marks, symbols and punctuation, whitespace. */
const RUNS = /[\p{L}\p{M}]+|[^\s\p{L}\p{N}]+|\s+/gu;
/** Up to MAX_RUN code points (never half a surrogate pair). */
const CHUNKS = new RegExp(`[^]{1,${MAX_RUN}}`, "gu");

/** Special tokens such as <|endoftext|> in a prompt are text like any other. */
const AS_TEXT = { disallowedSpecial: new Set<string>() };

export function countTextTokens(text: string): number {
  let total = 0;
  let segmentStart = 0;
  for (const run of text.matchAll(RUNS)) {
    if (run[0].length <= MAX_RUN) continue;
    total += exact(text.slice(segmentStart, run.index));
    for (const chunk of run[0].matchAll(CHUNKS)) total += exact(chunk[0]);
    segmentStart = run.index + run[0].length;
  }
  return total + exact(text.slice(segmentStart));
}

function exact(text: string): number {
  return text === "" ? 0 : countTokens(text, AS_TEXT);
}
