// The playground: the web page built from playground/ by `npm run build`
// (Vite writes it to dist/playground), served at / and /playground. It is
// static and public; everything it does goes through the public API with the
// key its user gives it.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";
import { errors } from "../errors.js";

/** dist/playground, from src/routes (tests, tsx) and from dist/routes (the built server) alike. */
const PLAYGROUND_DIR = fileURLToPath(new URL("../../dist/playground/", import.meta.url));

/**
 * The page may load only its own files and talk only to this server; images
 * it shows come from the API as data: or blob: URLs or signed /v1 URLs.
 */
const SECURITY_HEADERS = {
  "content-security-policy": [
    "default-src 'self'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "style-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; "),
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

export function playgroundRoutes(app: FastifyInstance): void {
  if (!existsSync(PLAYGROUND_DIR)) {
    const notBuilt = async () => {
      throw errors.playgroundNotBuilt();
    };
    app.get("/", notBuilt);
    app.get("/playground", notBuilt);
    return;
  }
  // Vite names assets by content hash, so they may be cached for good; the page itself is checked each time.
  app.register(fastifyStatic, {
    root: PLAYGROUND_DIR,
    prefix: "/playground/",
    maxAge: "365d",
    immutable: true,
    setHeaders: (reply) => reply.headers(SECURITY_HEADERS),
  });
  const page = (_request: unknown, reply: FastifyReply) => reply.headers(SECURITY_HEADERS).sendFile("index.html", { maxAge: 0, immutable: false });
  app.get("/", page);
  app.get("/playground", page);
}
