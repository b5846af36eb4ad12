// The shared store's connection pool, transactions, and migrations applied
// under an advisory lock so that nodes starting together do not race.
import pg from "pg";
import type { Logger } from "pino";
import { StoreError } from "../database.js";
import { migrations as storeMigrations } from "./migrations.js";

/** pg_advisory_lock key: "easel" in ASCII. */
const MIGRATION_LOCK = 0x656173656c;

export type Pool = pg.Pool;
export type Client = pg.PoolClient;
/** A pool or a client inside a transaction: both run queries. */
export type Queryable = Pick<pg.Pool, "query">;

export function openPool(url: string, logger?: Logger): Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: 16,
    // A database that does not answer is an error within seconds, never a hung request.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: 30_000,
    query_timeout: 35_000,
  });
  // A pooled connection that dies while idle (the server restarting) is dropped and replaced by the next query.
  pool.on("error", (error) => logger?.warn({ err: error }, "store: a database connection was lost"));
  pool.on("connect", withoutNul);
  // bigint columns hold byte counts and unix seconds, far below 2^53.
  pg.types.setTypeParser(pg.types.builtins.INT8, Number);
  return pool;
}

/**
 * PostgreSQL's text cannot hold NUL, and ids clients send (a file id, an
 * item id) may: every string parameter of every query on this client has
 * NUL replaced by U+FFFD, alike for writes and lookups, so such an id is
 * stored and found rather than failing the query.
 */
function withoutNul(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const clean = (value: unknown) => (typeof value === "string" && value.includes("\0") ? value.replaceAll("\0", "\uFFFD") : value);
  (client as { query: unknown }).query = (text: unknown, values?: unknown, ...rest: unknown[]) =>
    Array.isArray(values) ? query(text, values.map(clean), ...rest) : query(text, values, ...rest);
}

export async function transaction<T>(pool: Pool, work: (client: Client) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Applies the steps the database has not seen, each in a transaction, one node at a time. */
export async function migrate(pool: Pool, migrations: readonly string[] = storeMigrations): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await client.query("CREATE TABLE IF NOT EXISTS easel_schema (version integer NOT NULL)");
    const { rows } = await client.query<{ version: number }>("SELECT version FROM easel_schema");
    if (rows.length === 0) await client.query("INSERT INTO easel_schema VALUES (0)");
    const version = rows[0]?.version ?? 0;
    if (version > migrations.length) throw new StoreError(`the database's schema (version ${version}) is newer than this Easel knows (${migrations.length})`);
    for (let step = version; step < migrations.length; step++) {
      await client.query("BEGIN");
      try {
        await client.query(migrations[step]);
        await client.query("UPDATE easel_schema SET version = $1", [step + 1]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
