// The Hugging Face Hub cache, laid out exactly as Python's huggingface_hub lays it out,
// so a model either one downloaded is the other's too:
//   models--OWNER--REPO/blobs/ETAG               the bytes (ETAG: sha256 for LFS files, git sha1 otherwise)
//   models--OWNER--REPO/blobs/ETAG.incomplete    a download under way (resumed from its length)
//   models--OWNER--REPO/snapshots/COMMIT/PATH    relative symlink to ../../blobs/ETAG
//   models--OWNER--REPO/refs/REVISION            the commit a branch or tag pointed at when last pulled
//   .locks/models--OWNER--REPO/ETAG.easel.lock    held while Easel downloads that blob
import { lstat, mkdir, readFile, rename, rm, stat, symlink, copyFile, writeFile, readlink } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { getRepoFolderName } from "@huggingface/hub";
import { HubError } from "./reference.js";

export const COMMIT = /^[0-9a-f]{40}$/;

export class RepoCache {
  readonly folder: string;

  constructor(cacheDir: string, readonly repo: string) {
    this.folder = join(resolve(cacheDir), getRepoFolderName({ type: "model", name: repo }));
  }

  blob(etag: string): string {
    return this.inside(join(this.folder, "blobs"), etag);
  }

  /** Held while a blob downloads (src/hub/lock.ts); beside Python's own locks, in .locks/REPO-FOLDER/. */
  lock(etag: string): string {
    return this.inside(join(dirname(this.folder), ".locks", basename(this.folder)), `${etag}.easel.lock`);
  }

  snapshot(commit: string): string {
    return join(this.folder, "snapshots", commit);
  }

  /** A file of a snapshot; `path` comes from the Hub, so it must stay inside. */
  snapshotFile(commit: string, path: string): string {
    return this.inside(this.snapshot(commit), path);
  }

  /** The commit a revision resolves to here: itself for a commit, else what refs/ says. */
  async commitOf(revision: string): Promise<string | undefined> {
    if (COMMIT.test(revision)) return revision;
    const text = await readFile(this.inside(join(this.folder, "refs"), revision), "utf8").catch(() => undefined);
    const commit = text?.trim();
    return commit && COMMIT.test(commit) ? commit : undefined;
  }

  async setRef(revision: string, commit: string): Promise<void> {
    if (revision === commit) return;
    const file = this.inside(join(this.folder, "refs"), revision);
    await mkdir(dirname(file), { recursive: true });
    // Written whole, then renamed: a reader never sees half a commit id.
    await writeFile(`${file}.tmp`, commit);
    await rename(`${file}.tmp`, file);
  }

  /** Whether the snapshot already holds this file, pointing at this blob. */
  async has(commit: string, path: string, etag: string): Promise<boolean> {
    const file = this.snapshotFile(commit, path);
    const info = await lstat(file).catch(() => undefined);
    if (!info) return false;
    if (info.isSymbolicLink()) {
      const target = resolve(dirname(file), await readlink(file));
      return target === this.blob(etag) && (await stat(target).catch(() => undefined))?.isFile() === true;
    }
    return info.isFile(); // a copy, where the file system has no symlinks
  }

  /** Points the snapshot's file at its blob (a copy where symlinks are not allowed). */
  async link(commit: string, path: string, etag: string): Promise<void> {
    const file = this.snapshotFile(commit, path);
    const blob = this.blob(etag);
    await mkdir(dirname(file), { recursive: true });
    await rm(file, { force: true });
    try {
      await symlink(relative(dirname(file), blob), file);
    } catch {
      await copyFile(blob, file);
    }
  }

  private inside(base: string, path: string): string {
    const full = resolve(base, path);
    if (!full.startsWith(base + sep)) throw new HubError(`hf:${this.repo} names a path outside its folder in the cache, refused: ${path}`);
    return full;
  }
}
