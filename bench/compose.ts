// Benchmark of the compose engine: art index build time and memory, then the
// render time per picture at each quality and size over prompts of the
// labelled corpus (test/fixtures/compose/prompts.json).
//
//   taskset -c 0 npx tsx bench/compose.ts              # the one-core figures the issue asks for
//   npx tsx bench/compose.ts --prompts 10 --json       # fewer prompts; machine-readable
//
// The target: a 1024×1024 medium picture in under 150 ms (p50) on one core.
// `taskset -c 0` pins the process — and libvips' worker threads with it — to one core;
// the report says how many cores the process could use, so an unpinned run is not
// mistaken for a one-core figure.

import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import sharp from "sharp";
import { clearArtIndexes, getArtIndex, type ArtIndexOptions } from "../src/engines/compose/art-index.js";
import { createComposeEngine } from "../src/engines/compose/index.js";
import type { ImageJob, Quality } from "../src/engines/engine.js";
import { loadCorpus } from "./compose-realisation.js";

const QUALITIES: Quality[] = ["low", "medium", "high"];
const SIZES: [number, number][] = [[1024, 1024], [1536, 1024], [1024, 1536]];
const TARGET_MS = 150;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}
const PROMPTS = option("prompts", 20);
const JSON_OUT = process.argv.includes("--json");

// A real collection before each memory reading, so the heap figures are live objects, not garbage.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
function memory() {
  gc();
  const m = process.memoryUsage();
  return { rssMiB: mib(m.rss), heapUsedMiB: mib(m.heapUsed) };
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
const round = (ms: number) => Math.round(ms * 10) / 10;
const signed = (n: number) => (n >= 0 ? `+${n}` : String(n));

/** Builds (or reads) the index once from scratch and reports its time and what it left in memory. */
function timeIndexLoad(options: ArtIndexOptions) {
  clearArtIndexes();
  const before = memory();
  const start = performance.now();
  const index = getArtIndex([], options);
  const ms = performance.now() - start;
  const after = memory();
  if (!index.lookup("cat")) throw new Error("the art index has no cat: the build is broken");
  return {
    origin: index.stats.origin,
    ms: round(ms),
    rssMiB: after.rssMiB,
    rssGrowthMiB: round(after.rssMiB - before.rssMiB),
    heapUsedMiB: after.heapUsedMiB,
    heapGrowthMiB: round(after.heapUsedMiB - before.heapUsedMiB),
    entries: index.stats.entries,
    keys: index.stats.keys,
  };
}

/**
 * Cold: the sources are read and indexed (the first start). Then once more
 * writing the cache under a fresh folder, and once reading it back (every
 * later start). The memoised call every job makes costs nothing measurable.
 */
function measureIndex() {
  const startup = memory();
  const cold = timeIndexLoad({});
  const cacheDir = mkdtempSync(join(tmpdir(), "easel-bench-index-"));
  try {
    const writingCache = timeIndexLoad({ cacheDir });
    const cached = timeIndexLoad({ cacheDir });
    if (cached.origin !== "cache") throw new Error(`the second load with a cache dir was ${cached.origin}, not read from the cache`);
    return { startup, cold, writingCache, cached };
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

/** Prompts spread over the corpus, each naming something to draw. */
function samplePrompts(count: number): string[] {
  const named = loadCorpus().filter((e) => e.things.length > 0);
  const step = Math.max(1, Math.floor(named.length / count));
  return named.filter((_, i) => i % step === 0).slice(0, count).map((e) => e.prompt);
}

async function measureRenders(prompts: string[]) {
  const engine = createComposeEngine();
  await engine.load?.();
  const signal = new AbortController().signal;
  const rows = [];
  for (const quality of QUALITIES) {
    for (const [width, height] of SIZES) {
      const job = (prompt: string, seed: number): ImageJob => ({
        mode: "generate", model: "bench", prompt, images: [], width, height, n: 1, quality,
        background: "opaque", seed, partialImages: 0, inputFidelity: "low",
      });
      // One unmeasured picture per size and quality warms caches (rasterised art, scene tiles).
      await engine.run(job(prompts[0], 999), { signal });
      const wall: number[] = [];
      const cpu: number[] = [];
      for (const [i, prompt] of prompts.entries()) {
        const cpuBefore = process.cpuUsage();
        const start = performance.now();
        await engine.run(job(prompt, i), { signal });
        wall.push(performance.now() - start);
        const used = process.cpuUsage(cpuBefore);
        cpu.push((used.user + used.system) / 1000);
      }
      wall.sort((a, b) => a - b);
      cpu.sort((a, b) => a - b);
      rows.push({
        quality, size: `${width}x${height}`, pictures: wall.length,
        p50Ms: round(percentile(wall, 50)), p90Ms: round(percentile(wall, 90)), maxMs: round(wall[wall.length - 1]),
        cpuP50Ms: round(percentile(cpu, 50)), cpuP90Ms: round(percentile(cpu, 90)),
      });
    }
  }
  return rows;
}

const cores = availableParallelism();
const machine = {
  cpu: cpus()[0]?.model ?? "unknown", coresAvailable: cores, libvipsThreads: sharp.concurrency(), node: process.version,
};
const index = measureIndex();
const prompts = samplePrompts(PROMPTS);
const renders = await measureRenders(prompts);
const target = renders.find((r) => r.quality === "medium" && r.size === "1024x1024");

if (JSON_OUT) {
  console.log(JSON.stringify({ machine, index, renders }, null, 2));
} else {
  console.log(`compose bench — ${machine.cpu}, ${cores} core(s) available, libvips threads ${machine.libvipsThreads}, node ${machine.node}`);
  if (cores > 1) console.log(`note: ${cores} cores available; run under \`taskset -c 0\` for the one-core figures`);
  const { cold } = index;
  const sources = Object.entries(cold.entries).map(([source, n]) => `${source} ${n}`).join(", ");
  console.log(`\nart index: ${cold.keys} keys from ${sources}; at start RSS ${index.startup.rssMiB} MiB, heap ${index.startup.heapUsedMiB} MiB`);
  console.log("load                      ms      RSS MiB (growth)   heap MiB (growth)");
  for (const [what, load] of [["cold build", cold], ["build + write cache", index.writingCache], ["read from cache", index.cached]] as const) {
    console.log(
      `${what.padEnd(22)} ${String(load.ms).padStart(7)}   ${String(load.rssMiB).padStart(7)} (${signed(load.rssGrowthMiB)})`.padEnd(52) +
        `${String(load.heapUsedMiB).padStart(7)} (${signed(load.heapGrowthMiB)})`,
    );
  }
  // CPU time (user + system, all threads) is what a picture costs a core even when other
  // processes share it; wall time is what a client waits on this machine now.
  console.log(`\nrender time per picture over ${prompts.length} corpus prompts, ms`);
  console.log("quality  size         wall p50  wall p90  wall max   CPU p50   CPU p90");
  const cell = (ms: number) => String(ms).padStart(9);
  for (const r of renders) {
    console.log(`${r.quality.padEnd(8)} ${r.size.padEnd(10)} ${cell(r.p50Ms)} ${cell(r.p90Ms)} ${cell(r.maxMs)} ${cell(r.cpuP50Ms)} ${cell(r.cpuP90Ms)}`);
  }
  if (target) {
    const verdict = (ms: number) => (ms < TARGET_MS ? "meets" : "misses");
    console.log(
      `\n1024x1024 medium: wall p50 ${target.p50Ms} ms ${verdict(target.p50Ms)}, CPU p50 ${target.cpuP50Ms} ms ` +
        `${verdict(target.cpuP50Ms)} the ${TARGET_MS} ms target${cores > 1 ? " (not pinned to one core)" : " on one core"}`,
    );
  }
}
