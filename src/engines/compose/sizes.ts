// How big things are in the world, roughly, so that "a mouse next to an
// elephant" is not drawn the other way round. Classes from tiny (insects,
// berries) to huge (buildings, mountains); the first class whose words the
// art's name contains wins, smallest first, so "teddy bear" is a toy and not a bear.

const CLASSES: [number, RegExp][] = [
  [0.2, /\b(bee|honeybee|ladybug|lady beetle|ant|butterfly|spider|mosquito|fly|cricket|beetle|worm|ring|gem|coin|button|pill|feather|leaf|seedling|clover|cherries|berry|blueberries|nut|peanut|chestnut|bean|candy|lollipop|snail)\b/],
  [0.35, /\b(apple|banana|tangerine|lemon|pear|peach|strawberry|grapes|tomato|carrot|egg|cup|mug|teacup|beverage|glass|bottle|book|phone|camera|hat|cap|crown|shoe|boot|sock|glasses|scarf|mouse|rat|hamster|frog|bird|chick|fish|crab|hedgehog|squirrel|candle|bowl|plate|spoon|fork|knife|key|balloon|flower|tulip|rose|sunflower|mushroom|doughnut|cookie|hamburger|pizza|sandwich|croissant|bread|cheese|hot dog|ice cream|cupcake|shell|stethoscope|microphone|headphone|pencil|pen|brush|palette|teapot|purse|wallet)\b/],
  [0.6, /\b(cat|rabbit|monkey|penguin|owl|eagle|duck|chicken|rooster|turkey|swan|parrot|raccoon|otter|beaver|badger|skunk|sloth|koala|panda|suitcase|backpack|lamp|basket|bucket|potted plant|vase|cake|pumpkin|watermelon|ball|drum|television|laptop|box|gift|chest|globe|teddy|clock|mailbox|turtle|baby)\b/],
  [1, /\b(person|man|woman|child|girl|boy|people|family|astronaut|worker|teacher|farmer|cook|artist|king|queen|prince|princess|ninja|superhero|robot|dog|wolf|fox|kangaroo|pig|goat|bicycle|kick scooter|door|chair|table|desk|refrigerator|snowman|guitar|umbrella|santa|zombie|vampire|mage|elf|fairy|ghost|alien|officer|firefighter|pilot|scientist|detective|guard)\b/],
  [1.3, /\b(horse|cow|ox|bull|camel|bear|gorilla|deer|moose|automobile|car|couch|sofa|piano|bed|shark|dolphin|crocodile|motorcycle|taxi|ewe|sheep|zebra|lion|tiger|bison|buffalo|hippopotamus|rhinoceros|llama)\b/],
  [1.8, /\b(elephant|whale|sauropod|dinosaur|t-rex|giraffe|tree|palm|bus|truck|locomotive|train|tram|airplane|helicopter|rocket|boat|sailboat|tractor|fire engine|ambulance|mammoth|dragon)\b/],
  [2.4, /\b(house|houses|castle|building|church|temple|mosque|tower|lighthouse|mountain|volcano|stadium|factory|ship|tent|ferris wheel|bridge|stone)\b/],
];

/** A thing's everyday size, 1 for a person; things the table does not know count as person-sized. */
export function sizeOfKind(name: string): number {
  const lower = name.toLowerCase();
  for (const [size, words] of CLASSES) if (words.test(lower)) return size;
  return 1;
}

/** How big a companion is drawn next to the subject, by their kinds: within a factor the picture can show. */
export function kindRatio(thing: string, subject: string): number {
  return Math.min(2, Math.max(0.3, sizeOfKind(thing) / sizeOfKind(subject)));
}
