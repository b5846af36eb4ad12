// Moderation of pictures, as OpenAI moderates what it draws and not only what
// it is asked: the input pictures of edits and variations, every partial
// image and every finished picture are classified by nsfwjs (./picture-
// worker.ts, in a worker thread) and a request whose picture is judged sexual
// is refused with moderation_blocked. `moderation: "low"` relaxes the
// threshold. The classifier sees nudity and sexual content only, not
// violence, gore or self-harm (the prompt filter, ./prompt.ts, covers those).
import sharp from "sharp";
import type { RawImage } from "../engines/engine.js";
import { errors } from "../errors.js";
import { metrics } from "../metrics.js";
import { SharedPool, siblingModule } from "../threads/pool.js";
import { movable } from "../threads/serve.js";
import { isFlagged, SIZE, type PictureStage, type Scores } from "./verdict.js";

export { isFlagged, type Scores } from "./verdict.js";

/** A classification taking longer than this means the thread is stuck: it is replaced and the request fails. */
const BUDGET_MS = 30_000;

const classifier = new SharedPool(siblingModule(import.meta.url, "picture-worker"), { name: "moderation", size: 1 });

/** Loads the classifier (about a second): the server does it before it listens. */
export const loadPictureModeration = () => classifier.start();

export const closePictureModeration = () => classifier.close();

/** The classifier's scores for each picture. */
export async function classifyPictures(pictures: RawImage[], signal?: AbortSignal): Promise<Scores[]> {
  if (pictures.length === 0) return [];
  const inputs = await Promise.all(pictures.map(toClassifierInput));
  return classifier.get().run<Scores[]>({ pictures: inputs }, { signal, timeoutMs: BUDGET_MS, transfer: inputs.flatMap(movable) });
}

/** Refuses with moderation_blocked when any of the pictures is flagged at `level`. */
export async function moderatePictures(pictures: RawImage[], level: "auto" | "low", stage: PictureStage, signal?: AbortSignal): Promise<void> {
  const scores = await classifyPictures(pictures, signal);
  if (!scores.some((s) => isFlagged(s, level))) return;
  metrics.moderationBlocked.inc({ stage });
  throw errors.moderationBlocked();
}

/** RGB at the classifier's size; see-through pixels are judged as if on white. */
async function toClassifierInput(picture: RawImage): Promise<Uint8Array> {
  const rgb = await sharp(picture.data, { raw: { width: picture.width, height: picture.height, channels: 4 } })
    .flatten({ background: "#ffffff" })
    .resize(SIZE, SIZE, { fit: "fill" })
    .raw()
    .toBuffer();
  return new Uint8Array(rgb.buffer, rgb.byteOffset, rgb.byteLength);
}
