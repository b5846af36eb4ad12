// Easel's own drawings (`drawings/` at the repository's root, MIT like the rest
// of Easel): plain pictures of everyday things that every installed set draws
// only by a stand-in, found by judging PartiPrompts' tuning part (a skyscraper
// had been OpenMoji's low office block, a suit a levitating man, a kilt a
// skirt). They are drawn in OpenMoji's manner (72×72, flat colours, black
// outlines) so they sit well beside its emoji and recolour like them. Animals
// face left, as OpenMoji's do, so that a hat goes on the head (relations.ts).

import { fileURLToPath } from "node:url";
import { normaliseWords } from "../words.js";
import { foldersIdentity } from "./folders.js";
import { placementFromWords } from "./placement.js";
import { SOURCE_PENALTY, type ArtEntry } from "./table.js";

/** The same folder from `src/` and from `dist/`: both sit four levels under the root. */
export const DRAWINGS_DIR = fileURLToPath(new URL("../../../../drawings/", import.meta.url));

/** Each drawing's file (without `.svg`) and every name it answers to, its own name first. */
export const DRAWINGS: Record<string, string[]> = {
  skyscraper: ["skyscraper", "high-rise", "tall building", "tower block", "highrise"],
  suit: ["suit", "business suit", "suit jacket"],
  tuxedo: ["tuxedo", "dinner jacket", "tux", "formal clothes", "formal wear", "formal attire", "formalwear"],
  "leather-jacket": ["leather jacket", "biker jacket", "motorcycle jacket"],
  kilt: ["kilt"],
  corgi: ["corgi", "welsh corgi", "pembroke welsh corgi"],
  "garbage-bag": ["garbage bag", "trash bag", "bin bag", "rubbish bag"],
  post: ["post", "wooden post", "fence post"],
  "great-wall": ["great wall", "great wall of china"],
  poster: ["poster"],
  "poker-table": ["poker table", "card table"],
  "tennis-net": ["tennis net", "tennis court net"],
  "comic-book": ["comic book", "comic"],
  "door-knocker": ["door knocker", "doorknocker", "knocker"],
  canyon: ["canyon", "grand canyon", "gorge"],
  "sticky-note": ["sticky note", "post-it", "post-it note"],
  stegosaurus: ["stegosaurus"],
  "lego-brick": ["lego brick", "lego", "lego block"],
  "empire-state-building": ["empire state building"],
  kremlin: ["kremlin", "moscow kremlin"],
  "golden-gate-bridge": ["golden gate bridge", "golden gate"],
  "rosetta-stone": ["rosetta stone"],
  pharaoh: ["pharaoh"],
  tutu: ["tutu"],
  "warning-sign": ["warning sign", "diamond sign", "yield sign", "traffic sign", "road sign", "caution sign"],
  "shiba-inu": ["shiba inu", "shiba"],
  "golden-retriever": ["golden retriever"],
  dalmatian: ["dalmatian"],
  husky: ["husky", "siberian husky"],
  "fennec-fox": ["fennec fox", "fennec"],
  colosseum: ["colosseum", "coliseum", "roman colosseum"],
  stonehenge: ["stonehenge"],
  "pirate-ship": ["pirate ship"],
  yacht: ["yacht", "motor yacht"],
  macaron: ["macaron", "macaroon"],
  "oriental-pearl-tower": ["oriental pearl tower", "oriental pearl"],
  pedestal: ["pedestal", "plinth"],
  beret: ["beret"],
  "step-pyramid": ["step pyramid", "mayan pyramid", "chichen itza", "aztec pyramid", "mesoamerican pyramid"],
  "mount-rushmore": ["mount rushmore"],
  starfish: ["starfish", "sea star"],
  platypus: ["platypus", "duck-billed platypus"],
  "red-panda": ["red panda", "lesser panda"],
  "baseball-player": ["batter", "baseball batter", "baseball player"],
  cricketer: ["cricketer", "batsman", "cricket player"],
  priest: ["priest", "pastor", "vicar", "clergyman"],
  tourist: ["tourist", "sightseer"],
  "bike-rack": ["bike rack", "bicycle rack"],
  "poker-chips": ["poker chips", "poker chip", "casino chips"],
  "space-elevator": ["space elevator"],
  barn: ["barn"],
  submarine: ["submarine", "yellow submarine"],
  "orange-juice": ["orange juice", "glass of orange juice"],
  "traffic-cone": ["traffic cone", "safety cone"],
  popsicle: ["popsicle", "ice lolly", "ice pop"],
  "construction-crane": ["construction crane", "tower crane"],
  mustard: ["mustard", "mustard bottle"],
  jam: ["jam", "jar of jam", "jelly jar", "marmalade"],
  "peanut-butter": ["peanut butter", "jar of peanut butter"],
  tofu: ["tofu", "bean curd"],
  napkin: ["napkin", "serviette"],
  "burger-patty": ["burger patty", "patty", "hamburger patty"],
  "witch-hat": ["witch hat"],
  "chef-hat": ["chef hat", "toque"],
  beanie: ["beanie", "knit cap", "woolly hat", "bobble hat"],
  apron: ["apron"],
  hoodie: ["hoodie", "hooded sweatshirt"],
  cape: ["cape", "superhero cape"],
  monocle: ["monocle"],
  "pearl-necklace": ["pearl necklace", "string of pearls"],
  "log-cabin": ["log cabin", "cabin"],
  treehouse: ["treehouse", "tree house"],
  "lemonade-stand": ["lemonade stand"],
  "snow-globe": ["snow globe", "snowglobe"],
  "phone-booth": ["phone booth", "telephone booth", "phone box", "telephone box"],
  koi: ["koi", "koi fish", "koi carp"],
  pajamas: ["pajamas", "pyjamas", "pajama", "pyjama"],
  businessman: ["businessman", "business man", "businessperson"],
  businesswoman: ["businesswoman", "business woman"],
  "panama-hat": ["panama hat", "straw hat"],
  "hawaiian-shirt": ["hawaiian shirt", "aloha shirt"],
  orion: ["orion", "orion constellation", "constellation", "star constellation"],
  "big-dipper": ["big dipper", "ursa major"],
};

export function drawingsIdentity(): string {
  return foldersIdentity([DRAWINGS_DIR]);
}

export function drawingEntries(): ArtEntry[] {
  return Object.entries(DRAWINGS).flatMap(([file, names], rank) =>
    names.map((name) => {
      const words = normaliseWords(name);
      return {
        art: { source: "easel" as const, id: file, annotation: names[0], file: `${DRAWINGS_DIR}${file}.svg`, placement: placementFromWords(words) ?? "ground" },
        name: words,
        tags: [],
        rank,
        penalty: SOURCE_PENALTY.easel,
        // Each drawing is one particular kind: a "rack" is no bike rack, a "player" no batter.
        wholeNameOnly: true,
      };
    }),
  );
}
