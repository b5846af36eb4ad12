// OpenMoji's licence (CC BY-SA 4.0) asks for attribution wherever its art is
// used; the encoder writes this into each picture's metadata.

export const OPENMOJI_ATTRIBUTION =
  "Emoji artwork by OpenMoji – the open-source emoji and icon project. License: CC BY-SA 4.0";

export function composeAttribution(): string {
  return OPENMOJI_ATTRIBUTION;
}
