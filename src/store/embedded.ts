// The embedded store under the data dir: <dataDir>/easel.db (SQLite, WAL) for
// metadata and <dataDir>/blobs for bytes; files, responses, usage counts and
// picture URLs on top. Opening it migrates the schema and sweeps what a crash
// may have left; timers delete expired files and pictures.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import { BlobStore } from "./blobs.js";
import { closeDatabase, openDatabase, type Db } from "./database.js";
import { SqliteFileStore } from "./files.js";
import { FolderPictureUrls } from "./picture-urls.js";
import { SqliteResponsesStore } from "./responses.js";
import type { Store } from "./store.js";
import { SqliteUsageCounters } from "./usage.js";

const EXPIRY_SWEEP_MS = 60_000;

export interface EmbeddedStoreOptions {
  /** How long a picture URL stays valid. */
  pictureUrlTtlSeconds?: number;
  /** Signs picture URLs; by default a key kept in the data dir. */
  urlSigningKey?: Buffer;
  logger?: Logger;
}

export class EmbeddedStore implements Store {
  private expiryTimer?: NodeJS.Timeout;

  private constructor(
    readonly db: Db,
    readonly blobs: BlobStore,
    readonly files: SqliteFileStore,
    readonly responses: SqliteResponsesStore,
    readonly usage: SqliteUsageCounters,
    readonly pictureUrls: FolderPictureUrls,
    private readonly logger?: Logger,
  ) {}

  static open(dataDir: string, options: EmbeddedStoreOptions = {}): EmbeddedStore {
    const { logger } = options;
    mkdirSync(dataDir, { recursive: true });
    const db = openDatabase(join(dataDir, "easel.db"));
    try {
      const blobs = new BlobStore(db, dataDir);
      const pictureUrls = new FolderPictureUrls(dataDir, options.pictureUrlTtlSeconds ?? 3600, options.urlSigningKey);
      const store = new EmbeddedStore(db, blobs, new SqliteFileStore(db, blobs), new SqliteResponsesStore(db, blobs), new SqliteUsageCounters(db), pictureUrls, logger);
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
    this.pictureUrls.startSweeping();
  }

  async check(): Promise<void> {
    if (!this.db.open) throw new Error("the store is closed");
  }

  async close(): Promise<void> {
    clearInterval(this.expiryTimer);
    this.pictureUrls.stop();
    this.usage.close();
    closeDatabase(this.db);
  }
}
