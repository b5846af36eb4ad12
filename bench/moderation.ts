// Picture moderation: what classifying a picture costs, and how often it
// refuses pictures it should not (the compose engine draws nothing sexual,
// so every compose picture it flags is a false positive).
//
//   npx tsx bench/moderation.ts [--prompts 120]
//
// Renders the labelled compose corpus (test/fixtures/compose/prompts.json)
// at 1024x1024, low quality, classifies each picture as the server does
// (resize to 224x224 with sharp, nsfwjs MobileNetV2 on tfjs's WebAssembly
// backend in a worker thread), and prints the time per picture (goal: at
// most 100 ms on the 2-core development machine) and the pictures flagged at
// moderation "auto" and "low".
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createComposeEngine } from "../src/engines/compose/index.js";
import { classifyPictures, closePictureModeration, loadPictureModeration } from "../src/moderation/picture.js";
import { isFlagged } from "../src/moderation/verdict.js";

const { values } = parseArgs({ options: { prompts: { type: "string", default: "120" } } });
const corpus = (JSON.parse(readFileSync(new URL("../test/fixtures/compose/prompts.json", import.meta.url), "utf8")) as { prompt: string }[])
  .map((entry) => entry.prompt)
  .slice(0, Number(values.prompts));

const engine = createComposeEngine();
await engine.load!();
let started = performance.now();
await loadPictureModeration();
console.log(`classifier loaded in ${(performance.now() - started).toFixed(0)} ms`);

const times: number[] = [];
const flagged: { prompt: string; level: string; porn: number; hentai: number; sexy: number }[] = [];
const signal = new AbortController().signal;
for (const [i, prompt] of corpus.entries()) {
  const [picture] = await engine.run(
    { mode: "generate", model: "bench", prompt, images: [], width: 1024, height: 1024, n: 1, quality: "low", background: "opaque", seed: i, partialImages: 0, inputFidelity: "low" },
    { signal },
  );
  started = performance.now();
  const [scores] = await classifyPictures([picture]);
  if (i > 0) times.push(performance.now() - started); // the first warms the classifier up
  for (const level of ["auto", "low"] as const) {
    if (isFlagged(scores, level)) flagged.push({ prompt, level, porn: scores.porn, hentai: scores.hentai, sexy: scores.sexy });
  }
}
await closePictureModeration();

times.sort((a, b) => a - b);
const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(0);
console.log(`time per 1024x1024 picture (resize + classify): p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${at(1)} ms (goal <= 100 ms)`);
for (const level of ["auto", "low"]) {
  const hits = flagged.filter((f) => f.level === level);
  console.log(`flagged at "${level}": ${hits.length} of ${corpus.length} compose pictures (${((100 * hits.length) / corpus.length).toFixed(1)} %)`);
  for (const hit of hits) console.log(`  ${hit.prompt.slice(0, 70)} (porn ${hit.porn.toFixed(2)}, hentai ${hit.hentai.toFixed(2)}, sexy ${hit.sexy.toFixed(2)})`);
}
