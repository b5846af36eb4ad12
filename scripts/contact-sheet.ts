// Renders the compose engine's contact sheet: 24 varied prompts of the labelled
// corpus, one 512×512 picture each with a fixed seed, in a 6×4 grid with each
// prompt captioned under its picture. Writes docs/compose-contact-sheet.png and
// docs/compose.md (which shows the sheet and lists the prompts).
//
//   npx tsx scripts/contact-sheet.ts

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { loadCorpus } from "../bench/compose-realisation.js";
import { OPENMOJI_ATTRIBUTION } from "../src/engines/compose/attribution.js";
import { createComposeEngine } from "../src/engines/compose/index.js";
import type { ImageJob, RawImage } from "../src/engines/engine.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DOCS = join(ROOT, "docs");
const SHEET = "compose-contact-sheet.png";

/** Chosen for variety: animals, food, people, settings, relations, counts, every style, quoted text. */
export const CONTACT_SHEET_PROMPTS = [
  "three red balloons over a city at night",
  "a fox in a winter landscape",
  "a cat sleeping on a red sofa next to a lamp",
  "a turtle on the beach at sunset",
  "an astronaut on the moon planting a flag",
  "a whale and a dolphin underwater",
  "inside a subway train, a man reading a newspaper",
  "a kettle on the stove in a kitchen",
  "a farm with a barn, a tractor and a scarecrow",
  "a dog wearing a scarf",
  "a monkey holding a banana",
  "two red apples and one green apple",
  "a rocket and planets in outer space",
  "A children's book drawing of a veterinarian using a stethoscope to listen to the heartbeat of a baby otter.",
  "Generate an image of gray tabby cat hugging an otter with an orange scarf",
  "a pixel art castle at night",
  "a watercolor painting of a lighthouse",
  "a pencil sketch of an old tree",
  "an oil painting of a vase of sunflowers",
  "a photorealistic red apple on a white background",
  "a sticker of a happy avocado",
  "a minimalist logo of a mountain and the sun",
  "a sign that says 'OPEN' on a shop door",
  "a birthday cake with 'Happy Birthday' written on it",
];

const COLUMNS = 6;
const ROWS = 4;
const CELL = 512;
const GAP = 16;
const CAPTION_HEIGHT = 128;
const FONT_SIZE = 23;
/** DejaVu Sans averages a little over half an em per character; this keeps a line inside the cell. */
const CHARS_PER_LINE = Math.floor((CELL - 8) / (FONT_SIZE * 0.56));
const MAX_LINES = 4;
const FOOTER_HEIGHT = 48;
const SEED = 1;

/** Greedy word wrap; a caption longer than MAX_LINES ends with an ellipsis. */
export function wrapCaption(text: string, width = CHARS_PER_LINE, maxLines = MAX_LINES): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = `${kept[maxLines - 1].slice(0, width - 1).trimEnd()}…`;
  return kept;
}

const escapeXml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");

function textSvg(lines: string[], width: number, height: number, size: number, colour: string): Buffer {
  const tspans = lines
    .map((line, i) => `<text x="${width / 2}" y="${size + 6 + i * (size + 6)}" text-anchor="middle">${escapeXml(line)}</text>`)
    .join("");
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<g font-family="DejaVu Sans" font-size="${size}" fill="${colour}">${tspans}</g></svg>`,
  );
}

async function renderAll(prompts: string[]): Promise<RawImage[]> {
  const engine = createComposeEngine();
  await engine.load?.();
  const signal = new AbortController().signal;
  const pictures: RawImage[] = [];
  for (const prompt of prompts) {
    const job: ImageJob = {
      mode: "generate", model: "gpt-image-1", prompt, images: [], width: CELL, height: CELL, n: 1,
      quality: "high", background: "opaque", seed: SEED, partialImages: 0, inputFidelity: "low",
    };
    pictures.push((await engine.run(job, { signal }))[0]);
  }
  return pictures;
}

export async function buildContactSheet(prompts = CONTACT_SHEET_PROMPTS): Promise<Buffer> {
  const width = COLUMNS * CELL + (COLUMNS + 1) * GAP;
  const height = ROWS * (CELL + CAPTION_HEIGHT) + (ROWS + 1) * GAP + FOOTER_HEIGHT;
  const pictures = await renderAll(prompts);
  const layers: sharp.OverlayOptions[] = [];
  pictures.forEach((picture, i) => {
    const left = GAP + (i % COLUMNS) * (CELL + GAP);
    const top = GAP + Math.floor(i / COLUMNS) * (CELL + CAPTION_HEIGHT + GAP);
    layers.push({ input: picture.data, raw: { width: picture.width, height: picture.height, channels: 4 }, left, top });
    layers.push({ input: textSvg(wrapCaption(`${i + 1}. ${prompts[i]}`), CELL, CAPTION_HEIGHT, FONT_SIZE, "#222"), left, top: top + CELL });
  });
  const footer = `Easel compose engine — no neural network; seed ${SEED}, quality high. ${OPENMOJI_ATTRIBUTION}`;
  layers.push({ input: textSvg([footer], width, FOOTER_HEIGHT, 18, "#555"), left: 0, top: height - FOOTER_HEIGHT });
  return sharp({ create: { width, height, channels: 3, background: "#ffffff" } })
    .composite(layers)
    // A palette keeps the sheet a few MiB rather than tens; the pictures are flat vector art.
    .png({ palette: true, quality: 90, effort: 8 })
    .toBuffer();
}

function markdown(prompts: string[]): string {
  return [
    "# The compose engine",
    "",
    "Easel's default engine, `compose`, draws a picture from a prompt without any neural network:",
    "it reads the prompt into a plan (things, counts, colours, relations, setting, style, quoted text),",
    "finds open-licence vector art for each thing, lays the things out over a procedurally drawn scene",
    "and rasterises the result. It is deterministic — the same prompt and seed give the same picture —",
    "and fast enough to run in CI. It is not a diffusion model: expect clip-art, not photographs.",
    "",
    `The contact sheet below shows ${prompts.length} prompts from the engine's test corpus`,
    "(`test/fixtures/compose/prompts.json`), each rendered at 512×512, quality high, seed " + `${SEED}.`,
    "",
    `![Contact sheet of the compose engine](${SHEET})`,
    "",
    "## Prompts",
    "",
    ...prompts.map((prompt, i) => `${i + 1}. ${prompt}`),
    "",
    "## Regenerating",
    "",
    "```sh",
    "npx tsx scripts/contact-sheet.ts   # writes docs/compose-contact-sheet.png and this page",
    "npx tsx bench/compose-realisation.ts   # how many named things the planner realises with art",
    "taskset -c 0 npx tsx bench/compose.ts   # render time per picture, index build time and memory",
    "```",
    "",
    "## Credits",
    "",
    `${OPENMOJI_ATTRIBUTION} (https://openmoji.org).`,
    "Art from OpenClipart (Debian's `openclipart-svg`, used when installed) is in the public domain.",
    "",
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const known = new Set(loadCorpus().map((e) => e.prompt));
  const strangers = CONTACT_SHEET_PROMPTS.filter((p) => !known.has(p));
  if (strangers.length > 0) throw new Error(`contact sheet prompts missing from the corpus: ${strangers.join("; ")}`);
  mkdirSync(DOCS, { recursive: true });
  const start = Date.now();
  writeFileSync(join(DOCS, SHEET), await buildContactSheet());
  writeFileSync(join(DOCS, "compose.md"), markdown(CONTACT_SHEET_PROMPTS));
  console.log(`wrote docs/${SHEET} and docs/compose.md in ${((Date.now() - start) / 1000).toFixed(1)} s`);
}
