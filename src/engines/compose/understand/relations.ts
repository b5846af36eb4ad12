// How things stand to each other. Between two things in a clause, the last
// relation phrase ("on", "next to", "holding", "in front of") relates them.
// Prepositions attach to the nearest thing before them, verbs to the thing
// doing them: in "a man wearing glasses and holding an umbrella" the man
// holds the umbrella, not the glasses.

import type { Relation, RelationKind } from "../prompt.js";
import type { Token } from "./parse.js";
import type { ClauseReading, Mention } from "./things.js";

interface Cue {
  /** Words to match in order; a one-word verb cue matches its lemma too ("holds", "held"). */
  words: string[];
  relation: RelationKind;
  /** "a basket containing apples": the apples are inside the basket. */
  reversed?: boolean;
  /** Verb cues attach to the clause's subject, not to the nearest thing. */
  verb?: boolean;
  /** "in a hat", "with a scarf": worn when the object is something worn. */
  wornWhenWearable?: boolean;
  /** Only after a container: "a basket of apples", not "a statue of a horse". */
  containerOnly?: boolean;
}

const cue = (phrase: string, relation: RelationKind, extra: Partial<Cue> = {}): Cue => ({ words: phrase.split(" "), relation, ...extra });

const CUES: Cue[] = [
  cue("in front of", "in front of"), cue("in back of", "behind"), cue("on top of", "on"), cue("inside of", "inside"),
  cue("at the top of", "on"), cue("on the top of", "on"),
  cue("next to", "next to"), cue("close to", "next to"), cue("beside", "next to"), cue("near", "next to"),
  cue("nearby", "next to"), cue("alongside", "next to"), cue("among", "next to"), cue("amongst", "next to"),
  cue("amid", "next to"), cue("by", "next to"), cue("past", "next to"), cue("at", "next to"), cue("with", "next to", { wornWhenWearable: true }),
  // "the girl's hat": worn; "the girl's balloon": beside her.
  cue("'s", "next to", { wornWhenWearable: true }),
  cue("on", "on"), cue("upon", "on"), cue("onto", "on"), cue("atop", "on"), cue("ride", "on", { verb: true }),
  cue("under", "under"), cue("underneath", "under"), cue("beneath", "under"), cue("below", "below"),
  cue("above", "above"), cue("over", "above"), cue("behind", "behind"),
  cue("in", "inside", { wornWhenWearable: true }), cue("inside", "inside"), cue("within", "inside"), cue("into", "inside"),
  cue("around", "around"), cue("surround", "around", { verb: true }), cue("encircle", "around", { verb: true }),
  cue("surrounded by", "around", { reversed: true }), cue("between", "between"),
  cue("contain", "inside", { reversed: true, verb: true }), cue("full of", "inside", { reversed: true }),
  cue("of", "inside", { reversed: true, containerOnly: true }),
  // "a jar to the left of a bucket": beside it, not a jar of buckets.
  ...["to the left of", "to the right of", "on the left of", "on the right of", "left of", "right of"].map((words) => cue(words, "next to")),
  cue("filled with", "inside", { reversed: true, verb: true }),
  ...["hold", "carry", "use", "hug", "grab", "clutch", "wield", "cuddle", "embrace", "eat", "drink", "play"].map((v) =>
    cue(v, "holding", { verb: true }),
  ),
  cue("held by", "holding", { reversed: true }), cue("carried by", "holding", { reversed: true }),
  cue("wear", "wearing", { verb: true }), cue("dressed in", "wearing", { verb: true }), cue("worn by", "wearing", { reversed: true }),
];

/** Longest cues first, so "in front of" wins over "in". */
const BY_LENGTH = [...CUES].sort((a, b) => b.words.length - a.words.length);
const CONJUNCTIONS = new Set(["and", "&", "plus", "or"]);
/** Relations that fix one thing to another: later prepositions describe the holder. */
const ATTACHING = new Set<RelationKind>(["holding", "wearing"]);

/** "holds", "holding", "held" are forms of "hold"; the lemma decides, spelling backs it up ("riding" lemmatises oddly). */
function isFormOf(t: Token, verb: string): boolean {
  if (t.lemma === verb) return true;
  const stem = verb.replace(/e$/, "");
  return [`${verb}s`, `${verb}es`, `${stem}ing`, `${stem}ed`, `${verb}d`].includes(t.word);
}

function cueAt(tokens: Token[], k: number, end: number): Cue | null {
  for (const c of BY_LENGTH) {
    if (k + c.words.length > end) continue;
    const fits = c.words.every((w, j) => tokens[k + j].word === w || (c.words.length === 1 && c.verb === true && isFormOf(tokens[k + j], w)));
    if (fits) return c;
  }
  return null;
}

/** The last cue in tokens [from, to), or null; also whether only a conjunction joins the two sides. */
function readGap(tokens: Token[], from: number, to: number): { cue: Cue | null; conjoined: boolean } {
  let found: Cue | null = null;
  let conjoined = false;
  for (let k = from; k < to; k++) {
    const c = cueAt(tokens, k, to);
    if (c) {
      found = c;
      k += c.words.length - 1;
    } else if (CONJUNCTIONS.has(tokens[k].word)) conjoined = true;
  }
  return { cue: found, conjoined: conjoined && found === null };
}

class RelationReader {
  readonly relations: Relation[] = [];
  /** For each thing that is a relation's object, its subject and how: the chain leads back to the clause's subject. */
  private readonly objectOf = new Map<Mention, { subject: Mention; relation: RelationKind }>();
  /** Things joined by "and" share a preposition: "a cat and a dog on a sofa". */
  private readonly groupOf = new Map<Mention, Mention[]>();
  /** The first thing of the latest clause with things, for clauses that start with a cue ("…, sitting on a sofa"). */
  private lastSubject: Mention | null = null;

  readClause(reading: ClauseReading): void {
    const { tokens, mentions } = reading;
    if (mentions.length === 0) return;
    const opening = readGap(tokens, 0, mentions[0].start);
    if (opening.cue && this.lastSubject) this.relate(this.lastSubject, opening.cue, reading, 0);
    for (let m = 1; m < mentions.length; m++) {
      const before = mentions[m - 1];
      const gap = readGap(tokens, before.end, mentions[m].start);
      if (gap.cue && (!gap.cue.containerOnly || before.container)) {
        this.relate(before, gap.cue, reading, m);
      } else if (gap.conjoined && !this.objectOf.has(before)) {
        const group = this.groupOf.get(before) ?? [before];
        group.push(mentions[m]);
        for (const member of group) this.groupOf.set(member, group);
      }
    }
    this.lastSubject = this.rootOf(mentions[0], true);
  }

  /**
   * Walks from a thing to the one it belongs to: through attachments for
   * prepositions; for verbs also through places ("a cat on a sofa holding a
   * ball"), but not past a neighbour ("next to") or a thing without art.
   */
  private rootOf(mention: Mention, verb: boolean): Mention {
    let at = mention;
    for (let guard = 0; guard < 32; guard++) {
      const up = this.objectOf.get(at);
      if (!up || up.subject.id === null) break;
      if (!ATTACHING.has(up.relation) && (!verb || up.relation === "next to")) break;
      at = up.subject;
    }
    return at;
  }

  /** Relates `near` (or the thing it belongs to) to the clause's mention `index` by cue `c`. */
  private relate(near: Mention, c: Cue, { tokens, mentions }: ClauseReading, index: number): void {
    const object = mentions[index];
    const relation: RelationKind = c.wornWhenWearable && object.wearable ? "wearing" : c.relation;
    // "a cat hugging an otter with a scarf": the nearest person or animal wears it, not the one holding it.
    const subject = relation === "wearing" && !c.verb && near.wearer ? near : this.rootOf(near, c.verb === true);
    const subjects = this.groupOf.get(subject) ?? [subject];
    // "between a dog and a fox": both are objects.
    const objects = [object];
    if (relation === "between") {
      const next = mentions[index + 1];
      if (next && readGap(tokens, object.end, next.start).conjoined) objects.push(next);
    }
    for (const s of subjects) {
      for (const o of objects) {
        const [from, to] = c.reversed ? [o, s] : [s, o];
        if (!this.objectOf.has(to)) this.objectOf.set(to, { subject: from, relation });
        if (from.id === null || to.id === null || from.id === to.id) continue;
        const exists = this.relations.some((r) => r.subject === from.id && r.object === to.id && r.relation === relation);
        if (!exists) this.relations.push({ subject: from.id, relation, object: to.id });
      }
    }
  }
}

export function readRelations(readings: ClauseReading[]): Relation[] {
  const reader = new RelationReader();
  for (const reading of readings) reader.readClause(reading);
  return reader.relations;
}
