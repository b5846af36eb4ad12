// Seeded randomness. Every picture decision (scene colours, layout, variation)
// draws from a stream derived from the job seed, so a job is reproducible byte
// for byte and picture i of a job (seed + i) differs from picture i + 1.

/** mulberry32: tiny, fast, good enough for art direction (not for crypto). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, to turn a label into a number for forking streams. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  range(min: number, max: number): number;
  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
}

/**
 * A named, independent stream for one part of the picture. Forking by label
 * keeps parts independent: adding a thing to the prompt changes the layout
 * stream's use but not the scene colours drawn from the "scene" stream.
 */
export function randomFor(seed: number, label: string): Random {
  const next = mulberry32((seed >>> 0) ^ hashLabel(label));
  const range = (min: number, max: number) => min + (max - min) * next();
  return {
    next,
    range,
    int: (min, max) => Math.floor(range(min, max + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}
