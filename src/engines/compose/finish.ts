// The last stage of a compose picture, after the scene and things are drawn:
//   1. the prompt's style as image processing (pixel art, watercolor, sketch …);
//   2. the prompt's quoted text, drawn exactly and on top, so no style blurs it:
//      a title banner at the top, a caption plate at the bottom, a label on the
//      subject, a sign standing beside it;
//   3. for mask edits, the kept pixels of the input put back byte for byte.
import sharp from "sharp";
import type { RawImage } from "../engine.js";
import { keepThings, type PicturePlan } from "./prompt.js";
import type { QuotedText } from "./quoted-text.js";
import { mergeThroughMask, renderPicture, FINAL_LAYERS, type Picture } from "./render.js";
import { applyStyle, type StyleName } from "./style.js";
import { textArt } from "./text-art.js";

export interface Finish {
  style: StyleName | null;
  texts: QuotedText[];
  seed: number;
}

export async function finishPicture(picture: Picture, image: RawImage, finish: Finish): Promise<RawImage> {
  let out = image;
  if (finish.style) {
    // The sticker style cuts around the things, so it needs them alone on transparency.
    const subjectMask = finish.style === "sticker" && picture.background === "opaque" ? await thingsAlone(picture) : undefined;
    out = await applyStyle(out, finish.style, { seed: finish.seed, quality: picture.quality, transparent: picture.background === "transparent", subjectMask });
  }
  if (finish.texts.length > 0) out = await drawTexts(picture, out, finish);
  if (picture.keep) out = mergeThroughMask(picture.keep.image, out, picture.keep.mask);
  return out;
}

async function thingsAlone(picture: Picture): Promise<RawImage> {
  return renderPicture({ ...picture, scene: null, backdrop: undefined, keep: undefined, shadow: null, background: "transparent" }, FINAL_LAYERS);
}

interface Spot {
  left: number;
  top: number;
  width: number;
  height: number;
}

async function drawTexts(picture: Picture, image: RawImage, finish: Finish): Promise<RawImage> {
  const subject = subjectBox(picture);
  const layers = finish.texts.map((text, i) => {
    const spot = spotFor(text.role, picture, subject, i);
    return { input: Buffer.from(textArt(text.text, text.role, { width: spot.width, height: spot.height }, { seed: finish.seed + i })), left: spot.left, top: spot.top };
  });
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .composite(layers)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The subject's box: the largest thing drawn (the anchor of a relation is laid out as the subject). */
function subjectBox(picture: Picture): Spot | null {
  let best: Spot | null = null;
  for (const p of picture.placed) {
    if (!best || p.width * p.height > best.width * best.height) best = { left: p.x, top: p.y, width: p.width, height: p.height };
  }
  return best;
}

function spotFor(role: QuotedText["role"], picture: Picture, subject: Spot | null, index: number): Spot {
  const { width: w, height: h } = picture;
  const short = Math.min(w, h);
  const clamp = (spot: Spot): Spot => {
    const width = Math.max(16, Math.min(Math.round(spot.width), w));
    const height = Math.max(12, Math.min(Math.round(spot.height), h));
    return { width, height, left: Math.round(Math.min(Math.max(0, spot.left), w - width)), top: Math.round(Math.min(Math.max(0, spot.top), h - height)) };
  };
  switch (role) {
    case "title":
      return clamp({ left: w * 0.1, top: h * 0.035 + index * h * 0.16, width: w * 0.8, height: Math.max(h * 0.13, short * 0.1) });
    case "caption":
      return clamp({ left: w * 0.12, top: h * 0.86 - index * h * 0.12, width: w * 0.76, height: h * 0.1 });
    case "label":
      if (subject) return clamp({ left: subject.left + subject.width * 0.18, top: subject.top + subject.height * 0.56, width: subject.width * 0.64, height: subject.height * 0.24 });
      return clamp({ left: w * 0.25, top: h * 0.55, width: w * 0.5, height: h * 0.16 });
    case "sign":
    default: {
      // A board standing beside the subject, on whichever side has more room.
      const width = short * 0.36;
      const height = short * 0.22;
      if (!subject) return clamp({ left: (w - width) / 2, top: h * 0.3, width, height });
      const right = w - (subject.left + subject.width);
      const left = right >= subject.left ? subject.left + subject.width + short * 0.02 : subject.left - width - short * 0.02;
      return clamp({ left, top: subject.top + subject.height * 0.15, width, height });
    }
  }
}

/** The things a text's board stands for: "a sign that says 'OPEN'" draws the board, not a stop sign beside it. */
const CARRIERS: Record<QuotedText["role"], RegExp> = {
  sign: /\b(sign|signboard|billboard|placard|board)\b/,
  label: /\b(label|tag|sticker)\b/,
  title: /\b(banner|title)\b/,
  caption: /\b(caption)\b/,
};

/** The plan without the things that quoted text draws itself; relations are renumbered to match. */
export function dropTextCarriers(plan: PicturePlan, texts: QuotedText[]): PicturePlan {
  return keepThings(plan, (thing) => !texts.some((t) => CARRIERS[t.role].test(thing.name)));
}
