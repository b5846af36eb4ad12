// Stored files (the Files API's objects): metadata rows in `files`, bytes in
// the blob folder. Every lookup takes the owner: another owner's file is
// simply not there. Expired files are not there either, and are deleted by
// `deleteExpired`.
import type { Readable } from "node:stream";
import type { BlobStore } from "./blobs.js";
import type { Db } from "./database.js";
import { newId } from "./ids.js";
import type { FileStore, PendingBlob } from "./store.js";

export interface FileRecord {
  id: string;
  owner: string;
  purpose: string;
  filename: string;
  contentType: string;
  bytes: number;
  /** Unix seconds. */
  createdAt: number;
  expiresAt: number | null;
  blob: string;
}

export interface NewFile {
  owner: string;
  purpose: string;
  filename: string;
  contentType: string;
  /** Seconds after creation at which the file expires; none: kept until deleted. */
  expiresAfterSeconds?: number;
}

export interface ListOptions {
  purpose?: string;
  limit: number;
  order: "asc" | "desc";
  /** The id of the last file of the previous page. */
  after?: string;
}

/** A `files` row, the same in both stores. */
export interface FileRow {
  seq: number;
  id: string;
  owner: string;
  purpose: string;
  filename: string;
  content_type: string;
  bytes: number;
  created_at: number;
  expires_at: number | null;
  blob: string;
}

const now = () => Math.floor(Date.now() / 1000);

export const toFileRecord = (row: FileRow): FileRecord => ({
  id: row.id,
  owner: row.owner,
  purpose: row.purpose,
  filename: row.filename,
  contentType: row.content_type,
  bytes: row.bytes,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  blob: row.blob,
});

/** The row of a new file whose bytes are in `blob`: a fresh id, created now (the store gives `seq`). */
export function newFileRow(file: NewFile, blob: PendingBlob): Omit<FileRow, "seq"> {
  const createdAt = now();
  return {
    id: newId("file-"),
    owner: file.owner,
    purpose: file.purpose,
    filename: file.filename,
    content_type: file.contentType,
    bytes: blob.bytes,
    created_at: createdAt,
    expires_at: file.expiresAfterSeconds === undefined ? null : createdAt + file.expiresAfterSeconds,
    blob: blob.key,
  };
}

const LIVE = "(expires_at IS NULL OR expires_at > @now)";

export class SqliteFileStore implements FileStore {
  private readonly statements;

  constructor(private readonly db: Db, private readonly blobs: BlobStore) {
    const page = (order: "ASC" | "DESC", after: boolean, purpose: boolean) =>
      db.prepare(
        `SELECT * FROM files WHERE owner = @owner AND ${LIVE}` +
          (purpose ? " AND purpose = @purpose" : "") +
          (after ? ` AND seq ${order === "ASC" ? ">" : "<"} @after` : "") +
          ` ORDER BY seq ${order} LIMIT @limit`,
      );
    this.statements = {
      insert: db.prepare(
        `INSERT INTO files (id, owner, purpose, filename, content_type, bytes, created_at, expires_at, blob)
         VALUES (@id, @owner, @purpose, @filename, @content_type, @bytes, @created_at, @expires_at, @blob)`,
      ),
      get: db.prepare(`SELECT * FROM files WHERE id = @id AND owner = @owner AND ${LIVE}`),
      remove: db.prepare("DELETE FROM files WHERE id = ?"),
      expired: db.prepare("SELECT id, blob FROM files WHERE expires_at <= ? LIMIT 1000"),
      pages: Object.fromEntries(
        (["ASC", "DESC"] as const).flatMap((order) =>
          [false, true].flatMap((after) => [false, true].map((purpose) => [`${order}${after}${purpose}`, page(order, after, purpose)])),
        ),
      ),
    };
  }

  /** Stores a file whose bytes are in `blob`; resolves once it is durable. */
  async create(file: NewFile, blob: PendingBlob): Promise<FileRecord> {
    const row = newFileRow(file, blob);
    await this.blobs.commit([blob], () => this.statements.insert.run(row));
    return toFileRecord({ seq: 0, ...row });
  }

  async get(owner: string, id: string): Promise<FileRecord | undefined> {
    const row = this.statements.get.get({ id, owner, now: now() }) as FileRow | undefined;
    return row && toFileRecord(row);
  }

  async list(owner: string, options: ListOptions): Promise<{ files: FileRecord[]; hasMore: boolean } | undefined> {
    const params = { owner, now: now(), purpose: options.purpose, limit: options.limit + 1, after: 0 };
    if (options.after !== undefined) {
      const cursor = this.statements.get.get({ id: options.after, owner, now: 0 }) as FileRow | undefined;
      if (!cursor) return undefined;
      params.after = cursor.seq;
    }
    const order = options.order === "asc" ? "ASC" : "DESC";
    const statement = this.statements.pages[`${order}${options.after !== undefined}${options.purpose !== undefined}`];
    const rows = statement.all(params) as FileRow[];
    return { files: rows.slice(0, options.limit).map(toFileRecord), hasMore: rows.length > options.limit };
  }

  /** The file's bytes, or undefined if it was deleted meanwhile. */
  read(file: FileRecord): Promise<Buffer | undefined> {
    return this.blobs.read(file.blob);
  }

  /** A stream of the file's bytes, or undefined if it was deleted meanwhile. */
  openStream(file: FileRecord): Promise<Readable | undefined> {
    return this.blobs.openStream(file.blob);
  }

  /** Deletes the owner's file: the row first, then the bytes. False when there was none. */
  async delete(owner: string, id: string): Promise<boolean> {
    const file = await this.get(owner, id);
    if (!file) return false;
    return this.blobs.remove([file.blob], () => this.statements.remove.run(id).changes > 0);
  }

  /** Deletes files past their expiry; returns how many. */
  async deleteExpired(): Promise<number> {
    let count = 0;
    for (;;) {
      const batch = this.statements.expired.all(now()) as { id: string; blob: string }[];
      if (batch.length === 0) return count;
      await this.blobs.remove(
        batch.map((file) => file.blob),
        () => batch.forEach((file) => this.statements.remove.run(file.id)),
      );
      count += batch.length;
    }
  }
}
