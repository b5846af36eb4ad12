// The Files API's objects in PostgreSQL: rows in `files`, bytes in blobs.
// Every lookup takes the owner; expired files are not there.
import type { Readable } from "node:stream";
import { newFileRow, toFileRecord, type FileRecord, type FileRow, type ListOptions, type NewFile } from "../files.js";
import type { FileStore, PendingBlob } from "../store.js";
import type { PgBlobs } from "./blobs.js";
import { transaction, type Pool } from "./database.js";

const now = () => Math.floor(Date.now() / 1000);
const LIVE = "(expires_at IS NULL OR expires_at > $2)";

export class PgFileStore implements FileStore {
  constructor(private readonly pool: Pool, private readonly blobs: PgBlobs) {}

  async create(file: NewFile, blob: PendingBlob): Promise<FileRecord> {
    const row = newFileRow(file, blob);
    await transaction(this.pool, async (client) => {
      await this.blobs.commit(client, [blob.key]);
      await client.query(
        "INSERT INTO files (id, owner, purpose, filename, content_type, bytes, created_at, expires_at, blob) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        [row.id, row.owner, row.purpose, row.filename, row.content_type, row.bytes, row.created_at, row.expires_at, row.blob],
      );
    });
    return toFileRecord({ seq: 0, ...row });
  }

  async get(owner: string, id: string): Promise<FileRecord | undefined> {
    const row = await this.row(owner, id, now());
    return row && toFileRecord(row);
  }

  private async row(owner: string, id: string, at: number): Promise<FileRow | undefined> {
    const { rows } = await this.pool.query<FileRow>(`SELECT * FROM files WHERE owner = $1 AND ${LIVE} AND id = $3`, [owner, at, id]);
    return rows[0];
  }

  async list(owner: string, options: ListOptions): Promise<{ files: FileRecord[]; hasMore: boolean } | undefined> {
    const params: unknown[] = [owner, now(), options.limit + 1];
    const asc = options.order === "asc";
    let where = `owner = $1 AND ${LIVE}`;
    if (options.after !== undefined) {
      const cursor = await this.row(owner, options.after, 0);
      if (!cursor) return undefined;
      params.push(cursor.seq);
      where += ` AND seq ${asc ? ">" : "<"} $${params.length}`;
    }
    if (options.purpose !== undefined) {
      params.push(options.purpose);
      where += ` AND purpose = $${params.length}`;
    }
    const { rows } = await this.pool.query<FileRow>(`SELECT * FROM files WHERE ${where} ORDER BY seq ${asc ? "ASC" : "DESC"} LIMIT $3`, params);
    return { files: rows.slice(0, options.limit).map(toFileRecord), hasMore: rows.length > options.limit };
  }

  read(file: FileRecord): Promise<Buffer | undefined> {
    return this.blobs.read(file.blob);
  }

  openStream(file: FileRecord): Promise<Readable | undefined> {
    return this.blobs.openStream(file.blob);
  }

  async delete(owner: string, id: string): Promise<boolean> {
    return transaction(this.pool, async (client) => {
      const { rows } = await client.query<{ blob: string }>("DELETE FROM files WHERE owner = $1 AND id = $2 AND (expires_at IS NULL OR expires_at > $3) RETURNING blob", [owner, id, now()]);
      await this.blobs.remove(client, rows.map((row) => row.blob));
      return rows.length > 0;
    });
  }

  async deleteExpired(): Promise<number> {
    let count = 0;
    for (;;) {
      const deleted = await transaction(this.pool, async (client) => {
        const { rows } = await client.query<{ blob: string }>(
          "DELETE FROM files WHERE seq IN (SELECT seq FROM files WHERE expires_at <= $1 LIMIT 1000 FOR UPDATE SKIP LOCKED) RETURNING blob",
          [now()],
        );
        await this.blobs.remove(client, rows.map((row) => row.blob));
        return rows.length;
      });
      if (deleted === 0) return count;
      count += deleted;
    }
  }
}
