// Finds the things to draw. Within a clause, runs of nouns and adjectives are
// noun phrases; each phrase's head (its last noun) is looked up in the art
// index — the longest art name ending at the head first, so "teddy bear" and
// "black cat" stay whole — and the words before it become its colour, size
// and material. Counts ("three", "a pair of", plurals) come from the words
// before the phrase.

import { isColourWord, isShadeWord, namedColour, type NamedColour } from "../colour.js";
import type { ThingPlan } from "../prompt.js";
import { BODY_PARTS, INTERIOR_NOUNS, isAnimalWord, isPersonWord, isWearer, MEDIUM_NOUNS, NON_THING_NOUNS, normaliseWords, NUMBER_WORDS, PLACE_WORDS, SCENE_NOUNS } from "../words.js";
import { materialOf, sizeOf, SIZE_SCALE, type Material, type SizeName } from "./attributes.js";
import type { Clause, Token } from "./parse.js";
import {
  acceptable,
  ARTICLES,
  closedCompoundPart,
  countAt,
  endsPhrase,
  EXACT_MATCH_SCORE,
  inPhrase,
  isGerund,
  isNonThing,
  isThirdPersonVerb,
  isWearable,
  KIN_SCORE,
  lookupSpan,
  NAME_MATCH_SCORE,
  NOUN_TAGS,
  OBJECT_STARTS,
  retag,
  SOME,
  splitPossessive,
  type Lookup,
  type SpanMatch,
} from "./phrases.js";
import { CITIES, CITY_NAMES, isCity, kindOfName, NAME_CONNECTORS, nameAt, type NamedEntity } from "./names.js";
import { inContext } from "./senses.js";
import { isRegion, placeOfName, placeOfNoun, type SettingReader } from "./setting.js";
import { GENERIC_KINDS } from "../art/synonyms.js";
import { lemma } from "../art/lemma.js";
import { namesExactly, namesThing, SCORE } from "../art/table.js";
import { sharedWordNet } from "../art/wordnet.js";
import {
  ACTIVITY_PLACES,
  CONTAINERS,
  COUNTRY_SCENES,
  CROWDS,
  DEPICTED,
  DRAWING_TOOLS,
  DRAWN_KINDS,
  EVENT_HEADS,
  EVENTS_OF_MANY,
  GROUP_HEADS,
  HUNG_PICTURES,
  LIQUIDS,
  NEGATIONS,
  PAINTS,
  PART_NOUNS,
  PIECES,
  PLURAL_MODIFIERS,
  PORTIONS,
  OWNED_PARTS,
  POSSESSIVES,
  PREDICATE_VERBS,
  RIDE_HEADS,
  ROOMS,
  SERVING,
  SHAPE_HEADS,
  SHAPED,
  STATUE_HEADS,
  SUPPORTS,
  YOUNG_ANIMALS,
} from "./lexicon.js";

/** A thing's place in a clause; `id` is null for a thing no art realises (it still separates relations). */
export interface Mention {
  id: number | null;
  start: number;
  end: number;
  /** Its head is something worn: "with a scarf" then means wearing. */
  wearable: boolean;
  /** It holds things: "a basket of apples" puts the apples inside. */
  container: boolean;
  /** A person or animal: "an otter with a scarf" is the otter wearing it, not whoever holds the otter. */
  wearer?: boolean;
  /** Named as not there ("no sheep"). */
  absent?: boolean;
}

/** Whether the phrase at `start` is the "of" complement of a thing named as absent just before it. */
function afterNegated(tokens: Clause, start: number, mentions: Mention[]): boolean {
  const last = mentions[mentions.length - 1];
  if (!last?.absent) return false;
  let k = start - 1;
  while (k > last.end && ARTICLES.has(tokens[k].word)) k--;
  return k === last.end && tokens[k].word === "of";
}

export interface ClauseReading {
  tokens: Clause;
  mentions: Mention[];
}

export interface ThingsRead {
  things: ThingPlan[];
  readings: ClauseReading[];
  unrealised: string[];
  unmatched: string[];
  /** Things the prompt says are not there ("a field with no sheep", "without the otter"), singular. */
  absent: string[];
}

const MAX_COUNT = 12;
/** Misspelt words looked for per prompt; a prompt of gibberish costs no more than this many. */
const MAX_RESPELLINGS = 16;
/** Plurals without a number ("balloons") get a handful. */
const PLURAL_COUNT = 3;
/** The most words an art name has ("great pyramid of giza"); longer spans are never looked up whole. */
const MAX_NAME_WORDS = 8;
/** The least an exact name scores from a one-colour icon set (art/table.ts SOURCE_PENALTY). */
const SILHOUETTE_NAME_SCORE = 60;

/** Still water small enough to draw beside a thing, and the words that put it beside one. */
const POND_WORDS = new Set(["pond", "lake"]);
const POND: Token[] = [{ word: "pond", lemma: "pond", pos: "NOUN" }];
const BESIDE_PREPOSITIONS = new Set(["to", "by", "beside", "near", "with", "behind", "overlooking"]);
const INTO_WATER = new Set(["in", "on", "into", "across", "under", "over", "onto", "through"]);

/** OpenMoji's two people holding hands, for "a couple". */
const COUPLE: Token[] = ["woman", "and", "man", "holding", "hands"].map((word) => ({ word, lemma: word, pos: "NOUN" }));
/** The "of" of an art name such as "ball of yarn". */
const OF: Token = { word: "of", lemma: "of", pos: "ADP" };
/** What a picture hanging in the scene is drawn as. */
const FRAMED_PICTURE: Token[] = [{ word: "framed", lemma: "framed", pos: "ADJ" }, { word: "picture", lemma: "picture", pos: "NOUN" }];

interface Modifiers {
  count: number | null;
  colour: NamedColour | null;
  size: SizeName | null;
  material: Material | null;
}

/** A person WordNet knows by the name, whose name may hold a city's: George Washington, Jack London. */
const isPersonName = (entity: NamedEntity) => sharedWordNet().kindsOfName(entity.words.join(" ")).includes("person");

/** Prepositions that see a place from outside it. */
const OUTSIDE = new Set(["outside", "beside", "near", "past", "behind"]);

/** Words before a garment that say someone has it on. */
const WORN_WITH = new Set(["in", "wearing", "wears"]);

/** Roads, and words before one that put it out of town ("a dirt road"). */
const ROADS = new Set(["road", "lane", "track", "path", "trail", "highway"]);
/** Rooms that, naming a thing, put it indoors ("a kitchen counter"). */
const ROOM_MODIFIERS = new Set(["kitchen", "bedroom", "bathroom", "attic", "basement", "cellar", "classroom", "nursery", "pantry", "hospital", "bakery"]);
/** Places out of town, which name the kind of a town's place they come before ("a desert highway"). */
const WILD_PLACES = new Set<string | undefined>(["desert", "snow", "water", "meadow"]);
/** Names with a place word that stand elsewhere: the Space Needle is a tower in Seattle. */
const PLACE_WORD_MISNOMERS = new Set(["space needle"]);
const RURAL_WORDS = new Set(["country", "dirt", "back", "gravel", "rural", "farm", "forest", "mountain", "muddy", "dusty"]);

const noModifiers = (): Modifiers => ({ count: null, colour: null, size: null, material: null });

/** Reads the words before the head into a colour, size, material and setting. */
function readModifiers(words: Token[], into: Modifiers, setting: SettingReader, phrase: string): void {
  for (let k = 0; k < words.length; k++) {
    const w = words[k].word;
    if (isShadeWord(w) && k + 1 < words.length && isColourWord(words[k + 1].word)) {
      into.colour = namedColour(words[k + 1].word, w);
      k++;
      continue;
    }
    if (isColourWord(w)) into.colour = namedColour(w);
    into.size = sizeOf(w) ?? into.size;
    into.material = materialOf(w) ?? into.material;
    // Adjectives set the scene ("a snowy owl", "a night sky"); nouns before a head do not ("a beach ball").
    // …but only until a noun names a place: "a snowy owl in a grassy field" is in a field.
    if (words[k].pos === "ADJ" || words[k].pos === "ADV" || !PLACE_WORDS[w]) setting.offer(w, phrase, true);
  }
}

/** One noun phrase being read: its words in the clause, its head (last word), and what comes before it. */
interface Phrase {
  tokens: Clause;
  start: number;
  end: number;
  words: Token[];
  head: Token;
  /** Its words joined by spaces. */
  text: string;
  /** The word `n` places before it. */
  before: (n: number) => string | undefined;
  /** The word before its article, or before it: "in" for "in a kitchen". */
  prep: string | undefined;
  pending: Modifiers;
  /** Art for the whole phrase, when it is short enough to be an art's name ("a post office"). */
  whole: () => SpanMatch | null;
  /** Whether that art has the whole phrase as its name. */
  wholeIsArt: () => boolean;
}

/** A step's reading of a phrase: a mention, null when there is nothing to draw, undefined when the step leaves it to the next. */
type Reading = Mention | null | undefined;

function phraseAt(tokens: Clause, start: number, end: number, pending: Modifiers, lookup: Lookup): Phrase {
  const words = tokens.slice(start, end);
  const before = (n: number) => tokens[start - n]?.word;
  let whole: SpanMatch | null | undefined;
  const spanMatch = (span: Token[]) => (span.length > 1 && span.length <= MAX_NAME_WORDS ? lookupSpan(span, lookup) : null);
  const wholeMatch = () => {
    if (whole !== undefined) return whole;
    whole = spanMatch(words);
    // (After describing words: "a red market stall" is the market stall, no room.)
    let from = 0;
    while (from < words.length - 2 && (words[from].pos === "ADJ" || isColourWord(words[from].word))) from++;
    const described = from > 0 && (whole?.score ?? 0) < EXACT_MATCH_SCORE ? spanMatch(words.slice(from)) : null;
    if ((described?.score ?? 0) >= EXACT_MATCH_SCORE) whole = described;
    return whole;
  };
  return {
    tokens, start, end, words, pending, before,
    head: words[words.length - 1],
    text: words.map((t) => t.word).join(" "),
    prep: ARTICLES.has(before(1) ?? "") ? before(2) : before(1),
    whole: wholeMatch,
    wholeIsArt: () => (wholeMatch()?.score ?? 0) >= EXACT_MATCH_SCORE,
  };
}

class ThingReader {
  readonly things: ThingPlan[] = [];
  readonly readings: ClauseReading[] = [];
  private readonly unrealised = new Set<string>();
  private readonly unmatched = new Set<string>();
  private readonly absent = new Set<string>();
  /** The clause being read's mentions so far. */
  private mentions: Mention[] = [];

  constructor(
    private readonly lookup: Lookup,
    private readonly setting: SettingReader,
    private readonly names: NamedEntity[] = [],
    private readonly kindOfName: Lookup = () => null,
    private readonly respell: (word: string) => string | null = () => null,
  ) {}

  /** Misspelt words tried so far in this prompt: each try looks up a few hundred neighbours. */
  private respellings = 0;

  /**
   * The material of a statue just named ("a marble statue of"), for the one it shows: the noun at token `at`;
   * or the art named for the whole ("the statue of Liberty"), drawn instead of that noun's.
   */
  private carving: { material: Material | null; at: number; whole?: SpanMatch } | null = null;

  /** "a glacier", "a canyon", "a diner": a place that is all the prompt names is its subject too, where art names it. */
  private addPlaceAsSubject(): void {
    const { phrase } = this.setting.result();
    if (this.things.length > 0 || this.unrealised.size > 0 || this.absent.size > 0 || !phrase) return;
    const words = nameTokens(normaliseWords(phrase));
    const m = words.length > 0 && words.length <= MAX_NAME_WORDS ? lookupSpan(words, this.lookup) : null;
    if (m && namesExactly(m)) this.addThing(words, 0, words.length, words, 0, m, noModifiers());
  }

  /** Every word of the prompt read so far, for the senses its context calls for (senses.ts). */
  private readonly context: Token[] = [];

  result(): ThingsRead {
    this.addPlaceAsSubject();
    this.addTools();
    return { things: inContext(this.things, this.context, this.lookup), readings: this.readings, unrealised: [...this.unrealised], unmatched: [...this.unmatched], absent: [...this.absent] };
  }

  /**
   * What someone named for playing or using it needs, and what a doing needs: a violinist's violin, the skis of
   * "a potato skiing down a hill". Not where art of them shows it already (a cyclist is drawn on a bicycle).
   */
  private addTools(): void {
    if (this.things.length === 0) return;
    const wanted = new Set<string>();
    // (Only where the player is drawn as a plain person: a cyclist's art rides a bicycle already.)
    for (const t of this.things) if (AGENT_TOOLS[t.name] && PLAIN_PEOPLE.has(t.art.annotation.toLowerCase())) wanted.add(AGENT_TOOLS[t.name]);
    const shown = this.things.flatMap((t) => t.art.annotation.toLowerCase().split(/\W+/));
    for (const t of this.context) {
      const tool = ACTIVITY_TOOLS[t.word];
      // ("a man surfing" may be OpenMoji's person surfing, board and all.)
      if (tool && !shown.some((w) => w.startsWith(t.word.slice(0, -3)))) wanted.add(tool);
    }
    for (const tool of wanted) {
      if (shown.includes(tool)) continue;
      const tokens = tool.split(" ").map((word): Token => ({ word, lemma: word, pos: "NOUN" }));
      const m = lookupSpan(tokens, this.lookup);
      // (Nor where the prompt drew it already under a name of several words: "a golf club", "a bow and arrow".)
      if (m && namesExactly(m) && !this.things.some((t) => t.art.file === m.art.file)) this.addThing(tokens, 0, tokens.length, tokens, 0, m, noModifiers());
    }
  }

  readClause(tagged: Clause): void {
    const tokens = withNamesAsNouns(retag(tagged, this.lookup), this.names);
    this.context.push(...tokens);
    for (const t of tokens) {
      const place = t.pos === "VERB" ? (ACTIVITY_PLACES[t.word] ?? ACTIVITY_PLACES[t.lemma]) : undefined;
      if (place) this.setting.setPlace(place, t.word, true);
    }
    const mentions: Mention[] = [];
    this.carving = null;
    this.mentions = mentions;
    let pending = noModifiers();
    for (let i = 0; i < tokens.length; ) {
      const counted = countAt(tokens, i);
      if (counted) {
        pending.count = counted.count;
        i += counted.used;
        continue;
      }
      if (!inPhrase(tokens, i)) {
        i++;
        continue;
      }
      let end = i + 1;
      while (end < tokens.length && inPhrase(tokens, end) && !endsPhrase(tokens, end)) end++;
      // A name is one phrase, however the tagger took its words ("the Chrysler Building").
      const name = this.names.find((entity) => nameAt(tokens.slice(i, i + entity.words.length).map((t) => t.word), entity) === 0);
      // (And what follows it in the phrase: "the Christ the Redeemer statue".)
      if (name) end = Math.max(end, i + name.words.length);
      while (name && end < tokens.length && inPhrase(tokens, end) && !endsPhrase(tokens, end)) end++;
      // "a boy paints a fence", "a dog watches TV": a word in -s inside a noun phrase is the verb between two.
      // "a girl painting a picture", "a man drawing a horse": a medium's -ing word before its object is what someone does.
      const doing = end - 1 > i && /ing$/.test(tokens[end - 1].word) && MEDIUM_NOUNS.has(tokens[end - 1].word) && NOUN_TAGS.has(tokens[end - 2].pos) &&
        OBJECT_STARTS.has(tokens[end]?.pos ?? "");
      const verb = name ? -1 : doing ? end - 1 : verbInside(tokens, i, end, this.lookup);
      if (verb > i) {
        for (const part of splitPossessive(tokens, i, verb)) {
          const mention = this.readPhrase(tokens, part.start, part.end, pending);
          if (mention) mentions.push(mention);
          pending = noModifiers();
        }
        i = verb + 1;
        continue;
      }
      // Each part of "the girl's hat" is its own phrase; "a children's book drawing" is one (a style).
      // (Not inside an art's name: "Saint Basil's Cathedral" is one. Looked up only where a possessive would split it.)
      const possessive = tokens.slice(i, end).some((t) => t.word === "'s");
      const named = possessive && end - i <= MAX_NAME_WORDS && namesExactly(lookupSpan(tokens.slice(i, end), this.lookup));
      const parts = named ? [{ start: i, end }] : splitPossessive(tokens, i, end);
      const last = parts[parts.length - 1];
      const styleOnly = MEDIUM_NOUNS.has(tokens[last.end - 1].word);
      for (const [k, part] of (styleOnly ? [{ start: i, end }] : parts).entries()) {
        // "a train conductor's hat": the owner is part of the kind of hat, not someone drawn.
        const owned = !styleOnly ? parts[k + 1] : undefined;
        if (owned && owned.end - owned.start === 1 && this.ownedKind(tokens[part.end - 1], tokens[owned.start])) continue;
        // "Van Gogh's sunflowers", "Hokusai's Great Wave": the artist made the work, and is not in it.
        if (owned && isArtist(tokens.slice(part.start, part.end).map((t) => t.word).join(" "))) continue;
        // "a teenager's bedroom", "a dentist's waiting room": whose room it is, not someone in it.
        if (owned && ROOMS.has(tokens[owned.end - 1].lemma)) continue;
        const mention = this.readPhrase(tokens, part.start, part.end, pending);
        if (mention) mentions.push(mention);
        // A colour or size with no noun after it waits for the next one: "red, a cat" cannot, it is another clause.
        if (mention || NOUN_TAGS.has(tokens[part.end - 1].pos)) pending = noModifiers();
      }
      i = end;
    }
    this.readings.push({ tokens, mentions });
  }

  /**
   * Reads one noun phrase [start, end); returns the mention when it names a
   * thing. A recipe: each step below either reads the phrase (a mention, or
   * null when there is nothing to draw) or leaves it to the next, and what no
   * step takes is drawn by its art, or stands as a labelled placeholder.
   */
  private readPhrase(tokens: Clause, start: number, end: number, pending: Modifiers): Mention | null {
    const p = phraseAt(tokens, start, end, pending, this.lookup);
    const forms = p.words.map((t) => t.word);
    const name = this.names.find((entity) => nameAt(forms, entity) >= 0);
    if (name) return this.readName(tokens, start, end, name, pending);
    for (const step of this.steps) {
      const reading = step.call(this, p);
      if (reading !== undefined) return reading;
    }
    return this.asArt(p);
  }

  /** readPhrase's steps, in the order they are tried. */
  private readonly steps: ((this: ThingReader, p: Phrase) => Reading)[] = [
    this.asWholeNameAcrossOf,
    this.asSaidOfOthers,
    this.asShorterPhrase,
    this.asLooksOrStyle,
    this.asCrowd,
    this.asAbsent,
    this.asStatueOf,
    this.asMaterial,
    this.asPlaceWordThing,
    this.asSetting,
    this.asWholeNameOrPicture,
    this.asItsSubject,
    this.asModifiersOnly,
  ];

  /** A colour said of the thing before ("the cat is orange"), a verb, a paint, or a city in lower case: nothing new to draw. */
  private asSaidOfOthers({ tokens, start, end, words, head, text, before }: Phrase): Reading {
    const previousMention = this.mentions[this.mentions.length - 1];
    if (words.length === 1 && isColourWord(head.word) && PREDICATE_VERBS.has(before(1) ?? "") && previousMention?.id != null) {
      const thing = this.things[previousMention.id];
      this.things[previousMention.id] = { ...thing, colour: namedColour(head.word) };
      return null;
    }
    // "a cat that is not orange": a colour it is not, no fruit either.
    if (words.length === 1 && isColourWord(head.word) && before(1) === "not" && PREDICATE_VERBS.has(before(2) ?? "")) return null;
    // "a television that displays an image": a verb after "that", not a thing.
    if (words.length === 1 && head.word.endsWith("s") && ["that", "which", "who"].includes(before(1) ?? "")) return null;
    // "Oil on canvas", "ink on paper", a sentence of just "Charcoal.": what it is painted with, not a thing in it.
    if (PAINTS.has(head.word) && ((tokens[end]?.word === "on" && SUPPORTS.has(tokens[end + 1]?.word ?? "")) || tokens.length === words.length)) return null;
    // "a green pepper sliced into many pieces": what it is cut into, not a thing of its own.
    if (PIECES.has(head.lemma) && tokens[end]?.word !== "of" && tokens.slice(Math.max(0, start - 3), start).some((t) => t.word === "into")) return null;
    // "fading to deep orange": a colour with its shade, no orange fruit.
    if (words.length === 2 && isShadeWord(words[0].word) && isColourWord(head.word)) return null;
    // "a pen-and-ink drawing", "a crayon and pastel sketch": the tools the medium noun after them is made with.
    if (DRAWING_TOOLS.has(head.word) && drawnWith(tokens, end)) return null;
    // "written in chalk", "drawn in crayon": what it is written with.
    if (words.length === 1 && DRAWING_TOOLS.has(head.word) && before(1) === "in" && WRITTEN.has(before(2) ?? "")) return null;
    // "a fog rolling into new york": a city written in lower case is the scene too.
    // ("new" is a stop word, so "new york" reaches here as "york").
    // ("in times square": the tagger may leave "square" out as an adjective.)
    const city = [text, `${before(1)} ${text}`, `${text} ${tokens[end]?.word}`].find((name) => (CITIES.has(name) && name !== "la") || CITY_NAMES.has(name));
    if (city) {
      this.setting.setPlace("city", city);
      return null;
    }
    return undefined;
  }

  /** A phrase whose last word is not the thing: a past tense, a shape, a statue of an animal, an animal's group. */
  private asShorterPhrase({ tokens, start, end, words, head, pending, wholeIsArt }: Phrase): Reading {
    if (words.length < 2) return undefined;
    // A verb the tagger read as a noun ends the phrase before it: a past tense with no art ("the dog chased the cat"),
    // or a word WordNet has only as a verb, with no art by name ("clocks and watches appear").
    const wordnet = sharedWordNet();
    const art = lookupSpan([head], this.lookup);
    const pastTense = head.word.endsWith("ed") && !art && wordnet.isVerbForm(head.word);
    const onlyVerb = (art?.score ?? 0) < NAME_MATCH_SCORE && wordnet.senses(head.lemma).length === 0 && wordnet.isVerb(head.lemma);
    // "a lamp shines nearby", "a dog barks": after "a", a plural is the verb of the thing before it.
    // (The article may come before words that describe it: "an old-fashioned lamp shines".)
    let det = start - 1;
    while (det > 0 && (tokens[det].pos === "ADJ" || tokens[det].pos === "ADV" || tokens[det].word.endsWith("ed"))) det--;
    const singular = tokens[det]?.word === "a" || tokens[det]?.word === "an";
    const presentTense = singular && head.word !== head.lemma && head.word.endsWith("s") && !namesExactly(lookupSpan(words, this.lookup)) && wordnet.isVerb(head.lemma);
    if (pastTense || onlyVerb || presentTense) return this.readPhrase(tokens, start, end - 1, pending);
    // "a yin-yang symbol", "a heart shape", "an eagle figure": the thing itself; "a wooden owl statue" too.
    // (The tagger takes the word before for an adjective: "a mammoth silhouette" is still the mammoth's.)
    // (Not where art names the whole: "an action figure".)
    const namedWhole = (from: number): boolean => words.length - from >= 2 && (namesExactly(lookupSpan(words.slice(from), this.lookup)) || namedWhole(from + 1));
    if (SHAPE_HEADS.has(head.word) && !namedWhole(Math.max(0, words.length - MAX_NAME_WORDS))) {
      const shown = tokens[end - 2];
      if (!NOUN_TAGS.has(shown.pos) && namesExactly(lookupSpan([shown], this.lookup))) tokens[end - 2] = { ...shown, pos: "NOUN" };
      // ("a solitary figure", "a dark silhouette": an adjective says how it looks, so the head is the thing.)
      if (NOUN_TAGS.has(tokens[end - 2].pos)) return this.readPhrase(tokens, start, end - 1, pending);
    }
    const carved = words[words.length - 2];
    // (Not where art has the statue's own name: "the Thinker statue".)
    // (A toy may be for the animal: "a dog toy" is something a dog plays with, "a dinosaur toy" a toy dinosaur.)
    const forIt = /^(?:toy|toys)$/.test(head.word) && TOY_OWNERS.has(carved.lemma);
    const carvedOne = STATUE_HEADS.has(head.word) && NOUN_TAGS.has(carved.pos) && isWearer(carved.lemma) && !forIt && !namesExactly(lookupSpan(words, this.lookup));
    if (carvedOne) return this.readPhrase(tokens, start, end - 1, pending);
    if (RIDE_HEADS.has(head.word) && NOUN_TAGS.has(carved.pos)) return this.readPhrase(tokens, start, end - 1, pending);
    // "an owl family", "a sheep herd": the animals, several of them (but "a fanny pack" is one thing art names).
    if (GROUP_HEADS.has(head.word) && pending.count === null && !wholeIsArt()) {
      pending.count = NUMBER_WORDS[head.word] ?? PLURAL_COUNT;
      return this.readPhrase(tokens, start, end - 1, pending);
    }
    return undefined;
  }

  /** How someone looks ("a grey beard", "green eyes" after someone), or whose style it is: not another thing. */
  private asLooksOrStyle({ tokens, end, words, head, text, before, whole }: Phrase): Reading {
    // (Not a thing art bears the name of: "a steamer trunk", "a chicken wing", "a turtle neck"; but a face with a look, "a
    // smiling face", is the moon's or the square's.)
    const named = head.lemma !== "face" && words.every((t) => NOUN_TAGS.has(t.pos)) && normaliseWords(whole()?.art.annotation ?? "").join("") === words.map((t) => t.word).join("");
    const owned = words.length === 1 && POSSESSIVES.has(before(1) ?? "") && OWNED_PARTS.has(head.word);
    const bodyPart = ((BODY_PARTS.has(head.word) || BODY_PARTS.has(head.lemma)) && !named) || owned;
    // "the eyes of an owl", "the hands of a person": the one they belong to, named next, is drawn.
    if (bodyPart && tokens[end]?.word === "of" && tokens[end + 1] !== undefined) return null;
    if (bodyPart && (this.mentions.length > 0 || this.things.length > 0)) {
      // "a robot with a coffee cup head", "a man with a pumpkin head": the thing that stands for the part is drawn.
      const modifiers = words.slice(0, -1);
      for (let s = 0; s < modifiers.length; s++) {
        const span = modifiers.slice(s);
        // (Not a colour: "long orange hair".)
        const m = span.every((t) => NOUN_TAGS.has(t.pos)) && !isColourWord(span[0].word) ? lookupSpan(span, this.lookup) : null;
        if (m && namesThing(m)) return this.addThing(tokens, end - 1 - span.length, end - 1, span, 0, m, noModifiers());
      }
      readModifiers(modifiers, noModifiers(), this.setting, text);
      return null;
    }
    // "in the style of van gogh", written in lower case: whose style it is, not someone in the picture.
    if (before(1) === "of" && (before(2) === "style" || before(2) === "manner")) return null;
    return undefined;
  }

  /** "a large crowd", "an audience", "a team playing baseball": several people. */
  private asCrowd({ tokens, start, end, words, head, pending }: Phrase): Reading {
    // "a couple in a restaurant", "a young couple dancing" (not "a couple of apples"): two people together.
    if ((head.word === "couple" || head.word === "couples") && tokens[end]?.word !== "of") {
      const together = lookupSpan(COUPLE, this.lookup);
      if (together && namesExactly(together)) return this.addThing(tokens, start, end, words, words.length - 1, { ...together, name: "couple", plural: head.word === "couples" }, pending);
    }
    if (!CROWDS.has(head.word) || tokens[end]?.word === "of") return undefined;
    // (A crowd Easel has drawn is that drawing: "an orchestra".)
    const drawn = lookupSpan(words, this.lookup);
    if (drawn && drawn.art.source === "easel" && namesExactly(drawn)) return undefined;
    const people = lookupSpan([{ ...head, word: "people", lemma: "people" }], this.lookup);
    if (!people) return undefined;
    return this.addThing(tokens, start, end, words, words.length - 1, { ...people, plural: true }, { ...pending, count: pending.count ?? NUMBER_WORDS.crowd });
  }

  /** "no sheep", "without the otter", "not a cloud", "without its peel": named so as not to be drawn. */
  private asAbsent({ tokens, start, end, words, head, before }: Phrase): Reading {
    const determiner = ARTICLES.has(before(1) ?? "") || POSSESSIVES.has(before(1) ?? "");
    const negation = NEGATIONS.has(before(1) ?? "") || (determiner && (NEGATIONS.has(before(2) ?? "") || before(2) === "not")) || (before(1) === "any" && (before(2) === "without" || before(2) === "not" || before(2) === "no")) ||
      // "a truck missing its wheels", "a chair lacking legs" (but "a missing cat" is there).
      (LACKING.has(before(determiner ? 2 : 1) ?? "") && !ARTICLES.has(before(determiner ? 3 : 2) ?? "")) ||
      // "a man not wearing a hat", "a girl who isn't holding an umbrella": what one is denied having is not there
      // (a dog not chasing a cat may still see one).
      (NOT.has(before(determiner ? 3 : 2) ?? "") && HAVING.has(before(determiner ? 2 : 1) ?? "")) ||
      // "a dog instead of a horse", "tea rather than coffee": the thing replaced is not there.
      (before(determiner ? 2 : 1) === "of" && before(determiner ? 3 : 2) === "instead") ||
      (before(determiner ? 2 : 1) === "than" && before(determiner ? 3 : 2) === "rather") ||
      // "without a statue of a horse": what the missing thing is of is missing too.
      (afterNegated(tokens, start, this.mentions));
    if (!negation || !NOUN_TAGS.has(head.pos)) return undefined;
    const found = this.findArt(words);
    this.absent.add(found ? found.match.name : head.lemma);
    return { id: null, start, end, wearable: isWearable(head), container: false, absent: true };
  }

  /** "a statue of a horse", "a bronze sculpture of a lion": the animal or person, carved in the statue's material. */
  private asStatueOf({ tokens, end, words, head, text }: Phrase): Reading {
    const carvedAt = STATUE_HEADS.has(head.word) && tokens[end]?.word === "of" ? tokens.findIndex((t, k) => k > end && NOUN_TAGS.has(t.pos)) : -1;
    if (carvedAt <= 0) return undefined;
    let last = carvedAt;
    while (last + 1 < tokens.length && inPhrase(tokens, last + 1)) last++;
    // "the statue of Liberty": art named for the whole ("Statue of Liberty") is drawn as it is.
    const whole = lookupSpan([head, tokens[end], ...tokens.slice(carvedAt, last + 1)], this.lookup);
    if (whole && whole.score >= EXACT_MATCH_SCORE) {
      this.carving = { material: null, at: carvedAt, whole };
      return null;
    }
    // Someone, or a thing art draws by its own name ("a statue of the Egyptian god Anubis"), not a material.
    const named = !materialOf(tokens[last].word) && namesExactly(lookupSpan([tokens[last]], this.lookup));
    if (!isWearer(tokens[carvedAt].lemma) && !named) return undefined;
    const statue = noModifiers();
    readModifiers(words.slice(0, -1), statue, this.setting, text);
    this.carving = { material: statue.material ?? materialOf("stone"), at: carvedAt };
    return null;
  }

  /**
   * "a teddy bear made of water", "a phonograph made of cardboard", "a flag painted in rusty corrugated iron":
   * what a thing is made of, not a place or a thing of its own.
   */
  private asMaterial(p: Phrase): Reading {
    const { words, head, before } = p;
    const madeOf = before(1) === "of" && (before(2) === "made" || (before(2) === "out" && before(3) === "made"));
    // "painted in iron", "cast in bronze", "carved from marble": a material noun after such a verb, whatever describes it.
    const shapedIn = ["in", "from"].includes(before(1) ?? "") && SHAPED.has(before(2) ?? "") && materialOf(head.word) !== null;
    if (!madeOf && !shapedIn) return undefined;
    if (!p.wholeIsArt() && (PLACE_WORDS[head.word] !== undefined || PLACE_WORDS[head.lemma] !== undefined)) return null;
    const previous = this.mentions[this.mentions.length - 1];
    // ("made of recycled metal": what describes the material says nothing more of the thing.)
    if (materialOf(head.word) && previous?.id != null) {
      const thing = this.things[previous.id];
      this.things[previous.id] = { ...thing, attributes: { ...thing.attributes, material: materialOf(head.word) } };
      return null;
    }
    return undefined;
  }

  /** Place words that are things here: "a white country home" is a house ("at home" is indoors), and grass that grows in a street. */
  private asPlaceWordThing({ tokens, start, end, words, head, before, prep, pending }: Phrase): Reading {
    if (head.lemma === "home" && ARTICLES.has(before(1) ?? "") && prep !== "at") {
      const house = lookupSpan([{ ...head, word: "house", lemma: "house" }], this.lookup);
      if (house) return this.addThing(tokens, start, end, words, words.length - 1, house, pending);
    }
    // "green grass grows from cracks in the street": a place word that does something, where another place is set, grows there.
    const afterPreposition = tokens[start - (ARTICLES.has(before(1) ?? "") ? 2 : 1)]?.pos === "ADP";
    const placeWord = PLACE_WORDS[head.word];
    const acting = placeWord !== undefined && this.setting.current !== null && this.setting.current !== placeWord && !afterPreposition && (tokens[end]?.pos === "VERB" || tokens[end]?.pos === "AUX");
    const actor = acting ? lookupSpan([head], this.lookup) : null;
    if (actor && namesExactly(actor)) return this.addThing(tokens, start, end, words, words.length - 1, actor, pending);
    return undefined;
  }

  /** Place and time nouns set the scene instead of being drawn, unless art has the whole phrase ("a post office", "a desert island"). */
  private asSetting(p: Phrase): Reading {
    const { tokens, start, end, words, head, text, before, prep, pending } = p;
    // "a bar of chocolate": a portion of something, not the place a WordNet sense names.
    // ("in a wooden hut": a building one is in is the room, though "wooden hut" has art.)
    const roomEntered = prep === "in" && ROOMS.has(head.lemma);
    if ((p.wholeIsArt() && !roomEntered) || (PORTIONS.has(head.lemma) && tokens[end]?.word === "of")) return undefined;
    const previous = this.mentions[this.mentions.length - 1];
    // ("spraying water", "drinking water": what is done with it, not a sea either.)
    const used = head.word === "water" && words.length === 1 && tokens[start - 1]?.pos === "VERB";
    const afterThingOf = (before(1) === "of" && previous?.id != null && previous.end === start - 1) || used;
    const depicted = DEPICTED.has(tokens[end]?.word ?? "");
    // "a cottage next to a lake", "a park with a bench and a pond": a pond beside the thing, in the country (a duck in a
    // pond swims in it).
    const onLand = this.setting.current !== null && this.setting.current !== "water";
    if (POND_WORDS.has(head.lemma) && (BESIDE_PREPOSITIONS.has(prep ?? "") || (onLand && !INTO_WATER.has(prep ?? "")))) {
      const pond = lookupSpan(POND, this.lookup);
      if (pond && namesExactly(pond)) {
        if (!onLand) this.setting.setPlace("meadow", text, true);
        return this.addThing(tokens, start, end, words, words.length - 1, { ...pond, name: head.lemma }, pending);
      }
    }
    // "on the surface of the moon", "the far side of the moon": on the moon too.
    const part = before(ARTICLES.has(before(1) ?? "") ? 3 : 2);
    if (head.word === "moon" && words.length === 1 && prep === "of" && (PART_NOUNS.has(part ?? "") || part === "surface")) {
      this.setting.setPlace("moon", text);
      return null;
    }
    // ("in front of a diner" is outside it.)
    const outside = prep === "of" && part === "front" ? "outside" : prep;
    return this.readSetting(words, head, text, outside, afterThingOf, pending, depicted) ? null : undefined;
  }

  /** An art's whole name even where its head alone is no thing ("street lights", "a finish line"), or a picture hanging in the scene. */
  private asWholeNameOrPicture(p: Phrase): Reading {
    const { tokens, start, end, words, head, pending } = p;
    const whole = p.whole();
    if (whole !== null && whole.score >= SILHOUETTE_NAME_SCORE && isNonThing(head)) return this.addThing(tokens, start, end, words, 0, whole, pending);
    // (Or the name ends the phrase: "a red tank top".)
    for (let s = Math.max(1, words.length - MAX_NAME_WORDS); s < words.length - 1 && isNonThing(head); s++) {
      const named = lookupSpan(words.slice(s), this.lookup);
      if (named !== null && named.score >= SILHOUETTE_NAME_SCORE) return this.addThing(tokens, start, end, words, s, named, pending);
    }
    // "a room with two chairs and a painting of …", "a wall with a framed oil painting": a picture hanging there, not the style
    // (nor "a flag with a drawing of a dinosaur": that one is on the flag).
    if (HUNG_PICTURES.has(head.word) && this.hangsInScene(tokens, start, words)) {
      const frame = lookupSpan(FRAMED_PICTURE, this.lookup);
      if (frame && frame.score >= EXACT_MATCH_SCORE) return this.addThing(tokens, start, end, words, words.length - 1, frame, pending);
    }
    return undefined;
  }

  /** "a fireworks display" shows the fireworks; "a panda mad scientist", "a cat chef" are the animal in a role. */
  private asItsSubject(p: Phrase): Reading {
    const { tokens, start, end, words, head, pending } = p;
    if (!p.wholeIsArt() && words.length > 1 && EVENT_HEADS.has(head.word)) {
      if (EVENTS_OF_MANY.has(head.word) && pending.count === null) pending.count = PLURAL_COUNT;
      return this.readPhrase(tokens, start, end - 1, pending);
    }
    // (A person by the list, or by WordNet unless the word is one who does something to the animal or art names
    // the whole: "a wombat warrior" is the wombat, "a dog walker" someone else, a "tyrannosaurus rex" no king.)
    const listed = isPersonWord(head.lemma);
    if (!listed && !(sharedWordNet().isKindOf(head.lemma, ["person"]) && !isAgentNoun(head.lemma))) return undefined;
    // (An adjective is no animal: "a giant robot" is a robot.)
    const animal = words.findIndex((t, k) => k < words.length - 1 && NOUN_TAGS.has(t.pos) && isAnimalWord(t.lemma));
    if (animal < 0) return undefined;
    const whole = lookupSpan(words.slice(animal), this.lookup);
    if (!listed && whole && namesThing(whole)) return undefined;
    return this.readPhrase(tokens, start, start + animal + 1, pending);
  }

  /**
   * The thing just before "of" drawn by art named for both, when that art is named exactly: "a chest of drawers", "the
   * tower of london" (whatever the second part would draw alone).
   */
  private asWholeNameAcrossOf({ tokens, start, end, words }: Phrase): Reading {
    const ofAt = this.ofAfterPrevious(tokens, start);
    if (ofAt < 0) return undefined;
    // (Contents that art draws join their container or portion as addThing says: "a cup of coffee" is the steaming cup.)
    const holder = CONTAINERS.has(tokens[ofAt - 1].lemma) || PORTIONS.has(tokens[ofAt - 1].lemma);
    if (holder && lookupSpan(words, this.lookup) !== null) return undefined;
    // By the words before "of" back to where the thing's mention starts: "a chest of drawers", "the great wall of china".
    const from = this.mentions[this.mentions.length - 1].start;
    let m: SpanMatch | null = null;
    for (let k = ofAt - 1; k >= from && (k === ofAt - 1 || NOUN_TAGS.has(tokens[k].pos)); k--) {
      // ("the dome of the rock" by its article too.)
      m = lookupSpan([...tokens.slice(k, ofAt), OF, ...words], this.lookup);
      if (!namesExactly(m) && start > ofAt + 1) m = lookupSpan([...tokens.slice(k, start), ...words], this.lookup);
      if (namesExactly(m)) break;
    }
    if (!m || !namesExactly(m)) return undefined;
    const previous = this.things[this.things.length - 1];
    this.things[previous.id] = { ...previous, name: m.name, phrase: `${previous.phrase} of ${words.map((t) => t.word).join(" ")}`, art: m.art };
    return { id: previous.id, start, end, wearable: false, container: false };
  }

  /**
   * Where the "of" stands that this phrase follows, when the thing just mentioned ends right at it ("a bottle of
   * wine", "the net of a tennis court"): what the thing before is of. -1 when there is none.
   */
  private ofAfterPrevious(tokens: Clause, start: number): number {
    const previous = this.things[this.things.length - 1];
    const lastMention = this.mentions[this.mentions.length - 1];
    const det = tokens[start - 1]?.word;
    const ofAt = det === "of" ? start - 1 : ARTICLES.has(det ?? "") && tokens[start - 2]?.word === "of" ? start - 2 : -1;
    return previous && ofAt >= 0 && lastMention?.id === previous.id && lastMention.end === ofAt ? ofAt : -1;
  }

  /** A head that names no thing ("a street corner", "the light"), or only adjectives, which wait for a noun unless they are one ("an orange"). */
  private asModifiersOnly({ tokens, start, end, words, head, text, before, pending }: Phrase): Reading {
    // "a cat drawing", "a horse painting": a picture of the thing named before the medium (not "a pencil drawing", nor
    // "a children's book illustration", which say how it is drawn).
    const shown = words.length > 1 && PICTURES_OF.has(head.word) ? words[words.length - 2] : null;
    if (shown && NOUN_TAGS.has(shown.pos) && !DRAWING_TOOLS.has(shown.word) && !PAINTS.has(shown.word) && !MEDIUM_NOUNS.has(shown.word) &&
      !NOT_SUBJECTS.has(shown.word) && !isNonThing(shown) && !isColourWord(shown.word) && !materialOf(shown.word) && tokens[end - 2]?.word !== "'s" &&
      namesThingBy(lookupSpan([shown], this.lookup))) {
      return this.readPhrase(tokens, start, end - 1, pending);
    }
    if (isNonThing(head, words.length === 1 ? before(1) : undefined)) {
      // "a street corner", "the forest edge": the part of a place is that place.
      if (PART_NOUNS.has(head.word)) for (const t of words.slice(0, -1)) this.setting.offer(t.word, text) || this.setting.offer(t.lemma, text);
      readModifiers(words.slice(0, -1), noModifiers(), this.setting, text);
      return null;
    }
    if (NOUN_TAGS.has(head.pos)) return undefined;
    // A colour alone is not a thing ("a yellow '3'"), but "an orange" is the fruit.
    const lone = words.length === 1 && ARTICLES.has(before(1) ?? "") && (!isColourWord(head.word) || head.word === "orange") ? lookupSpan(words, this.lookup) : null;
    if (lone && lone.score >= NAME_MATCH_SCORE) return this.addThing(tokens, start, end, words, 0, lone, pending);
    readModifiers(words, pending, this.setting, text);
    return null;
  }

  /** The thing by its art ("a train conductor's hat", "a teddy bear", "a squirrell"), else a labelled placeholder for a concrete noun. */
  private asArt({ tokens, start, end, words, head, text, pending }: Phrase): Mention | null {
    // "a train conductor's hat": a kind of hat, when its owner and it name art together.
    const owned = tokens[start - 1]?.word === "'s" && words.length === 1 && start >= 2 ? this.ownedKind(tokens[start - 2], head) : null;
    if (owned) return this.addThing(tokens, start, end, words, 0, owned, pending);
    const found = this.findArt(words);
    if (found) return this.addThing(tokens, start, end, words, found.nameStart, found.match, pending);
    // "a squirrell driving a toy car": a misspelt noun, one keystroke from a thing art draws.
    const respelt = this.respellings++ < MAX_RESPELLINGS ? this.respell(head.lemma) : null;
    if (respelt) {
      const fixed = [...words.slice(0, -1), { ...head, word: head.word === head.lemma ? respelt : `${respelt}s`, lemma: respelt }];
      const match = this.findArt(fixed);
      if (match) return this.addThing(tokens, start, end, fixed, match.nameStart, match.match, pending);
    }
    // "a cat birthday party", "a bear wedding": an abstraction after an animal or a person is their occasion; they are drawn.
    const drawn = (t: Token) => NOUN_TAGS.has(t.pos) && (isAnimalWord(t.lemma) || isPersonWord(t.lemma));
    let whose = sharedWordNet().isAbstract(head.lemma) ? words.length - 2 : -1;
    while (whose >= 0 && !drawn(words[whose])) whose--;
    if (whose >= 0 && words.slice(whose + 1).every((t) => NOUN_TAGS.has(t.pos))) return this.readPhrase(tokens, start, start + whose + 1, pending);
    // "a scoop of ice cream": a portion nothing draws is what it is of, read next.
    if (PORTIONS.has(head.lemma) && tokens[end]?.word === "of") return null;
    // No art: report the noun compound, singular ("subway train", "veterinarian"); its adjectives may still set the scene.
    readModifiers(words.slice(0, -1), noModifiers(), this.setting, text);
    // "an empty concert hall", "a great hall": an interior nothing draws is where the picture is, whatever the preposition.
    if (ROOMS.has(head.lemma)) {
      this.setting.setPlace("indoor", text);
      return { id: null, start, end, wearable: false, container: false };
    }
    // "posing", "coming": a verb the tagger took for a noun is no missing thing; nor is a letter ("the letters P A X").
    if ((words.length === 1 && isGerund(head.word)) || head.word.length === 1) return null;
    let first = words.length - 1;
    while (first > 0 && NOUN_TAGS.has(words[first - 1].pos) && !NON_THING_NOUNS.has(words[first - 1].word)) first--;
    const compound = words.slice(first);
    // "peace", "a road trip", "the darkness": an abstraction is no missing thing to stand a placeholder for.
    if (!sharedWordNet().isAbstract(head.lemma)) {
      this.unrealised.add([...compound.slice(0, -1).map((t) => t.word), head.lemma].join(" "));
      for (const t of compound) this.unmatched.add(t.word);
    }
    return { id: null, start, end, wearable: isWearable(head), container: false };
  }

  /**
   * A phrase with a name in it ("the Sydney Opera House", "a blue Porsche
   * 356", "the Golden Gate bridge"): art for the whole name, else a city or
   * place scene, else the noun after the name, else one labelled
   * placeholder; never art for a piece of the name.
   */
  private readName(tokens: Clause, start: number, end: number, entity: NamedEntity, pending: Modifiers): Mention | null {
    const words = tokens.slice(start, end);
    const at = nameAt(words.map((t) => t.word), entity);
    const nameEnd = at + entity.words.length;
    // "in the style of Rembrandt", "by I.C. Gradients": who made it, not what is in it.
    if (entity.credit) return nameEnd < words.length ? this.readPhrase(tokens, start + nameEnd, end, pending) : null;
    // "a map of Texas": art named by the name and the thing before "of" ("texas map"), as a glass of wine is a wine glass.
    const joined = nameEnd === words.length ? this.joinedByName(tokens, start, end, entity) : null;
    if (joined) return joined;
    // A one-word name that is a place sets the scene ("on Mars").
    if (entity.words.length === 1 && PLACE_WORDS[entity.words[0]] !== undefined && nameEnd === words.length) {
      this.setting.offer(entity.words[0], entity.text);
      return null;
    }
    // Art of this very thing: its whole name ("Eiffel Tower"), or art whose name holds the whole name ("Great Pyramid of Giza").
    // A name before a thing's noun may only qualify it: "colourful Easter eggs" are eggs (but "a Mona Lisa painting" is the Mona Lisa).
    // (Not a name WordNet knows as a physical thing: "a Big Ben clock" is still Big Ben.)
    const qualified = nameEnd < words.length && !MEDIUM_NOUNS.has(words[words.length - 1].word) && this.findArt(words.slice(nameEnd)) !== null &&
      sharedWordNet().kin(entity.words.join(" "), { names: true }).length === 0;
    for (const span of qualified ? [words.slice(at)] : [words.slice(at), words.slice(at, nameEnd)]) {
      const m = lookupSpan(span, this.lookup);
      // By the form that matched: "Easter eggs" are the art called "easter egg".
      const names = (match: SpanMatch) => ` ${normaliseWords(match.art.annotation).join(" ")} `.includes(` ${match.name} `);
      // A one-colour set's art of that very name counts too for a name WordNet knows, not a place ("Anubis", not "Texas"),
      // a brand ("a Tesla" is a car) or a title ("the album Revolver").
      const ownArt = namesExactly(m) && GENERIC_KINDS[entity.words[0]] === undefined && isNamedNonPlace(span.map((t) => t.word).join(" "));
      if (m && (m.score >= EXACT_MATCH_SCORE || ownArt || (m.score >= NAME_MATCH_SCORE && span.length > 1 && names(m)))) {
        this.offerPlacesIn(entity);
        return this.addThing(tokens, start, start + at + span.length, words.slice(0, at + span.length), at, m, pending);
      }
    }
    // "a 1997 Porsche 911", "a Ford F-150": a brand drawn as the kind of thing it makes (synonyms.ts GENERIC_KINDS).
    // (Only when the name is the whole phrase: "a Persian Metal Engraving vase" is a vase, no Persian cat.)
    // (Not a person: "Van Gogh" is no van.)
    const person = isPersonName(entity);
    const brand = GENERIC_KINDS[entity.words[0]] !== undefined && nameEnd === words.length && !person ? lookupSpan(words.slice(at, at + 1), this.lookup) : null;
    if (brand) return this.addThing(tokens, start, start + nameEnd, words.slice(0, nameEnd), at, { ...brand, name: entity.words.join(" ") }, pending);
    // "the Space Shuttle Endeavor": a kind of thing, then its own name (a place word in it still sets the scene).
    for (let n = entity.words.length - 1; n >= 2; n--) {
      const m = lookupSpan(words.slice(at, at + n), this.lookup);
      if (!m || m.score < EXACT_MATCH_SCORE) continue;
      this.offerPlacesIn(entity);
      return this.addThing(tokens, start, start + at + n, words.slice(0, at + n), at, m, pending);
    }
    const phrase = entity.text.toLowerCase();
    if (isCity(entity) && !person) {
      this.setting.setPlace("city", entity.text);
      // ("a red London bus": the bus is still drawn, and red.)
      if (nameEnd === words.length) return null;
      const described = { ...pending };
      readModifiers(words.slice(0, at), described, this.setting, entity.text);
      return this.readPhrase(tokens, start + nameEnd, end, described);
    }
    // "Ha Long Bay", "Loch Awe": a place word in the name sets the scene.
    if (entity.words.some((w) => PLACE_WORDS[w] !== undefined && this.setting.offer(w, entity.text))) return null;
    // A place WordNet knows by name: "Oslo" is a city, "the Thames" water.
    const place = nameEnd === words.length ? placeOfName(entity.words.join(" ")) : null;
    if (place) {
      this.setting.setPlace(place, entity.text);
      return null;
    }
    // A country or region is where the picture is, no thing in it ("the northern lights over Iceland").
    if (nameEnd === words.length && isRegion(entity.words.join(" "))) return null;
    // A name WordNet knows as one of a kind: "the Grand Canyon" is a gorge, "the Kremlin" a stronghold.
    // (A person's kind is no picture of them: George Washington is no "general" of some set's art.)
    const kind = nameEnd === words.length && !person ? this.kindOfName(entity.words.join(" ")) : null;
    if (kind) return this.addThing(tokens, start, end, words, at, { ...kind, name: entity.words.join(" "), plural: false }, pending);
    // "the Great Pyramids and Sphinx": two names that nothing draws or WordNet knows together are read one by one.
    const and = words.findIndex((t, k) => k > at && k < nameEnd - 1 && (t.word === "and" || t.word === "&"));
    if (and > 0) {
      const first = this.readPhrase(tokens, start, start + and, pending);
      if (first) this.mentions.push(first);
      return this.readPhrase(tokens, start + and + 1, end, noModifiers());
    }
    // A name that ends in what it is: "Kilchurn Castle" is a castle, "Hallgrimskirkja Church" a church.
    const ending = nameEnd === words.length ? kindOfName(entity) : null;
    const generic = ending && DRAWN_KINDS.has(ending) ? lookupSpan([{ word: ending, lemma: ending, pos: "NOUN" }], this.lookup) : null;
    if (generic && namesThing(generic)) return this.addThing(tokens, start, end, words, at, { ...generic, name: entity.words.join(" "), plural: false }, pending);
    // The name qualifies a noun after it: "the Golden Gate bridge" is a bridge, "an Athenian vase" a vase.
    if (nameEnd < words.length) return this.readPhrase(tokens, start + nameEnd, end, pending);
    // No art of it: one labelled placeholder, not the art of a word in its name (the "house" of the Opera House).
    this.unrealised.add(phrase);
    for (const w of entity.words) this.unmatched.add(w);
    return { id: null, start, end, wearable: false, container: false };
  }

  /** The thing just before "of" ("a map of the United States"), drawn by art named for the name and it ("united states map"), or null. */
  private joinedByName(tokens: Clause, start: number, end: number, entity: NamedEntity): Mention | null {
    const previous = this.things[this.things.length - 1];
    const lastMention = this.mentions[this.mentions.length - 1];
    let of = start - 1;
    while (ARTICLES.has(tokens[of]?.word ?? "")) of--;
    if (!previous || tokens[of]?.word !== "of" || lastMention?.id !== previous.id || lastMention.end !== of) return null;
    const m = lookupSpan([...nameTokens(entity.words), tokens[of - 1]], this.lookup);
    if (!m || !namesExactly(m)) return null;
    this.things[previous.id] = { ...previous, name: m.name, art: m.art };
    return { id: previous.id, start, end, wearable: false, container: false };
  }

  /** A picture framed or on a wall, or named after another thing in a room ("a room with two chairs and a painting"). */
  private hangsInScene(tokens: Clause, start: number, words: Token[]): boolean {
    if (words.some((t) => t.word === "framed" || t.word === "wall") || tokens[start - 1]?.word === "framed") return true;
    // "a painting of a corgi on the wall", "a portrait hanging above the fireplace": said a few words on.
    const next = tokens.slice(start + words.length, start + words.length + 8).map((t) => t.word);
    if (next.some((w, k) => HANGING.has(w) || (w === "on" && (next[k + 1] === "wall" || next[k + 2] === "wall")))) return true;
    const inRoom = this.setting.current === "indoor" || this.things.some((t) => t.name === "wall");
    const article = tokens[start - 1]?.word ?? "";
    return inRoom && this.mentions.length > 0 && ARTICLES.has(article) && ["and", "with"].includes(tokens[start - 2]?.word ?? "");
  }

  /**
   * "a conductor's hat", "a car's wheel", "a bird's nest": art named by a thing's owner and the thing
   * together, or null. Worn things take a colour set's name only; other things any set's exact name.
   */
  private ownedKind(owner: Token, thing: Token): SpanMatch | null {
    // (A body part stands for its owner: "a man's head" is the man.)
    if (BODY_PARTS.has(thing.lemma)) return null;
    const m = lookupSpan([owner, thing], this.lookup);
    if (!m) return null;
    return isWearable(thing) ? (m.score >= EXACT_MATCH_SCORE ? m : null) : namesExactly(m) ? m : null;
  }

  /** "the International Space Station": a place word in a name drawn as a thing still sets the scene. */
  private offerPlacesIn(entity: NamedEntity): void {
    if (PLACE_WORD_MISNOMERS.has(entity.words.join(" "))) return;
    for (const w of entity.words) if (PLACE_WORDS[w] !== undefined) this.setting.offer(w, entity.text);
  }

  /**
   * The art for a phrase: the longest name ending at its head ("teddy bear",
   * then "bear"), else the last part of a closed compound ("hummingbird"),
   * else for a portion ("ice cream cone", "pizza slice") the
   * food it is a portion of. A head alone after a noun must match by more
   * than a tag: a "lily pad" is not a notepad, a "fence post" not a letter.
   */
  private findArt(words: Token[]): { match: SpanMatch; nameStart: number } | null {
    const last = words.length - 1;
    // A portion is what it is of ("a pizza slice"), unless art has the portion's whole name ("an ice cream cone").
    const whole = words.length <= MAX_NAME_WORDS ? lookupSpan(words, this.lookup) : null;
    const portion = whole && whole.score >= EXACT_MATCH_SCORE ? null : this.portionOf(words);
    if (portion) return portion;
    // No art name is longer than a few words: a run of thousands of nouns is not looked up span by span.
    for (let s = Math.max(0, last + 1 - MAX_NAME_WORDS); s <= last; s++) {
      const span = words.slice(s);
      const m = lookupSpan(span, this.lookup);
      if (!m || !acceptable(span, m)) continue;
      // A colour before a thing is its colour unless art or WordNet names the two so: "a red apple" is OpenMoji's, a
      // "golden retriever" a kind of dog, but "a red dragon" no mahjong tile.
      const coloured = span.length > 1 && isColourWord(span[0].word) && !namesThing(m);
      if (coloured && sharedWordNet().senses(span.map((t) => t.lemma).join(" ")).length === 0) continue;
      const modifier = s > 0 ? words[s - 1] : null;
      const compound = s === last && modifier !== null && NOUN_TAGS.has(modifier.pos) && !materialOf(modifier.word) && !isColourWord(modifier.word);
      if (compound && m.score < NAME_MATCH_SCORE) break;
      // Nor art of another kind named the same way, by a noun before the head: a ski pole is no fishing pole, a cash
      // machine no fax machine (but a throw rug may be an oriental rug, karate clothes a martial arts uniform).
      if (compound && modifier && !namesThing(m) && otherKindOf(m.art.annotation, modifier.lemma)) break;
      // A compound of another sort than its head is not drawn as the head: a rock star is no star, a board
      // game no board (its own kind's art, if any, came with the longer span).
      if (compound && modifier && sharedWordNet().isOtherThingThan(`${modifier.lemma} ${words[last].lemma}`, words[last].lemma)) break;
      // "an American flag", "a Japanese flag": art named for the place an adjective is of ("united states flag").
      const ofPlace = s === last && modifier?.pos === "ADJ" ? this.artOfPlace(modifier, words[last]) : null;
      if (ofPlace) return { match: ofPlace, nameStart: s - 1 };
      // "a cypress tree", "a poodle dog": a kind named before its category is drawn by the kind's own art.
      // ("a dalmatian puppy", "a persian kitten": a breed is drawn by its own art at any age, whatever the tagger made of it.)
      const young = YOUNG_ANIMALS[words[last].lemma];
      const kind = modifier && (compound || (young && s === last && modifier.pos === "ADJ")) ? lookupSpan([modifier], this.lookup) : null;
      const ofKind = (m: Token) => (young ? sharedWordNet().someSenseIsKindOf(m.lemma, young) : sharedWordNet().thingIsKindOf(m.lemma, words[last].lemma));
      if (kind && modifier && namesExactly(kind) && ofKind(modifier)) return { match: kind, nameStart: s - 1 };
      // A tag that leads to the art of another thing named is not this thing: "a pirate" is not the parrot.
      if (m.score < NAME_MATCH_SCORE && this.things.some((t) => t.art.file === m.art.file && t.name !== m.name)) break;
      return { match: m, nameStart: s };
    }
    const part = closedCompoundPart(words[last], this.lookup);
    return part ? { match: part, nameStart: last } : null;
  }

  /**
   * Art named by the place an adjective pertains to, in WordNet, and the head: "american" is of the United
   * States, so "an American flag" is the "america flag". Of WordNet's names for the place, those most like
   * the adjective go first ("chinese": China before Taiwan, which WordNet lists first), and only an exact name counts.
   */
  private artOfPlace(adjective: Token, head: Token): SpanMatch | null {
    const likeness = (name: string) => {
      let i = 0;
      while (i < name.length && name[i] === adjective.word[i]) i++;
      return i;
    };
    const places = [...new Set(sharedWordNet().pertainsTo(adjective.word))].sort((a, b) => likeness(b) - likeness(a));
    for (const place of places) {
      const words = nameTokens(normaliseWords(place));
      const m = words.length > 0 ? lookupSpan([...words, head], this.lookup) : null;
      if (m && namesExactly(m)) return m;
    }
    return null;
  }

  /** "an ice cream cone", "a fox head": the part is drawn as the whole it belongs to. */
  private portionOf(words: Token[]): { match: SpanMatch; nameStart: number } | null {
    const last = words.length - 1;
    if (!PORTIONS.has(words[last].lemma)) return null;
    for (let s = Math.max(0, last - MAX_NAME_WORDS); s < last; s++) {
      if (s === last - 1 && materialOf(words[s].word)) break;
      const m = lookupSpan(words.slice(s, last), this.lookup);
      if (m && m.score >= EXACT_MATCH_SCORE) return { match: { ...m, plural: words[last].lemma !== words[last].word }, nameStart: s };
    }
    return null;
  }

  /** Place and time nouns set the scene instead of being drawn. True when the phrase was one. */
  private readSetting(words: Token[], head: Token, phrase: string, prep: string | undefined, afterThingOf: boolean, pending: Modifiers, depicted: boolean): boolean {
    const modifiers = words.slice(0, -1);
    const isWord = (set: ReadonlySet<string> | Record<string, unknown>, t: Token) =>
      set instanceof Set ? set.has(t.word) || set.has(t.lemma) : t.word in set || t.lemma in set;
    // "a glass of water": the water is what the glass holds, not a sea.
    if (afterThingOf && isWord(PLACE_WORDS, head)) return true;
    // "parked outside a diner", "a bench beside the museum": a building seen from outside is drawn, in a town.
    if (OUTSIDE.has(prep ?? "") && isWord(ROOMS, head)) {
      this.setting.setPlace("city", phrase, true);
      // (Drawn where art shows it; "outside a gelato shop" is in town all the same.)
      return lookupSpan(words, this.lookup) === null;
    }
    if (isWord(SCENE_NOUNS, head)) {
      for (const t of modifiers) this.setting.offer(t.word, phrase) || this.setting.offer(t.lemma, phrase);
      if (COUNTRY_SCENES.has(head.lemma)) this.setting.setPlace("meadow", phrase, true);
      return true;
    }
    // "on the moon" is a place; "a cow jumping over the moon" draws the moon, and "a train going to the moon" in space.
    if (head.word === "moon" && prep === "on") {
      this.setting.setPlace("moon", phrase);
      return true;
    }
    if (head.word === "moon" && prep === "to") {
      this.setting.setPlace("space", phrase);
      return false;
    }
    // "a house on a mountain", "a cabin in the mountains": on the meadow's slopes, with the mountain drawn.
    if (head.lemma === "mountain" && (prep === "on" || prep === "in" || prep === "among")) {
      this.setting.setPlace("meadow", phrase);
      return false;
    }
    // "inside a subway train", "in a kitchen": the picture is an interior.
    const interior = prep === "inside" || prep === "within" || prep === "aboard" ? INTERIOR_NOUNS : prep === "in" ? ROOMS : null;
    if (interior && isWord(interior, head)) {
      this.setting.setPlace("indoor", phrase);
      return true;
    }
    // "stars" make a night sky, and are drawn as well.
    if (head.word === "stars" && modifiers.length === 0 && pending.count === null && pending.colour === null) {
      this.setting.setTime("night");
      return false;
    }
    // "a snowy hill", "a frozen pond": a place under snow or ice is a snowy scene, as the labels read it.
    const place = PLACE_WORDS[head.word] ?? PLACE_WORDS[head.lemma];
    // ("a frozen creek" too, a place WordNet knows.)
    const anyPlace = place ?? (modifiers.length > 0 && NOUN_TAGS.has(head.pos) && !lookupSpan([head], this.lookup) ? placeOfNoun(head.lemma) : null);
    if (anyPlace && anyPlace !== "snow" && !depicted && modifiers.some((t) => PLACE_WORDS[t.word] === "snow")) {
      this.setting.setPlace("snow", phrase);
      return true;
    }
    // "a desert highway", "a mountain road": a place word before a place noun says which kind of place it is.
    // (Only a wild place before a town's: "a courtyard garden" is still a garden.)
    const narrower = place === "city" ? modifiers.find((t) => NOUN_TAGS.has(t.pos) && WILD_PLACES.has(PLACE_WORDS[t.word])) : undefined;
    if (narrower) this.setting.setPlace(PLACE_WORDS[narrower.word], phrase, depicted);
    // "a van with a cityscape painted on it": a picture of a place gives way to the place the van is in.
    if (!(this.setting.offer(head.word, phrase, depicted) || this.setting.offer(head.lemma, phrase, depicted) || this.offerPlaceNoun(head, phrase, depicted))) return false;
    // (A room is named for what is done in it: a hospital room holds no hospitals, a laundry room no pile of laundry.)
    const room = PLACE_WORDS[head.word] === "indoor" || PLACE_WORDS[head.lemma] === "indoor";
    for (let i = 0; i < modifiers.length; i++) {
      const t = modifiers[i];
      // (A colour word that grows there is the plant: "a lavender field", "an orange grove".)
      const grown = isColourWord(t.word) && sharedWordNet().isKindOf(t.word, ["plant", "fruit"]);
      if (this.setting.offer(t.word, phrase) || isNonThing(t) || (isColourWord(t.word) && !grown) || room) continue;
      // "a tulip field", "a palm tree forest": the place is full of what names it, by its whole name.
      const name = modifiers.length - i > 1 ? lookupSpan(modifiers.slice(i), this.lookup) : null;
      if (name && name.score >= NAME_MATCH_SCORE && name.score !== KIN_SCORE) {
        const span = modifiers.slice(i);
        this.addThing(span, 0, span.length, span, 0, { ...name, plural: true }, { ...noModifiers(), count: PLURAL_COUNT });
        break;
      }
      // Not a word only WordNet's kinds draw: "a manhattan street" is no cocktail. Nor a describing or doing word ("a foggy
      // forest", "a fishing harbour"), nor the last word of a longer name (a slot canyon has no parking slots).
      if ((!NOUN_TAGS.has(t.pos) && !grown) || isGerund(t.word)) continue;
      const m = lookupSpan([t], this.lookup);
      if (m && m.score >= SCORE.GENERIC && m.score !== KIN_SCORE) this.addThing([t], 0, 1, [t], 0, { ...m, plural: true }, { ...noModifiers(), count: PLURAL_COUNT });
    }
    return true;
  }

  /** A place noun no list names sets the scene ("by a creek"), unless art draws it by name (a waterfall is drawn). */
  private offerPlaceNoun(head: Token, phrase: string, depicted: boolean): boolean {
    if (!NOUN_TAGS.has(head.pos)) return false;
    const art = lookupSpan([head], this.lookup);
    if (art && namesThing(art)) return false;
    const place = placeOfNoun(head.lemma);
    if (place) this.setting.setPlace(place, phrase, depicted);
    return place !== null;
  }

  private addThing(tokens: Clause, start: number, end: number, words: Token[], nameStart: number, art: SpanMatch, pending: Modifiers): Mention {
    const carving = this.carving && start <= this.carving.at && this.carving.at < end ? this.carving : null;
    const carved = carving?.material ?? null;
    const m = carving?.whole ?? art;
    const mods: Modifiers = { ...pending, material: pending.material ?? carved };
    readModifiers(words.slice(0, nameStart), mods, this.setting, words.map((t) => t.word).join(" "));
    // Words inside the art's own name still say what it is made of: "a glass bottle" (but a name's do not: the Golden
    // Gate; nor a kind's that its art does not show: a golden retriever, drawn as a dog).
    const nameWords = words.slice(nameStart).map((t) => t.word);
    const shown = normaliseWords(m.art.annotation).map(lemma);
    if (!this.names.some((entity) => nameAt(nameWords, entity) >= 0)) {
      for (const t of words.slice(nameStart)) if (shown.includes(lemma(t.word))) mods.material = materialOf(t.word) ?? mods.material;
    }
    const head = words[words.length - 1];
    const modifiers = words.slice(0, -1);
    const text = words.map((t) => t.word).join(" ");
    // "a country road", "a dirt track": a road out of town is drawn in the country.
    if (ROADS.has(head.lemma) && modifiers.some((t) => RURAL_WORDS.has(t.word))) this.setting.setPlace("meadow", text, true);
    // "a kitchen counter", "an attic window": a thing named by the room it is in is indoors.
    if (modifiers.some((t) => NOUN_TAGS.has(t.pos) && ROOM_MODIFIERS.has(t.word))) this.setting.setPlace("indoor", text, true);
    const wearable = isWearable(head);
    const previous = this.things[this.things.length - 1];
    const det = tokens[start - 1]?.word;
    const ofAt = pending.count === null ? this.ofAfterPrevious(tokens, start) : -1;
    const ofPrevious = ofAt >= 0;
    // One picture for two words: "a cup of coffee" is the cup, "a slice of pizza" the pizza.
    // Other contents are things of their own, inside: "a bowl of cherries".
    const previousHead = ofPrevious ? tokens[ofAt - 1].lemma : "";
    const drink = ofPrevious && CONTAINERS.has(previousHead) && (LIQUIDS.has(head.lemma) || sharedWordNet().isKindOf(head.lemma, ["beverage"]));
    const portion = ofPrevious && PORTIONS.has(previousHead) && !m.plural;
    // "a glass of wine" is a wine glass, "a bar of chocolate" a chocolate bar, where art has that whole name.
    // (Not where the container's art already shows what it holds: "a cup of coffee" is the steaming cup.)
    // The phrase joins the thing before it, drawn as `as` says (or as it was).
    const joined = (as?: Partial<ThingPlan>): Mention => {
      if (as) this.things[previous.id] = { ...previous, ...as };
      return { id: previous.id, start, end, wearable, container: false };
    };
    // ("the net of a tennis court" is the art named "tennis court net", "a ball of yarn" the one named so.)
    const container = ofPrevious ? tokens[ofAt - 1] : undefined;
    const spans = container ? [[head, container], [...words, container], [container, OF, ...words]] : [];
    const vessel = spans.map((span) => lookupSpan(span, this.lookup)).find(namesExactly);
    const ofPhrase = () => `${previous.phrase} of ${words.map((t) => t.word).join(" ")}`;
    if (vessel && lookupSpan([head], this.lookup)?.art.file !== previous.art.file) return joined({ name: vessel.name, phrase: ofPhrase(), art: vessel.art });
    // A portion is named by what it is of, even when "slice" alone already found the pizza by a tag.
    if (portion) return joined({ name: m.name, phrase: ofPhrase(), art: m.art });
    // "a bowl of soup", "a plate of spaghetti", "a bowl of ramen": a dish's picture has its bowl or plate, so the dish alone.
    const dish = ofPrevious && SERVING.has(previousHead) && namesThing(m) && (sharedWordNet().isKindOf(head.lemma, ["dish"]) || m.art.annotation.includes(previousHead));
    if (dish) return joined({ name: m.name, art: m.art });
    // "a cup of boba": a drink WordNet does not know, drawn by a drink's own picture (bubble tea), comes in its cup.
    const servedDrink = ofPrevious && !drink && CONTAINERS.has(previousHead) && namesThing(m) && sharedWordNet().isKindOf(normaliseWords(m.art.annotation).at(-1) ?? "", ["beverage"]);
    if (servedDrink) return joined({ name: m.name, art: m.art });
    if (drink || (ofPrevious && previous.art.file === m.art.file)) return joined();
    // "a beekeeper in a white suit": a garment the wearer's own picture has on is drawn with it.
    const before = tokens[ARTICLES.has(det ?? "") ? start - 2 : start - 1]?.word ?? "";
    if (wearable && previous && WORN_WITH.has(before) && normaliseWords(previous.art.annotation).includes(head.lemma)) return joined();
    // ("a mail carrier in a blue uniform": a uniform is what the person's own picture wears, no judo suit beside them.)
    // (Not a kind of uniform named by a noun: chameleons in karate uniforms wear karate uniforms.)
    const plainUniform = head.lemma === "uniform" && words.every((t, k) => k === words.length - 1 || !NOUN_TAGS.has(t.pos));
    if (plainUniform && previous && WORN_WITH.has(before) && isWearer(previous.name)) return joined();
    // "the cat" after "a cat" is the same cat, and "the dog" after "a Saint Bernard" the same dog.
    const same =
      det === "the" && pending.count === null
        ? (this.things.find((t) => t.art.file === m.art.file) ?? this.things.find((t) => sharedWordNet().isKindOf(t.name, [head.lemma])) ??
          // ("the van" after "a VW van": the same van, whatever plain "van" would draw.)
          // (Not "the flag of Texas" after "the United States flag": that flag is another.)
          (words.length === 1 && tokens[end]?.word !== "of" ? this.things.find((t) => t.name.split(" ").at(-1) === head.lemma) : undefined))
        : undefined;
    if (same) return { id: same.id, start, end, wearable, container: CONTAINERS.has(same.name), wearer: isWearer(same.name) };

    const counted = mods.count === SOME || mods.count === null ? (m.plural ? PLURAL_COUNT : 1) : mods.count;
    const thing: ThingPlan = {
      id: this.things.length,
      name: m.name,
      phrase: words.map((t) => t.word).join(" "),
      count: Math.max(1, Math.min(MAX_COUNT, counted)),
      colour: mods.colour,
      attributes: { size: mods.size, scale: mods.size ? SIZE_SCALE[mods.size] : 1, material: mods.material },
      art: m.art,
    };
    this.things.push(thing);
    return { id: thing.id, start, end, wearable, container: CONTAINERS.has(m.name) || CONTAINERS.has(head.lemma), wearer: isWearer(m.name) };
  }
}


/**
 * Where a verb hides in a run of noun-tagged words: a word in -s after the
 * first noun, followed by another word ("boy paints fence") or by an article
 * ("a boy paints a fence"). English compounds rarely have a plural modifier,
 * so such a word is a verb; -1 when there is none.
 */
function verbInside(tokens: Clause, start: number, end: number, lookup: Lookup): number {
  for (let k = start + 1; k < end; k++) {
    const t = tokens[k];
    // "children steal pies", "dogs chase cats": a verb's base form after a plural, before its object.
    const plural = tokens[k - 1].word !== tokens[k - 1].lemma && NOUN_TAGS.has(tokens[k - 1].pos) && !PLURAL_MODIFIERS.has(tokens[k - 1].word);
    const after = tokens[k + 1];
    const object = after !== undefined && ((k + 1 < end && NOUN_TAGS.has(after.pos)) || ARTICLES.has(after.word) || POSSESSIVES.has(after.word) || after.pos === "NUM");
    if (plural && object && t.word === t.lemma && !/s$/.test(t.word) && !NON_THING_NOUNS.has(t.word) && sharedWordNet().isVerb(t.word) &&
      !namesExactly(lookupSpan([tokens[k - 1], t], lookup)) && !namesExactly(lookupSpan([t, after], lookup))) return k;
    if (!NOUN_TAGS.has(tokens[k - 1].pos) || !/^[a-z]+[^s']s$/.test(t.word) || PLURAL_MODIFIERS.has(t.word)) continue;
    // (Not a word in -s that is no inflection, nor the end of a name art has: "a school bus drives" has its bus.)
    if (t.word === t.lemma || namesExactly(lookupSpan([tokens[k - 1], t], lookup))) continue;
    // …and before the verb's object: an article or possessive ("checks its watch"), or a noun ("watches TV"), not "bike locks attached".
    const next = tokens[k + 1];
    const determiner = next && (ARTICLES.has(next.word) || POSSESSIVES.has(next.word) || next.pos === "DET" || next.pos === "NUM");
    if (determiner || (next && k + 1 < end && NOUN_TAGS.has(next.pos))) return k;
    // "Saturn rises on the horizon": the run's last word before a preposition, when it reads as a verb and names no art
    // (alone or with the word before it: "lily pads without frogs").
    if (k !== end - 1 || next?.pos !== "ADP") continue;
    const named = (lookupSpan([t], lookup)?.score ?? 0) >= EXACT_MATCH_SCORE || namesExactly(lookupSpan([tokens[k - 1], t], lookup));
    if (!named && isThirdPersonVerb(t.word)) return k;
  }
  return -1;
}

/**
 * Whether art named "fishing pole" names another kind than the one `modifier` ("ski") makes of the same head:
 * its word before the head is a noun, not an adjective.
 */
function otherKindOf(annotation: string, modifier: string): boolean {
  const words = normaliseWords(annotation);
  const kind = words.at(-2);
  if (kind === undefined || words.includes(modifier) || isColourWord(kind) || materialOf(kind)) return false;
  const wordnet = sharedWordNet();
  // (Karate is a martial art: its uniform is the martial arts uniform.)
  const named = words.slice(0, -1).map(lemma).join(" ");
  return wordnet.senses(kind).length > 0 && !wordnet.isAdjective(kind) && !wordnet.isKindOf(modifier, [named]);
}

/** Whether WordNet knows `name` as a painter's or sculptor's ("van gogh", "hokusai", "michelangelo"). */
function isArtist(name: string): boolean {
  return sharedWordNet().kindsOfName(name).some((kind) => ARTIST_KINDS.has(kind));
}

const ARTIST_KINDS = new Set(["painter", "sculptor", "old master", "artist"]);

/** A name's words as tokens, to look art up by ("united states" → the "united states map"). */
const nameTokens = (words: string[]) => words.map((word): Token => ({ word, lemma: word, pos: "PROPN" }));

/**
 * A word of a name of several words is no verb, whatever the tagger made of it: "Mount Rushmore is in the
 * background" does not open with the verb "mount".
 */
function withNamesAsNouns(tokens: Clause, names: NamedEntity[]): Clause {
  const out = [...tokens];
  for (const entity of names) {
    if (entity.words.length < 2) continue;
    for (let k = 0; k + entity.words.length <= out.length; k++) {
      if (!entity.words.every((w, i) => out[k + i].word === w)) continue;
      for (let i = 0; i < entity.words.length; i++) if (out[k + i].pos === "VERB" && !NAME_CONNECTORS.has(out[k + i].word)) out[k + i] = { ...out[k + i], pos: "PROPN" };
    }
  }
  return out;
}

export function readThings(
  clauses: Clause[],
  lookup: Lookup,
  setting: SettingReader,
  names: NamedEntity[] = [],
  kindOfName: Lookup = () => null,
  respell: (word: string) => string | null = () => null,
): ThingsRead {
  // A named city is the scene, wherever the tagger puts its words ("Times Square", "Downtown LA").
  for (const name of names) if (isCity(name) && !name.credit && !isPersonName(name)) setting.setPlace("city", name.text);
  const reader = new ThingReader(lookup, setting, names, kindOfName, respell);
  for (const clause of clauses) reader.readClause(clause);
  return reader.result();
}

/** Whether WordNet knows `name` as a named one of a kind that is not a place ("anubis" is a deity; "texas" a state). */
function isNamedNonPlace(name: string): boolean {
  const kinds = sharedWordNet().kindsOfName(name);
  return kinds.length > 0 && !kinds.includes("location");
}

/** Whether the words from `k` are more drawing tools or their qualities up to a medium noun: "… and ink crosshatched drawing". */
function drawnWith(tokens: Clause, k: number): boolean {
  for (let i = k; i < tokens.length && i < k + 5; i++) {
    const t = tokens[i];
    if (MEDIUM_NOUNS.has(t.word) || HUNG_PICTURES.has(t.word)) return true;
    if (!(t.word === "and" || DRAWING_TOOLS.has(t.word) || t.pos === "ADJ")) return false;
  }
  return false;
}

const namesThingBy = (m: SpanMatch | null): boolean => m !== null && namesThing(m);

/** Medium nouns a thing's name goes before, for a picture of it ("a cat drawing", "a dog photo", "a chameleon logo"). */
const PICTURES_OF = new Set("drawing painting sketch illustration photo photograph picture image logo sticker icon emoji cartoon doodle blueprint mosaic embroidery".split(" "));

/** Nouns before a medium that say what kind of picture it is: "a line drawing", "a cave painting", "a thumbnail image". */
const NOT_SUBJECTS = new Set(
  "book storybook line comic fan stick pixel vector concept film movie cave sand wall glass finger body face street tattoo children kid thumbnail profile stock".split(" "),
);

/** Verbs of writing or drawing, whose "in chalk" names the tool. */
const WRITTEN = new Set(["written", "drawn", "scribbled", "sketched", "painted", "scrawled", "outlined", "traced", "lettered"]);

/** Words that say a picture hangs. */
const HANGING = new Set(["hanging", "hangs", "hung"]);

/** Verbs that say a thing is not there: "missing its wheels". */
const LACKING = new Set(["missing", "lacking"]);

/** People named for what they play or use, and that thing. */
const AGENT_TOOLS: Record<string, string> = {
  violinist: "violin", fiddler: "violin", trumpeter: "trumpet", cyclist: "bicycle", guitarist: "guitar", drummer: "drum",
  pianist: "piano", cellist: "cello", saxophonist: "saxophone", flautist: "flute", flutist: "flute", harpist: "harp",
  banjoist: "banjo", accordionist: "accordion", skier: "skis", archer: "bow and arrow", photographer: "camera",
  bassist: "bass guitar", tubist: "tuba", ukulelist: "ukulele", knitter: "yarn",
};

/** Doings that need a thing to do them with ("fishing" is left out: a fishing village needs no rod). */
const ACTIVITY_TOOLS: Record<string, string> = {
  skiing: "skis", skateboarding: "skateboard", surfing: "surfboard", snowboarding: "snowboard", cycling: "bicycle",
  biking: "bicycle", golfing: "golf club", kayaking: "kayak", sledding: "sled", shoveling: "shovel", shovelling: "shovel",
  raking: "rake", digging: "shovel", sweeping: "broom", mopping: "mop", chopping: "axe",
  hammering: "hammer", sawing: "saw", knitting: "knitting needles", sewing: "sewing needle", rowing: "oar",
  drumming: "drum", plowing: "plough", ploughing: "plough", iceskating: "ice skate",
};

/** Art of someone that shows nothing they do. */
const PLAIN_PEOPLE = new Set(["person", "man", "woman", "boy", "girl", "child", "old man", "old woman", "adult", "musician"]);

/** Who toys are for, rather than what they are of. */
const TOY_OWNERS = new Set(["dog", "cat", "pet", "puppy", "kitten", "baby", "kid", "child", "children", "parrot", "bird"]);

/** Verbs of having something on or with one. */
const HAVING = new Set(["wearing", "holding", "carrying", "having", "wear", "hold", "carry", "have", "wears", "holds", "carries", "has"]);

/** Words that deny the verb after them. */
const NOT = new Set(["not", "never", "nt", "n't"]);

/** One who does what a verb says, by its ending: a walker walks, a rider rides, a sailor sails. */
function isAgentNoun(word: string): boolean {
  if (!/(?:er|or)$/.test(word)) return false;
  const wordnet = sharedWordNet();
  // "walker" → walk, "rider" → ride (a "warrior" is no one who warris).
  return [word.slice(0, -2), word.slice(0, -1)].some((verb) => verb.length >= 3 && wordnet.isVerb(verb));
}
