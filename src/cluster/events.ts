// A job's events, from the worker that runs it to the API node that holds
// the client's connection: one Redis stream per job, read in order. Partial
// images carry their index and the reader passes each index on once, so a
// job run again after its worker died sends no frame twice; the pictures
// come before the `done` event that ends the stream.
import type { Redis } from "ioredis";
import type { ImagesUsage } from "../usage.js";

/**
 * A job's stream lives this long after its last event if nobody deletes it
 * (the API node that reads its end does at once): it holds pictures, megabytes.
 */
const JOB_EVENTS_TTL_SECONDS = 600;
/** A background response's log: while it runs, and once it has ended (then the store replays it). */
const RESPONSE_LOG_TTL_SECONDS = 3600;
const ENDED_LOG_TTL_SECONDS = 300;

export interface DoneEvent {
  created: number;
  count: number;
  usage?: ImagesUsage;
  renderMs: number;
  explain?: Record<string, unknown> | null;
}

export type JobEvent =
  | { kind: "partial"; index: number; bytes: Buffer }
  | { kind: "picture"; index: number; bytes: Buffer }
  | { kind: "done"; done: DoneEvent }
  | { kind: "error"; error: { status: number; body: { error: { message: string; type: string; param: string | null; code: string | null } }; headers: Record<string, string> } };

export class EventWriter {
  constructor(private readonly redis: Redis, private readonly key: string) {}

  async send(event: JobEvent): Promise<void> {
    const fields: (string | Buffer)[] = ["kind", event.kind];
    if (event.kind === "partial" || event.kind === "picture") fields.push("index", String(event.index), "bytes", event.bytes);
    else fields.push("json", JSON.stringify(event.kind === "done" ? event.done : event.error));
    await this.redis.multi().xadd(this.key, "*", ...fields).expire(this.key, JOB_EVENTS_TTL_SECONDS).exec();
  }
}

/**
 * Reads a job's stream from the start. `next` waits up to `blockMs` (0: not
 * at all) and answers the events that arrived (none when it timed out).
 */
export class EventReader {
  private lastId = "0-0";

  constructor(private readonly redis: Redis, private readonly key: string) {}

  async next(blockMs: number): Promise<JobEvent[]> {
    const answer =
      blockMs > 0
        ? await this.redis.xreadBuffer("COUNT", 16, "BLOCK", blockMs, "STREAMS", this.key, this.lastId)
        : await this.redis.xreadBuffer("COUNT", 16, "STREAMS", this.key, this.lastId);
    if (!answer) return [];
    const events: JobEvent[] = [];
    for (const [, entries] of answer) {
      for (const [id, fields] of entries) {
        this.lastId = id.toString();
        events.push(parse(fields));
      }
    }
    return events;
  }
}

function parse(fields: Buffer[]): JobEvent {
  const map = new Map<string, Buffer>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i].toString(), fields[i + 1]);
  const kind = map.get("kind")?.toString();
  if (kind === "partial" || kind === "picture") return { kind, index: Number(map.get("index")), bytes: map.get("bytes") ?? Buffer.alloc(0) };
  const json = JSON.parse(map.get("json")?.toString() ?? "{}");
  if (kind === "done") return { kind, done: json as DoneEvent };
  return { kind: "error", error: json };
}

/**
 * A background response's events (OpenAI's, as JSON), from whoever runs it
 * to every API node that follows it; an `end` entry closes the stream.
 */
export class ResponseEventLog {
  constructor(private readonly redis: Redis, readonly key: string) {}

  async append(event: object | "end"): Promise<void> {
    const fields = event === "end" ? ["kind", "end"] : ["kind", "event", "json", JSON.stringify(event)];
    await this.redis.multi().xadd(this.key, "*", ...fields).expire(this.key, event === "end" ? ENDED_LOG_TTL_SECONDS : RESPONSE_LOG_TTL_SECONDS).exec();
  }

  /** A cursor over the log from its start: `next` answers the events that arrived, and whether the end came. */
  reader(redis: Redis): { next(blockMs: number): Promise<{ events: Record<string, unknown>[]; ended: boolean }> } {
    let lastId = "0-0";
    const key = this.key;
    return {
      async next(blockMs: number) {
        const answer =
          blockMs > 0
            ? await redis.xread("COUNT", 64, "BLOCK", blockMs, "STREAMS", key, lastId)
            : await redis.xread("COUNT", 64, "STREAMS", key, lastId);
        const events: Record<string, unknown>[] = [];
        let ended = false;
        for (const [, entries] of answer ?? []) {
          for (const [id, fields] of entries) {
            lastId = id;
            if (fields[1] === "end") ended = true;
            else events.push(JSON.parse(fields[3]));
          }
        }
        return { events, ended };
      },
    };
  }
}
