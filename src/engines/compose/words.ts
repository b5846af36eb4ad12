// Word lists the prompt reader relies on. Kept apart from the logic so the
// lists can grow without the parser changing.

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
  to in on at by for from into onto upon over under above below beneath behind beside besides near
  next front top bottom left right middle center centre between among around across along through
  up down out off away toward towards against while where when who whom which what how very really
  just quite so too also please make create show draw paint painting generate render rendered image
  images picture pictures pic photo photograph photography drawing drawn illustration illustrated art
  artwork style styled scene view background foreground portrait landscape wallpaper poster icon logo
  sketch cartoon realistic photorealistic detailed high quality hd 4k 8k hq cinematic epic simple minimal
  flat vector digital beautiful pretty cute lovely nice cool funny happy sad angry big small little tiny
  huge giant large medium tall short long old young new fluffy furry shiny bright colourful colorful
  vibrant soft cozy cosy sitting sits sit standing stands stand running runs run playing plays play
  flying flies walking walks holding holds wearing wears looking looks eating eats sleeping sleeps
  jumping jumps swimming swims floating floats lying lies resting rests riding rides together each other another
  one's someone something here there like as than then get made having full filled covered surrounded
  containing contains items item things thing objects object all every scattered lots lot bunch group
  herd flock pack set number several many few couple pair dozen
  love loving hello hi day daytime today time life sunny cloudy best ever quote quotes table desk`
    .split(/\s+/)
    .filter(Boolean),
);

/** Number words; digits are read directly. */
export const NUMBER_WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, dozen: 12, pair: 2, couple: 2, few: 3, several: 4, many: 6, lots: 6, bunch: 5,
  group: 4, herd: 5, flock: 5, pack: 4, some: 3,
};

/** Irregular plurals the simple suffix rules get wrong. */
export const IRREGULAR_PLURALS: Record<string, string> = {
  mice: "mouse", geese: "goose", people: "person", children: "child", kids: "child", men: "man",
  women: "woman", teeth: "tooth", feet: "foot", wolves: "wolf", leaves: "leaf", knives: "knife",
  loaves: "bread", calves: "cow", sheep: "sheep", fish: "fish", deer: "deer", octopi: "octopus",
  cacti: "cactus", dice: "die", oxen: "ox", elves: "elf", shelves: "shelf", scarves: "scarf",
};

export type Place = "meadow" | "snow" | "water" | "space" | "moon" | "indoor" | "desert" | "city";

/** Setting keywords. Night is a time of day and combines with any outdoor place. */
export const PLACE_WORDS: Record<string, Place> = {
  meadow: "meadow", field: "meadow", grass: "meadow", grassy: "meadow", park: "meadow", garden: "meadow",
  countryside: "meadow", sky: "meadow", outdoors: "meadow", outside: "meadow",
  snow: "snow", snowy: "snow", winter: "snow", wintry: "snow", arctic: "snow", icy: "snow", frozen: "snow",
  beach: "water", sea: "water", ocean: "water", water: "water", river: "water", lake: "water",
  shore: "water", coast: "water", seaside: "water", seashore: "water", underwater: "water", pond: "water",
  space: "space", galaxy: "space", cosmos: "space", universe: "space", outer: "space", orbit: "space",
  lunar: "moon",
  indoor: "indoor", indoors: "indoor", room: "indoor", kitchen: "indoor", bedroom: "indoor",
  inside: "indoor", interior: "indoor", office: "indoor", home: "indoor",
  desert: "desert", sand: "desert", sandy: "desert", dunes: "desert", dune: "desert", sahara: "desert",
  city: "city", street: "city", town: "city", urban: "city", downtown: "city", skyline: "city",
};

export const NIGHT_WORDS = new Set(["night", "nighttime", "midnight", "starry", "evening", "nocturnal"]);
