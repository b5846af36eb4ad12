// Pictures returned as `url` (dall-e-2 / dall-e-3 with response_format=url).
// Like OpenAI's, the URLs need no API key, carry an expiry and a signature,
// and stop working after the TTL (60 minutes by default). Files live under
// <dataDir>/images and are swept once expired.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { open, readFile, readdir, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { OutputFormat } from "../request-model.js";

const NAME = /^img-[0-9a-f-]{36}\.(png|jpeg|webp)$/;

export class ImageUrlStore {
  private readonly dir: string;
  private readonly secret: Buffer;
  private sweeper?: NodeJS.Timeout;

  constructor(dataDir: string, private readonly ttlSeconds: number) {
    this.dir = join(dataDir, "images");
    mkdirSync(this.dir, { recursive: true });
    this.secret = loadSecret(join(dataDir, "url-signing.key"));
  }

  /** Writes the picture durably and returns its path with expiry and signature. */
  async save(bytes: Buffer, format: OutputFormat): Promise<string> {
    const name = `img-${randomUUID()}.${format}`;
    const temporary = join(this.dir, `.${name}.tmp`);
    const file = await open(temporary, "w");
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, join(this.dir, name));
    const expires = Math.floor(Date.now() / 1000) + this.ttlSeconds;
    return `/v1/images/content/${name}?se=${expires}&sig=${this.sign(name, expires)}`;
  }

  /** The file for a signed request, or undefined when the name, signature or expiry is wrong. */
  async open(name: string, expires: string, signature: string): Promise<{ bytes: Buffer; format: OutputFormat } | undefined> {
    if (!NAME.test(name) || !/^\d+$/.test(expires) || Number(expires) < Date.now() / 1000) return undefined;
    const expected = Buffer.from(this.sign(name, Number(expires)));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      return { bytes: await readFile(join(this.dir, name)), format: name.split(".").pop() as OutputFormat };
    } catch {
      return undefined;
    }
  }

  /** Deletes files older than the TTL; runs every minute until stopped. */
  startSweeping(): void {
    this.sweeper = setInterval(() => void this.sweep(), 60_000);
    this.sweeper.unref();
  }

  stop(): void {
    clearInterval(this.sweeper);
  }

  async sweep(): Promise<void> {
    const cutoff = Date.now() - this.ttlSeconds * 1000;
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      const path = join(this.dir, name);
      const info = await stat(path).catch(() => undefined);
      if (info && info.mtimeMs < cutoff) await unlink(path).catch(() => undefined);
    }
  }

  private sign(name: string, expires: number): string {
    return createHmac("sha256", this.secret).update(`${name}:${expires}`).digest("base64url");
  }
}

/** One signing key per data dir, so URLs stay valid across restarts. */
function loadSecret(path: string): Buffer {
  if (existsSync(path)) return readFileSync(path);
  const secret = randomBytes(32);
  writeFileSync(path, secret, { mode: 0o600, flag: "wx" });
  return secret;
}
