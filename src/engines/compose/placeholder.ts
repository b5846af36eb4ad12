// When nothing in the prompt matches any art, the engine says so in the
// picture instead of inventing a subject: a labelled frame with the prompt's words.

import type { ContentBox } from "./art-svg.js";
import { escapeXml } from "./text-art.js";

const BOX_W = 160;
const BOX_H = 100;
export const PLACEHOLDER_ASPECT = BOX_W / BOX_H;
export const PLACEHOLDER_CONTENT: ContentBox = { left: 0.02, top: 0.03, right: 0.98, bottom: 0.97 };

/** Up to three lines of at most ~18 characters, ending in an ellipsis when cut. */
export function placeholderLines(prompt: string): string[] {
  const words = prompt.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return ["(empty prompt)"];
  const lines: string[] = [];
  let line = "";
  let used = 0;
  for (const word of words) {
    const w = word.length > 18 ? word.slice(0, 17) + "…" : word;
    if (line && (line + " " + w).length > 18) {
      lines.push(line);
      line = "";
      if (lines.length === 3) break;
    }
    line = line ? `${line} ${w}` : w;
    used++;
  }
  if (line && lines.length < 3) lines.push(line);
  if (used < words.length) lines[lines.length - 1] += " …";
  return lines;
}

/** The frame as a 160×100 SVG; "flat" is the frame alone, "full" adds the words. */
export function placeholderSvg(prompt: string, detail: "flat" | "full"): string {
  const frame = `<rect x="4" y="4" width="${BOX_W - 8}" height="${BOX_H - 8}" rx="14" fill="#ffffff" fill-opacity="0.9" stroke="#3f3f3f" stroke-width="2.5" stroke-dasharray="8 5"/>`;
  if (detail === "flat") return svgBox(frame);
  const lines = placeholderLines(prompt);
  const top = 50 - (lines.length - 1) * 8 + 6;
  const text = lines
    .map((l, i) => `<text x="80" y="${top + i * 16}" text-anchor="middle" font-family="DejaVu Sans" font-size="13" fill="#222">${escapeXml(l)}</text>`)
    .join("");
  const label = `<text x="80" y="${top - 22}" text-anchor="middle" font-family="DejaVu Sans" font-size="8.5" fill="#777">no matching art for</text>`;
  return svgBox(frame + label + text);
}

function svgBox(inner: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${BOX_W} ${BOX_H}" width="${BOX_W}" height="${BOX_H}">${inner}</svg>`;
}
