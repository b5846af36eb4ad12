// Prompt moderation. OpenAI filters prompts with a classifier; Easel, which
// runs offline, uses a documented term-based filter with two strictness
// levels that mirror the API's `moderation` field:
//   - "low":  refuses sexual content involving minors, explicit sexual acts and extreme gore.
//   - "auto": also refuses nudity, graphic violence and depictions of self-harm.
// Text is normalised first (case, accents, common letter-for-digit swaps and
// separators such as "n.u.d.e") so trivial disguises do not slip through.

export type ModerationLevel = "auto" | "low";

interface Category {
  name: string;
  level: ModerationLevel | "always";
  /** Every group must match at least one term (AND of ORs). */
  groups: RegExp[];
}

const words = (...terms: string[]) => new RegExp(`\\b(?:${terms.join("|")})\\b`);

const MINOR = words("child(?:ren)?", "kids?", "minors?", "underage", "toddlers?", "preteens?", "teen(?:ager)?s?", "young girls?", "young boys?", "little girls?", "little boys?", "schoolgirls?", "schoolboys?", "loli", "infants?", "bab(?:y|ies)");
const SEXUAL = words("sex(?:ual(?:ly)?|y)?", "nude", "naked", "nsfw", "porn\\w*", "erotic\\w*", "intercourse", "orgasm\\w*", "genitals?", "fetish\\w*", "lewd", "undress(?:ed|ing)?", "topless", "seductive");
const EXPLICIT_ACT = words("porn\\w*", "hardcore", "intercourse", "orgasm\\w*", "genitals?", "penis(?:es)?", "vagina\\w*", "masturbat\\w*", "blowjobs?", "cum(?:shot)?s?", "ejaculat\\w*", "sex acts?", "having sex", "xxx");
const EXTREME_GORE = words("dismember\\w*", "decapitat\\w*", "disembowel\\w*", "mutilat\\w*", "eviscerat\\w*", "entrails", "severed heads?", "flayed", "torture porn");
const NUDITY = words("nude", "nudity", "naked", "topless", "nsfw", "undress(?:ed|ing)?", "lingerie", "bare breasts?", "nipples?");
const GRAPHIC_VIOLENCE = words("gore", "gory", "bloodbath", "blood[- ]soaked", "bloody corpses?", "mutilated bod(?:y|ies)", "massacre\\w*", "beheading", "mass shooting", "pools? of blood", "slaughter(?:ed|ing)? (?:people|children|civilians)");
const SELF_HARM = words("suicide", "suicidal", "self[- ]harm\\w*", "cutting (?:my|her|his|their) wrists?", "slit(?:ting)? wrists?", "hang(?:ing)? (?:myself|himself|herself|themselves)", "overdos\\w*");

const CATEGORIES: Category[] = [
  { name: "sexual/minors", level: "always", groups: [MINOR, SEXUAL] },
  { name: "sexual/explicit", level: "always", groups: [EXPLICIT_ACT] },
  { name: "violence/extreme", level: "always", groups: [EXTREME_GORE] },
  { name: "sexual/nudity", level: "auto", groups: [NUDITY] },
  { name: "violence/graphic", level: "auto", groups: [GRAPHIC_VIOLENCE] },
  { name: "self-harm", level: "auto", groups: [SELF_HARM] },
];

const LEET: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", $: "s", "!": "i" };

/** Lowercase, strip accents, undo letter-for-digit swaps, join s.p.a.c.e.d letters. */
export function normaliseForModeration(text: string): string {
  const plain = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const unleet = plain.replace(/[0134573@$!]/g, (ch, offset: number, all: string) => {
    // Only inside words: "4 cats" stays a number, "p0rn" becomes "porn".
    const before = all[offset - 1] ?? " ";
    const after = all[offset + 1] ?? " ";
    return /[a-z]/.test(before) || /[a-z]/.test(after) ? LEET[ch] : ch;
  });
  return unleet.replace(/\b(?:[a-z][._\-*]){2,}[a-z]\b/g, (spaced) => spaced.replace(/[._\-*]/g, ""));
}

export interface ModerationResult {
  flagged: boolean;
  categories: string[];
}

export function moderatePrompt(prompt: string, level: ModerationLevel): ModerationResult {
  const text = normaliseForModeration(prompt);
  const categories = CATEGORIES.filter(
    (category) => (category.level === "always" || level === "auto") && category.groups.every((group) => group.test(text)),
  ).map((category) => category.name);
  return { flagged: categories.length > 0, categories };
}
