// How the built-in planner writes revised prompts: words, not grammar, in a
// few rules that can be read and tested one by one.
//
//  describe(text)          a request becomes a description: "Generate an image
//                          of gray tabby cat…" → "A gray tabby cat…".
//  carryForward(base, text) an instruction about an earlier picture is applied
//                          to the prompt that picture was drawn from: "Now make
//                          it look realistic" after "A gray tabby cat hugging
//                          an otter…" → "A gray tabby cat hugging an otter…,
//                          realistic."
//  styleHints(instructions) sentences of the instructions about how pictures
//                          should look ("Always draw in a watercolor style")
//                          are added to every prompt.

/** Politeness and filler at the start of a message. */
const LEAD_IN = /^(?:(?:please|pls|kindly|ok(?:ay)?|alright|so|now|then|and|also|great|nice|cool|perfect|awesome|good|thanks|thank you|hey|hi|hello|next|finally|lastly)\b[,!.:;\s-]*)+/i;
/** Ways of asking. */
const ASK = /^(?:(?:can|could|would|will) you(?: please)?|i(?:'d| would) like(?: you)? to|i want(?: you)? to|i need(?: you)? to|let's|lets|let us|try to|go ahead and|help me)\s+/i;
/** Verbs that ask for a picture. */
const CREATE_VERB = /^(?:generate|create|make|draw|paint|render|produce|design|sketch|illustrate|imagine|show(?: me)?|give me|depict|visuali[sz]e)\s+(?:me\s+|us\s+)?/i;
/** "an image of", "a picture showing": a frame around the subject that says nothing about it. */
const GENERIC_FRAME = /^(?:an?|one|the)\s+(?:(?:new|quick|simple|single)\s+)?(?:image|picture|pic)\s+(?:of|showing|depicting|with|where)\s+/i;
const DETERMINERS = new Set([
  "a", "an", "the", "some", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "many", "several", "few",
  "my", "our", "your", "his", "her", "its", "their", "this", "that", "these", "those", "every", "each", "no", "any", "another",
]);
/** Words that point back at an earlier picture. */
const REF = "(?:it|this|that|them|these|those|him|her|the (?:image|picture|photo|drawing|painting|scene|whole thing|result|one|last one)|(?:this|that) (?:image|picture|photo|one))";

const collapse = (text: string) => text.replace(/\s+/g, " ").trim();
const withoutEnd = (text: string) => text.replace(/[\s.!?;:,]+$/, "");
const upperFirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const sentence = (text: string) => (text ? upperFirst(withoutEnd(text)) + "." : "");

/** Drops greetings, fillers and "can you…" from the start of a message. */
export function stripAsk(text: string): string {
  let out = collapse(text);
  for (let previous = ""; previous !== out; ) {
    previous = out;
    out = out.replace(LEAD_IN, "").replace(ASK, "").replace(/[,\s]+(?:please|pls|thanks|thank you)[\s.!]*$/i, "").trim();
  }
  return out;
}

/** A request for a picture, as a description of the picture. */
export function describe(text: string): string {
  let out = withoutEnd(stripAsk(text)).replace(CREATE_VERB, "");
  const framed = GENERIC_FRAME.exec(out);
  if (framed) {
    out = out.slice(framed[0].length);
    const first = out.split(" ")[0] ?? "";
    const lower = first.toLowerCase();
    if (first && first === lower && !DETERMINERS.has(lower) && !/s$/.test(lower) && !/^\d/.test(lower)) {
      out = `${/^[aeiou]/.test(lower) ? "an" : "a"} ${out}`;
    }
  }
  return sentence(out);
}

/** True when the message reads like a request for a brand-new picture rather than a change to the last one. */
export function asksForNewPicture(text: string): boolean {
  const clean = stripAsk(text);
  if (!CREATE_VERB.test(clean)) return false;
  const rest = clean.replace(CREATE_VERB, "");
  if (!/^(?:an?|another|some|one|two|three|four|five|\d+|new)\b/i.test(rest) && !GENERIC_FRAME.test(rest)) return false;
  return !/\b(?:it|its|this|that|these|those|them|same|previous|earlier|last|above|again|version|variant|variation|copy|edit|edited)\b|\bthe (?:image|picture|photo)\b/i.test(rest);
}

/** "again", "another one": the same prompt, drawn anew. */
export function asksToRedraw(text: string): boolean {
  return /^(?:again|another(?: one| version| take)?|one more(?: time)?|(?:try|do it|draw it|generate it|make it|do that) again|regenerate|redraw it|redo(?: it)?|retry|a new version)$/i.test(withoutEnd(stripAsk(text)));
}

const articleless = (text: string) => text.replace(/^(?:the|a|an|his|her|its|their|some)\s+/i, "");
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Replaces `pattern` (with the article before it, if any) by `words`, keeping "a"/"an" right. */
function replaceWithArticle(text: string, pattern: string, words: string): string {
  return text.replace(new RegExp(`\\b(?:(an?)\\s+)?${pattern}\\b`, "i"), (_match, article?: string) =>
    article ? `${/^[aeiou]/i.test(words) ? "an" : "a"} ${words}` : words,
  );
}
const COLOURS = "red|orange|yellow|green|blue|purple|violet|pink|brown|black|white|gray|grey|gold|golden|silver|teal|cyan|magenta|beige|navy|turquoise";

/**
 * Applies an instruction to the prompt an earlier picture was drawn from. The
 * rules, first match wins:
 *  1. make/render it (look) X   → "<base>, X" ("look" left out: it is not a thing to draw)
 *  2. turn/convert it into X    → "<base>, as X"
 *  3. put/move it on|in|at… X   → "<base>, on X"
 *  4. add/put/include X (to Y)  → "<base>, with X (on Y)"
 *  5. remove/without X          → the phrase naming X left out of base, or "<base>, without X"
 *  6. replace/change X with|to Y → X replaced by Y in base, or "<base>, with Y instead of X"
 *  7. make the X <colour|word>  → the colour of X changed in base, or "<base>, with the X <word>"
 *  8. anything else             → "<base>. <Instruction>."
 */
export function carryForward(basePrompt: string, instruction: string): string {
  const base = withoutEnd(collapse(basePrompt));
  const text = withoutEnd(stripAsk(instruction));
  if (!text) return sentence(base);
  let match: RegExpExecArray | null;

  if ((match = new RegExp(`^(?:make|render|redo|redraw|restyle|recreate|do|draw|paint)\\s+${REF}(?:\\s+(look))?(?:\\s+(.*))?$`, "i").exec(text))) {
    const rest = (match[2] ?? "").trim();
    if (!rest) return sentence(base);
    return sentence(`${base}, ${rest}`);
  }
  if ((match = new RegExp(`^(?:turn|convert|transform|change)\\s+${REF}\\s+(?:in)?to\\s+(.+)$`, "i").exec(text))) {
    return sentence(`${base}, as ${match[1]}`);
  }
  if ((match = new RegExp(`^(?:put|place|move|set)\\s+${REF}\\s+((?:on|in|at|into|onto|under|over|inside|beside|behind|near|next to|in front of)\\s+.+)$`, "i").exec(text))) {
    return sentence(`${base}, ${match[1]}`);
  }
  if ((match = /^(?:add|put|include|insert|place|give (?:it|him|her|them))\s+(.+)$/i.exec(text))) {
    const what = match[1].replace(new RegExp(`\\s+(?:to|on|onto|into|in)\\s+${REF}$`, "i"), "").replace(/\s+(?:to|onto)\s+(the|his|her|its|their)\s+/i, " on $1 ");
    return sentence(`${base}, with ${what}`);
  }
  if ((match = /^(?:remove|delete|erase|drop|take out|take away|get rid of|without)\s+(.+)$/i.exec(text))) {
    const what = articleless(match[1].replace(new RegExp(`\\s+from\\s+${REF}$`, "i"), ""));
    const phrase = new RegExp(`\\s*,?\\s+(?:with|wearing|holding|and|in)\\s+(?:an?\\s+|the\\s+|some\\s+|\\w+'s\\s+)?(?:[\\w-]+\\s+){0,2}?${escape(what)}\\b`, "i");
    if (phrase.test(base)) return sentence(base.replace(phrase, ""));
    return sentence(`${base}, without ${what}`);
  }
  if ((match = /^(?:replace|swap|switch|change|turn)\s+(.+?)\s+(?:with|for|to|into|in to)\s+(.+)$/i.exec(text)) && !new RegExp(`^${REF}$`, "i").test(match[1])) {
    const from = articleless(match[1]);
    const to = match[2];
    if (/^background$/i.test(from)) return sentence(`${base}, with ${to} as the background`);
    const found = new RegExp(`\\b${escape(from)}\\b`, "i");
    if (found.test(base)) return sentence(replaceWithArticle(base, escape(from), articleless(to)));
    return sentence(`${base}, with ${to} instead of ${match[1]}`);
  }
  if ((match = /^make\s+(?:the\s+|his\s+|her\s+|its\s+|their\s+)(.+?)\s+([\w-]+)$/i.exec(text))) {
    const [, thing, quality] = match;
    if (new RegExp(`^(?:${COLOURS})$`, "i").test(quality)) {
      // "a gray tabby cat" → "an orange tabby cat": the colour word before the thing is the one that changes.
      const recoloured = new RegExp(`\\b(?:(an?)\\s+)?(?:${COLOURS})\\s+((?:(?!(?:on|in|at|with|the|a|an|and|or|of|to|next|near|by|for)\\b)[\\w-]+\\s+){0,2}?${escape(thing)})\\b`, "i");
      if (recoloured.test(base)) {
        const colour = quality.toLowerCase();
        return sentence(base.replace(recoloured, (_m, article: string | undefined, rest: string) => `${article ? (/^[aeiou]/.test(colour) ? "an " : "a ") : ""}${colour} ${rest}`));
      }
      const coloured = new RegExp(`\\b(?:(?:${COLOURS})\\s+)?${escape(thing)}\\b`, "i");
      if (coloured.test(base)) return sentence(replaceWithArticle(base, `(?:(?:${COLOURS})\\s+)?${escape(thing)}`, `${quality.toLowerCase()} ${thing}`));
    }
    return sentence(`${base}, with the ${thing} ${quality}`);
  }
  return `${sentence(base)} ${sentence(text)}`;
}

const STYLE_WORDS = /\b(?:style|styled|palette|colou?rs?|watercolou?r|oil painting|pixel art|cartoon|anime|comic|photo(?:graph(?:ic)?|realistic)?|realistic|minimalist|sketch|pencil|crayon|3d|isometric|flat|vector|black and white|monochrome|vintage|retro|lighting|mood|tone|pastel|neon)\b/i;

/** Sentences of the instructions that say how pictures should look, reduced to a phrase each. */
export function styleHints(instructions: string | null): string[] {
  if (!instructions) return [];
  return instructions
    .split(/[.!\n]+/)
    .map(collapse)
    .filter((part) => STYLE_WORDS.test(part) && !/\?$/.test(part))
    .map((part) =>
      part
        .replace(/^(?:always|please|you (?:must|should|will)(?: always)?|make sure (?:to|that)|be sure to|remember to)\s+/i, "")
        .replace(/^(?:draw|paint|render|make|create|generate|produce|illustrate)\s+(?:(?:all|every|each|the|your)\s+)?(?:images?|pictures?|everything|drawings?|them|it)?\s*/i, "")
        .replace(/^(?:all|every|each|your|the)\s+(?:images?|pictures?|drawings?)\s+(?:should|must|will)?\s*(?:always\s+)?(?:be|look|have|use)?\s*/i, "")
        .replace(/^use\s+/i, "with ")
        .replace(/^(?:an?|the)\s+/i, (article) => `with ${article}`)
        .trim(),
    )
    .filter(Boolean);
}

/** Adds the hints a prompt does not already carry. */
export function withStyle(prompt: string, hints: string[]): string {
  const missing = hints.filter((hint) => !prompt.toLowerCase().includes(hint.toLowerCase()));
  if (missing.length === 0) return prompt;
  return sentence(`${withoutEnd(prompt)}, ${missing.join(", ")}`);
}

/** A prompt shortened for the assistant's message. */
export function summary(prompt: string, max = 200): string {
  const text = withoutEnd(collapse(prompt));
  const short = text.length > max ? `${text.slice(0, max).replace(/\s+\S*$/, "")}…` : text;
  return /^(?:A|An|The)\b/.test(short) ? short.charAt(0).toLowerCase() + short.slice(1) : short;
}
