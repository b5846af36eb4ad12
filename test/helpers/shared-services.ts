// The shared mode's services for tests: this machine's PostgreSQL and Redis
// (EASEL_TEST_POSTGRES_URL and EASEL_TEST_REDIS_URL to use others). Each
// test gets a database of its own, dropped afterwards, and a Redis prefix of
// its own, deleted afterwards, so tests run in parallel without meeting.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";

export const POSTGRES_URL = process.env.EASEL_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const REDIS_URL = process.env.EASEL_TEST_REDIS_URL ?? "redis://127.0.0.1:6379/0";

export interface SharedServices {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  /** Drops the database and deletes the prefix's keys. */
  drop(): Promise<void>;
}

export async function sharedServices(): Promise<SharedServices> {
  const name = `easel_test_${randomBytes(6).toString("hex")}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const redisPrefix = `easel-test-${randomBytes(6).toString("hex")}`;
  return {
    databaseUrl: url.toString(),
    redisUrl: REDIS_URL,
    redisPrefix,
    async drop() {
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      await deletePrefix(redisPrefix);
    },
  };
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function deletePrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
