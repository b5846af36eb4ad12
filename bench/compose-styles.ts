// Times each compose style on one core: `npx tsx bench/compose-styles.ts
// [size] [quality] [outDir]`. The source is a compose-like picture drawn here
// from SVG (sky, sun, hills, outlined flat shapes; and the shapes alone on
// transparency), so the bench does not move when the engine's art does. With
// outDir, each styled picture is written there as PNG to look at. Prints the
// median of several runs per style, wall-clock and CPU time (user + system:
// on a busy machine the CPU time is the fairer figure).

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import type { Quality, RawImage } from "../src/engines/engine.js";
import { applyStyle, STYLE_NAMES } from "../src/engines/compose/style.js";

sharp.concurrency(1);
const size = Number(process.argv[2] ?? 1024);
const quality = (process.argv[3] ?? "medium") as Quality;
const outDir = process.argv[4];
const RUNS = 7;

function shapes(): string {
  return `<g stroke="#1a1a1a" stroke-width="6" stroke-linejoin="round">
    <rect x="90" y="560" width="220" height="200" fill="#fcdc2b"/><path d="M70 570 L200 450 L330 570 Z" fill="#d22f27"/>
    <rect x="170" y="650" width="60" height="110" fill="#8a5a32"/>
    <circle cx="560" cy="600" r="150" fill="#e0301e"/><circle cx="510" cy="570" r="22" fill="#fff"/><circle cx="610" cy="570" r="22" fill="#fff"/>
    <rect x="800" y="600" width="40" height="170" fill="#8a5a32"/><circle cx="820" cy="540" r="110" fill="#3fa535"/>
  </g>`;
}

async function source(background: "opaque" | "transparent"): Promise<RawImage> {
  const scene = `<defs><linearGradient id="sky" x2="0" y2="1"><stop offset="0" stop-color="#3b7fd9"/><stop offset="1" stop-color="#bfe0f7"/></linearGradient></defs>
    <rect width="1024" height="1024" fill="url(#sky)"/><circle cx="850" cy="150" r="70" fill="#fcd34d"/>
    <path d="M0 700 Q260 600 520 690 T1024 660 V1024 H0 Z" fill="#7cc36b"/><rect y="820" width="1024" height="204" fill="#5fa84f"/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 1024 1024">${background === "opaque" ? scene : ""}${shapes()}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

if (outDir) mkdirSync(outDir, { recursive: true });
console.log(`style timings, ${size}×${size}, quality ${quality}, sharp concurrency 1 (median of ${RUNS})`);
for (const background of ["opaque", "transparent"] as const) {
  const image = await source(background);
  const transparent = background === "transparent";
  for (const style of STYLE_NAMES) {
    const wall: number[] = [];
    const cpu: number[] = [];
    let out: RawImage = image;
    for (let run = 0; run < RUNS; run++) {
      const start = performance.now();
      const startCpu = process.cpuUsage();
      out = await applyStyle(image, style, { seed: run, quality, transparent });
      const used = process.cpuUsage(startCpu);
      wall.push(performance.now() - start);
      cpu.push((used.user + used.system) / 1000);
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1].toFixed(1).padStart(7);
    console.log(`${background.padEnd(12)} ${style.padEnd(15)} wall ${median(wall)} ms   cpu ${median(cpu)} ms`);
    if (outDir) {
      await sharp(out.data, { raw: { width: out.width, height: out.height, channels: 4 } })
        .png()
        .toFile(join(outDir, `${background}-${style}-${quality}.png`));
    }
  }
}
