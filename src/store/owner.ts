// Who owns a stored object. With API keys configured, each key is an owner,
// known only by the SHA-256 of the key (the key itself is never stored); with
// none, everything belongs to one anonymous owner.
import { createHash } from "node:crypto";

export const ANONYMOUS_OWNER = "anonymous";

export function ownerOf(apiKey: string | undefined): string {
  if (apiKey === undefined) return ANONYMOUS_OWNER;
  return ownerOfDigest(createHash("sha256").update(apiKey).digest("hex"));
}

/** The owner of the key whose hex SHA-256 this is. */
export function ownerOfDigest(hex: string): string {
  return `sha256:${hex.toLowerCase()}`;
}
