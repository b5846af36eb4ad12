// Attributes the layout and renderer can show: how big a thing is drawn and
// what it is made of. Colours are read by colour.ts; these are the rest.

export type SizeName = "tiny" | "small" | "large" | "huge";

/** Scale factors relative to a thing's ordinary drawn size. */
export const SIZE_SCALE: Record<SizeName, number> = { tiny: 0.5, small: 0.75, large: 1.35, huge: 1.7 };

const SIZE_WORDS: Record<string, SizeName> = {
  tiny: "tiny", teeny: "tiny", miniature: "tiny", mini: "tiny", minuscule: "tiny", itsy: "tiny",
  small: "small", little: "small", smaller: "small", petite: "small",
  big: "large", large: "large", bigger: "large", larger: "large", tall: "large",
  huge: "huge", giant: "huge", gigantic: "huge", enormous: "huge", massive: "huge", colossal: "huge", immense: "huge", vast: "huge",
};

export type Finish = "matte" | "metallic" | "glossy" | "translucent";

export interface Material {
  /** Canonical material name ("wood", "gold", "glass"). */
  name: string;
  /** The colour the material gives a thing; null where it has none of its own (plastic). */
  hex: string | null;
  finish: Finish;
}

const MATERIALS: Record<string, Material> = {
  wood: { name: "wood", hex: "#9c6b3c", finish: "matte" },
  gold: { name: "gold", hex: "#d4af37", finish: "metallic" },
  silver: { name: "silver", hex: "#c4c8cc", finish: "metallic" },
  bronze: { name: "bronze", hex: "#b0703c", finish: "metallic" },
  copper: { name: "copper", hex: "#b87333", finish: "metallic" },
  metal: { name: "metal", hex: "#8a9299", finish: "metallic" },
  glass: { name: "glass", hex: "#bfe6f2", finish: "translucent" },
  crystal: { name: "crystal", hex: "#d8f1fa", finish: "translucent" },
  stone: { name: "stone", hex: "#8d8d86", finish: "matte" },
  marble: { name: "marble", hex: "#e8e4dc", finish: "glossy" },
  brick: { name: "brick", hex: "#a5463a", finish: "matte" },
  paper: { name: "paper", hex: "#f4f1e8", finish: "matte" },
  cardboard: { name: "cardboard", hex: "#c8a46e", finish: "matte" },
  leather: { name: "leather", hex: "#7b4a2a", finish: "matte" },
  ceramic: { name: "ceramic", hex: "#f2efe9", finish: "glossy" },
  plastic: { name: "plastic", hex: null, finish: "glossy" },
  chocolate: { name: "chocolate", hex: "#5a3520", finish: "glossy" },
  wool: { name: "wool", hex: null, finish: "matte" },
  ice: { name: "ice", hex: "#d6f0fb", finish: "translucent" },
};

const MATERIAL_WORDS: Record<string, string> = {
  wood: "wood", wooden: "wood", timber: "wood",
  gold: "gold", golden: "gold", gilded: "gold",
  silver: "silver", silvery: "silver",
  bronze: "bronze", copper: "copper",
  metal: "metal", metallic: "metal", steel: "metal", iron: "metal", chrome: "metal", tin: "metal", aluminium: "metal", aluminum: "metal",
  glass: "glass", glassy: "glass",
  crystal: "crystal",
  stone: "stone", rock: "stone", granite: "stone", marble: "marble",
  brick: "brick", paper: "paper", cardboard: "cardboard", origami: "paper", leather: "leather",
  ceramic: "ceramic", porcelain: "ceramic", clay: "ceramic", plastic: "plastic", chocolate: "chocolate",
  wool: "wool", woolen: "wool", woollen: "wool", knitted: "wool",
  ice: "ice", icy: "ice",
};

export function sizeOf(word: string): SizeName | null {
  return SIZE_WORDS[word] ?? null;
}

export function materialOf(word: string): Material | null {
  const name = MATERIAL_WORDS[word];
  return name ? MATERIALS[name] : null;
}
