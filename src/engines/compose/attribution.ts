// OpenMoji's licence (CC BY-SA 4.0) asks for attribution wherever its art is
// used; pictures that use it carry this in their metadata (EXIF Copyright).
import type { Picture } from "./render.js";

export const OPENMOJI_ATTRIBUTION =
  "Emoji artwork by OpenMoji – the open-source emoji and icon project. License: CC BY-SA 4.0";

export function composeAttribution(): string {
  return OPENMOJI_ATTRIBUTION;
}

/** The credits a finished picture must carry: OpenMoji's when any of its art is OpenMoji's. */
export function creditsFor(picture: Picture): string | undefined {
  return picture.drawables.some((d) => d.kind === "art" && d.art.source === "openmoji") ? OPENMOJI_ATTRIBUTION : undefined;
}
