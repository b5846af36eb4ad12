// OpenMoji's licence (CC BY-SA 4.0) and game-icons.net's (CC BY 3.0) ask for
// attribution wherever their art is used; pictures that use it carry this in
// their metadata (EXIF Copyright).
import type { ArtSource } from "./art-index.js";
import type { Picture } from "./render.js";

export const OPENMOJI_ATTRIBUTION =
  "Emoji artwork by OpenMoji – the open-source emoji and icon project. License: CC BY-SA 4.0";

export const GAME_ICONS_ATTRIBUTION = "Icons by game-icons.net (Lorc, Delapouite and contributors). License: CC BY 3.0";

export function composeAttribution(): string {
  return `${OPENMOJI_ATTRIBUTION}; ${GAME_ICONS_ATTRIBUTION}`;
}

const CREDITS: Partial<Record<ArtSource, string>> = { openmoji: OPENMOJI_ATTRIBUTION, gameicons: GAME_ICONS_ATTRIBUTION };

/** The credits a finished picture must carry: each licence's whose art it uses (OpenClipart's is public domain). */
export function creditsFor(picture: Picture): string | undefined {
  const sources = new Set(picture.drawables.flatMap((d) => (d.kind === "art" ? [d.art.source] : [])));
  const credits = [...sources].flatMap((source) => CREDITS[source] ?? []);
  return credits.length > 0 ? credits.join("; ") : undefined;
}
