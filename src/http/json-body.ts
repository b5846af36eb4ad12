// JSON bodies: Fastify's own parser (prototype-poisoning guard included),
// then a depth check. Nothing a client sends may be nested deeper than
// MAX_DEPTH: every schema here is a few levels deep, and code that walks a
// value recursively (validation, copies) would otherwise run out of stack.
import type { FastifyInstance } from "fastify";
import { errors } from "../errors.js";

export const MAX_DEPTH = 64;

export function registerJsonParser(app: FastifyInstance, bodyLimit: number): void {
  const parse = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string", bodyLimit }, (request, body, done) => {
    parse(request, body as string, (error: Error | null, value?: unknown) => {
      if (error) return done(error, undefined);
      if (depthOf(value) > MAX_DEPTH) return done(errors.invalidBody(`the JSON is nested more than ${MAX_DEPTH} levels deep.`), undefined);
      done(null, value);
    });
  });
}

/** How deeply arrays and objects nest in a parsed value, found without recursion. */
export function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_DEPTH) return deepest;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
    }
  }
  return deepest;
}
