// Answers that carry pictures as base64 are written a slice at a time. One
// JSON.stringify of ten high-quality pictures (30 MB of base64) held the
// event loop for 200 ms; here each picture's place in the JSON holds a
// marker, and the answer streams the JSON around the markers and each
// picture's base64, 1 MB at a time, with an exact Content-Length.
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { setImmediate as nextTurn } from "node:timers/promises";

/** A multiple of 3 bytes, so the base64 of each slice joins into the base64 of the whole. */
const SLICE = 3 * 256 * 1024;

export class PictureJson {
  private readonly marker = `easel-picture-${randomBytes(8).toString("hex")}`;
  private readonly pictures: Buffer[] = [];

  /** A stand-in for the picture's base64, to put where the JSON holds it. */
  place(picture: Buffer): string {
    this.pictures.push(picture);
    return `${this.marker}-${this.pictures.length - 1}`;
  }

  /** The body, with each stand-in replaced by its picture's base64. */
  answer(body: unknown): { stream: Readable; length: number } {
    const parts = JSON.stringify(body).split(new RegExp(`"${this.marker}-(\\d+)"`));
    let length = 0;
    parts.forEach((part, i) => (length += i % 2 === 0 ? Buffer.byteLength(part) : 2 + 4 * Math.ceil(this.pictures[Number(part)].length / 3)));
    const pictures = this.pictures;
    async function* pieces() {
      for (let i = 0; i < parts.length; i++) {
        if (i % 2 === 0) {
          yield parts[i];
          continue;
        }
        const picture = pictures[Number(parts[i])];
        yield '"';
        for (let at = 0; at < picture.length; at += SLICE) {
          // A local client's socket takes everything at once: without a turn of the loop between slices, all would be written in one go.
          await nextTurn();
          yield picture.subarray(at, at + SLICE).toString("base64");
        }
        yield '"';
      }
    }
    // Strings go to the socket as they are: turned into Buffers first, they doubled the garbage to collect.
    return { stream: Readable.from(pieces(), { objectMode: true }), length };
  }
}
