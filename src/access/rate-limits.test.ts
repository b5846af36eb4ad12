import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { migrate } from "../store/database.js";
import { migrations } from "../store/migrations.js";
import { SqliteUsageCounters } from "../store/usage.js";
import { KeyRing } from "./keys.js";
import { duration, RateLimits } from "./rate-limits.js";

let usage: SqliteUsageCounters;
afterEach(() => usage?.close());

function setup(limits: { requestsPerMinute?: number; imagesPerDay?: number; tokensPerDay?: number }) {
  const db = new Database(":memory:");
  migrate(db, migrations);
  usage = new SqliteUsageCounters(db);
  let now = Date.parse("2026-12-02T23:59:00Z");
  const limiter = new RateLimits(usage, () => now);
  const key = new KeyRing([{ name: "k", key: "sk-k", limits }]).find("sk-k")!;
  return { limiter, key, advance: (ms: number) => (now += ms), db };
}

describe("RateLimits", () => {
  it("refills requests per minute continuously, as a token bucket", async () => {
    const { limiter, key, advance } = setup({ requestsPerMinute: 60 });
    for (let i = 0; i < 60; i++) await limiter.admit(key);
    await expect(limiter.admit(key)).rejects.toThrow(/Limit 60, Used 60, Requested 1\. Please try again in 1s\./);
    advance(1000);
    await limiter.admit(key);
    expect(limiter.headers(key)["x-ratelimit-remaining-requests"]).toBe("0");
    advance(30_000);
    expect(limiter.headers(key)).toMatchObject({ "x-ratelimit-remaining-requests": "30", "x-ratelimit-reset-requests": "30s" });
  });

  it("reserves, settles and releases a day's images and tokens; a new UTC day starts afresh", async () => {
    const { limiter, key, advance, db } = setup({ imagesPerDay: 4, tokensPerDay: 1000 });
    const job = await limiter.reserve(key, { images: 2, tokens: 600 });
    await expect(limiter.reserve(key, { images: 1, tokens: 500 })).rejects.toThrow(/tokens per day \(TPD\).*Used 600, Requested 500/);
    job.settle({ images: 2, tokens: 300 });
    const other = await limiter.reserve(key, { images: 2, tokens: 500 });
    await expect(limiter.reserve(key, { images: 1, tokens: 1 })).rejects.toThrow(/images per day \(IPD\).*Used 4, Requested 1/);
    other.release();
    other.release();
    expect(limiter.headers(key)).toMatchObject({ "x-ratelimit-remaining-images": "2", "x-ratelimit-remaining-tokens": "700", "x-ratelimit-reset-tokens": "1m0s" });
    usage.flush();
    expect(db.prepare("SELECT day, images, tokens FROM daily_usage").all()).toEqual([{ day: "2026-12-02", images: 2, tokens: 300 }]);
    advance(60_000);
    expect(limiter.headers(key)).toMatchObject({ "x-ratelimit-remaining-images": "4", "x-ratelimit-remaining-tokens": "1000", "x-ratelimit-reset-images": "24h0m0s" });
  });

  it("writes waits as OpenAI's headers do", () => {
    expect([duration(20), duration(1500), duration(59_999), duration(360_000), duration(3_723_000)]).toEqual(["20ms", "1.5s", "59.999s", "6m0s", "1h2m3s"]);
  });
});
