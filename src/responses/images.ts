// Pictures in a conversation, as bytes and decoded pixels: base64 results of
// earlier image_generation_calls, data URLs, http(s) URLs (through the guarded
// fetch) and file ids, all through the same image reference resolver as the
// Image API. Each picture is fetched and decoded at most once per request.
import type { DecodedImage, ImageUpload } from "../imaging/decode.js";
import { decodeImage } from "../imaging/decode.js";
import type { Family } from "../models/families.js";
import type { ConversationImage } from "./conversation.js";

/** Resolves `{image_url}` or `{file_id}` (for the caller's owner) into bytes, or throws a 4xx naming `param`. */
export type ResolveRef = (ref: { image_url: string } | { file_id: string }, param: string) => Promise<ImageUpload>;

export class ConversationImages {
  private readonly decoded = new Map<number, Promise<DecodedImage>>();

  constructor(
    private readonly images: ConversationImage[],
    private readonly resolve: ResolveRef,
    private readonly family: Family,
    private readonly maxInputPixels: number,
  ) {}

  /** The bytes of one picture, as the client (or the tool) gave them. */
  async bytes(index: number): Promise<ImageUpload> {
    const image = this.images[index];
    const { source } = image;
    if (source.kind === "base64") return { param: image.param, bytes: Buffer.from(source.data, "base64") };
    if (source.kind === "file") return this.resolve({ file_id: source.fileId }, image.param);
    return this.resolve({ image_url: source.url }, image.param);
  }

  /** Decoded pixels, checked against the model's input rules. */
  decode(index: number): Promise<DecodedImage> {
    let pending = this.decoded.get(index);
    if (!pending) {
      pending = this.bytes(index).then((upload) => decodeImage(upload, this.family, this.maxInputPixels));
      this.decoded.set(index, pending);
    }
    return pending;
  }

  /** Fetches and decodes this request's own input pictures, so a bad one is refused before any work. */
  async checkCurrent(): Promise<void> {
    await Promise.all(this.images.filter((image) => image.current && image.origin === "input").map((image) => this.decode(image.index)));
  }
}
