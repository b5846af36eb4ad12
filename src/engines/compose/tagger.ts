// wink-nlp's English tagger, loaded once per process (about 100 ms, 12 MB) and
// shared by the prompt reader and the art index, which tags keywords. Only the
// part-of-speech tagger runs: no sentiment, no entities.

import { createRequire } from "node:module";
import type WinkFn from "wink-nlp";
import type { WinkMethods } from "wink-nlp";

let nlp: WinkMethods | undefined;

/** Loaded on first use, so commands that never read a prompt do not pay for the model. */
export function tagger(): WinkMethods {
  if (!nlp) {
    const require = createRequire(import.meta.url);
    const winkNLP = require("wink-nlp") as typeof WinkFn;
    nlp = winkNLP(require("wink-eng-lite-web-model"), ["pos"]);
  }
  return nlp;
}

/** The part of speech the tagger gives `word` after a lead-in ("it rises", "to pose"): how a word reads in use. */
export function partOfSpeechAfter(lead: string, word: string): string | undefined {
  const { its } = tagger();
  return (tagger().readDoc(`${lead} ${word}`).tokens().out(its.pos) as string[])[1];
}
