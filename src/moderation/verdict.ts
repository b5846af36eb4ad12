// What the picture classifier's scores mean: its input size, its five
// classes, and when a picture is refused at each moderation level. Shared by
// the classifier's thread (./picture-worker.ts) and the server (./picture.ts).

/** The classifier's input size. */
export const SIZE = 224;

/** nsfwjs's five classes; each picture's scores add up to 1. */
export interface Scores {
  drawing: number;
  hentai: number;
  neutral: number;
  porn: number;
  sexy: number;
}

export type PictureStage = "input" | "partial" | "output";

/**
 * When a picture is refused. "auto": sexual content (porn + hentai) at 0.6
 * or more, or that and suggestive content (sexy) together at 0.85 or more;
 * "low": sexual content at 0.9 or more.
 */
export function isFlagged(scores: Scores, level: "auto" | "low"): boolean {
  const explicit = scores.porn + scores.hentai;
  if (level === "low") return explicit >= 0.9;
  return explicit >= 0.6 || explicit + scores.sexy >= 0.85;
}
