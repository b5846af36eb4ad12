// OpenMoji's licence (CC BY-SA 4.0), game-icons.net's (CC BY 3.0) and Font
// Awesome's (CC BY 4.0) ask for attribution wherever their art is used; Material
// Design Icons and IconPark (Apache 2.0) are credited alike, and so are Tux
// Paint's stamps (GPL-2.0-or-later: a picture that uses one may be shared
// under that licence), Sweet Home 3D's furniture (CC BY 3.0, some CC0) and
// Xfig's maps (whose licence asks that its notice stay with them).
// Pictures that use their art carry this in their metadata (EXIF Copyright).
// OpenClipart and Temaki are public domain.
import type { ArtSource } from "./art-index.js";
import type { Picture } from "./render.js";

export const OPENMOJI_ATTRIBUTION =
  "Emoji artwork by OpenMoji – the open-source emoji and icon project. License: CC BY-SA 4.0";

export const GAME_ICONS_ATTRIBUTION = "Icons by game-icons.net (Lorc, Delapouite and contributors). License: CC BY 3.0";

export const ICON_SET_ATTRIBUTIONS = {
  mdi: "Material Design Icons by Pictogrammers. License: Apache 2.0",
  fontawesome: "Font Awesome Free by Fonticons, Inc. License: CC BY 4.0",
  iconpark: "IconPark by ByteDance. License: Apache 2.0",
} as const;

export const TUXPAINT_ATTRIBUTION = "Stamps from Tux Paint by Bill Kendrick and contributors. License: GPL-2.0-or-later";

export const SWEETHOME3D_ATTRIBUTION =
  "Furniture icons from Sweet Home 3D's libraries by Andrew Kator & Jennifer Legaz, Reallusion, Scopia and Blend Swap contributors. License: CC BY 3.0";

export const XFIG_ATTRIBUTION = "Maps from Xfig's libraries by Steve Eichblatt and Brian V. Smith. License: Xfig licence";

const CREDITS: Partial<Record<ArtSource, string>> = {
  openmoji: OPENMOJI_ATTRIBUTION,
  gameicons: GAME_ICONS_ATTRIBUTION,
  ...ICON_SET_ATTRIBUTIONS,
  tuxpaint: TUXPAINT_ATTRIBUTION,
  sweethome3d: SWEETHOME3D_ATTRIBUTION,
  xfig: XFIG_ATTRIBUTION,
};

/** Every credit the engine's art may need, for documents that show its pictures. */
export function composeAttribution(): string {
  return Object.values(CREDITS).join("; ");
}

/** The credits a finished picture must carry: each licence's whose art it uses (OpenClipart's is public domain). */
export function creditsFor(picture: Picture): string | undefined {
  const sources = new Set(picture.drawables.flatMap((d) => (d.kind === "art" ? [d.art.source] : [])));
  const credits = [...sources].flatMap((source) => CREDITS[source] ?? []);
  return credits.length > 0 ? credits.join("; ") : undefined;
}
