// Small fake upstream image servers, in the test process (node:http): they
// record what they received (JSON fields, multipart fields and files) and
// answer as a strict OpenAI Image API would, or with one of the common
// deviations, or however a test's own handler likes.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import sharp from "sharp";

export interface ReceivedFile {
  field: string;
  filename: string;
  type: string;
  bytes: Buffer;
}

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The JSON body, or the text fields of a multipart body. */
  fields: Record<string, unknown>;
  files: ReceivedFile[];
  /** The caller went away before the answer was complete. */
  aborted: boolean;
}

export interface FakeUpstream {
  /** `http://127.0.0.1:PORT/v1`, what a model's `baseUrl` option takes. */
  baseURL: string;
  origin: string;
  received: Received[];
  /** Requests being handled now, and the most at once so far. */
  inFlight: number;
  maxInFlight: number;
  close: () => Promise<void>;
}

export type Handler = (request: Received, response: ServerResponse, fake: FakeUpstream) => unknown;

/** Starts a server on a free port that records each request, then hands it to `handler`. */
export async function startFakeUpstream(handler: Handler): Promise<FakeUpstream> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const received: Received = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, fields: {}, files: [], aborted: false };
    const contentType = req.headers["content-type"] ?? "";
    if (/^application\/json/.test(contentType)) received.fields = JSON.parse(body.toString("utf8"));
    if (/^multipart\/form-data/.test(contentType)) {
      const form = await new Response(body, { headers: { "content-type": contentType } }).formData();
      for (const [field, value] of form.entries()) {
        if (typeof value === "string") received.fields[field] = value;
        else received.files.push({ field, filename: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
      }
    }
    if (!received.path.startsWith("/files/")) fake.received.push(received);
    res.on("close", () => {
      if (!res.writableFinished) received.aborted = true;
      fake.inFlight--;
    });
    fake.inFlight++;
    fake.maxInFlight = Math.max(fake.maxInFlight, fake.inFlight);
    try {
      await handler(received, res, fake);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `fake upstream failed: ${(error as Error).message}`, type: "server_error", param: null, code: null } }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const origin = `http://127.0.0.1:${port}`;
  const fake: FakeUpstream = {
    baseURL: `${origin}/v1`,
    origin,
    received: [],
    inFlight: 0,
    maxInFlight: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

export function openAiError(message: string, param: string | null = null, code: string | null = null, type = "invalid_request_error") {
  return { error: { message, type, param, code } };
}

export interface Dialect {
  /** Whose fields it takes (default gpt-image). */
  family?: "gpt-image" | "dall-e-2";
  /** Fields this upstream does not know: refused as unknown parameters. */
  lacks?: string[];
  /** Fields it takes beyond OpenAI's (for example seed). */
  takes?: string[];
  /** What it answers with: what is asked (default), only b64_json, or only url. */
  answers?: "as-asked" | "b64_json" | "url";
  /** Pictures of this size whatever was asked. */
  fixedSize?: [number, number];
  /** Picture format it answers with (default png). */
  format?: "png" | "jpeg";
  /** Never draws on transparency. */
  opaque?: boolean;
  /** Refuses n above this. */
  maxImagesPerCall?: number;
  /** Refuses more input images than this. */
  maxInputImages?: number;
  /** Streams partial images when asked to. */
  streams?: boolean;
  /** Reports usage. */
  usage?: boolean;
}

const GPT_FIELDS = {
  generations: ["model", "prompt", "n", "size", "quality", "background", "moderation", "output_format", "output_compression", "stream", "partial_images", "user"],
  edits: ["model", "prompt", "n", "size", "quality", "background", "output_format", "output_compression", "input_fidelity", "stream", "partial_images", "user"],
  variations: [] as string[],
};
const DALL_E_2_FIELDS = {
  generations: ["model", "prompt", "n", "size", "response_format", "user"],
  edits: ["model", "prompt", "n", "size", "response_format", "user"],
  variations: ["model", "n", "size", "response_format", "user"],
};

/** The usage a fake upstream reports for a call (distinct numbers, so a test can tell them from Easel's own count). */
export function fakeUsage(n: number) {
  return { input_tokens: 11, output_tokens: 1000 * n, total_tokens: 11 + 1000 * n, input_tokens_details: { text_tokens: 7, image_tokens: 4 } };
}

/**
 * A handler that answers as OpenAI's Image API does (strictly: unknown fields
 * are refused), with the deviations `dialect` names. Pictures are solid
 * colours: red channel 40 + 20 × picture index in the call, green from the
 * seed when one was sent, blue 200; transparent requests get a square on
 * transparency unless the dialect is opaque.
 */
export function openAiUpstream(dialect: Dialect = {}): Handler {
  const family = dialect.family ?? "gpt-image";
  const stored = new Map<string, Buffer>();
  let calls = 0;
  return async (request, response, fake) => {
    if (request.method === "GET" && request.path.startsWith("/files/")) {
      const bytes = stored.get(request.path.slice("/files/".length));
      if (!bytes) return sendJson(response, 404, openAiError("no such file"));
      return response.writeHead(200, { "content-type": dialect.format === "jpeg" ? "image/jpeg" : "image/png" }).end(bytes);
    }
    const match = /^\/v1\/images\/(generations|edits|variations)$/.exec(request.path);
    if (request.method !== "POST" || !match) return sendJson(response, 404, openAiError(`Invalid URL (${request.method} ${request.path})`));
    const endpoint = match[1] as "generations" | "edits" | "variations";
    const requestId = `req_fake_${++calls}`;
    const refuse = (message: string, param: string | null, code: string | null) => sendJson(response, 400, openAiError(message, param, code), { "x-request-id": requestId });

    const allowed = new Set([...(family === "gpt-image" ? GPT_FIELDS : DALL_E_2_FIELDS)[endpoint], ...(dialect.takes ?? [])]);
    if (family === "gpt-image" && dialect.answers === "url") allowed.add("response_format");
    for (const field of dialect.lacks ?? []) allowed.delete(field);
    for (const field of Object.keys(request.fields)) {
      if (!allowed.has(field)) return refuse(`Unknown parameter: '${field}'.`, field, "unknown_parameter");
    }
    const fields = request.fields;
    const responseFormat = (fields.response_format as string | undefined) ?? (family === "gpt-image" ? "b64_json" : "url");
    if (dialect.answers === "b64_json" && responseFormat !== "b64_json") return refuse("This server answers only with b64_json.", "response_format", "invalid_value");
    if (dialect.answers === "url" && responseFormat !== "url") return refuse("This server answers only with url.", "response_format", "invalid_value");
    const n = Number(fields.n ?? 1);
    if (dialect.maxImagesPerCall !== undefined && n > dialect.maxImagesPerCall) {
      return refuse(`This server makes at most ${dialect.maxImagesPerCall} image per request.`, "n", "integer_above_max_value");
    }
    const images = request.files.filter((file) => /^image(\[\])?$/.test(file.field));
    for (const file of request.files) {
      if (!/^image(\[\])?$/.test(file.field) && file.field !== "mask") return refuse(`Unknown parameter: '${file.field}'.`, file.field, "unknown_parameter");
    }
    if (endpoint !== "generations" && images.length === 0) return refuse("Missing required parameter: 'image'.", "image", "missing_required_parameter");
    if (dialect.maxInputImages !== undefined && images.length > dialect.maxInputImages) {
      return refuse(`This server takes at most ${dialect.maxInputImages} input image.`, "image", "array_above_max_length");
    }

    const [askedWidth, askedHeight] = String(fields.size ?? "1024x1024").split("x").map(Number);
    const [width, height] = dialect.fixedSize ?? [askedWidth, askedHeight];
    const transparent = fields.background === "transparent" && !dialect.opaque;
    const green = fields.seed === undefined ? 100 : Number(fields.seed) % 256;
    const picture = (index: number) => fakePicture(width, height, { r: 40 + 20 * index, g: green, b: 200 }, transparent, dialect.format ?? "png");
    const usage = dialect.usage ? fakeUsage(n) : undefined;
    const settings = family === "gpt-image" ? { size: `${width}x${height}`, quality: fields.quality ?? "medium", background: transparent ? "transparent" : "opaque", output_format: dialect.format ?? "png" } : {};

    if (dialect.streams && (fields.stream === true || fields.stream === "true")) {
      const prefix = endpoint === "edits" ? "image_edit" : "image_generation";
      response.writeHead(200, { "content-type": "text/event-stream", "x-request-id": requestId });
      const send = (event: string, data: object) => response.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
      for (let i = 0; i < Number(fields.partial_images ?? 0); i++) {
        const partial = await fakePicture(width, height, { r: 10, g: 10 + 30 * i, b: 10 }, false, "png");
        send(`${prefix}.partial_image`, { b64_json: partial.toString("base64"), partial_image_index: i, created_at: 1, ...settings });
      }
      for (let i = 0; i < n; i++) send(`${prefix}.completed`, { b64_json: (await picture(i)).toString("base64"), created_at: 1, ...settings, usage });
      return response.end();
    }

    const data = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const bytes = await picture(i);
        if (responseFormat !== "url") return { b64_json: bytes.toString("base64") };
        const name = `${requestId}-${i}.${dialect.format ?? "png"}`;
        stored.set(name, bytes);
        return { url: `${fake.origin}/files/${name}` };
      }),
    );
    sendJson(response, 200, { created: 1, data, ...settings, ...(usage ? { usage } : {}) }, { "x-request-id": requestId });
  };
}

/** A solid picture, or a square of that colour on transparency. */
export async function fakePicture(width: number, height: number, colour: { r: number; g: number; b: number }, transparent: boolean, format: "png" | "jpeg"): Promise<Buffer> {
  let image = sharp({ create: { width, height, channels: 4, background: { ...colour, alpha: transparent ? 0 : 1 } } });
  if (transparent) {
    const square = await sharp({ create: { width: Math.ceil(width / 2), height: Math.ceil(height / 2), channels: 4, background: { ...colour, alpha: 1 } } }).png().toBuffer();
    image = sharp(await image.composite([{ input: square, gravity: "centre" }]).png().toBuffer());
  }
  return format === "jpeg" ? image.flatten({ background: "#ffffff" }).jpeg().toBuffer() : image.png().toBuffer();
}

/** A model entry of the config file for the upstream engine. */
export function upstreamModel(options: Record<string, unknown>, family: "gpt-image" | "dall-e-2" | "dall-e-3" = "gpt-image") {
  return { engine: "upstream", family, options, ownedBy: "easel" };
}
