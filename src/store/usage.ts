// What each owner used per UTC day (images and tokens), for the per-key
// daily limits. Counts live in memory and are written every few seconds
// and at close, in one transaction: a job's charge costs no disk write on
// the event loop, and a crash loses at most the last few seconds of counts.
import type { Db } from "./database.js";
import type { DayUsage, UsageCounters } from "./store.js";

const FLUSH_MS = 5_000;

export class SqliteUsageCounters implements UsageCounters {
  private readonly counts = new Map<string, DayUsage>();
  private readonly dirty = new Set<string>();
  private readonly timer: NodeJS.Timeout;
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      read: db.prepare("SELECT images, tokens FROM daily_usage WHERE owner = ? AND day = ?"),
      write: db.prepare(
        "INSERT INTO daily_usage (owner, day, images, tokens) VALUES (@owner, @day, @images, @tokens) ON CONFLICT (owner, day) DO UPDATE SET images = excluded.images, tokens = excluded.tokens",
      ),
      prune: db.prepare("DELETE FROM daily_usage WHERE day < ?"),
    };
    this.timer = setInterval(() => this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  /** The owner's usage on `day` (YYYY-MM-DD). */
  get(owner: string, day: string): DayUsage {
    const key = `${owner}\n${day}`;
    let usage = this.counts.get(key);
    if (!usage) {
      const row = this.statements.read.get(owner, day) as DayUsage | undefined;
      usage = { images: row?.images ?? 0, tokens: row?.tokens ?? 0 };
      this.counts.set(key, usage);
    }
    return usage;
  }

  /** Adds to (or, with negative amounts, takes back from) the owner's usage on `day`. */
  add(owner: string, day: string, images: number, tokens: number): void {
    const usage = this.get(owner, day);
    usage.images = Math.max(0, usage.images + images);
    usage.tokens = Math.max(0, usage.tokens + tokens);
    this.dirty.add(`${owner}\n${day}`);
  }

  flush(): void {
    if (this.dirty.size === 0 || !this.db.open) return;
    const rows = [...this.dirty].map((key) => {
      const [owner, day] = key.split("\n");
      return { owner, day, ...this.counts.get(key)! };
    });
    this.dirty.clear();
    this.db.transaction(() => {
      for (const row of rows) this.statements.write.run(row);
    })();
    // Yesterday's counts are kept for a week, for whoever looks; older days are let go.
    const today = rows[0].day;
    for (const key of this.counts.keys()) if (!key.endsWith(today)) this.counts.delete(key);
    this.statements.prune.run(new Date(Date.parse(today) - 7 * 86_400_000).toISOString().slice(0, 10));
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
  }
}
