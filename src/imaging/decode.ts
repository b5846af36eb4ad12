// Safe decoding of client images: sniff the real format from the bytes, refuse
// what the model does not accept, refuse decompression bombs before decoding,
// and hand engines plain RGBA pixels.
import { availableParallelism } from "node:os";
import sharp from "sharp";
import { Semaphore } from "../engines/semaphore.js";
import type { RawImage } from "../engines/engine.js";
import { errors } from "../errors.js";
import type { Family } from "../models/families.js";
import { planFromXmp } from "./plan-xmp.js";

/** Inputs are decoded to fit in this box: it is all any engine or the usage formula needs. */
const WORKING_SIZE = 2048;

/**
 * Decoding a large picture briefly takes its full size in memory (40 MP is
 * 160 MB of RGBA): one decode per core at a time, server-wide, keeps sixteen
 * inputs of several concurrent edits from all being open at once.
 */
const decoding = new Semaphore(availableParallelism());

/** An input picture as it arrived: its bytes, or a spooled upload's file (src/http/upload-memory.ts). */
export type ImageUpload = {
  /** Form field or JSON path, for error messages ("image", "image[1]", "mask"). */
  param: string;
} & ({ bytes: Buffer; path?: undefined } | { path: string; size: number; bytes?: undefined });

const inputOf = (upload: ImageUpload) => upload.bytes ?? upload.path;
const sizeOf = (upload: ImageUpload) => (upload.bytes ? upload.bytes.length : upload.size);

export interface DecodedImage extends RawImage {
  format: string;
  hasAlpha: boolean;
  /** Size of the file as sent, before fitting into the working size. */
  original: { width: number; height: number };
}

const FORMAT_NAMES: Record<string, string> = { png: "png", jpeg: "jpeg", webp: "webp", gif: "gif", tiff: "tiff", heif: "heif", svg: "svg" };

async function readHeader(upload: ImageUpload, maxPixels: number) {
  try {
    return await sharp(inputOf(upload), { limitInputPixels: maxPixels }).metadata();
  } catch {
    throw errors.invalidImage(upload.param, `Invalid image file for '${upload.param}': the bytes are not a readable image.`);
  }
}

/** Decodes one upload after checking its size, format and pixel count. */
export async function decodeImage(upload: ImageUpload, family: Family, maxPixels: number): Promise<DecodedImage> {
  const { param } = upload;
  const size = sizeOf(upload);
  if (size === 0) throw errors.invalidImage(param, `Invalid image file for '${param}': the file is empty.`);
  if (size > family.maxInputBytes) {
    throw errors.imageTooLarge(param, `Image '${param}' is ${size} bytes; the limit for this model is ${family.maxInputBytes} bytes.`);
  }
  const meta = await readHeader(upload, Number.MAX_SAFE_INTEGER);
  const format = FORMAT_NAMES[meta.format ?? ""] ?? meta.format ?? "unknown";
  if (!family.inputFormats.includes(format)) {
    throw errors.invalidImageFormat(param, `Invalid image format '${format}' for '${param}'. Supported formats are: ${family.inputFormats.join(", ")}.`);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width * height > maxPixels || (meta.pages ?? 1) > 1) {
    throw errors.imageTooLarge(param, `Image '${param}' is ${width}x${height} pixels; the limit is ${maxPixels} pixels in one frame.`);
  }
  if (family.squareInputs && width !== height) {
    throw errors.invalidImage(param, `Image '${param}' must be square for this model; got ${width}x${height}.`);
  }
  const release = await decoding.acquire();
  try {
    const { data, info } = await sharp(inputOf(upload), { limitInputPixels: maxPixels, failOn: "error" })
      .rotate()
      .resize({ width: WORKING_SIZE, height: WORKING_SIZE, fit: "inside", withoutEnlargement: true })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const plan = planFromXmp(meta.xmp);
    return { data, width: info.width, height: info.height, format, hasAlpha: meta.hasAlpha ?? false, original: { width, height }, ...(plan ? { plan } : {}) };
  } catch {
    throw errors.invalidImage(param, `Invalid image file for '${param}': the image data is corrupt or truncated.`);
  } finally {
    release();
  }
}

/** The guide's mask rules: same format and size as the first image, with an alpha channel. */
export function checkMask(mask: DecodedImage, first: DecodedImage): void {
  if (!mask.hasAlpha) throw errors.invalidMask("The mask must have an alpha channel: its fully transparent areas mark where the image is edited.");
  if (mask.format !== first.format) {
    throw errors.invalidMask(`The mask must be the same format as the image: the image is ${first.format}, the mask is ${mask.format}.`);
  }
  if (mask.original.width !== first.original.width || mask.original.height !== first.original.height) {
    throw errors.invalidMask(
      `The mask must be the same size as the image: the image is ${first.original.width}x${first.original.height}, the mask is ${mask.original.width}x${mask.original.height}.`,
    );
  }
}
