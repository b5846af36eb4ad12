// Blobs in PostgreSQL: a row in `blobs` and the bytes in 1 MiB rows of
// `blob_chunks`, written and read a chunk at a time. A blob is uncommitted
// until the transaction that stores its object commits it (see migrations.ts).
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { BlobTooLargeError, type BlobSource, type BlobWriter, type JobBlobs, type PendingBlob } from "../store.js";
import type { Pool, Queryable } from "./database.js";

const CHUNK_BYTES = 1024 * 1024;
/** An uncommitted blob older than this is a write that will never finish (the longest request is 20 minutes). */
const ABANDONED_SECONDS = 3600;

const now = () => Math.floor(Date.now() / 1000);

export class PgBlobs implements BlobWriter, JobBlobs {
  constructor(private readonly pool: Pool) {}

  async write(source: BlobSource, maxBytes = Number.POSITIVE_INFINITY): Promise<PendingBlob> {
    const key = randomBytes(16).toString("hex");
    const hash = createHash("sha256");
    await this.pool.query("INSERT INTO blobs (key, created_at) VALUES ($1, $2)", [key, now()]);
    let bytes = 0;
    let seq = 0;
    let held: Buffer[] = [];
    let heldBytes = 0;
    const flush = async () => {
      const data = Buffer.concat(held, heldBytes);
      held = [];
      heldBytes = 0;
      await this.pool.query("INSERT INTO blob_chunks (key, seq, data) VALUES ($1, $2, $3)", [key, seq++, data]);
    };
    try {
      for await (const piece of Buffer.isBuffer(source) ? [source] : source) {
        const chunk = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
        bytes += chunk.length;
        if (bytes > maxBytes) throw new BlobTooLargeError(maxBytes);
        hash.update(chunk);
        for (let offset = 0; offset < chunk.length; ) {
          const take = Math.min(CHUNK_BYTES - heldBytes, chunk.length - offset);
          held.push(chunk.subarray(offset, offset + take));
          heldBytes += take;
          offset += take;
          if (heldBytes === CHUNK_BYTES) await flush();
        }
      }
      if (heldBytes > 0) await flush();
      const sha256 = hash.digest("hex");
      await this.pool.query("UPDATE blobs SET bytes = $2, sha256 = $3 WHERE key = $1", [key, bytes, sha256]);
      return { key, bytes, sha256 };
    } catch (error) {
      await this.pool.query("DELETE FROM blobs WHERE key = $1", [key]).catch(() => undefined);
      throw error;
    }
  }

  async discard(pending: PendingBlob): Promise<void> {
    await this.pool.query("DELETE FROM blobs WHERE key = $1 AND NOT committed", [pending.key]);
  }

  /** Makes pending blobs part of the store, inside the transaction that stores what points at them. */
  async commit(client: Queryable, keys: string[], expiresAt: number | null = null): Promise<void> {
    if (keys.length === 0) return;
    const { rowCount } = await client.query("UPDATE blobs SET committed = true, expires_at = $2 WHERE key = ANY($1) AND NOT committed", [keys, expiresAt]);
    if (rowCount !== keys.length) throw new Error("a pending blob was swept before it was committed");
  }

  /** Deletes blobs (and their chunks), inside the caller's transaction. */
  async remove(client: Queryable, keys: string[]): Promise<void> {
    if (keys.length > 0) await client.query("DELETE FROM blobs WHERE key = ANY($1)", [keys]);
  }

  /** The whole blob: only for what is small by construction (pictures); files are streamed. */
  async read(key: string): Promise<Buffer | undefined> {
    const { rows } = await this.pool.query<{ data: Buffer }>("SELECT data FROM blob_chunks WHERE key = $1 ORDER BY seq", [key]);
    if (rows.length === 0 && !(await this.exists(key))) return undefined;
    return Buffer.concat(rows.map((row) => row.data));
  }

  /** A stream that reads the blob a chunk at a time, or undefined if it is gone. */
  async openStream(key: string): Promise<Readable | undefined> {
    const { rows } = await this.pool.query<{ bytes: number }>("SELECT bytes FROM blobs WHERE key = $1 AND committed", [key]);
    if (rows.length === 0) return undefined;
    const pool = this.pool;
    const chunks = Math.ceil(rows[0].bytes / CHUNK_BYTES);
    return Readable.from(
      (async function* () {
        for (let seq = 0; seq < chunks; seq++) {
          const chunk = await pool.query<{ data: Buffer }>("SELECT data FROM blob_chunks WHERE key = $1 AND seq = $2", [key, seq]);
          // Deleted while being read: the answer is cut short rather than padded.
          if (chunk.rows.length === 0) throw new Error(`blob ${key} was deleted while it was read`);
          yield chunk.rows[0].data;
        }
      })(),
      { objectMode: false },
    );
  }

  private async exists(key: string): Promise<boolean> {
    const { rowCount } = await this.pool.query("SELECT 1 FROM blobs WHERE key = $1 AND committed", [key]);
    return (rowCount ?? 0) > 0;
  }

  // JobBlobs: a job's input pictures, handed from the API node to a worker.

  async put(bytes: Buffer, ttlSeconds: number): Promise<string> {
    const pending = await this.write(bytes);
    await this.commit(this.pool, [pending.key], now() + ttlSeconds);
    return pending.key;
  }

  get(key: string): Promise<Buffer | undefined> {
    return this.read(key);
  }

  async delete(keys: string[]): Promise<void> {
    await this.remove(this.pool, keys);
  }

  /** Removes abandoned writes and expired blobs; returns how many. */
  async sweep(): Promise<number> {
    const { rowCount } = await this.pool.query(
      "DELETE FROM blobs WHERE (NOT committed AND created_at < $1) OR (expires_at IS NOT NULL AND expires_at < $2)",
      [now() - ABANDONED_SECONDS, now()],
    );
    return rowCount ?? 0;
  }
}
