// The word classes the phrase reader (things.ts) acts on: words that change
// what a noun phrase means ("a statue of", "a slice of", "without", "a crowd"),
// and words that name where or how a picture is made rather than a thing in it.

/** What a picture is painted with, and on: "oil on canvas" names the medium, not things in the picture. */
export const PAINTS = new Set(["oil", "oils", "acrylic", "acrylics", "ink", "charcoal", "pastel", "pastels", "gouache", "tempera", "watercolor", "watercolour"]);
export const SUPPORTS = new Set(["canvas", "paper", "board", "wood", "panel", "linen", "silk"]);
/** What a picture is drawn with, when a medium noun follows: "a pen-and-ink drawing", "a crayon sketch". */
export const DRAWING_TOOLS = new Set(["pen", "pencil", "crayon", "crayons", "marker", "chalk", "brush", "ballpoint", ...PAINTS]);

/** Words that say the phrase after them is not in the picture. */
export const NEGATIONS = new Set(["no", "without", "zero", "nor", "minus"]);

/** Determiners that, like an article, may stand between a negation and its noun: "a banana without its peel". */
export const POSSESSIVES = new Set(["its", "his", "her", "their", "my", "your", "our"]);
/** Body parts only after a possessive ("beating its chest", "a cat on her lap"); alone they are things ("a chest"). */
export const OWNED_PARTS = new Set(["chest", "breast", "lap", "stomach", "tummy", "torso", "waist", "hip", "hips", "thigh", "wrist", "ankle", "elbow", "forehead", "palm", "heel", "throat", "flipper", "flippers"]);
/**
 * Young animals and the kind they are young of: a breed before them is of that kind ("a dalmatian puppy"), and
 * their mother or father is one ("ducklings following their mother").
 */
export const YOUNG_ANIMALS: Record<string, string> = {
  puppy: "dog", pup: "dog", kitten: "cat", kitty: "cat", foal: "horse", colt: "horse", calf: "cow", lamb: "sheep",
  duckling: "duck", chick: "hen", piglet: "pig", gosling: "goose", cygnet: "swan", joey: "kangaroo", fawn: "deer",
  owlet: "owl", eaglet: "eagle",
};
/** Verbs after which "in" or "from" a material says what a thing is made of ("cast in bronze"). */
export const SHAPED = new Set(["made", "painted", "cast", "carved", "built", "sculpted", "crafted", "forged", "constructed", "woven", "knitted"]);

/** Verbs that say what something is or looks like: "the cat is orange". */
export const PREDICATE_VERBS = new Set(["is", "are", "was", "were", "looks", "look", "turns", "turned", "becomes", "painted", "coloured", "colored"]);

/** Nouns for a part of a place: "a street corner" is in the street. */
export const PART_NOUNS = new Set(["corner", "side", "edge", "middle", "center", "centre", "end", "top", "bottom", "surface", "floor", "base", "foot"]);

/** Heads that mean "in the form of" the noun before them. */
export const SHAPE_HEADS = new Set([
  "symbol", "symbols", "shape", "shapes", "figure", "figurine", "emblem", "motif", "silhouette", "silhouettes", "outline",
  // What a thing casts or leaves is drawn as the thing: "a tree reflection", "a cat shadow", "a mug with a cat print".
  "reflection", "reflections", "shadow", "shadows", "print",
]);

/** Pictures that may hang in the scene rather than name its style. */
export const HUNG_PICTURES = new Set(["painting", "paintings", "picture", "pictures", "portrait", "poster", "photo", "photograph", "drawing", "sketch", "sketches"]);

/** Words after a place that make it a picture on something: "a cityscape painted on it". */
export const DEPICTED = new Set(["painted", "printed", "drawn", "depicted", "engraved", "embroidered"]);

/** A statue of an animal or person is drawn as it: "a wooden owl statue". */
export const STATUE_HEADS = new Set(["statue", "statues", "sculpture", "carving", "figurine", "toy", "toys", "plush", "plushie"]);

/** Events of a thing: "a fireworks display", "a basketball game" show the fireworks, the basketball. */
export const EVENT_HEADS = new Set(["display", "game", "match", "show", "tournament", "contest", "hunt", "race", "fight", "battle", "festival", "parade", "competition"]);

/** Events with many of the thing that names them: an egg hunt, a horse race, a snowball fight. */
export const EVENTS_OF_MANY = new Set(["hunt", "race", "fight", "battle", "festival", "parade"]);

/** Heads that name a ride on the noun before them: "a train ride" is drawn as the train ("a road trip" is no road). */
export const RIDE_HEADS = new Set(["ride", "rides"]);

/** Group nouns after an animal: "an owl family" is owls. */
export const GROUP_HEADS = new Set(["family", "herd", "flock", "pack", "swarm", "colony", "troop", "school"]);

/**
 * The kinds a name may end in (names.ts) that say what it looks like: "Kilchurn Castle" is drawn as a castle.
 * Not "building", "station" or "museum": those say too little to draw (the Chrysler Building stays its own placeholder).
 */
export const DRAWN_KINDS = new Set(["castle", "bridge", "tower", "palace", "cathedral", "church", "temple", "lighthouse", "mosque", "pyramid", "skyscraper", "stadium", "volcano", "fountain", "obelisk"]);

/** Words for many people at once: "a team playing baseball". */
export const CROWDS = new Set(["team", "teams", "crew", "squad", "choir", "orchestra"]);

/** Things that hold things: "a basket of apples". */
export const CONTAINERS = new Set(["basket", "box", "bowl", "bag", "sack", "jar", "bucket", "crate", "cart", "bottle", "cup", "glass", "mug", "plate", "tray", "vase", "pot", "nest", "barrel", "chest", "pouch", "teacup", "bouquet", "pint", "pitcher", "jug", "carafe", "flask", "keg", "can", "tumbler"]);

/** What a dish is served in: its picture has one ("a bowl of soup" is the soup's picture). */
export const SERVING = new Set(["bowl", "plate", "dish", "platter", "pot"]);

/** What a container of it is drawn as the container alone: "a cup of tea" (and any beverage WordNet knows: "a pitcher of stout"). */
export const LIQUIDS = new Set(["tea", "coffee", "milk", "water", "juice", "soup", "wine", "beer", "cocoa", "lemonade", "chocolate", "broth", "sauce", "honey", "cider", "smoothie"]);

/** Heads that name a portion or part of the noun before them: "a pizza slice" is drawn as pizza, "a fox head" as a fox. */
export const PORTIONS = new Set(["slice", "piece", "cone", "scoop", "bar", "chunk", "wedge", "cube", "stick", "loaf", "head", "face", "spoonful", "drop"]);

/** What a thing is cut or broken into: "sliced into many pieces" names no new thing. */
export const PIECES = new Set(["piece", "slice", "chunk", "bit", "shard", "fragment", "strip", "wedge", "sliver", "crumb"]);

/**
 * Interiors that "in" alone makes the setting; others need "inside" ("in a house" draws the house, and "riding
 * in a train" the train, which compose has no interior for).
 */
export const ROOMS = new Set(
  `room kitchen bedroom bathroom classroom library cafe restaurant shop store supermarket museum office studio
  apartment hall gym theater theatre cinema bakery subway metro attic basement temple church lab laboratory
  hospital garage mall school hotel bar pub diner salon barbershop closet nursery corridor elevator laundromat pharmacy
  bookstore bookshop arcade casino ballroom auditorium cathedral mosque workshop cellar pantry dungeon prison jail courtroom
  hut shed cottage cabin greenhouse`.split(/\s+/),
);

/** Plural modifiers that do make compound nouns ("a sports car", "a glasses case"). */
export const PLURAL_MODIFIERS = new Set(["sports", "arms", "glasses", "sunglasses", "savings", "news", "clothes", "goods", "games", "jeans", "pants", "boots", "shoes", "books", "toys", "parts", "sales", "outdoors", "series", "species", "physics", "mathematics", "graphics", "kids", "mens", "womens", "childrens", "ladies"]);

/** What one does only in a place sets it, unless a noun names another: "a person skiing" is on snow. */
export const ACTIVITY_PLACES: Record<string, "snow" | "water"> = {
  ski: "snow", skiing: "snow", snowboard: "snow", snowboarding: "snow", sled: "snow", sledding: "snow", sledging: "snow",
  surf: "water", surfing: "water", swim: "water", swimming: "water", snorkel: "water", snorkeling: "water",
  snorkelling: "water", sail: "water", sailing: "water", kayak: "water", kayaking: "water", canoe: "water", canoeing: "water",
  row: "water", rowing: "water", paddle: "water", paddling: "water",
};

/** Scene nouns that are outdoors in the country unless a word says where: "a fall landscape". */
export const COUNTRY_SCENES = new Set(["landscape", "scenery", "countryside", "panorama", "vista"]);
