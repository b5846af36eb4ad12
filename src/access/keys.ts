// Who is calling. API keys come from EASEL_API_KEYS or the config file's
// `apiKeys`: plain strings, or entries with a name, an optional model
// allow-list and limits, given as the key itself or as its SHA-256 (so a
// config file need not hold secrets). Keys are compared by their hashes in
// constant time; the file's entries are reloaded on SIGHUP (src/server.ts).
import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { ownerOfDigest } from "../store/owner.js";

const limitsSchema = z
  .object({
    requestsPerMinute: z.number().int().min(1).optional(),
    imagesPerDay: z.number().int().min(0).optional(),
    tokensPerDay: z.number().int().min(0).optional(),
  })
  .strict();

export const apiKeySchema = z.union([
  z.string().min(1),
  z
    .object({
      name: z.string().min(1).max(64).optional(),
      key: z.string().min(1).optional(),
      /** Hex SHA-256 of the key, instead of the key. */
      sha256: z.string().regex(/^[0-9a-f]{64}$/i).optional(),
      /** The models this key may use (and sees in /v1/models); all when absent. */
      models: z.array(z.string().min(1)).optional(),
      limits: limitsSchema.default({}),
    })
    .strict()
    .refine((entry) => (entry.key === undefined) !== (entry.sha256 === undefined), { message: "give exactly one of 'key' and 'sha256'" }),
]);

/** An entry as written in the config (limits may be left out). */
export type ApiKeyEntry = z.input<typeof apiKeySchema>;
export type KeyLimits = z.infer<typeof limitsSchema>;

/** A configured key as the server knows it: never the key itself. */
export interface ApiKey {
  /** For logs, metrics and rate-limit messages: the entry's name, or the hash's first characters. */
  name: string;
  /** ownerOf(key): what its stored files and responses belong to. */
  owner: string;
  models?: readonly string[];
  limits: KeyLimits;
  hash: Buffer;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest();

export class KeyRing {
  private keys: ApiKey[] = [];

  constructor(entries: readonly ApiKeyEntry[]) {
    this.replace(entries);
  }

  get size(): number {
    return this.keys.length;
  }

  /** Takes a new set of entries (a reloaded config); usage already counted stays with each owner. */
  replace(entries: readonly ApiKeyEntry[]): void {
    this.keys = entries.map((entry) => {
      const hash = typeof entry === "string" ? sha256(entry) : entry.key !== undefined ? sha256(entry.key) : Buffer.from(entry.sha256!, "hex");
      const hex = hash.toString("hex");
      const settings = typeof entry === "string" ? { limits: {} } : { name: entry.name, models: entry.models, limits: entry.limits ?? {} };
      return { name: settings.name ?? `key-${hex.slice(0, 8)}`, owner: ownerOfDigest(hex), models: settings.models, limits: settings.limits, hash };
    });
  }

  /** The configured key `presented` is, compared by hash in constant time; undefined for none. */
  find(presented: string): ApiKey | undefined {
    const hash = sha256(presented);
    let found: ApiKey | undefined;
    for (const key of this.keys) if (timingSafeEqual(key.hash, hash)) found ??= key;
    return found;
  }
}
