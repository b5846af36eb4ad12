// `easel pull` and `hf:` model paths: brings the files of a Hub repository that the
// diffusion engine reads into the shared Hub cache, and answers the folder they are in.
// The recipe:
//   1. offline, or a commit already complete in the cache: answer from the cache
//   2. ask the Hub which commit the revision is, and list its files
//   3. fetch the small files (model_index.json, configs, tokenizers) and check the layout
//      with the same checks as a local folder, before any weights
//   4. keep only the graphs the engine loads and their external data (no .bin/.safetensors,
//      no other precision's copy), check the disk has room, download, verify, link
//   5. point refs/REVISION at the commit
import { access, mkdir, stat, statfs } from "node:fs/promises";
import { dirname, join, posix, relative, sep } from "node:path";
import { listFiles, modelInfo, type ListFileEntry } from "@huggingface/hub";
import { checkModelFolder, localFolder, ModelFolderError, type FolderView, type ModelFolder } from "../engines/diffusion/folder.js";
import { COMMIT, RepoCache } from "./cache.js";
import { downloadBlob, HttpStatusError } from "./download.js";
import { withLock } from "./lock.js";
import { formatHubReference, HubError, type HubReference, type HubSettings } from "./reference.js";

export interface PullProgress {
  /** Called once the files to download are known (none: everything was cached). */
  start(files: number, bytes: number): void;
  bytes(count: number, file: string): void;
  end(): void;
}

export interface PullOptions {
  settings: HubSettings;
  progress?: PullProgress;
  /** Said when the cache answers because the Hub cannot be reached. */
  warn?: (message: string) => void;
  signal?: AbortSignal;
}

export interface PulledModel<T = ModelFolder> {
  /** The model folder: the snapshot, or its subfolder. */
  path: string;
  commit: string;
  /** What the layout's check read from the folder. */
  folder: T;
  /** Bytes this pull downloaded (0: all cached). */
  downloaded: number;
}

/** What a pulled folder must hold, and which of its graphs the engine loads. */
export interface Layout<T> {
  name: string;
  /** Checks a folder (on disk, or a repository's file list); throws ModelFolderError naming each problem. */
  read(view: FolderView): T;
  /** The ONNX graphs the engine loads, relative to the folder ("unet/model.onnx"). */
  graphs(found: T): string[];
}

/** A diffusion pipeline folder (src/engines/diffusion/folder.ts). */
export const PIPELINE_LAYOUT: Layout<ModelFolder> = {
  name: "pipeline",
  read: checkModelFolder,
  graphs: (folder) =>
    Object.values(folder.files)
      .filter((path): path is string => typeof path === "string" && path.endsWith(".onnx"))
      .map((path) => relative(folder.path, path).split(sep).join("/")),
};

/** A Hub that is unreachable (no network, DNS, timeout): the cache may still answer. */
export class HubUnreachable extends HubError {}

const API_TIMEOUT_MS = 30_000;
/** A listing longer than this is not a model (and a hostile mirror could list forever). */
const MAX_FILES = 50_000;
/** Files fetched before the layout check: configs and tokenizers, never weights. */
const SMALL_FILE = /(^|\/)[^/]+\.(json|txt|model)$/;
const SMALL_FILE_BYTES = 32 * 1024 * 1024;
/** Beside a graph, never its external data: other weight formats, docs, pictures. */
const NOT_GRAPH_DATA = /\.(json|txt|md|onnx|ort|bin|safetensors|ckpt|pt|pth|msgpack|h5|ot|gguf|png|jpe?g|webp|gif|py)$|^\.git/;

const pulls = new Map<string, Promise<PulledModel<unknown>>>();

/** Pulls a model once per process at a time: two names for one repository share the download. */
export function pullModel<T = ModelFolder>(reference: HubReference, options: PullOptions, layout: Layout<T> = PIPELINE_LAYOUT as Layout<T>): Promise<PulledModel<T>> {
  const key = JSON.stringify([options.settings.cacheDir, reference, layout.name]);
  let pull = pulls.get(key) as Promise<PulledModel<T>> | undefined;
  if (!pull) {
    pull = pullOnce(reference, options, layout).finally(() => pulls.delete(key));
    pulls.set(key, pull);
  }
  return pull;
}

async function pullOnce<T>(reference: HubReference, options: PullOptions, layout: Layout<T>): Promise<PulledModel<T>> {
  const { settings } = options;
  const name = `hf:${formatHubReference(reference)}`;
  const cache = new RepoCache(settings.cacheDir, reference.repo);

  // 1. The cache alone.
  const fromCache = async (): Promise<PulledModel<T> | undefined> => {
    const commit = await cache.commitOf(reference.revision);
    if (!commit) return undefined;
    const path = join(cache.snapshot(commit), reference.subfolder);
    try {
      return { path, commit, folder: layout.read(localFolder(path, reference.repo)), downloaded: 0 };
    } catch {
      return undefined; // an interrupted pull: the Hub completes it
    }
  };
  if (settings.offline) {
    const cached = await fromCache();
    if (cached) return cached;
    throw new HubError(`${name} is not complete in the cache at ${cache.folder}, and HF_HUB_OFFLINE is set: pull it with the network on first`);
  }
  if (COMMIT.test(reference.revision)) {
    const cached = await fromCache();
    if (cached) return cached;
  }

  // 2. Which commit, which files.
  const api = { hubUrl: settings.endpoint, accessToken: settings.token, fetch: hubFetch(name, reference, settings) };
  let commit: string;
  let entries: ListFileEntry[];
  try {
    const info = await modelInfo({ ...api, name: reference.repo, revision: reference.revision, additionalFields: ["sha"] });
    commit = String(info.sha ?? "");
    if (!COMMIT.test(commit)) throw new HubError(`the Hub answered no commit for ${name}`);
    entries = [];
    for await (const entry of listFiles({ ...api, repo: { type: "model", name: reference.repo }, revision: commit, recursive: true, path: reference.subfolder || undefined })) {
      if (entry.type === "file") entries.push(checkEntry(entry));
      if (entries.length > MAX_FILES) throw new HubError(`${name} lists more than ${MAX_FILES} files; a model repository has far fewer`);
    }
  } catch (error) {
    const cached = error instanceof HubUnreachable ? await fromCache() : undefined;
    if (!cached) throw asHubError(error, name);
    options.warn?.(`${error instanceof Error ? error.message : error}; using ${name} from the cache (commit ${cached.commit.slice(0, 12)})`);
    return cached;
  }
  const prefix = reference.subfolder ? `${reference.subfolder}/` : "";
  const files = new Map(entries.filter((entry) => entry.path.startsWith(prefix)).map((entry) => [entry.path.slice(prefix.length), entry]));
  if (files.size === 0) throw new HubError(`${name} has no files${reference.subfolder ? ` in ${reference.subfolder}/` : ""}`);

  const fetchAll = (paths: string[], progress?: PullProgress) => {
    const jobs = paths.map((path) => ({ path, entry: files.get(path)! }));
    return download(jobs, { reference, cache, commit, prefix, name, options, progress });
  };

  // 3. Small files, then the same checks as a local folder.
  const small = [...files.keys()].filter((path) => SMALL_FILE.test(path) && path.split("/").length <= 2 && sizeOf(files.get(path)!) <= SMALL_FILE_BYTES);
  let downloaded = await fetchAll(small);
  const root = join(cache.snapshot(commit), reference.subfolder);
  let found: T;
  try {
    found = layout.read(remoteView(root, reference.repo, files));
  } catch (error) {
    if (error instanceof ModelFolderError) throw new HubError(`${name} is not a model Easel can run: ${error.problems.join("; ")}`);
    throw error;
  }

  // 4. The graphs the engine loads, with their external data.
  const needed = layout.graphs(found).flatMap((graph) => [graph, ...dataFilesOf(graph, files)]);
  downloaded += await fetchAll(needed, options.progress);

  // 5. The revision now means this commit here too.
  await cache.setRef(reference.revision, commit);
  return { path: root, commit, folder: layout.read(localFolder(root, reference.repo)), downloaded };
}

/** The repository's files as the layout check sees them; small files are read from the snapshot. */
function remoteView(root: string, repo: string, files: Map<string, ListFileEntry>): FolderView {
  const local = localFolder(root);
  return {
    root,
    name: repo,
    isFile: (path) => files.has(path),
    isDirectory: (path) => [...files.keys()].some((file) => file.startsWith(`${path}/`)),
    readText: (path) => (files.has(path) ? local.readText(path) : undefined),
  };
}

/**
 * External data beside a graph (optimum's model.onnx_data, diffusers' weights.pb, one file per
 * tensor from older exports): every file in its folder that is not a config, doc, picture,
 * other weight format, other graph, or another graph's data (model_fp16.onnx_data).
 */
export function dataFilesOf(graph: string, files: Map<string, unknown>): string[] {
  const folder = posix.dirname(graph);
  const stem = posix.basename(graph, ".onnx");
  return [...files.keys()].filter((path) => {
    if (posix.dirname(path) !== folder || path === graph) return false;
    const base = posix.basename(path);
    if (NOT_GRAPH_DATA.test(base)) return false;
    const dataOf = /^(.+?)(\.onnx)?[._]data$/.exec(base)?.[1];
    return dataOf === undefined || dataOf === stem;
  });
}

interface DownloadContext {
  reference: HubReference;
  cache: RepoCache;
  commit: string;
  prefix: string;
  name: string;
  options: PullOptions;
  progress?: PullProgress;
}

/** Brings each file into the snapshot; answers the bytes downloaded. */
async function download(jobs: { path: string; entry: ListFileEntry }[], context: DownloadContext): Promise<number> {
  const { cache, commit, prefix, options } = context;
  const missing: { path: string; entry: ListFileEntry; etag: string; left: number }[] = [];
  for (const { path, entry } of jobs) {
    const etag = etagOf(entry);
    const repoPath = prefix + path;
    if (await cache.has(commit, repoPath, etag)) continue;
    if (await exists(cache.blob(etag))) {
      await cache.link(commit, repoPath, etag); // another revision already brought these bytes
      continue;
    }
    const partial = await sizeOnDisk(`${cache.blob(etag)}.incomplete`);
    missing.push({ path, entry, etag, left: Math.max(0, sizeOf(entry) - partial) });
  }
  const total = missing.reduce((sum, file) => sum + file.left, 0);
  if (missing.length === 0) return 0;
  await checkSpace(cache.folder, total, context.name);

  context.progress?.start(missing.length, total);
  try {
    for (const { path, entry, etag } of missing) {
      const repoPath = prefix + path;
      const blob = cache.blob(etag);
      await mkdir(dirname(blob), { recursive: true });
      try {
        await withLock(
          cache.lock(etag),
          async () => {
            if (await exists(blob)) return; // another process brought it while this one waited
            await downloadBlob({
              url: `${options.settings.endpoint}/${cache.repo}/resolve/${commit}/${repoPath.split("/").map(encodeURIComponent).join("/")}`,
              token: options.settings.token,
              size: sizeOf(entry),
              digest: entry.lfs ? { algorithm: "sha256", hex: entry.lfs.oid } : { algorithm: "git-sha1", hex: etag },
              blob,
              label: repoPath,
              onBytes: (count) => context.progress?.bytes(count, repoPath),
              signal: options.signal,
            });
          },
          options.signal,
        );
      } catch (error) {
        throw asHubError(error, context.name, { reference: context.reference, settings: options.settings });
      }
      await cache.link(commit, repoPath, etag);
    }
  } finally {
    context.progress?.end();
  }
  return total;
}

async function checkSpace(folder: string, bytes: number, name: string): Promise<void> {
  let existing = folder;
  while (!(await exists(existing)) && dirname(existing) !== existing) existing = dirname(existing);
  const info = await statfs(existing);
  const free = info.bavail * info.bsize;
  if (bytes > free) throw new HubError(`${name} needs ${formatBytes(bytes)} more in ${existing}, which has ${formatBytes(free)} free`);
}

/** What the listing says of a file is used for paths, sizes and hashes: check it first. */
function checkEntry(entry: ListFileEntry): ListFileEntry {
  const size = entry.lfs?.size ?? entry.size;
  if (typeof entry.path !== "string" || !Number.isSafeInteger(size) || size < 0) throw new HubError(`the Hub listed a file it gave no usable path or size: ${JSON.stringify(entry).slice(0, 200)}`);
  etagOf(entry);
  return entry;
}

function etagOf(entry: ListFileEntry): string {
  const etag = entry.lfs?.oid ?? entry.oid;
  if (!etag || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(etag)) throw new HubError(`the Hub listed ${entry.path} without a usable hash`);
  return etag;
}

function sizeOf(entry: ListFileEntry): number {
  return entry.lfs?.size ?? entry.size;
}

/**
 * fetch for the library's API calls: bounded in time, and the Hub's error codes turned into
 * sentences a user can act on (the library keeps only the status).
 */
function hubFetch(name: string, reference: HubReference, settings: HubSettings): typeof fetch {
  return async (input, init) => {
    let response: Response;
    try {
      response = await fetch(input, { ...init, signal: AbortSignal.timeout(API_TIMEOUT_MS) });
    } catch (error) {
      throw new HubUnreachable(`cannot reach ${settings.endpoint} (${networkReason(error)})`);
    }
    if (!response.ok) {
      const refusal = refusalOf(response.status, response.headers.get("x-error-code"), name, reference, settings);
      if (refusal) {
        await response.body?.cancel();
        throw refusal;
      }
    }
    return response;
  };
}

function refusalOf(status: number, code: string | null, name: string, reference: HubReference, settings: HubSettings): HubError | undefined {
  const page = `${settings.endpoint}/${reference.repo}`;
  if (code === "GatedRepo") {
    return new HubError(
      settings.token
        ? `${name} is gated and HF_TOKEN's account has no access yet: accept its terms at ${page}`
        : `${name} is gated: accept its terms at ${page}, then set HF_TOKEN to a token of that account`,
    );
  }
  if (code === "RepoNotFound" || (status === 404 && !code)) {
    return new HubError(`${name}: no such model repository on ${settings.endpoint}${settings.token ? "" : " (a private one needs HF_TOKEN)"}`);
  }
  if (code === "RevisionNotFound") return new HubError(`${name}: the repository has no revision '${reference.revision}'`);
  if (status === 401) return new HubError(settings.token ? `${settings.endpoint} refused HF_TOKEN for ${name}` : `${name} needs a token: set HF_TOKEN`);
  if (status === 429) return new HubError(`${settings.endpoint} is rate-limiting requests for ${name}; try again later`);
  return undefined;
}

function asHubError(error: unknown, name: string, refused?: { reference: HubReference; settings: HubSettings }): Error {
  if (error instanceof HubError) return error;
  if (error instanceof HttpStatusError && refused) {
    return refusalOf(error.status, error.code, name, refused.reference, refused.settings) ?? new HubError(`${name}: ${error.message}`);
  }
  if (error instanceof TypeError && /hf_/.test(error.message)) return new HubError("HF_TOKEN must start with 'hf_'");
  if ((error as Error)?.name === "AbortError") return error as Error;
  const message = error instanceof Error ? error.message.split(". URL:")[0] : String(error);
  return new HubError(`${name}: ${message}${error instanceof TypeError ? ` (${networkReason(error)})` : ""}`);
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if ((error as Error)?.name === "TimeoutError") return "no answer in time";
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function sizeOnDisk(path: string): Promise<number> {
  return (await stat(path).catch(() => undefined))?.size ?? 0;
}
