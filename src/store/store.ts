// The embedded store under the data dir: <dataDir>/easel.db (SQLite, WAL) for
// metadata and <dataDir>/blobs for bytes; files and responses on top. Opening it migrates the schema and
// sweeps what a crash may have left; a timer deletes expired files.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import { BlobStore } from "./blobs.js";
import { closeDatabase, openDatabase, type Db } from "./database.js";
import { FileStore } from "./files.js";
import { SqliteResponsesStore } from "./responses.js";
import { UsageCounters } from "./usage.js";

const EXPIRY_SWEEP_MS = 60_000;

export class Store {
  private expiryTimer?: NodeJS.Timeout;

  private constructor(
    readonly db: Db,
    readonly blobs: BlobStore,
    readonly files: FileStore,
    readonly responses: SqliteResponsesStore,
    readonly usage: UsageCounters,
    private readonly logger?: Logger,
  ) {}

  static open(dataDir: string, logger?: Logger): Store {
    mkdirSync(dataDir, { recursive: true });
    const db = openDatabase(join(dataDir, "easel.db"));
    try {
      const blobs = new BlobStore(db, dataDir);
      const store = new Store(db, blobs, new FileStore(db, blobs), new SqliteResponsesStore(db, blobs), new UsageCounters(db), logger);
      const swept = blobs.sweep();
      if (swept.temporary || swept.orphaned) logger?.info({ ...swept }, "store: removed unfinished writes");
      if (swept.missing) logger?.error({ ...swept }, "store: blobs missing from the blob folder");
      store.startExpiry();
      return store;
    } catch (error) {
      closeDatabase(db);
      throw error;
    }
  }

  private startExpiry(): void {
    const run = () =>
      this.files.deleteExpired().then(
        (count) => count > 0 && this.logger?.info({ count }, "store: deleted expired files"),
        (error) => this.db.open && this.logger?.error({ err: error }, "store: deleting expired files failed"),
      );
    void run();
    this.expiryTimer = setInterval(run, EXPIRY_SWEEP_MS);
    this.expiryTimer.unref();
  }

  close(): void {
    clearInterval(this.expiryTimer);
    this.usage.close();
    closeDatabase(this.db);
  }
}
