// Signed picture URLs, as OpenAI's: /v1/images/content/<name>?se=<expiry>&sig=<HMAC>.
// The same secret on every API node (config, or kept once in the shared
// store) makes a URL made by one node open on any other.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { OutputFormat } from "../request-model.js";

export const PICTURE_NAME = /^img-[0-9a-f-]{36}\.(png|jpeg|webp)$/;

export class UrlSigner {
  constructor(private readonly secret: Buffer) {}

  path(name: string, ttlSeconds: number): string {
    const expires = Math.floor(Date.now() / 1000) + ttlSeconds;
    return `/v1/images/content/${name}?se=${expires}&sig=${this.sign(name, expires)}`;
  }

  /** True when the name is one of ours, not expired, and signed with our secret. */
  verify(name: string, expires: string, signature: string): boolean {
    if (!PICTURE_NAME.test(name) || !/^\d+$/.test(expires) || Number(expires) < Date.now() / 1000) return false;
    const expected = Buffer.from(this.sign(name, Number(expires)));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private sign(name: string, expires: number): string {
    return createHmac("sha256", this.secret).update(`${name}:${expires}`).digest("base64url");
  }
}

export function formatOf(name: string): OutputFormat {
  return name.split(".").pop() as OutputFormat;
}
