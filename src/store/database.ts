// Owns the SQLite database: opens it (WAL, synchronous=FULL, foreign keys,
// an exclusive lock so only one process uses a data dir), brings its schema
// up to date, and closes it.
import Database from "better-sqlite3";
import { migrations as storeMigrations } from "./migrations.js";

export type Db = Database.Database;

export class StoreError extends Error {}

export function openDatabase(path: string, migrations: readonly string[] = storeMigrations): Db {
  const db = new Database(path, { timeout: 1000 });
  try {
    // WAL entered in exclusive locking mode keeps its index in memory and holds
    // the lock until close: a second server on the same data dir fails here.
    db.pragma("locking_mode = EXCLUSIVE");
    const mode = db.pragma("journal_mode = WAL", { simple: true });
    if (mode !== "wal") throw new StoreError(`cannot put ${path} in WAL mode (got ${String(mode)})`);
    // Every commit is on disk (the WAL fsync'd) before it returns.
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === "SQLITE_BUSY") {
      throw new StoreError(`the store ${path} is in use by another process (one Easel server per data dir)`);
    }
    throw error;
  }
}

/** Applies the steps the database has not seen yet, each in its own transaction. */
export function migrate(db: Db, migrations: readonly string[]): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > migrations.length) {
    throw new StoreError(`the store's schema (version ${version}) is newer than this Easel knows (${migrations.length})`);
  }
  for (let step = version; step < migrations.length; step++) {
    db.transaction(() => {
      db.exec(migrations[step]);
      db.pragma(`user_version = ${step + 1}`);
    })();
  }
}

export function closeDatabase(db: Db): void {
  if (db.open) db.close();
}
