// The plan an engine drew a picture from, carried inside the picture file as
// XMP (an iTXt text chunk in PNG, the XMP packet in JPEG and WebP). An edit of
// that file can then change the plan and draw again instead of painting over
// pixels. What is read back is untrusted input: it is size-capped here, and
// the engine that wrote it validates the rest.
import { XMLParser } from "fast-xml-parser";
import type { PicturePlanRecord } from "../engines/engine.js";

/** Easel's XMP namespace; the plan is the JSON text of its `plan` property. */
export const EASEL_XMP_NS = "urn:easel:picture-plan:1";
/** A compose plan with the most things is a few kilobytes; anything far larger is not ours. */
const MAX_XMP_BYTES = 256 * 1024;

const escapeAttribute = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;").replace(/\n/g, "&#10;").replace(/\t/g, "&#9;");

/** One XMP packet holding the plan as JSON. */
export function planToXmp(plan: PicturePlanRecord): string {
  return (
    `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>` +
    `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
    `<rdf:Description rdf:about="" xmlns:easel="${EASEL_XMP_NS}" easel:plan="${escapeAttribute(JSON.stringify(plan))}"/>` +
    `</rdf:RDF></x:xmpmeta><?xpacket end="w"?>`
  );
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  removeNSPrefix: false,
  processEntities: true,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
});

/**
 * The plan in an XMP packet, or undefined when there is none or it is not
 * readable: a picture whose metadata another tool mangled is just a picture.
 */
export function planFromXmp(xmp: Buffer | undefined): PicturePlanRecord | undefined {
  if (!xmp || xmp.length === 0 || xmp.length > MAX_XMP_BYTES) return undefined;
  const text = xmp.toString("utf8");
  if (!text.includes(EASEL_XMP_NS)) return undefined;
  try {
    const json = findPlan(parser.parse(text));
    if (json === undefined) return undefined;
    const plan: unknown = JSON.parse(json);
    if (typeof plan !== "object" || plan === null || Array.isArray(plan)) return undefined;
    const { engine, version } = plan as Record<string, unknown>;
    if (typeof engine !== "string" || typeof version !== "number") return undefined;
    return plan as PicturePlanRecord;
  } catch {
    return undefined;
  }
}

/** The `plan` property under Easel's namespace prefix, as an attribute or an element (XMP tools write either). */
function findPlan(node: unknown, depth = 0): string | undefined {
  if (depth > 16 || typeof node !== "object" || node === null) return undefined;
  const entries = Object.entries(node as Record<string, unknown>);
  const prefix = entries.find(([key, value]) => key.startsWith("@xmlns:") && value === EASEL_XMP_NS)?.[0].slice("@xmlns:".length);
  if (prefix) {
    const value = (node as Record<string, unknown>)[`@${prefix}:plan`] ?? (node as Record<string, unknown>)[`${prefix}:plan`];
    if (typeof value === "string") return value;
  }
  for (const [, value] of entries) {
    for (const child of Array.isArray(value) ? value : [value]) {
      const found = findPlan(child, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
