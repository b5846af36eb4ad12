// `easel models`: the diffusion models on this machine, from the Hub cache (what `easel pull`,
// `hf:` paths or Python's huggingface_hub brought) and from the configuration's folders.
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { checkModelFolder, localFolder, ModelFolderError } from "../engines/diffusion/folder.js";
import { COMMIT } from "./cache.js";

export interface LocalModel {
  /** hf:OWNER/REPO[@REVISION][:SUBFOLDER] for the cache, the model's name for a configured folder. */
  name: string;
  /** sd1, sd2, sdxl; or what is missing for a folder that cannot load. */
  family: string;
  usable: boolean;
  bytes: number;
  path: string;
}

/** Every model folder in the Hub cache (a snapshot or a subfolder of one with model_index.json). */
export async function cachedModels(cacheDir: string): Promise<LocalModel[]> {
  const found: LocalModel[] = [];
  for (const repoFolder of await children(cacheDir)) {
    if (!repoFolder.startsWith("models--")) continue;
    const repo = repoFolder.slice("models--".length).split("--").join("/");
    const base = join(cacheDir, repoFolder);
    const refs = await refsByCommit(join(base, "refs"));
    for (const commit of await children(join(base, "snapshots"))) {
      if (!COMMIT.test(commit)) continue;
      const snapshot = join(base, "snapshots", commit);
      const revision = refs.get(commit)?.join(",") ?? commit;
      for (const sub of ["", ...(await children(snapshot))]) {
        const path = join(snapshot, sub);
        if (!(await stat(join(path, "model_index.json")).catch(() => undefined))) continue;
        found.push({ ...(await describe(path)), name: `hf:${repo}${revision === "main" ? "" : `@${revision}`}${sub ? `:${sub}` : ""}` });
      }
    }
  }
  return found;
}

/** A configured model folder. */
export async function folderModel(name: string, path: string): Promise<LocalModel> {
  return { ...(await describe(path)), name };
}

async function describe(path: string): Promise<Omit<LocalModel, "name">> {
  let family: string;
  let usable = true;
  try {
    family = checkModelFolder(localFolder(path)).family;
  } catch (error) {
    usable = false;
    family = error instanceof ModelFolderError ? `incomplete: ${error.problems[0]}` : String(error);
  }
  return { family, usable, bytes: await sizeOnDisk(path), path };
}

/** Bytes of the files a folder holds, each blob counted once however many links point at it. */
async function sizeOnDisk(folder: string): Promise<number> {
  const seen = new Set<string>();
  let bytes = 0;
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 8) return;
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(path, depth + 1);
        continue;
      }
      const real = await realpath(path).catch(() => undefined);
      const info = real ? await stat(real).catch(() => undefined) : undefined;
      if (!real || !info?.isFile() || seen.has(real)) continue;
      seen.add(real);
      bytes += info.size;
    }
  };
  await walk(folder, 0);
  return bytes;
}

async function refsByCommit(refsDir: string): Promise<Map<string, string[]>> {
  const byCommit = new Map<string, string[]>();
  const walk = async (dir: string, depth: number): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && depth < 4) await walk(path, depth + 1);
      else if (entry.isFile()) {
        const commit = (await readFile(path, "utf8").catch(() => "")).trim();
        const name = relative(refsDir, path).split(sep).join("/");
        if (COMMIT.test(commit)) byCommit.set(commit, [...(byCommit.get(commit) ?? []), name]);
      }
    }
  };
  await walk(refsDir, 0);
  return byCommit;
}

async function children(dir: string): Promise<string[]> {
  return (await readdir(dir, { withFileTypes: true }).catch(() => [])).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}
