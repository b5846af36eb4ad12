// Encodes engine frames into the format the client asked for. Opaque pictures
// are written without an alpha channel; transparent ones keep it.
import sharp from "sharp";
import type { RawImage } from "../engines/engine.js";
import type { OutputFormat } from "../request-model.js";
import { planToXmp } from "./plan-xmp.js";

export interface EncodeOptions {
  format: OutputFormat;
  /** 0–100, jpeg and webp only: 100 keeps the most detail, 0 compresses hardest. */
  compression: number;
  alpha: boolean;
}

export async function encodeImage(frame: RawImage, options: EncodeOptions): Promise<Buffer> {
  let image = sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 4 } });
  if (!options.alpha || options.format === "jpeg") image = image.removeAlpha();
  // EXIF's Copyright field, which png, jpeg and webp files all carry; EXIF text is ASCII.
  if (frame.credits) image = image.withExif({ IFD0: { Copyright: asciiOnly(frame.credits), Software: "Easel" } });
  // The plan the picture was drawn from, so an edit of this file can change the plan (see plan-xmp.ts).
  if (frame.plan) image = image.withXmp(planToXmp(frame.plan));
  const quality = Math.max(1, Math.round(options.compression));
  switch (options.format) {
    case "png":
      return image.png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer();
    case "jpeg":
      return image.jpeg({ quality, mozjpeg: false }).toBuffer();
    case "webp":
      return image.webp({ quality, alphaQuality: 100, effort: 2 }).toBuffer();
  }
}

function asciiOnly(text: string): string {
  return text.replace(/[\u2013\u2014]/g, "-").normalize("NFKD").replace(/[^\x20-\x7e]/g, "");
}

export const MIME_TYPES: Record<OutputFormat, string> = { png: "image/png", jpeg: "image/jpeg", webp: "image/webp" };
