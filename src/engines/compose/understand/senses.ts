// Word sense by context. A word's art shows its usual sense ("a ring" is
// jewellery, "a bat" the animal, "a crane" a pictogram of the machine); the
// prompt's other words may call for another: "a boxer in a ring" stands in a
// boxing ring, "a baseball player swinging a bat" holds a baseball bat, "a
// crane wading in a pond" is the bird. Each other sense names the art it is
// drawn by and the words that call for it; the first sense with one of its
// words anywhere else in the prompt wins, and with none the usual art stays.

import type { ThingPlan } from "../prompt.js";
import type { Lookup } from "./phrases.js";

interface Sense {
  /** The art's name, as the index knows it. */
  art: string;
  /** Words (as written or as lemmas) that call for this sense. */
  cues: ReadonlySet<string>;
}

const sense = (art: string, cues: string): Sense => ({ art, cues: new Set(cues.trim().split(/\s+/)) });

/** By the art key a thing was matched by: its singular head word. */
const SENSES_IN_CONTEXT: Record<string, Sense[]> = {
  // (No "box": a ring in a box is jewellery; "boxing" is a cue as written.)
  ring: [sense("boxing ring", "boxer boxing wrestler wrestling wrestle referee sumo fighter punching")],
  bat: [sense("baseball bat", "baseball batter pitcher swing swinging softball cricket hit hitting homerun")],
  mouse: [sense("computer mouse", "computer keyboard laptop monitor click mousepad pc")],
  crane: [
    sense("crane bird", "pond lake marsh swamp wetland river wade wading bird wing flock fly flying feather beak nest reed"),
    sense("construction crane", "construction building site lift lifting beam steel skyscraper cargo load hook container"),
  ],
  bow: [sense("hair bow", "hair ribbon gift present wrap wrapped ponytail braid")],
  deck: [sense("playing cards", "card poker shuffle shuffling dealer")],
  chip: [sense("tortilla chips", "salsa guacamole dip nacho tortilla")],
  coach: [sense("old wagon", "horse carriage stagecoach coachman")],
  pitcher: [sense("baseball player", "baseball mound throw throwing catcher batter glove strike")],
  seal: [sense("wax seal", "wax letter envelope stamp document scroll")],
  kiwi: [sense("kiwi bird", "bird feather beak zealand flightless")],
  fan: [sense("electric fan", "electric ceiling desk blowing blow breeze")],
  glasses: [sense("wine glass", "wine champagne bottle toast cheers drink drinks bar")],
  king: [sense("chess king", "chess chessboard checkmate pawn rook bishop")],
  cone: [sense("ice cream cone", "ice cream gelato scoop sundae vanilla lick licking sprinkles parlor parlour")],
  net: [sense("fishing net", "fisherman fishermen fishing fish boat mending mend dock trawler sea")],
  frame: [sense("honeycomb frame", "bee bees beekeeper beekeeping hive honey honeycomb")],
  pot: [sense("flower pot", "cactus plant flower succulent soil seedling sapling terracotta clay bonsai fern herb tree orchid rose tulip geranium basil")],
  // A hat is the one its wearer's trade or the occasion calls for.
  hat: [
    sense("chef hat", "chef cook baker kitchen"),
    sense("top hat", "magician gentleman tuxedo ringmaster"),
    sense("cowboy hat", "cowboy cowgirl rodeo ranch rancher sheriff"),
    sense("witch hat", "witch halloween"),
    sense("wizard hat", "wizard sorcerer mage"),
    sense("birthday party hat", "party birthday"),
    sense("pirate hat", "pirate captain"),
    sense("santa hat", "santa christmas"),
    sense("yellow hard hat", "construction builder worker"),
  ],
};

/** The prompt's words and lemmas, less the thing's own word (its modifiers count: "a baseball pitcher"). */
function otherWords(context: readonly { word: string; lemma: string }[], thing: ThingPlan): Set<string> {
  return new Set(context.flatMap((t) => [t.word, t.lemma]).filter((w) => w !== thing.name));
}

/** The things with each drawn in the sense its context calls for. */
export function inContext(things: ThingPlan[], context: readonly { word: string; lemma: string }[], lookup: Lookup): ThingPlan[] {
  return things.map((thing) => {
    const senses = SENSES_IN_CONTEXT[thing.name];
    if (!senses) return thing;
    const words = otherWords(context, thing);
    for (const { art, cues } of senses) {
      if (![...cues].some((cue) => words.has(cue))) continue;
      // ("a bat landing on a baseball bat": where the other sense is drawn already, this is the usual one.)
      const m = lookup(art);
      return m && !things.some((other) => other.art.file === m.art.file) ? { ...thing, art: m.art } : thing;
    }
    return thing;
  });
}
