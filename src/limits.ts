// How long the strings clients send may be. OpenAI documents a few of these
// (safety_identifier, metadata, image URLs); the rest are Easel's: generous
// for any real use, small enough that no one field can be made to cost much.
// Prompts have their per-model limits in src/models/families.ts.
import { errors } from "./errors.js";

/** Ids, model names, sizes, end-user ids: every short token a request names. */
export const MAX_NAME = 256;
/** Instructions and each text of a conversation's messages (about 250,000 tokens of English). */
export const MAX_TEXT = 1_048_576;
/** OpenAI's limit for an image URL, data URLs included. */
export const MAX_IMAGE_URL = 20_971_520;

/** `value`, or OpenAI's string_above_max_length naming `param` when it is longer than `max`. */
export function withinLength(value: string, param: string, max: number): string {
  if (value.length > max) throw errors.stringTooLong(param, max, value.length);
  return value;
}
