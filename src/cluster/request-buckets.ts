// Requests per minute per API key, counted once for the whole cluster: one
// token bucket per key in Redis, refilled and taken from atomically by a Lua
// script on Redis's own clock, so every API node sees the same bucket.
import type { Redis } from "ioredis";
import type { RequestBuckets } from "../access/rate-limits.js";
import type { Keys } from "./redis.js";

const TAKE = `
local rate = tonumber(ARGV[1])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or rate
local at = tonumber(bucket[2]) or now
tokens = math.min(rate, tokens + math.max(0, now - at) / 60000 * rate)
local taken = 0
if tokens >= 1 then
  tokens = tokens - 1
  taken = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 120000)
return {taken, tostring(tokens)}
`;

type WithTake = Redis & { easelTakeRequest(key: string, rate: number): Promise<[number, string]> };

export class RedisRequestBuckets implements RequestBuckets {
  private readonly redis: WithTake;

  constructor(redis: Redis, private readonly keys: Keys) {
    redis.defineCommand("easelTakeRequest", { numberOfKeys: 1, lua: TAKE });
    this.redis = redis as WithTake;
  }

  async take(owner: string, perMinute: number): Promise<{ taken: boolean; tokens: number }> {
    const [taken, tokens] = await this.redis.easelTakeRequest(this.keys.requestBucket(owner), perMinute);
    return { taken: taken === 1, tokens: Number(tokens) };
  }
}
