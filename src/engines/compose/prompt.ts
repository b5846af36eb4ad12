// Prompt understanding: grammar, not word spotting. wink-nlp tags each word
// (understand/parse.ts); the reader then finds the noun phrases that name
// things to draw, with their counts, colours, sizes and materials
// (understand/things.ts), how they stand to each other (understand/relations.ts)
// and where the picture happens (understand/setting.ts). The plan it returns
// is what the layout and renderer follow and what `easel explain` prints.

import { getArtIndex, type ArtRef } from "./art-index.js";
import { sharedWordNet } from "./art/wordnet.js";
import { isColourWord, namedColour, type NamedColour } from "./colour.js";
import type { Material, SizeName } from "./understand/attributes.js";
import { readClauses } from "./understand/parse.js";
import { readRelations } from "./understand/relations.js";
import { SettingReader } from "./understand/setting.js";
import { findNames } from "./understand/names.js";
import { readThings } from "./understand/things.js";
import { IRREGULAR_PLURALS, type Place } from "./words.js";

export type { Material, SizeName } from "./understand/attributes.js";

export interface ThingAttributes {
  /** The size word's class ("tiny", "small", "large", "huge"); null when none was given. */
  size: SizeName | null;
  /** How much larger than usual to draw it: 1 without a size word. */
  scale: number;
  /** What it is made of, where that shows ("wooden", "golden", "glass"). */
  material: Material | null;
}

export interface ThingPlan {
  /** Index in `things`; relations point at things by it. */
  id: number;
  /** The art key that matched, singular ("balloon", "teddy bear"). */
  name: string;
  /** The prompt's own noun phrase without counts and articles ("gray tabby cats"). */
  phrase: string;
  count: number;
  colour: NamedColour | null;
  attributes: ThingAttributes;
  art: ArtRef;
}

export type RelationKind =
  | "next to" | "on" | "under" | "in front of" | "behind" | "holding" | "wearing"
  | "inside" | "above" | "below" | "around" | "between";

/** `subject` stands `relation` `object`: {cat} on {sofa}; ids index `things`. */
export interface Relation {
  subject: number;
  relation: RelationKind;
  object: number;
}

export type TimeOfDay = "day" | "sunset" | "night";

export interface Setting {
  place: Place;
  /** Day or night, as the scene draws it; sunset counts as day here. */
  time: "day" | "night";
  /** The finer reading: "beach at sunset" is day with a sunset. */
  timeOfDay: TimeOfDay;
  /** Whether the prompt named a place or time; otherwise this is the default meadow by day. */
  named: boolean;
  /** The prompt's words for the place ("subway train", "winter landscape"), or null. */
  phrase: string | null;
  /** A plain backdrop's colour ("on a white background"): place "studio". */
  backdrop?: string;
}

export interface PicturePlan {
  /** In prompt order; the first is the subject. */
  things: ThingPlan[];
  relations: Relation[];
  setting: Setting;
  /** Things the prompt names that no art realises ("veterinarian"), singular. */
  unrealised: string[];
  /** Words of those phrases, so callers can say what was left out. */
  unmatched: string[];
  /** Things the prompt says are not there ("a field with no sheep"): not drawn, and removed by an edit. */
  absent: string[];
}

/** Candidate singulars for a word: cats→cat, foxes→fox, puppies→puppy, leaves→leaf. */
export function singulars(word: string): string[] {
  const out: string[] = [];
  if (IRREGULAR_PLURALS[word]) out.push(IRREGULAR_PLURALS[word]);
  if (word.length > 4 && word.endsWith("ies")) out.push(word.slice(0, -3) + "y");
  if (word.length > 4 && word.endsWith("ves")) out.push(word.slice(0, -3) + "f", word.slice(0, -3) + "fe");
  // -es only after the sounds that take it ("foxes", "dishes", "tomatoes"): "spices" is no "spic".
  if (word.length > 3 && /(s|x|z|ch|sh|o)es$/.test(word)) out.push(word.slice(0, -2));
  if (word.length > 2 && word.endsWith("s") && !/(ss|us|is)$/.test(word)) out.push(word.slice(0, -1));
  // Loanwords in -i and -u take a plain -s ("ferraris", "mochis", "emus"); the art index says whether the stem is a thing.
  if (word.length > 3 && /[iu]s$/.test(word)) out.push(word.slice(0, -1));
  return out;
}

/**
 * Distinct things one picture can show: a 32,000-character prompt can name a
 * thousand, and drawing them all took seconds and hundreds of megabytes. The
 * first ones (the subject first) are kept, with their relations.
 */
export const MAX_THINGS = 24;

export function planPicture(prompt: string, options: { artDirs?: string[] } = {}): PicturePlan {
  const index = getArtIndex(options.artDirs);
  const setting = new SettingReader();
  const clauses = readClauses(prompt);
  // A word that opens the prompt is a name when only WordNet's names know it and no art does ("Kilimanjaro at dawn").
  const onlyAName = (word: string) => index.lookup(word) === null && sharedWordNet().kindsOfName(word).length > 0;
  const read = readThings(clauses, index.lookup, setting, findNames(prompt, onlyAName), index.kindOfName, index.respell);
  const absent = read.absent.slice(0, MAX_THINGS);
  const plan: PicturePlan = {
    things: read.things,
    relations: readRelations(read.readings),
    setting: withBackdrop(setting.result(), prompt),
    unrealised: read.unrealised.filter((name) => !absent.includes(name)).slice(0, MAX_THINGS),
    unmatched: read.unmatched.slice(0, 4 * MAX_THINGS),
    absent,
  };
  // A thing named and then denied ("a cat and an otter, without the otter") is not drawn.
  return withImpliedTime(onTheBeach(withImpliedPlace(keepThings(plan, (thing) => thing.id < MAX_THINGS && !absent.includes(thing.name)))));
}

/** Things found on a beach: sand with any of them is a beach, not a desert. */
const BEACH_THINGS = new Set([
  "surfboard", "surfer", "person surfing", "crab", "hermit crab", "spiral shell", "seashell", "shell", "starfish", "sandcastle", "sand castle",
  "beach umbrella", "lifeguard tower", "lifeguard chair", "seagull", "beach ball", "beach chair", "bucket and spade", "beach towel", "flip flops", "deck chair",
]);

/** "a hermit crab on wet sand", "a surfboard stuck in the sand": by the sea. */
function onTheBeach(plan: PicturePlan): PicturePlan {
  const { setting } = plan;
  if (setting.place !== "desert" || !/\bsand\b/.test(setting.phrase ?? "")) return plan;
  const beachy = plan.things.some((t) => t.art.placement === "water" || BEACH_THINGS.has(t.name) || BEACH_THINGS.has(t.art.annotation.toLowerCase()));
  return beachy ? { ...plan, setting: { ...setting, place: "water" } } : plan;
}

/** Things that stand in one kind of place, by the name the prompt gave them: "a dragon on top of the Great Pyramid" is in the desert. */
const PLACE_OF_THING: Record<string, Place> = {
  "great pyramid of giza": "desert", "great pyramid": "desert", sphinx: "desert", wave: "water", "tidal wave": "water",
  "street light": "city", satellite: "space", "international space station": "space", "space station": "space", "hubble telescope": "space",
  saturn: "space", jupiter: "space", neptune: "space", uranus: "space", mercury: "space",
  waterfall: "water", "lily pad": "water", "lily pads": "water", igloo: "snow", pool: "water", "swimming pool": "water",
  "black hole": "space", "space elevator": "space", galaxy: "space", nebula: "space", "solar system": "space", asteroid: "space", comet: "space",
  "traffic light": "city", "vertical traffic light": "city", building: "city", "clock tower": "city", constellation: "space",
  // Furniture that stands only indoors: "a cat asleep on a sofa" is in a room.
  sofa: "indoor", couch: "indoor", bed: "indoor", fireplace: "indoor", rug: "indoor", carpet: "indoor", closet: "indoor",
  wardrobe: "indoor", dresser: "indoor", "chest of drawers": "indoor", bookshelf: "indoor", armchair: "indoor", "ceiling fan": "indoor",
  nightstand: "indoor", bathtub: "indoor", toilet: "indoor", refrigerator: "indoor", fridge: "indoor", oven: "indoor",
  stove: "indoor", microwave: "indoor", "framed picture": "indoor", desk: "indoor", lamp: "indoor", television: "indoor",
  recliner: "indoor", "chaise longue": "indoor", futon: "indoor", "vanity table": "indoor", chandelier: "indoor",
  "diving board": "water", "football pitch": "meadow", coral: "water", "coral reef": "water", "sea anemone": "water",
  piano: "indoor", "grand piano": "indoor", whiteboard: "indoor", blackboard: "indoor", chalkboard: "indoor", bookcase: "indoor",
  barn: "meadow", farmhouse: "meadow", village: "meadow", cornfield: "meadow", vineyard: "meadow", "rice paddy": "meadow", "park bench": "meadow", roundabout: "city",
  shelf: "indoor", "wall clock": "indoor", "clothes dryer": "indoor", "spice rack": "indoor", "dentist chair": "indoor", "cat tree": "indoor",
  // By the art drawn: a skyscraper or office block stands in a city.
  "office building": "city", skyscraper: "city", "empire state building": "city", storefront: "city", "ship wreck": "water", shipwreck: "water",
  "apartment building": "city", cafe: "city", diner: "city", bakery: "city", supermarket: "city", marina: "water",
  "cruise ship": "water", "aircraft carrier": "water", "jet ski": "water", "fire station": "city", "train station": "city",
  "row houses": "city", dam: "water", iceberg: "water", "ice floe": "water", "moon base": "moon",
  // Things found in one kind of place: a snowman on snow, a dock by water, a dune in the desert.
  snowman: "snow", snowmobile: "snow", sled: "snow", sledge: "snow", toboggan: "snow",
  "big wave": "water", island: "water", lighthouse: "water", dock: "water", jetty: "water", wharf: "water", quay: "water", pier: "water", "wooden pier": "water",
  "sand dune": "desert", dune: "desert", glacier: "snow", "bus stop": "city", cliff: "meadow", snowplow: "snow", snowplough: "snow",
  counter: "indoor", "kitchen counter": "indoor", "lifeguard tower": "water", "beach umbrella": "water",
};

/** Easel's drawings of shops, whose insides a counter or shelf puts the picture in. */
const SHOPS = new Set(["bakery", "cafe", "diner", "supermarket"]);

/** People doing what is done in one place: a skier is on snow, a surfer at sea (after the places of things: skiers on a sand dune are in the desert). */
const PLACE_OF_DOER: Record<string, Place> = {
  skier: "snow", snowboarder: "snow", "ice skater": "snow", surfer: "water", "person surfing": "water", "scuba diver": "water",
  mermaid: "water", lifeguard: "water", gardener: "meadow", farmer: "meadow", shepherd: "meadow", camel: "desert",
};

/**
 * Landmarks, where they stand: "the Kremlin at night" is in a city, "a boat near the Golden Gate Bridge" on
 * water. Weaker than the rest: only a landmark that is the subject or stands beside something (not one drawn
 * on a ball or that a spaceship looks like), and after a subject that lives in water ("a whale in front of the
 * Sydney Opera House" is in the harbour).
 */
const PLACE_OF_LANDMARK: Record<string, Place> = {
  kremlin: "city", "eiffel tower": "city", "sydney opera house": "city", "millennium wheel": "city", "london eye": "city",
  "tokyo tower": "city", "big ben": "city", colosseum: "city", "leaning tower of pisa": "city", "brandenburg gate": "city",
  "golden gate bridge": "water", "tower bridge": "city", "mount rushmore": "meadow", "grand canyon": "desert",
  // Easel's drawings of landmarks, by their own names.
  "lotus temple": "city", "blue mosque": "city", "edinburgh castle": "city", "windsor castle": "meadow", "washington monument": "city",
  "potala palace": "city", alhambra: "city", "burj al arab": "water", borobudur: "meadow", "half dome": "meadow", "el capitan": "meadow",
  "st paul's cathedral": "city",
  "chrysler building": "city", "saint basil's cathedral": "city", "white house mansion": "city", "burj khalifa": "city",
  "cn tower": "city", "sagrada familia": "city", "notre dame": "city", "lincoln memorial": "city", alamo: "city",
  "neuschwanstein castle": "meadow", "machu picchu": "meadow", "angkor wat": "meadow", "hollywood sign": "meadow",
  "old faithful": "meadow", "christ the redeemer": "meadow", "mount everest": "snow", matterhorn: "snow",
  petra: "desert", "delicate arch": "desert", "brooklyn bridge": "city", "space needle": "city", "great sphinx": "desert",
  "pyramids of giza": "desert", "giza pyramids": "desert", "milky way": "space", uluru: "desert", "table mountain": "meadow",
  "sugarloaf mountain": "water", "gateway of india": "water", "marina bay sands": "city", "trevi fountain": "city",
  "little mermaid statue": "water",
  moai: "meadow", "forbidden city": "city", pantheon: "city", "gateway arch": "city", "flatiron building": "city", atomium: "city",
  "temple of heaven": "city", "golden pavilion": "water", "hagia sophia": "city", "arc de triomphe": "city",
  "us capitol": "city", "st peter's basilica": "city", "dome of the rock": "city", "golden temple": "city", "great buddha": "meadow",
  "gherkin building": "city", "shard london bridge": "city", "one world trade center": "city", "pentagon building": "city",
  "tokyo skytree": "city", "western wall": "city", "westminster abbey": "city", "tower of london": "city",
  "mont saint-michel": "water", "florence cathedral": "city", "sydney harbour bridge": "water", "palace of versailles": "city",
  "berlin wall": "city", "mount fuji": "meadow", "mount kilimanjaro": "meadow", kilimanjaro: "meadow",
};

/** Landforms put the picture out in the country, when nothing else says where it is ("a whale near a mountain" is at sea). */
const LANDFORMS: Record<string, Place> = {
  mountain: "meadow", "mountain range": "meadow", hill: "meadow", "mountain road": "meadow", volcano: "meadow",
};

/** Relations of a landmark that stands beside another thing, rather than being drawn on or in it. */
const BESIDE = new Set<RelationKind>(["next to", "in front of", "behind"]);

/**
 * With no place named, the place the things imply: "a submarine passing a
 * shark" (a subject that lives in water) is in water, "a truck under street
 * lights" in a city.
 */
function withImpliedPlace(plan: PicturePlan): PicturePlan {
  // (A sky is no place of its own: "a sand dune under a starry sky" is in the desert, by the things' own places only: a
  // koi flying in the sky is not in water.)
  const sky = plan.setting.phrase !== null && /\bsky$/.test(plan.setting.phrase);
  if ((plan.setting.phrase !== null && !sky) || plan.setting.backdrop !== undefined) return plan;
  const subject = plan.things[0];
  // A thing's own place first: "a dolphin on Saturn" is in space, though dolphins live in water.
  // ("a street wall", "a city bus": the words before the thing say where it is.)
  // By the name the prompt gave it or its art's own ("Big Ben" is drawn by art of that name).
  const named = (places: Record<string, Place>, t: ThingPlan) => places[t.name] ?? places[t.art.annotation.toLowerCase()];
  // (Not by what is carried or worn: "a camel carrying rolled carpets over a sand dune" is in the desert.)
  const carried = (t: ThingPlan) => plan.relations.some((r) => r.object === t.id && (r.relation === "holding" || r.relation === "wearing"));
  const placeOf = (t: ThingPlan) => (carried(t) ? undefined : named(PLACE_OF_THING, t) ?? (/^(street|city) /.test(t.phrase) ? "city" : undefined));
  const standing = (t: ThingPlan) => t.id === subject.id || plan.relations.some((r) => BESIDE.has(r.relation) && (r.subject === t.id || r.object === t.id));
  const landmark = (t: ThingPlan) => (standing(t) ? named(PLACE_OF_LANDMARK, t) : undefined);
  // A boat someone is in or on is on the water ("a fisherman in a boat"); a ship in a bottle, or a goldfish in a bowl, is not.
  const carriesSubject = (t: ThingPlan) => plan.relations.some((r) => r.subject === subject.id && r.object === t.id && (r.relation === "inside" || r.relation === "on"));
  const afloat = (t: ThingPlan) => t.art.placement === "water" && !plan.things.some((c) => c.art.placement !== "water" && plan.relations.some((r) => r.subject === t.id && r.object === c.id && r.relation === "inside"));
  const doer = (t: ThingPlan) => named(PLACE_OF_DOER, t);
  // (Inside a shop a counter or shelf stands: "a bakery with loaves on wooden shelves" is indoors.)
  const indoors = plan.things.find((t) => placeOf(t) === "indoor");
  const byOwnPlace =
    (plan.things.some((t) => placeOf(t) === "city" && t.art.source === "easel" && SHOPS.has(t.art.id)) ? indoors : undefined) ??
    plan.things.find((t) => placeOf(t) !== undefined) ??
    plan.things.find((t) => doer(t) !== undefined);
  const byCompany = () =>
    (subject && afloat(subject) ? subject : undefined) ??
    plan.things.find((t) => t !== subject && afloat(t) && carriesSubject(t)) ??
    plan.things.find((t) => landmark(t) !== undefined) ??
    plan.things.find((t) => named(LANDFORMS, t) !== undefined);
  const implied = byOwnPlace ?? (sky ? undefined : byCompany());
  if (!implied) return plan;
  const place = placeOf(implied) ?? doer(implied) ?? landmark(implied) ?? named(LANDFORMS, implied) ?? "water";
  return { ...plan, setting: { ...plan.setting, place, named: true, phrase: implied.phrase } };
}

/**
 * With no time named, a moon in the sky makes it night, as stars do: "a full
 * moon over a house" is not drawn beside the day's sun, which its disc would
 * pass for, and a constellation is seen only at night.
 */
function withImpliedTime(plan: PicturePlan): PicturePlan {
  const constellation = plan.things.some((t) => t.art.source === "easel" && CONSTELLATIONS.has(t.art.id));
  if (!(drawsSkyBody(plan, "moon") || constellation) || plan.setting.timeOfDay !== "day") return plan;
  return { ...plan, setting: { ...plan.setting, time: "night", timeOfDay: "night" } };
}

/** Easel's drawings of constellations. */
const CONSTELLATIONS = new Set(["orion", "big-dipper"]);

/** Art names of the sky's bodies ("sun behind cloud", "full moon"), by which. */
const SKY_BODIES = { sun: /\bsun\b/i, moon: /\bmoon\b/i, either: /\b(sun|moon)\b/i };

/** Whether the plan draws a sun or moon of its own in the sky (or only the one `which` names). */
export function drawsSkyBody(plan: Pick<PicturePlan, "things">, which: keyof typeof SKY_BODIES = "either"): boolean {
  return plan.things.some((t) => t.art.placement === "sky" && SKY_BODIES[which].test(t.art.annotation));
}

/** The plan with only the things `keep` accepts; ids and relations are renumbered to match. */
export function keepThings(plan: PicturePlan, keep: (thing: ThingPlan) => boolean): PicturePlan {
  const kept = plan.things.filter(keep);
  if (kept.length === plan.things.length) return plan;
  const newId = new Map(kept.map((thing, index) => [thing.id, index]));
  return {
    ...plan,
    things: kept.map((thing, index) => ({ ...thing, id: index })),
    relations: plan.relations
      .filter((r) => newId.has(r.subject) && newId.has(r.object))
      .map((r) => ({ ...r, subject: newId.get(r.subject)!, object: newId.get(r.object)! })),
  };
}

/** "on a white background", "against a black backdrop", "studio shot": a plain backdrop, unless a real place is named. */
const BACKDROP = /(?:\b(?:on|against|over|in front of|with)\s+|^\s*)(?:an?\s+|the\s+)?(?:(?:plain|solid|clean|simple|blank|flat|seamless)\s+)?(?:(light|dark|pale)\s+)?([a-z]+)?\s*(?:background|backdrop)\b|\bstudio\s+(?:shot|photo|photograph|lighting|portrait)\b|\bproduct\s+(?:shot|photo)\b/i;

function withBackdrop(setting: Setting, prompt: string): Setting {
  const match = BACKDROP.exec(prompt);
  // (A studio shot is on a backdrop though "studio" alone is a room.)
  const studioShot = match !== null && /studio/i.test(match[0]) && setting.place === "indoor";
  if (!match || (setting.named && setting.place !== "meadow" && !studioShot)) return setting;
  const [, shade, word] = match;
  const name = word?.toLowerCase();
  // "with a blurred background" describes a photo; only "with a white background" (or a prompt that opens so) is a backdrop.
  const onSomething = /^(?:on|against|over|in front of)\b/i.test(match[0].trim()) || /studio|product/i.test(match[0]);
  if (!onSomething && !(name && isColourWord(name))) return setting;
  // Product-shot whites and blacks are pure, not the art palette's off-white.
  const pure: Record<string, string> = { white: "#ffffff", black: "#111111" };
  const colour = !name || !isColourWord(name) ? "#ffffff" : (!shade && pure[name]) || namedColour(name, shade?.toLowerCase()).hex;
  return { ...setting, place: "studio", named: true, phrase: match[0].trim(), backdrop: colour };
}

/** Total drawn copies across all things. */
export function thingCount(plan: PicturePlan): number {
  return plan.things.reduce((sum, t) => sum + t.count, 0);
}
