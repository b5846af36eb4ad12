// Daily usage counts shared by every node: each reads a key's total the
// first time it sees the key, keeps what it adds since its last flush, and
// every couple of seconds adds that to the row in one statement that answers
// the new total (everyone's), so a key's daily limits hold across nodes
// within a flush of each other.
import type { DayUsage, UsageCounters } from "../store.js";
import type { Pool } from "./database.js";

const FLUSH_MS = 2_000;

interface Count {
  /** The total in the database when last read. */
  known: DayUsage;
  /** Added here since, not yet written. */
  added: DayUsage;
  /** Whether `known` was read from the database yet. */
  loaded: boolean;
}

export class PgUsageCounters implements UsageCounters {
  private readonly counts = new Map<string, Count>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly pool: Pool, private readonly onError: (error: unknown) => void) {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  get(owner: string, day: string): DayUsage {
    const count = this.count(owner, day);
    return { images: count.known.images + count.added.images, tokens: count.known.tokens + count.added.tokens };
  }

  add(owner: string, day: string, images: number, tokens: number): void {
    const count = this.count(owner, day);
    count.added.images += images;
    count.added.tokens += tokens;
  }

  async load(owner: string, day: string): Promise<void> {
    if (this.count(owner, day).loaded) return;
    const { rows } = await this.pool.query<DayUsage>("SELECT images, tokens FROM daily_usage WHERE owner = $1 AND day = $2", [owner, day]);
    // Another request may have started counting meanwhile: what it added stays in `added`.
    const count = this.count(owner, day);
    if (!count.loaded) Object.assign(count, { known: rows[0] ?? { images: 0, tokens: 0 }, loaded: true });
  }

  private count(owner: string, day: string): Count {
    const key = `${owner}\n${day}`;
    let count = this.counts.get(key);
    if (!count) {
      count = { known: { images: 0, tokens: 0 }, added: { images: 0, tokens: 0 }, loaded: false };
      this.counts.set(key, count);
    }
    return count;
  }

  /** Writes what was added and reads back every known total. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write()).catch(this.onError);
    return this.flushing;
  }

  private async write(): Promise<void> {
    const today = new Date().toISOString().slice(0, 10);
    for (const [key, count] of this.counts) {
      const [owner, day] = key.split("\n");
      if (day < today) {
        this.counts.delete(key);
        if (count.added.images === 0 && count.added.tokens === 0) continue;
      }
      const { images, tokens } = count.added;
      count.added = { images: 0, tokens: 0 };
      try {
        const { rows } = await this.pool.query<DayUsage>(
          `INSERT INTO daily_usage (owner, day, images, tokens) VALUES ($1, $2, greatest(0, $3::bigint), greatest(0, $4::bigint))
           ON CONFLICT (owner, day) DO UPDATE SET images = greatest(0, daily_usage.images + $3), tokens = greatest(0, daily_usage.tokens + $4)
           RETURNING images, tokens`,
          [owner, day, images, tokens],
        );
        count.known = rows[0];
        count.loaded = true;
      } catch (error) {
        // Kept for the next flush rather than lost.
        count.added.images += images;
        count.added.tokens += tokens;
        throw error;
      }
    }
    const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    await this.pool.query("DELETE FROM daily_usage WHERE day < $1", [weekAgo]);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
