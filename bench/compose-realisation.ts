// How well does the compose engine's planner realise the concrete things a
// prompt names? Two measurements:
//  - PartiPrompts (compose-judged.ts): a labelled sample of prompts it was not
//    written for, scored right / approx / wrong / missing by the art actually
//    chosen, for the part tuned on and the part only measured, and on prompts
//    written in its style for rounds 10 to 12 (the dev file had no line left unlabelled);
//  - its own corpus (test/fixtures/compose/prompts.json): the share of
//    labelled things realised with art whose name matches (≥ 90 % asked).
//
//   npx tsx bench/compose-realisation.ts                   # both PartiPrompts parts, every set of written prompts and the corpus
//   npx tsx bench/compose-realisation.ts --part tune --misses   # what is not right, prompt by prompt
//   npx tsx bench/compose-realisation.ts --part tune --sheet DIR  # draw unjudged art to judge it
//   npx tsx bench/compose-realisation.ts --json            # everything, machine-readable
//   npx tsx bench/compose-realisation.ts --one-label-per-thing  # score as rounds 1 to 11 did: no label shown by another thing's art
//
// Exits 1 when the corpus share is under its threshold, so a script or CI can gate on it.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { planPicture } from "../src/engines/compose/prompt.js";
import { formatTally, loadJudgements, loadLabels, renderUnjudged, scorePrompt, tally, type Part } from "./compose-judged.js";

export const REALISATION_THRESHOLD = 0.9;

export interface LabelledPrompt {
  prompt: string;
  /** Things a reader expects to see; "sofa|couch" accepts either name. */
  things: string[];
  setting: string | null;
  style: string | null;
  /** Quoted text the picture should show. */
  text?: string[];
  /** "guide" for the prompts of the image generation guide. */
  source?: string;
}

export interface Miss {
  prompt: string;
  label: string;
  /** What the plan did find, as "name→annotation" (or "name→unrealised"). */
  planned: string[];
}

export interface Realisation {
  prompts: number;
  labelled: number;
  realised: number;
  share: number;
  misses: Miss[];
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const CORPUS_FILE = join(ROOT, "test", "fixtures", "compose", "prompts.json");

export function loadCorpus(): LabelledPrompt[] {
  return JSON.parse(readFileSync(CORPUS_FILE, "utf8")) as LabelledPrompt[];
}

/**
 * The parts of a plan this measurement relies on. The planner is being
 * rewritten, so everything beyond `things[].name` is read defensively.
 */
interface PlannedArt {
  source?: string;
  id?: string;
  annotation?: string;
}
interface PlannedThing {
  name: string;
  art?: PlannedArt | null;
}
interface PlanView {
  things: PlannedThing[];
  unrealised?: unknown[];
}

const IRREGULAR: Record<string, string> = {
  mice: "mouse", geese: "goose", people: "person", children: "child", women: "woman", men: "man",
  teeth: "tooth", feet: "foot", leaves: "leaf", knives: "knife", octopuses: "octopus", cacti: "cactus",
  loaves: "loaf", shelves: "shelf", wolves: "wolf", scarves: "scarf", dice: "die", fireworks: "firework",
};

function words(text: string): string[] {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim().split(" ").filter(Boolean);
}

/** A word and its likely singulars: "cherries" → cherries, cherry, cherrie, cherrie… (extra forms are harmless). */
function wordForms(word: string): string[] {
  const out = [word];
  if (IRREGULAR[word]) out.push(IRREGULAR[word]);
  if (word.endsWith("ies")) out.push(word.slice(0, -3) + "y");
  if (word.endsWith("es")) out.push(word.slice(0, -2));
  if (word.endsWith("s") && !word.endsWith("ss")) out.push(word.slice(0, -1));
  return out;
}

/** A phrase in singular and plural-tolerant forms, matched on its last word. */
function phraseForms(phrase: string): string[] {
  const w = words(phrase);
  if (w.length === 0) return [];
  const head = w.slice(0, -1).join(" ");
  return wordForms(w[w.length - 1]).map((last) => (head ? `${head} ${last}` : last));
}

const FILLER = new Set(["a", "an", "the", "of", "with", "and", "in", "on", "face", "person"]);

/**
 * The whole phrase and every run of its words ("couch and lamp" → couch, lamp,
 * couch and lamp…); a filler word alone only counts as the whole phrase, so
 * "person with crown" does not answer to "person" but "person" does.
 */
function ngrams(phrase: string): string[] {
  const w = words(phrase);
  const out: string[] = [w.join(" ")];
  for (let i = 0; i < w.length; i++) {
    for (let j = i + 1; j <= w.length; j++) {
      const gram = w.slice(i, j);
      if (gram.length === 1 && FILLER.has(gram[0])) continue;
      out.push(gram.join(" "));
    }
  }
  return out;
}

function unrealisedNames(plan: PlanView): Set<string> {
  const names = new Set<string>();
  for (const entry of plan.unrealised ?? []) {
    const name = typeof entry === "string" ? entry : (entry as { name?: unknown })?.name;
    if (typeof name === "string") for (const form of phraseForms(name)) names.add(form);
  }
  return names;
}

/** A thing is realised when it has real art: not missing, not a placeholder, not listed as unrealised. */
function isRealised(thing: PlannedThing, unrealised: Set<string>): boolean {
  if (!thing.art || thing.art.source === "placeholder") return false;
  return !phraseForms(thing.name).some((form) => unrealised.has(form));
}

/** Every name a planned thing answers to, in all singular/plural forms. */
function namesOf(thing: PlannedThing): Set<string> {
  // Not the prompt's own phrase: "lily pad" drawn as a notepad must not count as a lily pad.
  const phrases = [...ngrams(thing.name)];
  // The art's own name counts too: a labelled "sofa" is realised by art named "couch and lamp"
  // when the plan called the thing "couch". Tags do not: a stethoscope is tagged "doctor".
  if (thing.art?.annotation) phrases.push(...ngrams(thing.art.annotation));
  return new Set(phrases.flatMap(phraseForms));
}

/** Does some realised thing of the plan answer to one of the label's names? */
export function labelRealised(label: string, plan: PlanView): boolean {
  const unrealised = unrealisedNames(plan);
  const wanted = label.split("|").flatMap(phraseForms);
  return plan.things.some((thing) => {
    if (!isRealised(thing, unrealised)) return false;
    const names = namesOf(thing);
    return wanted.some((form) => names.has(form));
  });
}

function describe(thing: PlannedThing, unrealised: Set<string>): string {
  return `${thing.name}→${isRealised(thing, unrealised) ? (thing.art?.annotation ?? thing.art?.id ?? "?") : "unrealised"}`;
}

export async function measureRealisation(corpus: LabelledPrompt[] = loadCorpus()): Promise<Realisation> {
  let labelled = 0;
  let realised = 0;
  const misses: Miss[] = [];
  for (const entry of corpus) {
    // `await` keeps this working should the planner become asynchronous.
    const plan = (await planPicture(entry.prompt)) as unknown as PlanView;
    const unrealised = unrealisedNames(plan);
    for (const label of entry.things) {
      labelled++;
      if (labelRealised(label, plan)) realised++;
      else misses.push({ prompt: entry.prompt, label, planned: plan.things.map((t) => describe(t, unrealised)) });
    }
  }
  return { prompts: corpus.length, labelled, realised, share: labelled === 0 ? 0 : realised / labelled, misses };
}

/** The labels missed most often, most first. */
export function topMisses(misses: Miss[], limit = 20): [string, number][] {
  const counts = new Map<string, number>();
  for (const m of misses) counts.set(m.label, (counts.get(m.label) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, limit);
}

export function formatRealisation(r: Realisation): string {
  const lines = [
    `realised ${r.realised} of ${r.labelled} labelled things in ${r.prompts} prompts: ${(r.share * 100).toFixed(1)} % ` +
      `(threshold ${REALISATION_THRESHOLD * 100} %)`,
    `misses (${r.misses.length}):`,
    ...r.misses.map((m) => `  ${m.label.padEnd(24)} in "${m.prompt}"  plan: [${m.planned.join(", ")}]`),
  ];
  return lines.join("\n");
}

const PART_NAMES: Record<Part, string> = {
  tune: "PartiPrompts tuning part",
  measure: "PartiPrompts measured part",
  written: "Written prompts (round 10)",
  written11: "Written prompts (round 11)",
  written11b: "Written prompts (round 11, second set)",
  written12: "Written prompts (round 12)",
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const option = (name: string) => {
    const at = process.argv.indexOf(`--${name}`);
    return at >= 0 ? process.argv[at + 1] : undefined;
  };
  const json = process.argv.includes("--json");
  // The PartiPrompts sample, part by part: tune on "tune", look at "measure" and the written rounds only to report.
  const parts = (option("part") ?? "tune,measure,written,written11,written11b,written12").split(",") as Part[];
  const judgements = loadJudgements();
  const labels = loadLabels().filter((entry) => parts.includes(entry.part));
  const plans = new Map(labels.map((entry) => [entry.prompt, planPicture(entry.prompt)]));
  // `--one-label-per-thing` scores as rounds 1 to 11 did: no label is shown by another thing's art.
  const sharedArt = !process.argv.includes("--one-label-per-thing");
  const scores = labels.map((entry) => scorePrompt(entry, judgements, plans.get(entry.prompt), { sharedArt }));
  const old = await measureRealisation();
  if (json) {
    console.log(JSON.stringify({ parti: Object.fromEntries(parts.map((part) => [part, tally(scores.filter((s) => s.part === part))])), scores, corpus: old }, null, 2));
  } else {
    for (const part of parts) console.log(formatTally(PART_NAMES[part], tally(scores.filter((s) => s.part === part))));
    console.log(`own corpus (name match): ${old.realised}/${old.labelled} = ${(old.share * 100).toFixed(1)} %`);
    if (process.argv.includes("--misses")) {
      for (const score of scores) {
        const bad = score.things.filter((t) => t.outcome !== "right");
        const setting = score.setting && score.setting.outcome !== "right" ? ` setting ${score.setting.label}→${score.setting.planned ?? "none"}` : "";
        if (bad.length === 0 && score.extra.length === 0 && !setting) continue;
        console.log(`[${score.line}] ${score.prompt}\n    ${bad.map((t) => `${t.label}: ${t.outcome}${t.art ? ` (${t.art})` : ""}`).join("; ")}${score.extra.length ? ` | extra: ${score.extra.join(", ")}` : ""}${setting}`);
      }
    }
  }
  const sheets = option("sheet");
  if (sheets) {
    const pairs = await renderUnjudged(scores, plans, sheets);
    console.log(`${pairs.length} unjudged pieces drawn in ${sheets}:`);
    pairs.forEach((pair, n) => console.log(`${n}\t${pair}`));
  }
  process.exitCode = old.share >= REALISATION_THRESHOLD ? 0 : 1;
}
