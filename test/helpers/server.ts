// Starts a real Easel server on a free port with a temporary data dir, and an
// official `openai` client pointed at it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { pino } from "pino";
import sharp from "sharp";
import { assembleParts, closeApp, createApp, releaseParts, type AppParts } from "../../src/app.js";
import { loadConfig, type Config } from "../../src/config.js";
import { sharedServices, type SharedServices } from "./shared-services.js";

export interface TestServer {
  baseURL: string;
  /** Base URL without /v1, for raw requests. */
  origin: string;
  client: OpenAI;
  parts: AppParts;
  /** The inner server, when this one is in front of another Easel (startBehindUpstream). */
  upstream?: TestServer;
  close: () => Promise<void>;
}

export interface StartOptions {
  apiKey?: string;
  /** Swaps parts (for example a registry with a test engine). */
  parts?: (config: Config) => Partial<AppParts>;
  /** Start this server as it is, even when EASEL_TEST_VIA_UPSTREAM=1 (see startBehindUpstream). */
  local?: boolean;
  /** Serve from this data dir and keep it on close (to restart on it); by default a fresh one, removed on close. */
  dataDir?: string;
  /** Run in the shared mode (PostgreSQL store, BullMQ queue, an in-process worker), with a database and Redis prefix of its own. */
  shared?: boolean;
  /** Environment variables for loadConfig beside the data dir (a test's own shared-mode URLs, say). */
  env?: Record<string, string>;
}

/**
 * With EASEL_TEST_SHARED=1 (`npm test` runs the Image and Responses API
 * suites a second time so), every server the suites start runs in the shared
 * mode: its store is a fresh PostgreSQL database and its jobs go through
 * BullMQ on Redis to a worker in the same process, role `all`.
 */
export const viaShared = process.env.EASEL_TEST_SHARED === "1";

export async function startServer(overrides: Partial<Config> = {}, options: StartOptions = {}): Promise<TestServer> {
  if (viaUpstream && !options.local) return startBehindUpstream(overrides, options);
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "easel-test-"));
  // Pictures are moderated in test/api/picture-moderation.test.ts and in the tests that run the built
  // server; elsewhere classifying every picture would only slow the suite down.
  const services: SharedServices | undefined = (options.shared ?? (viaShared && !options.dataDir && !options.env)) ? await sharedServices() : undefined;
  const env = { EASEL_DATA_DIR: dataDir, ...options.env, ...(services ? { EASEL_DATABASE_URL: services.databaseUrl, EASEL_REDIS_URL: services.redisUrl, EASEL_REDIS_PREFIX: services.redisPrefix } : {}) };
  const config = loadConfig(env, { logLevel: "silent", concurrency: 2, moderatePictures: false, ...overrides });
  const parts = await assembleParts(config, { logger: pino({ level: "silent" }), ...options.parts?.(config) });
  await parts.worker?.start();
  const app = createApp(parts);
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address() as { port: number };
  const origin = `http://127.0.0.1:${address.port}`;
  const client = new OpenAI({ baseURL: `${origin}/v1`, apiKey: options.apiKey ?? "test-key", maxRetries: 0, timeout: 60_000 });
  return {
    baseURL: `${origin}/v1`,
    origin,
    client,
    parts,
    close: async () => {
      await closeApp(app);
      await releaseParts(parts);
      await services?.drop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * With EASEL_TEST_VIA_UPSTREAM=1 (`npm test` runs the Image API suites a second
 * time so), startServer starts Easel in front of Easel: an inner server as it
 * would otherwise start, and the outer one the test drives, whose compose
 * models all become `upstream` models of the same name and family pointing at
 * the inner one (seed forwarded, partial images streamed and relayed). A test
 * that can only hold for a local engine would be left out of that run with
 * `it.skipIf(viaUpstream)` and its reason in a comment; none needs to be today.
 */
export const viaUpstream = process.env.EASEL_TEST_VIA_UPSTREAM === "1";

export async function startBehindUpstream(overrides: Partial<Config> = {}, options: StartOptions = {}): Promise<TestServer> {
  const inner = await startServer(overrides.models ? { models: overrides.models } : {}, { local: true });
  const models = Object.fromEntries(
    Object.entries(overrides.models ?? loadConfig({}).models).map(([id, model]) => [
      id,
      model.alias !== undefined || model.engine !== "compose"
        ? model
        : { ...model, engine: "upstream", options: { baseUrl: inner.baseURL, seed: true, streaming: true } },
    ]),
  );
  const outer = await startServer({ ...overrides, models }, { ...options, local: true });
  return {
    ...outer,
    upstream: inner,
    close: async () => {
      await outer.close();
      await inner.close();
    },
  };
}

export interface Decoded {
  format: string;
  width: number;
  height: number;
  channels: number;
  hasAlpha: boolean;
  pixels: Buffer;
}

/** Decodes a returned picture into RGBA pixels plus what its header says. */
export async function decode(bytesOrBase64: Buffer | string): Promise<Decoded> {
  const bytes = typeof bytesOrBase64 === "string" ? Buffer.from(bytesOrBase64, "base64") : bytesOrBase64;
  const meta = await sharp(bytes).metadata();
  const { data } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { format: meta.format!, width: meta.width!, height: meta.height!, channels: meta.channels!, hasAlpha: meta.hasAlpha!, pixels: data };
}

/** Standard deviation of the RGB values: near 0 for a blank picture. */
export function pixelSpread(pixels: Buffer): number {
  let sum = 0;
  let sumSq = 0;
  let count = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    for (let c = 0; c < 3; c++) {
      sum += pixels[i + c];
      sumSq += pixels[i + c] ** 2;
      count++;
    }
  }
  const mean = sum / count;
  return Math.sqrt(sumSq / count - mean * mean);
}

export function alphaAt(image: Decoded, x: number, y: number): number {
  return image.pixels[(y * image.width + x) * 4 + 3];
}

/** A test picture: a gradient with a shape, optionally with alpha. */
export async function makeImage(width: number, height: number, format: "png" | "jpeg" | "webp" = "png", alpha = false): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g"><stop offset="0" stop-color="#3a7bd5"/><stop offset="1" stop-color="#f7b733"/></linearGradient></defs>
    ${alpha ? "" : `<rect width="100%" height="100%" fill="url(#g)"/>`}
    <circle cx="${width / 2}" cy="${height / 2}" r="${Math.min(width, height) / 4}" fill="#c0392b"/></svg>`;
  const image = sharp(Buffer.from(svg));
  if (format === "png") return image.png().toBuffer();
  if (format === "webp") return image.webp().toBuffer();
  return image.flatten({ background: "#ffffff" }).jpeg().toBuffer();
}

/** A mask with an alpha channel: transparent (editable) inside the given box, opaque elsewhere. */
export async function makeMask(width: number, height: number, box: { left: number; top: number; width: number; height: number }): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 4, 255);
  for (let y = box.top; y < box.top + box.height; y++) {
    for (let x = box.left; x < box.left + box.width; x++) pixels[(y * width + x) * 4 + 3] = 0;
  }
  return sharp(pixels, { raw: { width, height, channels: 4 } }).png().toBuffer();
}

/** The error an API call was refused with (the openai client's APIError); fails the test when it succeeds. */
export async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as { status: number; headers: Headers; error: { message: string; type: string; param: string | null; code: string | null } };
  }
  throw new Error("the request was not refused");
}
