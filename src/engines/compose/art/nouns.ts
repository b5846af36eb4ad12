// Which OpenClipart keywords name things. Authors tagged their art with
// adjectives and moods too ("wooden", "festive", "dead"); indexed as tags those
// would draw a random picture for a describing word. wink-nlp's English
// tagger decides (a keyword on its own gets its most likely part of speech).

import { tagger } from "../tagger.js";

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

/** Drops the verdicts once the index is built (the tagger itself is shared with the prompt reader). */
export function releaseNounTagger(): void {
  verdicts.clear();
}
