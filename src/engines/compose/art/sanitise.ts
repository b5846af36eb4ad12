// Makes an arbitrary SVG file (Inkscape, Illustrator, Sodipodi…) safe to nest
// inside a scene document: librsvg rejects the whole scene for one unbound
// namespace prefix, and a stylesheet's classes would leak onto other art.

import { createHash } from "node:crypto";

const PREDEFINED_ENTITIES = new Set(["amp", "lt", "gt", "quot", "apos"]);

/** Illustrator writes styles and namespaces as DTD entities: substitute them, then drop the DTD. */
function expandEntities(svg: string): string {
  const doctype = /<!DOCTYPE[^[>]*(\[[\s\S]*?\])?\s*>/i.exec(svg);
  if (!doctype) return svg;
  const entities = new Map<string, string>();
  for (const m of (doctype[1] ?? "").matchAll(/<!ENTITY\s+([\w.-]+)\s+"([^"]*)"\s*>/g)) entities.set(m[1], m[2]);
  const body = svg.slice(0, doctype.index) + svg.slice(doctype.index + doctype[0].length);
  return body.replace(/&([\w.-]+);/g, (all, name: string) =>
    PREDEFINED_ENTITIES.has(name) ? all : (entities.get(name) ?? ""),
  );
}

/** Removes elements in editor namespaces (sodipodi:namedview, inkscape:grid, i:pgf…), contents included. */
function withoutPrefixedElements(svg: string): string {
  let out = svg.replace(/<svg:/g, "<").replace(/<\/svg:/g, "</");
  for (;;) {
    const next = out
      .replace(/<([A-Za-z_][\w.-]*:[\w.-]+)\b[^>]*\/>/g, "")
      .replace(/<([A-Za-z_][\w.-]*:[\w.-]+)\b[^>]*>[\s\S]*?<\/\1\s*>/g, "");
    if (next === out) return out;
    out = next;
  }
}

/** Keeps xlink: and xml: attributes (SVG's own); drops every other prefixed attribute and namespace declaration. */
function withoutPrefixedAttributes(svg: string): string {
  return svg.replace(/\s(?!xlink:|xml:)[A-Za-z_][\w.-]*:[\w.-]+\s*=\s*("[^"]*"|'[^']*')/g, "");
}

/** Scopes class names to this art, so its stylesheet applies to it alone. */
function scopeClasses(svg: string, key: string): string {
  if (!/<style\b/.test(svg)) return svg;
  const scope = `c${createHash("sha1").update(key).digest("hex").slice(0, 8)}-`;
  return svg
    .replace(/\bclass="([^"]*)"/g, (_a, names: string) => `class="${names.split(/\s+/).filter(Boolean).map((n) => scope + n).join(" ")}"`)
    .replace(/(<style\b[^>]*>)([\s\S]*?)(<\/style>)/g, (_a, open: string, css: string, close: string) =>
      open + css.replace(/\.(-?[_a-zA-Z][\w-]*)/g, `.${scope}$1`) + close,
    );
}

/** The cleaned document, still with its own root `<svg>` (the caller rewrites the root). */
export function sanitiseSvg(text: string, key: string): string {
  let svg = text.replace(/<\?xml[^>]*\?>/g, "");
  svg = expandEntities(svg);
  svg = svg.replace(/<!--[\s\S]*?-->/g, "").replace(/<metadata\b[\s\S]*?<\/metadata>/g, "").replace(/<metadata\b[^>]*\/>/g, "");
  svg = withoutPrefixedElements(svg);
  svg = withoutPrefixedAttributes(svg);
  return scopeClasses(svg, key);
}

/** Lengths in the root's width/height, in CSS pixels (Inkscape's user unit). */
const UNIT_PX: Record<string, number> = { "": 1, px: 1, pt: 4 / 3, pc: 16, mm: 96 / 25.4, cm: 96 / 2.54, in: 96 };

export function lengthInPx(value: string | undefined): number | null {
  const m = /^\s*([\d.]+(?:e[+-]?\d+)?)\s*(px|pt|pc|mm|cm|in)?\s*$/i.exec(value ?? "");
  if (!m) return null;
  const n = parseFloat(m[1]) * UNIT_PX[(m[2] ?? "").toLowerCase()];
  return Number.isFinite(n) && n > 0 ? n : null;
}
