// `background: "transparent"` for a model that can only paint opaque pictures:
// ask for the subject on a flat key colour, then matte that colour out.
// The limits are real (README, "Diffusion engine"): parts of the subject close
// to the background colour turn see-through, and soft edges keep a faint fringe.
import type { RawImage } from "../engine.js";

/** Appended to the prompt so the model paints a flat background we can key out. */
export const KEY_BACKGROUND_PROMPT = ", isolated on a plain solid bright green background, studio chroma key";

/** Colour distances (0–441) below `inner` are background, above `outer` subject; between, a soft edge. */
const INNER = 60;
const OUTER = 140;

export function matteBackground(image: RawImage): RawImage {
  const key = borderColour(image);
  const data = Buffer.from(image.data);
  for (let p = 0; p < image.width * image.height; p++) {
    const i = p * 4;
    const distance = Math.hypot(data[i] - key[0], data[i + 1] - key[1], data[i + 2] - key[2]);
    const alpha = Math.min(1, Math.max(0, (distance - INNER) / (OUTER - INNER)));
    // Un-mix the key colour from soft edges so they do not keep a green fringe.
    for (let c = 0; c < 3 && alpha > 0 && alpha < 1; c++) {
      data[i + c] = Math.round(Math.min(255, Math.max(0, (data[i + c] - (1 - alpha) * key[c]) / alpha)));
    }
    data[i + 3] = Math.round(alpha * 255);
  }
  return { data, width: image.width, height: image.height };
}

/** The background's colour: the per-channel median of the picture's outermost pixels. */
function borderColour(image: RawImage): [number, number, number] {
  const { width, height, data } = image;
  const channels: number[][] = [[], [], []];
  const add = (x: number, y: number) => {
    for (let c = 0; c < 3; c++) channels[c].push(data[(y * width + x) * 4 + c]);
  };
  for (let x = 0; x < width; x++) {
    add(x, 0);
    add(x, height - 1);
  }
  for (let y = 1; y < height - 1; y++) {
    add(0, y);
    add(width - 1, y);
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1];
  return [median(channels[0]), median(channels[1]), median(channels[2])];
}
