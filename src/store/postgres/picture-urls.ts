// Picture URLs in the shared store: the bytes in an expiring blob, named in
// `picture_urls`, so a URL made on one API node opens on every other.
import { randomUUID } from "node:crypto";
import type { OutputFormat } from "../../request-model.js";
import type { PictureUrls } from "../store.js";
import { formatOf, UrlSigner } from "../url-signing.js";
import type { PgBlobs } from "./blobs.js";
import { transaction, type Pool } from "./database.js";

export class PgPictureUrls implements PictureUrls {
  private readonly signer: UrlSigner;

  constructor(private readonly pool: Pool, private readonly blobs: PgBlobs, secret: Buffer, private readonly ttlSeconds: number) {
    this.signer = new UrlSigner(secret);
  }

  async save(bytes: Buffer, format: OutputFormat): Promise<string> {
    const name = `img-${randomUUID()}.${format}`;
    const pending = await this.blobs.write(bytes);
    await transaction(this.pool, async (client) => {
      await this.blobs.commit(client, [pending.key], Math.floor(Date.now() / 1000) + this.ttlSeconds);
      await client.query("INSERT INTO picture_urls (name, blob) VALUES ($1, $2)", [name, pending.key]);
    });
    return this.signer.path(name, this.ttlSeconds);
  }

  async open(name: string, expires: string, signature: string): Promise<{ bytes: Buffer; format: OutputFormat } | undefined> {
    if (!this.signer.verify(name, expires, signature)) return undefined;
    const { rows } = await this.pool.query<{ blob: string }>("SELECT blob FROM picture_urls WHERE name = $1", [name]);
    const bytes = rows[0] && (await this.blobs.read(rows[0].blob));
    return bytes ? { bytes, format: formatOf(name) } : undefined;
  }
}
