// Art that a Debian package installs as a folder tree (OpenClipart, Tux Paint's
// stamps, Sweet Home 3D's libraries, Xfig's maps): its files, their folders,
// and the tree's identity for the index cache.

import { existsSync, readdirSync, statSync } from "node:fs";
import { join, sep } from "node:path";

/** Every file under `root`, as a sorted path with "/" between folders; none when the package is absent. */
export function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  return (readdirSync(root, { recursive: true }) as string[]).map((f) => f.split(sep).join("/")).sort();
}

/** The folder part of such a path: "animals/birds/owl.svg" → "animals/birds". */
export const folderOf = (file: string) => file.slice(0, Math.max(0, file.lastIndexOf("/")));

/** Whether a folder is one of `prefixes` or inside one. */
export const isUnder = (folder: string, prefixes: string[]) => prefixes.some((p) => folder === p || folder.startsWith(`${p}/`));

/**
 * The tree's identity for the index cache: every folder's modification time
 * and every file name. Stat-ing a few hundred folders instead of thousands of
 * files keeps a cached start fast; dpkg installs files by renaming them into
 * place, which changes their folder's time, so an upgrade is still seen.
 */
export function treeIdentity(root: string): string {
  if (!existsSync(root)) return `${root}: absent`;
  const lines: string[] = [root];
  const walk = (dir: string, rel: string) => {
    lines.push(`${rel}/:${Math.round(statSync(dir).mtimeMs)}`);
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : 1))) {
      if (e.isDirectory()) walk(join(dir, e.name), `${rel}/${e.name}`);
      else lines.push(e.name);
    }
  };
  walk(root, "");
  return lines.join("\n");
}
