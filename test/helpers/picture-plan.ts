// The compose plan a returned picture carries in its XMP, read the way Easel
// reads it back from an edit's input file.
import sharp from "sharp";
import { readRecord, type ComposeRecord } from "../../src/engines/compose/plan-record.js";
import { planFromXmp } from "../../src/imaging/plan-xmp.js";

export async function planInFile(bytesOrBase64: Buffer | string): Promise<ComposeRecord | null> {
  const bytes = typeof bytesOrBase64 === "string" ? Buffer.from(bytesOrBase64, "base64") : bytesOrBase64;
  return readRecord(planFromXmp((await sharp(bytes).metadata()).xmp));
}

/** Where copy 0 of thing `id` was drawn. */
export function boxOf(record: ComposeRecord, id: number): [number, number, number, number] | undefined {
  return record.placed.find((p) => "thing" in p.origin && p.origin.thing === id && p.origin.copy === 0)?.box;
}

export const thingNames = (record: ComposeRecord | null) => record?.things.map((t) => t.name) ?? [];
