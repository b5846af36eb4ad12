// The hostile probe, made the project's own: seeded property tests that send
// the server what fast-check makes of each endpoint's fields (valid values,
// wrong types, objects whose toString cannot be called, huge and odd text,
// deep nesting, unknown keys), and raw bodies, forms and paths. Whatever
// comes in, nothing answers 5xx (or streams a server_error), and every 4xx
// is OpenAI's error shape exactly. The models draw with a fast engine so
// that thousands of cases run in seconds; compose has a property of its own.
import fc from "fast-check";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine, ImageJob, RawImage } from "../../src/engines/engine.js";
import { engineFactories } from "../../src/engines/index.js";
import { ModelRegistry } from "../../src/models/registry.js";
import { startServer, type TestServer } from "../helpers/server.js";

/** Solid pictures of the job's size, with its partial images: the HTTP layer is what is under test here. */
const fastEngine: Engine = {
  name: "fast",
  async run(job: ImageJob, { onPartial }): Promise<RawImage[]> {
    const frame = { data: Buffer.alloc(job.width * job.height * 4, 128), width: job.width, height: job.height };
    for (let i = 0; i < job.partialImages; i++) onPartial?.(frame, i);
    return Array.from({ length: job.n }, () => frame);
  },
};

/** Fixed, so CI runs the same cases each time; EASEL_FUZZ_SEED explores others. */
const SEED = Number(process.env.EASEL_FUZZ_SEED ?? 20261202);
let server: TestServer;
let png: string;
let square: Buffer;

beforeAll(async () => {
  const fast = (family: "gpt-image" | "dall-e-2" | "dall-e-3") => ({ engine: "fast", family, options: {}, ownedBy: "easel" });
  const models = { "gpt-image-1": fast("gpt-image"), "gpt-image-1-mini": fast("gpt-image"), "dall-e-2": fast("dall-e-2"), "dall-e-3": fast("dall-e-3"), compose: { engine: "compose", family: "gpt-image" as const, options: {}, ownedBy: "easel" } };
  server = await startServer(
    { models, queueLimit: 1000, defaultGptImageModel: "gpt-image-1" },
    { local: true, parts: (config) => ({ registry: new ModelRegistry(models, { ...engineFactories, fast: () => fastEngine }, { cacheDir: `${config.dataDir}/cache`, threads: 2 }) }) },
  );
  square = await sharp({ create: { width: 64, height: 64, channels: 4, background: "#c33" } }).png().toBuffer();
  png = square.toString("base64");
});
afterAll(() => server.close());

/** Any status but 5xx; a 4xx in OpenAI's exact shape; a stream without a server error. */
async function check(response: Response): Promise<void> {
  const text = await response.text();
  const where = `${response.status} ${text.slice(0, 300)}`;
  expect(response.status, where).toBeLessThan(500);
  expect(response.headers.get("x-request-id"), where).toMatch(/^req_/);
  if (response.status >= 400) {
    const body = JSON.parse(text);
    expect(Object.keys(body), where).toEqual(["error"]);
    expect(Object.keys(body.error).sort(), where).toEqual(["code", "message", "param", "type"]);
    expect(typeof body.error.message, where).toBe("string");
    for (const key of ["param", "code"]) expect(body.error[key] === null || typeof body.error[key] === "string", where).toBe(true);
  }
  if (response.headers.get("content-type")?.startsWith("text/event-stream")) expect(text, where).not.toMatch(/"server_error"/);
}

const send = (path: string, body: BodyInit, contentType?: string, method = "POST") =>
  fetch(`${server.origin}${path}`, { method, body, headers: contentType ? { "content-type": contentType } : {} }).then(check);
const sendJson = (path: string, body: unknown) => send(path, JSON.stringify(body), "application/json");

// Values a field might hold: what the schema allows, and what a hostile client sends instead.
const notCallable = fc.constant({ toString: 1, valueOf: 1 });
const deep = fc.integer({ min: 1, max: 200 }).map((depth) => JSON.parse("[".repeat(depth) + "]".repeat(depth)));
const oddText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom("", " ", "\u0000", "a sign that says '\u0007'", "<|endoftext|>", "\ud800", "%ff", "'\"", "猫".repeat(3000), "x".repeat(40_000)),
);
const weird = fc.oneof(notCallable, deep, oddText, fc.boolean(), fc.integer(), fc.double(), fc.constant(null), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), fc.object({ maxDepth: 2 }));
const field = <T>(...valid: T[]) => fc.constantFrom(...valid);

/** A body of allowed values, then up to two of its fields (or new keys) replaced by hostile ones: most cases get past the first check. */
function mutated<T extends Record<string, unknown>>(body: fc.Arbitrary<T>, keys: string[]): fc.Arbitrary<Record<string, unknown>> {
  const key = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
  return fc.tuple(body, fc.array(fc.tuple(key, weird), { maxLength: 2 })).map(([valid, changes]) => ({ ...valid, ...Object.fromEntries(changes) }));
}

const imageFields = {
  prompt: fc.oneof(fc.constantFrom("a cat", "a sticker of a fox", "a red barn at sunset"), oddText),
  model: field("gpt-image-1", "gpt-image-1-mini", "dall-e-2", "dall-e-3", "no-such-model"),
  n: field(1, 2, 10),
  quality: field("low", "medium", "high", "auto", "standard", "hd"),
  size: field("1024x1024", "1536x1024", "1024x1536", "256x256", "512x512", "auto"),
  response_format: field("b64_json", "url"),
  output_format: field("png", "jpeg", "webp"),
  output_compression: field(0, 50, 100),
  background: field("transparent", "opaque", "auto"),
  moderation: field("low", "auto"),
  style: field("vivid", "natural"),
  stream: field(true, false),
  partial_images: field(0, 1, 3),
  input_fidelity: field("low", "high"),
  user: field("user-1"),
  seed: field(0, 42, 4294967295),
  negative_prompt: field("blurry"),
  guidance_scale: field(0, 7.5, 50),
  strength: field(0.01, 0.5, 1),
  steps: field(1, 20, 200),
  explain: field(true, false),
};

/** A few of `fields` (those in `required` always), each with an allowed value. */
function someOf(fields: Record<string, fc.Arbitrary<unknown>>, required: string[], most = 4): fc.Arbitrary<Record<string, unknown>> {
  const optional = Object.keys(fields).filter((key) => !required.includes(key));
  const pick = (keys: string[]) => fc.tuple(...keys.map((key) => fields[key].map((value) => [key, value] as const)));
  return fc
    .tuple(pick(required), fc.subarray(optional, { maxLength: most }).chain((keys) => (keys.length ? pick(keys) : fc.constant([] as (readonly [string, unknown])[]))))
    .map(([base, extra]) => Object.fromEntries([...base, ...extra]));
}

const imageBody = mutated(someOf(imageFields, ["prompt", "model"]), Object.keys(imageFields));
const imageRef = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined).map(() => ({ image_url: `data:image/png;base64,${png}` })) },
  { weight: 1, arbitrary: fc.record({ image_url: fc.oneof(oddText, fc.constantFrom("data:image/png;base64,AAAA", "data:,", "http://[::1]:1/x.png", "ftp://x/y", "https://name.invalid/x.png")) }) },
  { weight: 1, arbitrary: fc.record({ file_id: fc.oneof(oddText, fc.constant("file-none")) }) },
  { weight: 1, arbitrary: weird },
);

describe("the server under fuzzed requests", () => {
  it("answers every generations body without a 5xx", async () => {
    await fc.assert(fc.asyncProperty(imageBody, (body) => sendJson("/v1/images/generations", body)), { seed: SEED, numRuns: 1500 });
  }, 300_000);

  it("answers every JSON edits body without a 5xx", async () => {
    const edit = fc.tuple(imageBody, fc.oneof({ weight: 4, arbitrary: fc.array(imageRef, { minLength: 1, maxLength: 3 }) }, { weight: 1, arbitrary: weird }), fc.option(imageRef)).map(([body, images, mask]) => ({ images, ...(mask === null ? {} : { mask }), ...body }));
    await fc.assert(fc.asyncProperty(edit, (body) => sendJson("/v1/images/edits", body)), { seed: SEED, numRuns: 1000 });
  }, 300_000);

  it("answers every Responses body without a 5xx", async () => {
    const tool = fc.record(
      { type: fc.oneof({ weight: 5, arbitrary: field("image_generation", "function", "web_search") }, { weight: 1, arbitrary: weird }), quality: imageFields.quality, size: imageFields.size, output_format: imageFields.output_format, background: imageFields.background, partial_images: imageFields.partial_images, action: field("generate", "edit", "auto"), model: field("gpt-image-1", "dall-e-3"), input_image_mask: fc.option(imageRef) },
      { requiredKeys: ["type"] },
    ).map((options) => Object.fromEntries(Object.entries(options).filter((_, i) => i < 3)));
    const part = fc.oneof(
      fc.record({ type: fc.constant("input_text"), text: fc.oneof(fc.constant("draw a cat"), oddText) }),
      fc.record({ type: fc.constant("input_image"), image_url: fc.oneof(fc.constant(`data:image/png;base64,${png}`), oddText), detail: field("auto", "low") }, { requiredKeys: ["type"] }),
      fc.record({ type: weird, text: weird }, { requiredKeys: [] }),
    );
    const item = fc.oneof(
      fc.record({ role: field("user", "assistant", "system"), content: fc.oneof(fc.constant("make it blue"), fc.array(part, { maxLength: 3 }), weird) }, { requiredKeys: ["role", "content"] }),
      fc.record({ type: field("item_reference", "image_generation_call", "message", "function_call"), id: fc.oneof(fc.constant("ig_123"), oddText) }, { requiredKeys: ["type"] }),
      weird,
    );
    const fields = {
          model: field("gpt-5", "gpt-4.1"),
          input: fc.oneof(fc.constant("Generate an image of a gray tabby cat"), fc.array(item, { maxLength: 3 })),
          instructions: fc.oneof(fc.constant("be brief"), oddText),
          tools: fc.array(tool, { minLength: 1, maxLength: 2 }),
          tool_choice: field<unknown>("auto", "none", "required", { type: "image_generation" }),
          previous_response_id: field("resp_none"),
          store: field(true, false),
          stream: field(true, false),
          background: field(true, false),
          metadata: fc.dictionary(fc.string({ maxLength: 70 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
          temperature: field(0, 1, 2.5),
          text: fc.record({ format: fc.record({ type: field("text", "json_schema") }) }),
          truncation: field("auto", "disabled"),
    };
    const body = mutated(someOf(fields, ["model", "input", "tools"]), Object.keys(fields));
    await fc.assert(fc.asyncProperty(body, (request) => sendJson("/v1/responses", request)), { seed: SEED, numRuns: 1000 });
  }, 300_000);

  it("answers every multipart form without a 5xx", async () => {
    const value = fc.oneof(fc.constantFrom("gpt-image-1", "dall-e-2", "a cat", "2", "true", "vision", "created_at", "3600", "auto", "png"), fc.string({ unit: "binary", maxLength: 30 }));
    const fileBytes = fc.oneof(fc.constant("png"), fc.uint8Array({ maxLength: 300 }));
    const entry = fc.oneof(
      fc.tuple(fc.constantFrom("model", "prompt", "n", "size", "purpose", "stream", "background", "expires_after[anchor]", "expires_after[seconds]", "expires_after", "image", "mask"), value),
      fc.tuple(fc.constantFrom("image", "image[]", "mask", "file", "other"), fileBytes, fc.string({ maxLength: 20 })),
    );
    const target = fc.constantFrom("/v1/images/edits", "/v1/images/variations", "/v1/files");
    // Half the forms start as a valid request for their endpoint; the rest are whatever the entries make.
    const validStart: Record<string, [string, string, string?][]> = {
      "/v1/images/edits": [["model", "gpt-image-1"], ["prompt", "add a hat"], ["image", "png", "a.png"]],
      "/v1/images/variations": [["model", "dall-e-2"], ["image", "png", "a.png"]],
      "/v1/files": [["purpose", "vision"], ["file", "png", "a.png"]],
    };
    await fc.assert(
      fc.asyncProperty(target, fc.boolean(), fc.array(entry, { maxLength: 4 }), async (path, fromValid, extra) => {
        const entries = [...(fromValid ? validStart[path] : []), ...extra];
        const form = new FormData();
        for (const [name, content, filename] of entries) {
          if (filename === undefined) form.append(name, content as string);
          else if (content === "png" && path === "/v1/images/variations") form.append(name, new Blob([new Uint8Array(square)]), filename);
          else form.append(name, new Blob([new Uint8Array(content === "png" ? Buffer.from(png, "base64") : (content as Uint8Array))]), filename);
        }
        await send(path, form);
      }),
      { seed: SEED, numRuns: 800 },
    );
  }, 300_000);

  it("answers raw bodies, content types and paths without a 5xx", async () => {
    const rawBody = fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), fc.constantFrom("", "{", '{"prompt":', "null", "[]", '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}'));
    const type = fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", "multipart/form-data", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", undefined);
    const path = fc.oneof(
      fc.constantFrom("/v1/images/generations", "/v1/images/edits", "/v1/images/variations", "/v1/responses", "/v1/files", "/v1/images"),
      fc.tuple(fc.constantFrom("/v1/files/", "/v1/responses/", "/v1/models/", "/v1/images/content/"), fc.oneof(fc.string({ maxLength: 30 }).map(encodeURIComponent), fc.constantFrom("%ff%fe", "%", "%c0%af", "..%2f..", "x".repeat(300)))).map(([a, b]) => a + b),
    );
    const method = fc.constantFrom("GET", "POST", "DELETE", "PUT");
    await fc.assert(
      fc.asyncProperty(method, path, type, rawBody, async (verb, where, contentType, body) => {
        await send(where, verb === "GET" ? (undefined as unknown as BodyInit) : body, verb === "GET" ? undefined : contentType, verb);
      }),
      { seed: SEED, numRuns: 700 },
    );
  }, 300_000);

  it("draws whatever prompt compose is given", async () => {
    const prompt = fc.oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: 200 }), fc.string({ unit: "binary", minLength: 1, maxLength: 80 }), fc.lorem({ maxCount: 30 }));
    await fc.assert(
      fc.asyncProperty(prompt, fc.constantFrom("low", "medium"), (text, quality) => sendJson("/v1/images/generations", { model: "compose", prompt: text, quality, size: "1024x1024" })),
      { seed: SEED, numRuns: 150 },
    );
  }, 300_000);
});
