// Word lists the prompt reader relies on. Kept apart from the logic so the
// lists can grow without the parser changing.

import { sharedWordNet } from "./art/wordnet.js";

/** Normalises text the same way for prompts and art names: lowercase, ASCII, words. */
export function normaliseWords(text: string): string[] {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’]s\b/g, "")
    .replace(/['’]/g, "")
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Words that never name a thing: grammar, requests, styles, common modifiers and verbs. */
export const STOP_WORDS = new Set(
  `a an the of and or but nor with without some any this that these those it its their his her my our your
  me us i we you he she they them is are was were be been being am has have had do does did
  write writes wrote written writing say says saying said spell spells spelled spelling printed inscribed engraved
  to in on at by for from into onto upon over under above below beneath behind beside besides near
  next front top bottom left right middle center centre between among around across along through
  up down out off away toward towards against while where when who whom which what how very really
  just quite so too also please make create show draw paint painting generate render rendered image
  images picture pictures pic photo photograph photography drawing drawn illustration illustrated art
  artwork style styled scene view background foreground portrait landscape wallpaper icon logo
  sketch cartoon realistic photorealistic detailed high quality hd 4k 8k hq cinematic epic simple minimal
  flat vector digital beautiful pretty cute lovely nice cool funny happy sad angry big small little tiny
  huge giant large medium tall short long old young new fluffy furry shiny bright colourful colorful
  vibrant soft cozy cosy sitting sits sit standing stands stand running runs run playing plays play
  flying flies walking walks holding holds wearing wears looking looks eating eats sleeping sleeps
  jumping jumps swimming swims floating floats lying lies resting rests riding rides together each other another
  one's someone something here there like as than then get made having full filled covered surrounded
  containing contains items item things thing objects object all every scattered lots lot bunch group
  herd flock pack set number several many few pair dozen
  love loving hello hi day daytime today time life sunny cloudy best ever quote quotes super hyper ultra mega semi`
    .split(/\s+/)
    .filter(Boolean),
);

/** Number words; digits are read directly. Collective words ("a pair of", "a herd of") count too. */
export const NUMBER_WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19, twenty: 20, dozen: 12, dozens: 12, hundred: 100, hundreds: 100, thousands: 100,
  pair: 2, couple: 2, few: 3, several: 4, many: 6, lots: 6, lot: 6, plenty: 6, bunch: 5, group: 4,
  herd: 5, flock: 5, pack: 4, crowd: 6, swarm: 8, school: 5, family: 4, team: 4, some: 3, numerous: 8, multiple: 4,
  pile: 5, stack: 5, heap: 5, colony: 6, troop: 5, roll: 1, pride: 4, gaggle: 5, pod: 4, litter: 5, murder: 5, parliament: 5,
};

/** Irregular plurals the simple suffix rules get wrong. */
export const IRREGULAR_PLURALS: Record<string, string> = {
  mice: "mouse", geese: "goose", people: "person", children: "child", kids: "child", men: "man",
  women: "woman", teeth: "tooth", feet: "foot", wolves: "wolf", leaves: "leaf", knives: "knife",
  loaves: "bread", calves: "cow", sheep: "sheep", fish: "fish", deer: "deer", octopi: "octopus",
  cacti: "cactus", dice: "die", oxen: "ox", elves: "elf", shelves: "shelf", scarves: "scarf", fungi: "fungus",
};

export type Place = "meadow" | "snow" | "water" | "space" | "moon" | "indoor" | "desert" | "city" | "studio";

/** Setting keywords. Night is a time of day and combines with any outdoor place. */
export const PLACE_WORDS: Record<string, Place> = {
  meadow: "meadow", field: "meadow", grass: "meadow", grassy: "meadow", park: "meadow", garden: "meadow",
  countryside: "meadow", sky: "meadow", outdoors: "meadow", outside: "meadow", forest: "meadow", woods: "meadow",
  jungle: "meadow", prairie: "meadow", farmland: "meadow", hillside: "meadow", valley: "meadow", farm: "meadow",
  ranch: "meadow", orchard: "meadow", savanna: "meadow", savannah: "meadow",
  snow: "snow", snowy: "snow", snowbound: "snow", snowcovered: "snow", winter: "snow", wintry: "snow", arctic: "snow", icy: "snow", frozen: "snow",
  beach: "water", sea: "water", ocean: "water", water: "water", river: "water", lake: "water",
  shore: "water", coast: "water", seaside: "water", seashore: "water", underwater: "water", pond: "water",
  space: "space", galaxy: "space", cosmos: "space", universe: "space", outer: "space", orbit: "space",
  indoor: "indoor", indoors: "indoor", room: "indoor", kitchen: "indoor", bedroom: "indoor",
  inside: "indoor", interior: "indoor", office: "indoor", home: "indoor",
  desert: "desert", sand: "desert", sandy: "desert", dunes: "desert", dune: "desert", sahara: "desert",
  city: "city", street: "city", town: "city", urban: "city", downtown: "city", skyline: "city",
  cityscape: "city", metropolis: "city", alley: "city", neighborhood: "city", neighbourhood: "city",
  seabed: "water", reef: "water", waves: "water", harbor: "water", harbour: "water", bay: "water",
  blizzard: "snow", snowfall: "snow", snowstorm: "snow", tundra: "snow",
  oasis: "desert", wasteland: "desert", lunar: "moon", interstellar: "space", starfield: "space",
  loch: "water", lakeside: "water", riverside: "water", riverbank: "water", canal: "water",
  coastal: "water", waterfront: "water", lagoon: "water", fjord: "water",
  sidewalk: "city", pavement: "city", runway: "city", airport: "city", tarmac: "city", intersection: "city", crossroads: "city", crosswalk: "city", avenue: "city",
  boulevard: "city", plaza: "city", rooftop: "city", suburb: "city", highway: "city",
  restaurant: "indoor", classroom: "indoor", library: "indoor", museum: "indoor", gym: "indoor",
  hallway: "indoor", shop: "indoor", store: "indoor",
  canyon: "desert", mesa: "desert", mars: "desert",
  woodland: "meadow", trail: "meadow", lawn: "meadow", backyard: "meadow",
  // The meadow is drawn on rolling hills: "a castle on a hill" stands on them.
  hill: "meadow", hills: "meadow", lobby: "indoor", lounge: "indoor", foyer: "indoor",
  rainforest: "meadow", outback: "desert", wilderness: "meadow", tropics: "meadow", antarctica: "snow", antarctic: "snow",
  pasture: "meadow", marsh: "meadow", swamp: "meadow", wetland: "meadow", heath: "meadow", moor: "meadow", steppe: "meadow",
  campsite: "meadow", campground: "meadow", patio: "meadow", yard: "meadow", vineyard: "meadow", cemetery: "meadow",
  graveyard: "meadow", battlefield: "meadow", courtyard: "city", market: "city", marketplace: "city", bazaar: "city",
  slum: "city", skatepark: "city", port: "water", laundromat: "indoor", pharmacy: "indoor", bookstore: "indoor",
  bookshop: "indoor", barbershop: "indoor", salon: "indoor", diner: "indoor", pub: "indoor", casino: "indoor",
  ballroom: "indoor", auditorium: "indoor", courtroom: "indoor",
  attic: "indoor", cellar: "indoor", basement: "indoor", gallery: "indoor", nook: "indoor",
  ridge: "meadow", glade: "meadow", grove: "meadow", clearing: "meadow", thicket: "meadow", bluff: "meadow", bog: "meadow",
  farmyard: "meadow", barnyard: "meadow", corridor: "indoor", mud: "meadow", waterhole: "water", studio: "indoor",
  sandbar: "water", sandbank: "water", burrow: "meadow", shoreline: "water", tidepool: "water",
  lane: "meadow", zoo: "meadow", trailhead: "meadow",
  aisle: "indoor",
};

export const NIGHT_WORDS = new Set(["night", "nighttime", "midnight", "starry", "evening", "nocturnal"]);

/** Times of day other than plain daylight; "sunset" covers the warm low-sun hours. */
export const SUNSET_WORDS = new Set(["sunset", "sunrise", "dusk", "dawn", "twilight", "evening", "sundown", "daybreak"]);

/** Nouns that name the picture or its medium: "a children's book drawing of", "in watercolor style". */
export const MEDIUM_NOUNS = new Set(
  `image images picture pictures photo photograph photography drawing illustration painting sketch render rendering
  artwork art style design clipart icon logo sticker emoji wallpaper watercolor watercolour cartoon anime manga
  storybook vector pixel pixels graffiti graffito mural woodcut woodblock linocut etching engraving lithograph
  comic comics diagram tattoo mosaic embroidery`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * Nouns that name the picture, its look or a part of something rather than a
 * thing in it ("on a white background", "at the top", "the items").
 */
export const NON_THING_NOUNS = new Set([
  ...MEDIUM_NOUNS,
  ...`quality resolution detail details background foreground backdrop composition lighting light shadow shadows
  color colour colors colours shade tone palette texture font text typography handwriting lettering letters
  word words label caption title quote quotes clip version
  kind type sort way side front top bottom left right middle center centre corner edge reference references item
  items thing things object objects element elements shape shapes border vibe mood atmosphere feel look
  aesthetic perspective angle closeup close shot focus bokeh depth realism format aspect ratio crosssection cutaway
  size scale number amount lot lots heartbeat sound noise smell taste idea concept dream memory story
  animal animals creature creatures character characters subject subjects stuff everything something sprite sheet
  piece pieces cover floor ground surface ceiling base distance air stance pose half stripes stripe back line lines horizon curve
  series collection cubism pointillism pointilism sfumato portrayal depiction rendition motion emotion feeling insight
  hieroglyphic hieroglyphics speech slope slopes rim rims area outline silhouette section north south east west viewer bend pain joy fear anger end`
    .split(/\s+/)
    .filter(Boolean),
]);

/** Heads of phrases that describe the whole view: their modifiers name the setting ("winter landscape"). */
export const SCENE_NOUNS = new Set(["landscape", "scene", "scenery", "view", "setting", "backdrop", "background", "panorama", "vista", "environment", "world", "wallpaper"]);

/** Places one is inside: "in a subway train" sets an interior instead of drawing a train. */
export const INTERIOR_NOUNS = new Set(
  `train subway metro tram bus house home room kitchen bedroom bathroom classroom school library cafe
  restaurant shop store supermarket museum church hospital office studio apartment hall gym theater theatre
  cinema bakery factory warehouse station airport mall castle palace cabin attic basement barn tower
  hut shed cottage workshop garage greenhouse lighthouse`
    .split(/\s+/)
    .filter(Boolean),
);

/** Things worn rather than held: "a cat in a hat", "an otter with a scarf". */
export const WEARABLES = new Set(
  `hat cap scarf glasses sunglasses goggles crown tiara helmet tie necktie bowtie bow ribbon dress shirt
  t-shirt tshirt coat jacket sweater hoodie boots boot shoes shoe sneakers socks gloves glove mittens necklace
  collar mask backpack cape cloak apron uniform costume suit kimono sari skirt jeans trousers pants shorts
  bikini swimsuit earrings bracelet watch wig beard moustache mustache veil headphones`
    .split(/\s+/)
    .filter(Boolean),
);

/** People and animals: what can wear a hat or a scarf. Matched on any word of an art name ("teddy bear" too). */
const PEOPLE = new Set(
  `person man woman boy girl child baby kid people family astronaut king queen prince princess knight pirate wizard
  witch fairy elf ghost zombie vampire robot alien superhero ninja santa snowman clown doctor nurse chef cook farmer
  teacher student worker pilot firefighter officer scientist detective guard soldier dancer singer artist`
    .split(/\s+/)
    .filter(Boolean),
);
const ANIMALS = new Set(
  `cat kitten dog puppy fox wolf bear panda koala rabbit bunny mouse rat hamster squirrel raccoon otter beaver badger
  skunk sloth monkey gorilla orangutan lion tiger leopard cheetah horse pony unicorn donkey zebra cow bull ox pig
  sheep lamb goat deer moose elephant giraffe camel llama kangaroo hippopotamus rhinoceros penguin owl duck chicken
  hen rooster chick bird parrot eagle swan flamingo frog toad turtle tortoise snake crocodile dinosaur dragon
  hedgehog bat seal walrus whale dolphin octopus teddy hippo croc kitty doggo cub fawn gull swallow`
    .split(/\s+/)
    .filter(Boolean),
);
const WEARERS = new Set([...PEOPLE, ...ANIMALS]);

/** One word for a person or a person's role ("scientist"), or for an animal. */
export const isPersonWord = (word: string): boolean => PEOPLE.has(word);
/** An animal by the list, or by WordNet's first sense ("a racoon detective" is the racoon). */
export const isAnimalWord = (word: string): boolean => ANIMALS.has(word) || sharedWordNet().isKindOf(word, ["animal"]);

export function isWearer(name: string): boolean {
  const words = name.toLowerCase().split(/[^a-z]+/).filter(Boolean);
  // Beyond the lists, whoever WordNet says is a person or an animal: a cricketer, Abraham Lincoln, a wombat.
  return words.some((word) => WEARERS.has(word)) || (words.length > 0 && sharedWordNet().isKindOf(words.join(" "), ["person", "animal"]));
}

/** Parts of a body: "a man with a grey beard", "green eyes", "shaking hands" describe someone, they are not things of their own. */
export const BODY_PARTS = new Set(
  `hair beard moustache mustache eye eyes ear ears nose mouth lips lip teeth tooth tongue face faces head heads neck
  shoulder shoulders arm arms hand hands finger fingers leg legs knee knees foot feet toe toes paw paws tail tails
  fur skin wing wings beak horn horns mane whiskers claws claw stripes spots markings back belly chin cheek cheeks trunk
  flank flanks rump hoof hooves snout muzzle body freckles freckle pigtails pigtail braids braid ponytail ponytails
  dreadlocks curls bangs mohawk sideburns dimples wrinkles eyebrows eyelashes braces`
    .split(/\s+/)
    .filter(Boolean),
);
