// Which OpenClipart keywords name things. Authors tagged their art with
// adjectives and moods too ("wooden", "festive", "dead"); indexed as tags those
// would draw a random picture for a describing word. wink-nlp's English
// tagger decides (a keyword on its own gets its most likely part of speech).

import { createRequire } from "node:module";
import type WinkFn from "wink-nlp";
import type { WinkMethods } from "wink-nlp";

let nlp: WinkMethods | undefined;

function tagger(): WinkMethods {
  if (!nlp) {
    const require = createRequire(import.meta.url);
    const winkNLP = require("wink-nlp") as typeof WinkFn;
    nlp = winkNLP(require("wink-eng-lite-web-model"), ["pos"]);
  }
  return nlp;
}

const verdicts = new Map<string, boolean>();

/** Whether a keyword ("pet", "ice cream") ends in a noun: its head word names a thing. */
export function namesAThing(keyword: string): boolean {
  let verdict = verdicts.get(keyword);
  if (verdict === undefined) {
    const { its } = tagger();
    const tags = tagger().readDoc(keyword).tokens().out(its.pos) as string[];
    const head = tags[tags.length - 1];
    verdict = head === "NOUN" || head === "PROPN";
    verdicts.set(keyword, verdict);
  }
  return verdict;
}

/** Drops the tagger and verdicts once the index is built: the model is a dozen megabytes the index no longer needs. */
export function releaseNounTagger(): void {
  nlp = undefined;
  verdicts.clear();
}
