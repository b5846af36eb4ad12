// The built index on disk: `<cacheDir>/art-index-<hash>.json`, where the hash
// covers everything the index is built from (package versions, file listings,
// the curated tables and this code's format), so any change rebuilds it and
// an unchanged machine starts by reading one JSON file.

import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ArtRef } from "../art-index.js";

/** Bump when the table's scoring or the entries' shape changes. */
export const INDEX_FORMAT = 3;

export interface CachedIndex {
  format: number;
  /** Entries each source added, for reports. */
  counts: Record<string, number>;
  arts: ArtRef[];
  keys: [string, number, number][];
}

/** The index code itself (scoring, cleaning, curated tables): a new Easel version rebuilds the index. */
function codeIdentity(): string {
  const dir = dirname(fileURLToPath(import.meta.url));
  return readdirSync(dir)
    .filter((f) => /\.(js|ts)$/.test(f) && !/\.(test|d)\.(js|ts)$/.test(f))
    .sort()
    .map((f) => readFileSync(join(dir, f), "utf8"))
    .join("\0");
}

export function indexHash(parts: string[]): string {
  const hash = createHash("sha256");
  for (const part of [String(INDEX_FORMAT), codeIdentity(), ...parts]) hash.update(part).update("\0");
  return hash.digest("hex").slice(0, 16);
}

const fileName = (hash: string) => `art-index-${hash}.json`;

export function readCachedIndex(cacheDir: string, hash: string): CachedIndex | null {
  try {
    const data = JSON.parse(readFileSync(join(cacheDir, fileName(hash)), "utf8")) as CachedIndex;
    return data.format === INDEX_FORMAT && Array.isArray(data.arts) && Array.isArray(data.keys) ? data : null;
  } catch {
    return null; // missing or damaged: build afresh
  }
}

/** Writes atomically (a reader never sees half a file) and removes indexes of earlier sources. */
export function writeCachedIndex(cacheDir: string, hash: string, index: CachedIndex): void {
  mkdirSync(cacheDir, { recursive: true });
  const target = join(cacheDir, fileName(hash));
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(index));
  renameSync(temporary, target);
  for (const f of readdirSync(cacheDir)) {
    if (/^art-index-[0-9a-f]+\.json$/.test(f) && f !== fileName(hash)) rmSync(join(cacheDir, f), { force: true });
  }
}
