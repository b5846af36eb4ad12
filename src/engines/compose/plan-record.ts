// A compose picture's plan as it travels with the picture (XMP in the file,
// and so in the Responses store): the scene graph (things, relations,
// setting, style, quoted text), where each copy was drawn, the seed, and a
// version. An edit of the picture reads it back, changes it and draws again
// (plan-change.ts). What comes back is untrusted: every field is checked and
// bounded, and art is found again by name, never by a path from the file.
import sharp from "sharp";
import { z } from "zod";
import type { PicturePlanRecord, RawImage } from "../engine.js";
import type { Placed } from "./layout.js";
import { MAX_THINGS, type PicturePlan, type Relation, type RelationKind, type Setting } from "./prompt.js";
import type { QuotedText } from "./quoted-text.js";
import { STYLE_NAMES, type StyleName } from "./style.js";

export const RECORD_VERSION = 1;

/** Fingerprints are the picture at 16×16, RGBA. */
const FINGERPRINT_SIDE = 16;
const FINGERPRINT_BASE64 = Math.ceil((FINGERPRINT_SIDE * FINGERPRINT_SIDE * 4) / 3) * 4;
/**
 * How far one cell of the fingerprint may drift (mean over its channels, of
 * 255) before the file is taken to show something else: lossy encodings move a
 * cell by a few levels; a thing painted over in another program by far more.
 */
const FINGERPRINT_TOLERANCE = 28;

/** Which planned copy a drawn element is: copy `copy` of thing `thing`, or the placeholder for an unrealised name. */
export type ElementOrigin = { thing: number; copy: number } | { placeholder: string };

/** Where one element was drawn: its box as shares of the canvas (x, y) and of its short side (w, h). */
export interface RecordedPlacement {
  origin: ElementOrigin;
  box: [x: number, y: number, w: number, h: number];
  flip: boolean;
  grounded: boolean;
}

export interface ComposeRecord extends PicturePlanRecord {
  engine: "compose";
  version: typeof RECORD_VERSION;
  seed: number;
  /** The prompt the plan was read from (edits keep the first picture's). */
  prompt: string;
  things: { name: string; phrase: string; count: number; colour: { name: string; hex: string } | null; size: PicturePlan["things"][number]["attributes"]["size"]; scale: number; material: string | null }[];
  relations: Relation[];
  setting: Setting;
  style: StyleName | null;
  texts: { text: string; role: QuotedText["role"] }[];
  unrealised: string[];
  placed: RecordedPlacement[];
  /** The finished picture shrunk to 16×16 RGBA, base64: an edit checks the file still shows what the plan drew. */
  fingerprint: string;
}

const RELATIONS: [RelationKind, ...RelationKind[]] = ["next to", "on", "under", "in front of", "behind", "holding", "wearing", "inside", "above", "below", "around", "between"];
const word = z.string().min(1).max(200);
const share = z.number().finite().min(-4).max(4);
const origin = z.union([z.object({ thing: z.int().min(0).max(MAX_THINGS - 1), copy: z.int().min(0).max(100) }), z.object({ placeholder: word })]);

const schema = z.object({
  engine: z.literal("compose"),
  version: z.literal(RECORD_VERSION),
  seed: z.int().min(0).max(0xffffffff),
  prompt: z.string().max(32_000),
  things: z
    .array(
      z.object({
        name: word,
        phrase: z.string().max(400),
        count: z.int().min(1).max(100),
        colour: z.object({ name: word, hex: z.string().regex(/^#[0-9a-f]{6}$/i) }).nullable(),
        size: z.enum(["tiny", "small", "large", "huge"]).nullable(),
        scale: z.number().finite().min(0.1).max(4),
        material: word.nullable(),
      }),
    )
    .max(MAX_THINGS),
  relations: z.array(z.object({ subject: z.int().min(0).max(MAX_THINGS - 1), relation: z.enum(RELATIONS), object: z.int().min(0).max(MAX_THINGS - 1) })).max(4 * MAX_THINGS),
  setting: z.object({
    place: z.enum(["meadow", "snow", "water", "space", "moon", "indoor", "desert", "city", "studio"]),
    time: z.enum(["day", "night"]),
    timeOfDay: z.enum(["day", "sunset", "night"]),
    named: z.boolean(),
    phrase: z.string().max(400).nullable(),
    backdrop: z.string().regex(/^#[0-9a-f]{6}$/i).optional(),
  }),
  style: z.enum(STYLE_NAMES as [StyleName, ...StyleName[]]).nullable(),
  texts: z.array(z.object({ text: z.string().min(1).max(400), role: z.enum(["sign", "label", "title", "caption"]) })).max(8),
  unrealised: z.array(word).max(MAX_THINGS),
  placed: z.array(z.object({ origin, box: z.tuple([share, share, share, share]), flip: z.boolean(), grounded: z.boolean() })).max(200),
  fingerprint: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/).length(FINGERPRINT_BASE64),
});

/** A record read back from a file, or null when it is not a compose plan this version can use. */
export function readRecord(plan: PicturePlanRecord | undefined): ComposeRecord | null {
  if (!plan || plan.engine !== "compose") return null;
  const parsed = schema.safeParse(plan);
  if (!parsed.success) return null;
  const record = parsed.data as ComposeRecord;
  // Relations and placements must point at things the record has.
  const known = (id: number) => id < record.things.length;
  if (!record.relations.every((r) => known(r.subject) && known(r.object))) return null;
  if (!record.placed.every((p) => !("thing" in p.origin) || known(p.origin.thing))) return null;
  return record;
}

export interface RecordInput {
  /** The finished picture, for its fingerprint. */
  picture: RawImage;
  seed: number;
  prompt: string;
  plan: PicturePlan;
  style: StyleName | null;
  texts: QuotedText[];
  /** The drawn layout: each placed item's origin, in the picture's size. */
  placed: Placed[];
  origins: ElementOrigin[];
  width: number;
  height: number;
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/** The record of a picture just drawn. */
export async function makeRecord(input: RecordInput): Promise<ComposeRecord> {
  const { plan, width, height } = input;
  const short = Math.min(width, height);
  return {
    engine: "compose",
    version: RECORD_VERSION,
    seed: input.seed >>> 0,
    prompt: input.prompt.slice(0, 4000),
    things: plan.things.map((t) => ({
      name: t.name,
      phrase: t.phrase.slice(0, 400),
      count: t.count,
      colour: t.colour,
      size: t.attributes.size,
      scale: t.attributes.scale,
      material: t.attributes.material?.name ?? null,
    })),
    relations: plan.relations,
    setting: plan.setting,
    style: input.style,
    texts: input.texts.map(({ text, role }) => ({ text, role })),
    unrealised: plan.unrealised,
    placed: input.placed.map((p) => ({
      origin: input.origins[p.item],
      box: [round(p.x / width), round(p.y / height), round(p.width / short), round(p.height / short)],
      flip: p.flip,
      grounded: p.grounded,
    })),
    fingerprint: (await fingerprintOf(input.picture)).toString("base64"),
  };
}

/** The picture at 16×16 RGBA, averaged (so lossy encodings and resizing barely move it). */
async function fingerprintOf(picture: RawImage): Promise<Buffer> {
  return sharp(picture.data, { raw: { width: picture.width, height: picture.height, channels: 4 } })
    .resize(FINGERPRINT_SIDE, FINGERPRINT_SIDE, { fit: "fill", kernel: "cubic" })
    .raw()
    .toBuffer();
}

/**
 * Whether an input picture still shows what its record drew: a file painted
 * on elsewhere keeps its XMP, and drawing it again from the plan would throw
 * that work away, so such a file is edited as a picture instead.
 */
export async function showsRecord(picture: RawImage, record: ComposeRecord): Promise<boolean> {
  const expected = Buffer.from(record.fingerprint, "base64");
  const actual = await fingerprintOf(picture);
  if (expected.length !== actual.length) return false;
  for (let cell = 0; cell < actual.length; cell += 4) {
    // Colour and alpha alike: a transparent picture flattened onto white elsewhere is no longer the one drawn.
    let drift = 0;
    for (let c = 0; c < 3; c++) drift += Math.abs(expected[cell + c] - actual[cell + c]);
    drift += Math.abs(expected[cell + 3] - actual[cell + 3]);
    if (drift / 4 > FINGERPRINT_TOLERANCE) return false;
  }
  return true;
}

/** A recorded box in a picture of the given size, in pixels. */
export function boxIn(placement: RecordedPlacement, width: number, height: number): { x: number; y: number; width: number; height: number; flip: boolean } {
  const short = Math.min(width, height);
  const [x, y, w, h] = placement.box;
  return { x: x * width, y: y * height, width: w * short, height: h * short, flip: placement.flip };
}

/** A stable key for an origin, to find an element's recorded placement. */
export function originKey(origin: ElementOrigin): string {
  return "thing" in origin ? `thing:${origin.thing}:${origin.copy}` : `placeholder:${origin.placeholder}`;
}
