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
export const PLAYGROUND_DIR = fileURLToPath(new URL("../../dist/playground/", import.meta.url));

/**
 * The page may load only its own files and talk only to this server; images
 * it shows come from the API as data: or blob: URLs or signed /v1 URLs.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "style-src 'self'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

function securityHeaders(reply: FastifyReply | { setHeader(name: string, value: string): void }): void {
  const set = "setHeader" in reply ? reply.setHeader.bind(reply) : reply.header.bind(reply);
  set("content-security-policy", CONTENT_SECURITY_POLICY);
  set("x-content-type-options", "nosniff");
  set("referrer-policy", "no-referrer");
}

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
    setHeaders: (response) => securityHeaders(response),
  });
  const page = (_request: unknown, reply: FastifyReply) => {
    securityHeaders(reply);
    return reply.sendFile("index.html", { maxAge: 0, immutable: false });
  };
  app.get("/", page);
  app.get("/playground", page);
}
