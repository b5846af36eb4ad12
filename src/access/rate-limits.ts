// Per-key limits: requests per minute (a token bucket, as OpenAI's are),
// and images and tokens per UTC day (counted in the store). Every answer to a
// limited key carries OpenAI's x-ratelimit-* headers; beyond a limit the
// answer is 429 rate_limit_exceeded with Retry-After, worded as OpenAI words
// it. A job reserves what it will use before it is queued, so concurrent
// requests cannot overshoot a limit together, and settles for what it used.
import { ApiError } from "../errors.js";
import { metrics } from "../metrics.js";
import type { UsageCounters } from "../store/store.js";
import type { ApiKey } from "./keys.js";

export interface Amounts {
  images: number;
  tokens: number;
}

export interface Reservation {
  /** Replaces what was reserved with what the job really used. */
  settle(used: Amounts): void;
  /** Gives the reservation back (the job failed or was cancelled). */
  release(): void;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

const DAY_MS = 86_400_000;

/** Request buckets kept outside this process (the shared mode keeps them in Redis for every API node). */
export interface RequestBuckets {
  /** Takes a request from the owner's bucket if it holds one; answers what is left either way. */
  take(owner: string, perMinute: number): Promise<{ taken: boolean; tokens: number }>;
}

export class RateLimits {
  /** The buckets themselves, or (with `shared`) what each looked like when last taken from, for the headers. */
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly usage: UsageCounters, private readonly now: () => number = Date.now, private readonly shared?: RequestBuckets) {}

  /** Counts one request against the key's requests per minute; throws 429 past it. */
  async admit(key: ApiKey): Promise<void> {
    const perMinute = key.limits.requestsPerMinute;
    if (perMinute === undefined) return;
    if (this.shared) {
      const { taken, tokens } = await this.shared.take(key.owner, perMinute);
      this.buckets.set(key.owner, { tokens, updatedMs: this.now() });
      if (!taken) throw this.refuse(key, "requests", `requests per min (RPM)`, perMinute, perMinute - Math.floor(tokens), 1, ((1 - tokens) / perMinute) * 60_000);
      return;
    }
    const bucket = this.bucket(key, perMinute);
    if (bucket.tokens < 1) {
      const waitMs = ((1 - bucket.tokens) / perMinute) * 60_000;
      throw this.refuse(key, "requests", `requests per min (RPM)`, perMinute, perMinute - Math.floor(bucket.tokens), 1, waitMs);
    }
    bucket.tokens -= 1;
  }

  /** Reserves a job's images and estimated tokens from the key's day; throws 429 when they do not fit. */
  async reserve(key: ApiKey | undefined, wanted: Amounts): Promise<Reservation> {
    if (!key || (key.limits.imagesPerDay === undefined && key.limits.tokensPerDay === undefined)) return { settle: () => {}, release: () => {} };
    const day = this.today();
    await this.usage.load?.(key.owner, day);
    const used = this.usage.get(key.owner, day);
    const untilMidnight = DAY_MS - (this.now() % DAY_MS);
    const { imagesPerDay, tokensPerDay } = key.limits;
    if (imagesPerDay !== undefined && used.images + wanted.images > imagesPerDay) {
      throw this.refuse(key, "images", "images per day (IPD)", imagesPerDay, used.images, wanted.images, untilMidnight);
    }
    if (tokensPerDay !== undefined && used.tokens + wanted.tokens > tokensPerDay) {
      throw this.refuse(key, "tokens", "tokens per day (TPD)", tokensPerDay, used.tokens, wanted.tokens, untilMidnight);
    }
    this.usage.add(key.owner, day, wanted.images, wanted.tokens);
    let open = true;
    const undo = () => this.usage.add(key.owner, day, -wanted.images, -wanted.tokens);
    return {
      settle: (actual) => {
        if (!open) return;
        open = false;
        undo();
        this.usage.add(key.owner, day, actual.images, actual.tokens);
      },
      release: () => {
        if (open) undo();
        open = false;
      },
    };
  }

  /** OpenAI's x-ratelimit-* headers for the key's limits, as they stand now (images are Easel's own). */
  headers(key: ApiKey | undefined): Record<string, string> {
    if (!key) return {};
    const out: Record<string, string> = {};
    const { requestsPerMinute, imagesPerDay, tokensPerDay } = key.limits;
    if (requestsPerMinute !== undefined) {
      const bucket = this.bucket(key, requestsPerMinute);
      out["x-ratelimit-limit-requests"] = String(requestsPerMinute);
      out["x-ratelimit-remaining-requests"] = String(Math.max(0, Math.floor(bucket.tokens)));
      out["x-ratelimit-reset-requests"] = duration(((requestsPerMinute - bucket.tokens) / requestsPerMinute) * 60_000);
    }
    const used = imagesPerDay !== undefined || tokensPerDay !== undefined ? this.usage.get(key.owner, this.today()) : undefined;
    const reset = duration(DAY_MS - (this.now() % DAY_MS));
    if (tokensPerDay !== undefined) {
      out["x-ratelimit-limit-tokens"] = String(tokensPerDay);
      out["x-ratelimit-remaining-tokens"] = String(Math.max(0, tokensPerDay - used!.tokens));
      out["x-ratelimit-reset-tokens"] = reset;
    }
    if (imagesPerDay !== undefined) {
      out["x-ratelimit-limit-images"] = String(imagesPerDay);
      out["x-ratelimit-remaining-images"] = String(Math.max(0, imagesPerDay - used!.images));
      out["x-ratelimit-reset-images"] = reset;
    }
    return out;
  }

  /** The key's request bucket, refilled for the time since it was last used. */
  private bucket(key: ApiKey, perMinute: number): Bucket {
    const now = this.now();
    let bucket = this.buckets.get(key.owner);
    if (!bucket) {
      bucket = { tokens: perMinute, updatedMs: now };
      this.buckets.set(key.owner, bucket);
    }
    bucket.tokens = Math.min(perMinute, bucket.tokens + ((now - bucket.updatedMs) / 60_000) * perMinute);
    bucket.updatedMs = now;
    return bucket;
  }

  private today(): string {
    return new Date(this.now()).toISOString().slice(0, 10);
  }

  private refuse(key: ApiKey, kind: "requests" | "images" | "tokens", what: string, limit: number, used: number, requested: number, waitMs: number): ApiError {
    metrics.rateLimited.inc({ reason: kind, key: key.name });
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    const message = `Rate limit reached for ${what} on key '${key.name}': Limit ${limit}, Used ${used}, Requested ${requested}. Please try again in ${duration(waitMs)}.`;
    return new ApiError(429, kind === "tokens" ? "tokens" : "requests", message, null, "rate_limit_exceeded", { "retry-after": String(seconds), ...this.headers(key) });
  }
}

/** A wait as OpenAI writes it in its headers: "20ms", "1.5s", "6m0s", "2h3m4s". */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${Number(seconds.toFixed(3))}s`;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  return h > 0 ? `${h}h${m}m${s}s` : `${m}m${s}s`;
}
