// Pictures on their way to and from an upstream: inputs as PNG, answers
// decoded to RGBA of exactly the requested size (cover and centre-crop, never
// stretched), opaque answers flattened, and the alpha checked so that a
// transparent background is never faked.
import readExif from "exif-reader";
import sharp from "sharp";
import { errors } from "../../errors.js";
import { planFromXmp, planToXmp } from "../../imaging/plan-xmp.js";
import type { Background, RawImage } from "../engine.js";

/** Answers with more pixels than this are refused before decoding. */
const MAX_ANSWER_PIXELS = 100_000_000;

/** True when every pixel is fully opaque. */
export function isOpaque(image: RawImage): boolean {
  for (let i = 3; i < image.data.length; i += 4) if (image.data[i] !== 255) return false;
  return true;
}

/**
 * An input picture or mask as a PNG file, with an alpha channel only where it
 * has one, and its plan when it came with one (an upstream Easel edits by plan too).
 */
export function encodePng(image: RawImage, keepAlpha: boolean): Promise<Buffer> {
  let picture = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } });
  if (!keepAlpha) picture = picture.removeAlpha();
  if (image.plan) picture = picture.withXmp(planToXmp(image.plan));
  return picture.png({ compressionLevel: 6 }).toBuffer();
}

/**
 * The size to ask the upstream for: the requested one, or, when the upstream
 * takes only some sizes, the one closest in shape, then in area.
 */
export function pickSize(width: number, height: number, sizes?: { width: number; height: number }[]): { width: number; height: number } {
  if (!sizes || sizes.length === 0) return { width, height };
  const distance = (size: { width: number; height: number }) => [
    Math.abs(Math.log(size.width / size.height / (width / height))),
    Math.abs(Math.log((size.width * size.height) / (width * height))),
  ];
  return [...sizes].sort((a, b) => {
    const [shapeA, areaA] = distance(a);
    const [shapeB, areaB] = distance(b);
    return shapeA - shapeB || areaA - areaB;
  })[0];
}

export interface Answered {
  frame: RawImage;
  /** The picture has pixels that are not fully opaque. */
  seeThrough: boolean;
}

/**
 * Decodes one picture of an answer into RGBA of exactly width × height: a
 * picture of another size is scaled to cover the box and centre-cropped (never
 * stretched); opaque requests are flattened onto white.
 */
export async function decodeAnswer(bytes: Buffer, target: { width: number; height: number; background: Background }): Promise<Answered> {
  const unreadable = () => errors.upstreamFailed("it answered with a picture Easel cannot read.");
  if (bytes.length === 0) throw unreadable();
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: MAX_ANSWER_PIXELS }).metadata();
  } catch {
    throw unreadable();
  }
  const turned = (meta.orientation ?? 1) >= 5;
  const width = turned ? meta.height : meta.width;
  const height = turned ? meta.width : meta.height;
  try {
    let picture = sharp(bytes, { limitInputPixels: MAX_ANSWER_PIXELS, failOn: "error" }).rotate();
    if (width !== target.width || height !== target.height) {
      picture = picture.resize({ width: target.width, height: target.height, fit: "cover", position: "centre" });
    }
    if (target.background === "opaque") picture = picture.flatten({ background: "#ffffff" });
    const { data, info } = await picture.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    if (info.width !== target.width || info.height !== target.height || info.channels !== 4) throw unreadable();
    const plan = planFromXmp(meta.xmp);
    const frame: RawImage = { data, width: info.width, height: info.height, credits: creditsOf(meta), ...(plan ? { plan } : {}) };
    return { frame, seeThrough: !isOpaque(frame) };
  } catch {
    throw unreadable();
  }
}

/** The upstream picture's EXIF Copyright, passed on so a licence's credit survives re-encoding (Easel in front of Easel). */
function creditsOf(meta: sharp.Metadata): string | undefined {
  if (!meta.exif) return undefined;
  try {
    const copyright = readExif(meta.exif).Image?.Copyright;
    return typeof copyright === "string" && copyright.trim() ? copyright : undefined;
  } catch {
    return undefined; // unreadable EXIF costs the credit, not the picture
  }
}
