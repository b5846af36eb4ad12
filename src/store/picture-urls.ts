// The embedded store's picture URLs: files under <dataDir>/images, swept
// once expired (60 minutes by default), signed with a key kept in the data
// dir so URLs stay valid across restarts.
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { open, readFile, readdir, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { OutputFormat } from "../request-model.js";
import type { PictureUrls } from "./store.js";
import { formatOf, UrlSigner } from "./url-signing.js";

export class FolderPictureUrls implements PictureUrls {
  private readonly dir: string;
  private readonly signer: UrlSigner;
  private sweeper?: NodeJS.Timeout;

  constructor(dataDir: string, private readonly ttlSeconds: number, secret?: Buffer) {
    this.dir = join(dataDir, "images");
    mkdirSync(this.dir, { recursive: true });
    this.signer = new UrlSigner(secret ?? loadSecret(join(dataDir, "url-signing.key")));
  }

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
    return this.signer.path(name, this.ttlSeconds);
  }

  async open(name: string, expires: string, signature: string): Promise<{ bytes: Buffer; format: OutputFormat } | undefined> {
    if (!this.signer.verify(name, expires, signature)) return undefined;
    try {
      return { bytes: await readFile(join(this.dir, name)), format: formatOf(name) };
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
}

/** One signing key per data dir, so URLs stay valid across restarts. */
function loadSecret(path: string): Buffer {
  if (existsSync(path)) return readFileSync(path);
  const secret = randomBytes(32);
  writeFileSync(path, secret, { mode: 0o600, flag: "wx" });
  return secret;
}
