// Where a thing sits in a scene (ground, sky, water), from the words of its
// name. OpenMoji also has groups ("transport-air"); other sources only words.

import type { Placement } from "../art-index.js";
import { headEnd } from "./lemma.js";

const SKY = new Set([
  "balloon", "kite", "butterfly", "honeybee", "bee", "bumblebee", "mosquito", "fly", "dragonfly", "bat", "bird",
  "dove", "eagle", "hawk", "falcon", "owl", "parrot", "macaw", "pigeon", "seagull", "gull", "swallow", "sparrow",
  "robin", "crow", "raven", "phoenix", "feather", "wing", "wings", "dragon", "angel", "airplane", "aeroplane",
  "plane", "jet", "aircraft", "airliner", "helicopter", "airship", "zeppelin", "blimp", "glider", "parachute",
  "cloud", "clouds", "rainbow", "sun", "moon", "star", "comet", "planet", "saturn", "jupiter", "venus", "mars",
  "ufo", "satellite", "rocket", "spaceship", "lightning", "firework", "fireworks", "constellation", "orion", "dipper", "wasp", "hornet", "moth", "dragonfly", "hummingbird", "stork", "heron",
]);
const WATER = new Set([
  "boat", "sailboat", "ship", "yacht", "canoe", "kayak", "ferry", "steamship", "submarine", "raft", "gondola",
  "sailing", "fish", "goldfish", "whale", "dolphin", "shark", "orca", "octopus", "squid", "jellyfish", "seahorse",
  "narwhal", "beluga", "porpoise", "swan", "stingray",
]);
/** Birds and fliers that stand on the ground in a picture. */
const GROUNDED = new Set([
  "penguin", "chicken", "hen", "rooster", "chick", "duck", "goose", "turkey", "ostrich", "emu", "peacock", "flamingo",
  "kiwi", "dodo", "nest", "cage", "house", "bathhouse", "birdhouse", "feeder", "snowman", "umbrella", "thermometer",
  "fire", "droplet", "seat", "tornado", "skeleton", "statue", "station", "shop", "shelf", "anchor", "lighthouse",
]);

/**
 * The placement named by a thing's head noun (the last word before any "of",
 * "with", participle…): "bird house" is a house (ground), "plane in the sky"
 * a plane (sky), "fish cake" neither. Null when
 * the word says nothing, so the caller can fall back on a category.
 */
export function placementFromWords(words: string[]): Placement | null {
  const phrase = words.slice(0, headEnd(words));
  const head = phrase[phrase.length - 1];
  if (phrase.length > 1 && /^(baseball|cricket|table|tennis)$/.test(phrase[phrase.length - 2])) return "ground"; // bats and balls
  if (head === undefined || GROUNDED.has(head)) return head === undefined ? null : "ground";
  if (SKY.has(head)) return "sky";
  if (WATER.has(head)) return "water";
  return null;
}
