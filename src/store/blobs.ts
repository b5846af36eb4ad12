// The blob folder (<dataDir>/blobs): the bytes of stored objects, one file
// each, named by a random key that has a row in the `blobs` table.
//
// Writes are durable before they are acknowledged and never visible half done:
// bytes stream into a temporary file (.tmp-…), which is fsync'd, renamed to its
// key, the folder fsync'd, and only then are the rows inserted, in one
// transaction with the object that points at them. Deletes go the other way:
// rows first, then the file. A crash at any point leaves at worst a temporary
// file or a blob without a row, and `sweep` removes both at startup.
import { createHash, randomBytes } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, unlinkSync } from "node:fs";
import { open, readFile, rename, unlink, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import type { Db } from "./database.js";
import { BlobTooLargeError, type BlobSource, type BlobWriter, type PendingBlob } from "./store.js";

const TEMP_PREFIX = ".tmp-";
const KEY = /^[0-9a-f]{32}$/;

export interface SweepResult {
  temporary: number;
  orphaned: number;
  missing: number;
}

export class BlobStore implements BlobWriter {
  readonly dir: string;
  private readonly statements;

  constructor(private readonly db: Db, dataDir: string) {
    this.dir = join(dataDir, "blobs");
    mkdirSync(this.dir, { recursive: true });
    // The folder itself must survive a crash once anything in it is acknowledged.
    syncDirectorySync(dataDir);
    this.statements = {
      insert: db.prepare("INSERT INTO blobs (key, bytes, sha256, created_at) VALUES (?, ?, ?, ?)"),
      remove: db.prepare("DELETE FROM blobs WHERE key = ?"),
      has: db.prepare("SELECT 1 FROM blobs WHERE key = ?").pluck(),
      keys: db.prepare("SELECT key FROM blobs").pluck(),
    };
  }

  path(key: string): string {
    if (!KEY.test(key)) throw new Error(`not a blob key: ${key}`);
    return join(this.dir, key);
  }

  private tempPath(key: string): string {
    return join(this.dir, TEMP_PREFIX + key);
  }

  /** Streams `source` to a temporary file and syncs it. Nothing is visible until `commit`. */
  async write(source: BlobSource, maxBytes = Number.POSITIVE_INFINITY): Promise<PendingBlob> {
    const key = randomBytes(16).toString("hex");
    const temp = this.tempPath(key);
    const hash = createHash("sha256");
    let bytes = 0;
    const file = await open(temp, "wx", 0o600);
    try {
      for await (const chunk of Buffer.isBuffer(source) ? [source] : source) {
        bytes += chunk.length;
        if (bytes > maxBytes) throw new BlobTooLargeError(maxBytes);
        hash.update(chunk);
        await writeAll(file, chunk);
      }
      await file.sync();
    } catch (error) {
      await file.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await file.close();
    return { key, bytes, sha256: hash.digest("hex") };
  }

  /** Drops a pending blob that will not be committed. */
  async discard(pending: PendingBlob): Promise<void> {
    await unlink(this.tempPath(pending.key)).catch(() => undefined);
  }

  /**
   * Moves pending blobs to their final names durably, then inserts their rows
   * and runs `insertRows` (the objects pointing at them) in one transaction.
   * Resolves once all of it is on disk; on failure the blobs are removed.
   */
  async commit<T>(pending: PendingBlob[], insertRows: () => T): Promise<T> {
    const now = Math.floor(Date.now() / 1000);
    try {
      for (const blob of pending) await rename(this.tempPath(blob.key), this.path(blob.key));
      await syncDirectory(this.dir);
      return this.db.transaction(() => {
        for (const blob of pending) this.statements.insert.run(blob.key, blob.bytes, blob.sha256, now);
        return insertRows();
      })();
    } catch (error) {
      for (const blob of pending) {
        await unlink(this.tempPath(blob.key)).catch(() => undefined);
        await unlink(this.path(blob.key)).catch(() => undefined);
      }
      throw error;
    }
  }

  /**
   * Deletes objects and their blobs: `deleteRows` (the objects' rows) and the
   * blob rows in one transaction first, then the files.
   */
  async remove<T>(keys: string[], deleteRows: () => T): Promise<T> {
    const result = this.db.transaction(() => {
      const value = deleteRows();
      this.forget(keys);
      return value;
    })();
    await this.unlinkForgotten(keys);
    return result;
  }

  /** Deletes blob rows, inside the caller's transaction (after the rows pointing at them); then call `unlinkForgotten`. */
  forget(keys: string[]): void {
    for (const key of keys) this.statements.remove.run(key);
  }

  /** Removes the files of blobs whose rows are gone (committed). */
  async unlinkForgotten(keys: string[]): Promise<void> {
    for (const key of keys) await unlink(this.path(key)).catch(() => undefined);
  }

  /** The whole blob, or undefined if it is gone. */
  async read(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  /** A stream of the blob, opened now (so a delete after this does not cut it short), or undefined if it is gone. */
  async openStream(key: string): Promise<Readable | undefined> {
    try {
      const file = await open(this.path(key), "r");
      return file.createReadStream();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  /**
   * Startup clean-up, before any write: removes temporary files and blobs
   * without a row (a crash mid-write or mid-delete), and counts rows whose
   * file is missing (which the write order rules out short of disk damage).
   */
  sweep(): SweepResult {
    const result: SweepResult = { temporary: 0, orphaned: 0, missing: 0 };
    const names = new Set(readdirSync(this.dir));
    for (const name of names) {
      if (name.startsWith(TEMP_PREFIX)) result.temporary++;
      else if (KEY.test(name) && !this.statements.has.get(name)) result.orphaned++;
      else continue;
      unlinkSync(join(this.dir, name));
    }
    for (const key of this.statements.keys.iterate() as IterableIterator<string>) {
      if (!names.has(key)) result.missing++;
    }
    return result;
  }
}

async function writeAll(file: FileHandle, chunk: Uint8Array): Promise<void> {
  for (let offset = 0; offset < chunk.length; ) {
    const { bytesWritten } = await file.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

function syncDirectorySync(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsync on a directory makes the names in it (a rename) durable. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
