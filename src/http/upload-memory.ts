// A server-wide budget for upload bytes held in memory. Multipart parts are
// kept in memory while the budget lasts and spooled to a file under the data
// dir beyond it, so concurrent large edits cannot take the process's memory:
// four 245 MB edits once took RSS to 1.6 GB. JSON bodies, which must be
// parsed whole, hold what has arrived of them (`metered`); one that finds no
// room is refused with 429.
import { randomUUID } from "node:crypto";
import { createWriteStream, mkdirSync, rmSync, type WriteStream } from "node:fs";
import { join } from "node:path";
import { Transform, type Readable } from "node:stream";
import { finished } from "node:stream/promises";

export class UploadMemory {
  private held = 0;

  constructor(readonly limitBytes: number, readonly spoolDir: string) {}

  /** Removes spool files a stopped server left behind (the store's lock makes this server the data dir's only one). */
  removeLeftovers(): this {
    rmSync(this.spoolDir, { recursive: true, force: true });
    return this;
  }

  get heldBytes(): number {
    return this.held;
  }

  /** Takes `bytes` from the budget if they fit. */
  reserve(bytes: number): boolean {
    if (this.held + bytes > this.limitBytes) return false;
    this.held += bytes;
    return true;
  }

  release(bytes: number): void {
    this.held = Math.max(0, this.held - bytes);
  }

  /** Reads a part: into memory while the budget allows, else into a spool file. Undo what it holds with `discard`. */
  async read(part: Readable): Promise<HeldPart> {
    const chunks: Buffer[] = [];
    let reserved = 0;
    let size = 0;
    let spool: { path: string; out: WriteStream } | undefined;
    try {
      for await (const chunk of part as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (!spool && this.reserve(chunk.length)) {
          reserved += chunk.length;
          chunks.push(chunk);
          continue;
        }
        if (!spool) {
          spool = this.openSpool();
          for (const held of chunks.splice(0)) await write(spool.out, held);
          this.release(reserved);
          reserved = 0;
        }
        await write(spool.out, chunk);
      }
      if (!spool) return { bytes: Buffer.concat(chunks, size), size, reserved };
      spool.out.end();
      await finished(spool.out);
      return { path: spool.path, size, reserved: 0 };
    } catch (error) {
      this.release(reserved);
      if (spool) {
        spool.out.destroy();
        rmSync(spool.path, { force: true });
      }
      throw error;
    }
  }

  /**
   * The body as it arrives, each chunk taken from the budget (what a client
   * has sent, not what it announced: a slow client cannot hold room it does
   * not use). The stream fails with `refusal()` when a chunk finds no room;
   * `release` gives everything back.
   */
  metered(body: Readable, refusal: () => Error): { stream: Transform; release: () => void } {
    let held = 0;
    const stream = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        if (!this.reserve(chunk.length)) return done(refusal());
        held += chunk.length;
        done(null, chunk);
      },
    });
    // The body's own failures (a stalled upload, see stalls.ts) reach whoever reads the metered stream.
    body.on("error", (error) => stream.destroy(error));
    body.pipe(stream);
    return {
      stream,
      release: () => {
        this.release(held);
        held = 0;
      },
    };
  }

  /** Gives back what a part held: its share of the budget, or its spool file. */
  discard(part: HeldPart): void {
    this.release(part.reserved);
    if (part.path) rmSync(part.path, { force: true });
  }

  private openSpool(): { path: string; out: WriteStream } {
    mkdirSync(this.spoolDir, { recursive: true });
    const path = join(this.spoolDir, `upload-${randomUUID()}`);
    return { path, out: createWriteStream(path, { flags: "wx" }) };
  }
}

/** An uploaded part: its bytes in memory, or the path of its spool file. */
export type HeldPart = { bytes: Buffer; path?: undefined; size: number; reserved: number } | { bytes?: undefined; path: string; size: number; reserved: 0 };

function write(out: WriteStream, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => out.write(chunk, (error) => (error ? reject(error) : resolve())));
}
