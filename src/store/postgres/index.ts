// The shared store: everything the embedded store keeps, in one PostgreSQL
// database that every API node and worker uses. Opening it applies the
// migrations (under an advisory lock) and reads the URL signing key, which
// the first node to start creates when the config gives none.
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import type { Store } from "../store.js";
import { PgBlobs } from "./blobs.js";
import { migrate, openPool, type Pool } from "./database.js";
import { PgFileStore } from "./files.js";
import { PgPictureUrls } from "./picture-urls.js";
import { PgResponsesStore } from "./responses.js";
import { PgUsageCounters } from "./usage.js";

const SWEEP_MS = 60_000;

export interface PostgresStoreOptions {
  pictureUrlTtlSeconds?: number;
  urlSigningKey?: Buffer;
  logger?: Logger;
}

export class PostgresStore implements Store {
  private sweeper?: NodeJS.Timeout;

  private constructor(
    readonly pool: Pool,
    readonly blobs: PgBlobs,
    readonly files: PgFileStore,
    readonly responses: PgResponsesStore,
    readonly usage: PgUsageCounters,
    readonly pictureUrls: PgPictureUrls,
    private readonly logger?: Logger,
  ) {}

  get jobBlobs(): PgBlobs {
    return this.blobs;
  }

  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const { logger } = options;
    const pool = openPool(url, logger);
    try {
      await migrate(pool);
      const secret = options.urlSigningKey ?? (await sharedSecret(pool));
      const blobs = new PgBlobs(pool);
      const usage = new PgUsageCounters(pool, (error) => logger?.warn({ err: error }, "store: usage counts not written yet"));
      const pictureUrls = new PgPictureUrls(pool, blobs, secret, options.pictureUrlTtlSeconds ?? 3600);
      const store = new PostgresStore(pool, blobs, new PgFileStore(pool, blobs), new PgResponsesStore(pool, blobs), usage, pictureUrls, logger);
      store.startSweeping();
      return store;
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  private startSweeping(): void {
    const run = async () => {
      try {
        const files = await this.files.deleteExpired();
        const blobs = await this.blobs.sweep();
        if (files || blobs) this.logger?.info({ files, blobs }, "store: deleted expired files and blobs");
      } catch (error) {
        this.logger?.warn({ err: error }, "store: sweeping expired objects failed");
      }
    };
    void run();
    this.sweeper = setInterval(run, SWEEP_MS);
    this.sweeper.unref();
  }

  async check(): Promise<void> {
    await this.pool.query("SELECT 1");
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await this.usage.close();
    await this.pool.end();
  }
}

/** The URL signing key every node shares: made by the first node that needs it. */
async function sharedSecret(pool: Pool): Promise<Buffer> {
  await pool.query("INSERT INTO settings (name, value) VALUES ('url_signing_key', $1) ON CONFLICT (name) DO NOTHING", [randomBytes(32)]);
  const { rows } = await pool.query<{ value: Buffer }>("SELECT value FROM settings WHERE name = 'url_signing_key'");
  return rows[0].value;
}
