// The few pixel tools every style shares: sharp round trips for what libvips
// does fast (blur, resize), and hand-written loops for what it has no
// operation for (seeded grain, Sobel edges). Images are 8-bit RGBA throughout.

import sharp from "sharp";
import type { Quality, RawImage } from "../../engine.js";

export interface StyleContext {
  seed: number;
  quality: Quality;
  /** Transparent output: the background must stay untouched (alpha 0). */
  transparent: boolean;
  /** Where the things are (alpha > 0), for styles that outline them on opaque pictures. */
  subjectMask?: RawImage;
}

export type StyleFilter = (image: RawImage, ctx: StyleContext) => Promise<RawImage>;

/** Sizes in styles are given for a 1024-pixel short side and scaled by this. */
export function unitOf(image: RawImage): number {
  return Math.min(image.width, image.height) / 1024;
}

export function pipelineOf(image: RawImage, channels: 1 | 3 | 4 = 4): sharp.Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels } });
}

export async function rawOf(pipeline: sharp.Sharp): Promise<RawImage> {
  const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/**
 * A Gaussian blur. sharp premultiplies alpha before blurring, so a
 * transparent background (black at alpha 0) does not darken the edges.
 */
export async function blurred(image: RawImage, sigma: number): Promise<RawImage> {
  if (sigma < 0.3) return image;
  return rawOf(pipelineOf(image).blur(sigma));
}

/** Resized to w × h ("fill": the aspect may change). */
export async function resized(image: RawImage, width: number, height: number, kernel: keyof sharp.KernelEnum = "lanczos3"): Promise<RawImage> {
  return rawOf(pipelineOf(image).resize(width, height, { fit: "fill", kernel }));
}

/** Rec. 601 luma, 0–255, one byte a pixel (colour only: alpha is ignored). */
export function lumaOf(image: RawImage): Uint8Array {
  const { data } = image;
  const n = image.width * image.height;
  const out = new Uint8Array(n);
  for (let p = 0, i = 0; p < n; p++, i += 4) out[p] = (data[i] * 77 + data[i + 1] * 150 + data[i + 2] * 29) >> 8;
  return out;
}

/**
 * Sobel gradient magnitude of one byte a pixel, scaled so a black/white step
 * gives about 1. Border pixels repeat their neighbours.
 */
export function sobel(values: ArrayLike<number>, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  const scale = 1 / 1020;
  for (let y = 0; y < height; y++) {
    const up = (y > 0 ? y - 1 : 0) * width;
    const mid = y * width;
    const down = (y < height - 1 ? y + 1 : y) * width;
    for (let x = 0; x < width; x++) {
      const l = x > 0 ? x - 1 : 0;
      const r = x < width - 1 ? x + 1 : x;
      const a = values[up + l], b = values[up + x], c = values[up + r];
      const d = values[mid + l], e = values[mid + r];
      const g = values[down + l], h = values[down + x], k = values[down + r];
      const gx = c + 2 * e + k - a - 2 * d - g;
      const gy = g + 2 * h + k - a - 2 * b - c;
      out[mid + x] = Math.sqrt(gx * gx + gy * gy) * scale;
    }
  }
  return out;
}

/** A seeded hash of a pixel position: white noise in [0, 1) with no state, so any pixel can be asked in any order. */
export function grain(x: number, y: number, seed: number): number {
  let h = (Math.imul(x, 0x27d4eb2d) ^ Math.imul(y, 0x165667b1) ^ Math.imul(seed, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

const TILE = 512;
const tiles = new Map<string, Uint8Array>();

/**
 * Smooth value noise in a 512×512 tile that wraps at its edges, one byte a
 * pixel, with blobs about `cell` pixels across (`stretch` times wider than
 * tall). Tiles are made once per process from a fixed seed and cached; a
 * picture's seed picks where it reads them from (see `NoiseReader`), which is
 * far cheaper than drawing fresh noise for every megapixel.
 */
export function noiseTile(cell: number, stretch = 1): Uint8Array {
  const nx = Math.max(1, Math.round(TILE / (cell * stretch)));
  const ny = Math.max(1, Math.round(TILE / cell));
  const key = `${nx}x${ny}`;
  const cached = tiles.get(key);
  if (cached) return cached;
  const lattice = new Float32Array(nx * ny);
  for (let i = 0; i < lattice.length; i++) lattice[i] = grain(i % nx, Math.floor(i / nx), nx * 7919 + ny);
  const tile = new Uint8Array(TILE * TILE);
  const smooth = (t: number) => t * t * (3 - 2 * t);
  for (let y = 0; y < TILE; y++) {
    const gy = (y / TILE) * ny;
    const y0 = Math.floor(gy);
    const y1 = (y0 + 1) % ny;
    const ty = smooth(gy - y0);
    for (let x = 0; x < TILE; x++) {
      const gx = (x / TILE) * nx;
      const x0 = Math.floor(gx);
      const x1 = (x0 + 1) % nx;
      const tx = smooth(gx - x0);
      const top = lattice[y0 * nx + x0] * (1 - tx) + lattice[y0 * nx + x1] * tx;
      const bottom = lattice[y1 * nx + x0] * (1 - tx) + lattice[y1 * nx + x1] * tx;
      tile[y * TILE + x] = Math.floor((top * (1 - ty) + bottom * ty) * 255.99);
    }
  }
  tiles.set(key, tile);
  return tile;
}

/**
 * Reads a noise tile at a seeded offset: `at(x, y)` is 0–255. `shift` reads
 * it 2^shift times larger (coarser blobs, and a longer period before the tile
 * repeats).
 */
export function noiseReader(tile: Uint8Array, seed: number, salt: number, shift = 0): (x: number, y: number) => number {
  const ox = Math.floor(grain(salt, 1, seed) * TILE);
  const oy = Math.floor(grain(salt, 2, seed) * TILE);
  return (x, y) => tile[((((y >> shift) + oy) & (TILE - 1)) << 9) | (((x >> shift) + ox) & (TILE - 1))];
}

/**
 * Bilinear lookup tables for reading a small image (sw × sh) at every pixel of
 * a large one (w × h): per column and per row, the two source indices and the
 * weight of the second. Lets a style do its smooth work at low resolution and
 * its texture work at full resolution without a second resize.
 */
export interface Upscale {
  x0: Int32Array;
  x1: Int32Array;
  fx: Float32Array;
  y0: Int32Array;
  y1: Int32Array;
  fy: Float32Array;
}

export function upscaleTables(sw: number, sh: number, w: number, h: number): Upscale {
  const axis = (small: number, large: number) => {
    const i0 = new Int32Array(large);
    const i1 = new Int32Array(large);
    const f = new Float32Array(large);
    for (let i = 0; i < large; i++) {
      const at = Math.min(small - 1, Math.max(0, ((i + 0.5) * small) / large - 0.5));
      i0[i] = Math.floor(at);
      i1[i] = Math.min(small - 1, i0[i] + 1);
      f[i] = at - i0[i];
    }
    return [i0, i1, f] as const;
  };
  const [x0, x1, fx] = axis(sw, w);
  const [y0, y1, fy] = axis(sh, h);
  return { x0, x1, fx, y0, y1, fy };
}

/** A copy of the picture shrunk by `factor` (area-averaged, alpha-aware) and optionally blurred, in one libvips pass. */
export async function shrunk(image: RawImage, factor: number, sigma = 0): Promise<RawImage> {
  const w = Math.max(2, Math.round(image.width / factor));
  const h = Math.max(2, Math.round(image.height / factor));
  let pipeline = pipelineOf(image).resize(w, h, { fit: "fill", kernel: "linear" });
  if (sigma >= 0.3) pipeline = pipeline.blur(sigma);
  return rawOf(pipeline);
}

/** Luma (0–255) of one RGBA pixel as if it lay on white: transparent areas read as paper. */
function lumaOver(data: Uint8Array, i: number): number {
  const l = (data[i] * 77 + data[i + 1] * 150 + data[i + 2] * 29) >> 8;
  const a = data[i + 3];
  return a === 255 ? l : (l * a + 255 * (255 - a)) / 255;
}

/**
 * Luma on white at half size (each value the mean of a 2×2 block), as floats.
 * Edges found on it are smooth and about two pixels wide at full size, the
 * look drawn lines want, for a quarter of the work.
 */
export function halfLuma(image: RawImage): { values: Float32Array; width: number; height: number } {
  const { width: w, height: h, data } = image;
  const hw = w >> 1 || 1;
  const hh = h >> 1 || 1;
  const values = new Float32Array(hw * hh);
  for (let y = 0; y < hh; y++) {
    const ya = Math.min(h - 1, 2 * y), yb = Math.min(h - 1, 2 * y + 1);
    for (let x = 0; x < hw; x++) {
      const xa = Math.min(w - 1, 2 * x), xb = Math.min(w - 1, 2 * x + 1);
      values[y * hw + x] =
        (lumaOver(data, (ya * w + xa) * 4) + lumaOver(data, (ya * w + xb) * 4) + lumaOver(data, (yb * w + xa) * 4) + lumaOver(data, (yb * w + xb) * 4)) / 4;
    }
  }
  return { values, width: hw, height: hh };
}

/** Luma on white at full size. */
export function lumaOnWhite(image: RawImage): Float32Array {
  const n = image.width * image.height;
  const out = new Float32Array(n);
  for (let p = 0; p < n; p++) out[p] = lumaOver(image.data, p * 4);
  return out;
}

/**
 * Reads a one-value-a-pixel field of size sw × sh at any pixel of a w × h
 * picture, bilinearly.
 */
export function fieldReader(field: ArrayLike<number>, sw: number, sh: number, w: number, h: number): (x: number, y: number) => number {
  const t = upscaleTables(sw, sh, w, h);
  return (x, y) => {
    const fx = t.fx[x], fy = t.fy[y];
    const r0 = t.y0[y] * sw, r1 = t.y1[y] * sw;
    const x0 = t.x0[x], x1 = t.x1[x];
    return (field[r0 + x0] * (1 - fx) + field[r0 + x1] * fx) * (1 - fy) + (field[r1 + x0] * (1 - fx) + field[r1 + x1] * fx) * fy;
  };
}

/**
 * Like fieldReader for a picture of `channels` interleaved bytes: `read(x, y,
 * into)` writes the first three channels, bilinearly, into `into`.
 */
export function colourReader(
  data: Uint8Array,
  channels: number,
  sw: number,
  sh: number,
  w: number,
  h: number,
): (x: number, y: number, into: Float32Array) => void {
  const t = upscaleTables(sw, sh, w, h);
  return (x, y, into) => {
    const fx = t.fx[x], fy = t.fy[y];
    const r0 = t.y0[y] * sw, r1 = t.y1[y] * sw;
    const a = (r0 + t.x0[x]) * channels, b = (r0 + t.x1[x]) * channels;
    const c = (r1 + t.x0[x]) * channels, d = (r1 + t.x1[x]) * channels;
    const w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
    into[0] = data[a] * w00 + data[b] * w01 + data[c] * w10 + data[d] * w11;
    into[1] = data[a + 1] * w00 + data[b + 1] * w01 + data[c + 1] * w10 + data[d + 1] * w11;
    into[2] = data[a + 2] * w00 + data[b + 2] * w01 + data[c + 2] * w10 + data[d + 2] * w11;
  };
}

/** Whether any pixel is less than fully opaque. */
export function hasTransparency(image: RawImage): boolean {
  const { data } = image;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) return true;
  return false;
}

export const clampByte = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : v);

/** Quality picks one of three values (low, medium, high). */
export function byQuality<T>(quality: Quality, low: T, medium: T, high: T): T {
  return quality === "low" ? low : quality === "high" ? high : medium;
}
