// Downloads one file of a repository into its blob: resumed from a partial
// `.incomplete` file (ours or Python's) with an HTTP Range request, retried when
// the connection drops, bounded in time (no bytes for IDLE_MS) and in size (never
// more than the Hub said), and verified before it becomes the blob: LFS files by
// their sha256, the others by their git blob sha1.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, rename, rm, stat, truncate } from "node:fs/promises";
import { HubError } from "./reference.js";

export interface BlobDownload {
  url: string;
  token?: string;
  /** What the Hub listed for the file. */
  size: number;
  /** sha256 of the content (LFS files), or the git blob sha1 (small files kept in git). */
  digest: { algorithm: "sha256" | "git-sha1"; hex: string };
  /** Where the verified file goes. */
  blob: string;
  /** The repository path, for messages. */
  label: string;
  onBytes(count: number): void;
  signal?: AbortSignal;
}

/** The server refused the file; a status a retry will not change is not retried. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    /** The Hub's X-Error-Code header: RepoNotFound, GatedRepo, RevisionNotFound, EntryNotFound… */
    readonly code: string | null,
    label: string,
  ) {
    super(`the server answered ${status}${code ? ` (${code})` : ""} for ${label}`);
  }

  get final(): boolean {
    return this.status >= 400 && this.status < 500 && this.status !== 408 && this.status !== 429;
  }
}

const IDLE_MS = 60_000;
const ATTEMPTS = 5;
const MAX_REDIRECTS = 5;

export async function downloadBlob(job: BlobDownload): Promise<void> {
  const partial = `${job.blob}.incomplete`;
  for (let attempt = 1; ; attempt++) {
    let have = (await stat(partial).catch(() => undefined))?.size ?? 0;
    if (have > job.size) {
      await truncate(partial, 0);
      have = 0;
    }
    if (have === job.size) break;
    try {
      await fetchInto(job, partial, have);
      break;
    } catch (error) {
      const final = error instanceof HubError || (error instanceof HttpStatusError && error.final);
      if (job.signal?.aborted || final || attempt === ATTEMPTS) throw error;
      await new Promise((done) => setTimeout(done, 250 * 2 ** attempt));
    }
  }
  const actual = await digestOf(partial, job.digest.algorithm, job.size);
  if (actual !== job.digest.hex) {
    await rm(partial, { force: true });
    throw new HubError(
      `${job.label} arrived corrupted (${job.digest.algorithm} ${actual.slice(0, 12)}…, the Hub lists ${job.digest.hex.slice(0, 12)}…); ` +
        "the partial file was removed, pull again",
    );
  }
  await rename(partial, job.blob);
}

/** Appends bytes from `offset` to the partial file. */
async function fetchInto(job: BlobDownload, partial: string, offset: number): Promise<void> {
  const idle = new AbortController();
  const signal = job.signal ? AbortSignal.any([job.signal, idle.signal]) : idle.signal;
  let timer = setTimeout(() => idle.abort(), IDLE_MS);
  const ping = () => {
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(), IDLE_MS);
  };
  try {
    const response = await fetchFollowing(job.url, job.token, offset > 0 ? { Range: `bytes=${offset}-` } : {}, signal);
    ping();
    if (!response.ok) {
      await response.body?.cancel();
      throw new HttpStatusError(response.status, response.headers.get("x-error-code"), job.label);
    }
    if (offset > 0 && response.status === 200) {
      // The server ignored the range: start over rather than append the whole file again.
      await truncate(partial, 0);
      offset = 0;
    } else if (offset > 0 && (response.status !== 206 || !response.headers.get("content-range")?.startsWith(`bytes ${offset}-`))) {
      await response.body?.cancel();
      throw new Error(`the server answered a resume with ${response.status} ${response.headers.get("content-range") ?? ""}`);
    }
    if (!response.body) throw new Error(`no body for ${job.label}`);
    // Each chunk is on disk before the next is read, so whatever arrived before a drop is kept for the resume.
    const file = await open(partial, offset > 0 ? "a" : "w");
    let written = offset;
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        ping();
        if (written + chunk.length > job.size) throw new HubError(`${job.label} is larger than the Hub lists (${job.size} bytes); refusing the rest`);
        await file.write(chunk);
        written += chunk.length;
        job.onBytes(chunk.length);
      }
    } finally {
      await file.close();
    }
    if (written < job.size) throw new Error(`${job.label} ended after ${written} of ${job.size} bytes`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * GET that follows redirects itself, so the token goes to the Hub only: a redirect to a
 * CDN on another origin (signed URL) is followed without the Authorization header.
 */
async function fetchFollowing(url: string, token: string | undefined, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
  const origin = new URL(url).origin;
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const sameOrigin = new URL(current).origin === origin;
    const response = await fetch(current, {
      headers: { ...headers, ...(token && sameOrigin ? { Authorization: `Bearer ${token}` } : {}) },
      redirect: "manual",
      signal,
    });
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || !location) return response;
    await response.body?.cancel();
    current = new URL(location, current).href;
  }
  throw new Error(`more than ${MAX_REDIRECTS} redirects for ${url}`);
}

async function digestOf(path: string, algorithm: "sha256" | "git-sha1", size: number): Promise<string> {
  const hash = createHash(algorithm === "sha256" ? "sha256" : "sha1");
  if (algorithm === "git-sha1") hash.update(`blob ${size}\0`);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
