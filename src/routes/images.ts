// /v1/images: generations, edits (multipart or JSON), variations, and the
// signed URLs behind `response_format: "url"`. Handlers only turn wire input
// into the request model and the result back into OpenAI's wire shapes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AppParts } from "../app.js";
import { ApiError, errors } from "../errors.js";
import { PictureJson } from "../http/json-pictures.js";
import { disconnectSignal, SseStream } from "../http/sse.js";
import { MAX_FILE_BYTES, readForm, type Form, type FormFile } from "../http/multipart.js";
import { resolveImageRef, storedFiles } from "../http/image-refs.js";
import type { ImageUpload } from "../imaging/decode.js";
import { MIME_TYPES } from "../imaging/encode.js";
import type { Endpoint } from "../models/families.js";
import { createImages, type ImagesResult } from "../pipeline.js";
import { coerceFormFields, prepareImageRequest, type ImageRequest, type Uploads } from "../request-model.js";
import { expectedUsage } from "../usage.js";

export function imagesRoutes(app: FastifyInstance, parts: AppParts): void {
  const { config, queue, store } = parts;
  const urls = store.pictureUrls;
  const fetchPolicy = { maxBytes: MAX_FILE_BYTES, timeoutMs: 15_000, allowPrivateAddresses: config.allowPrivateImageUrls };

  /** Everything after the wire format is known: the request model, the pipeline, the answer. */
  async function handle(endpoint: Endpoint, fields: Record<string, unknown>, uploads: Uploads, request: FastifyRequest, reply: FastifyReply) {
    const imageRequest = await prepareImageRequest(endpoint, fields, uploads, request.models, config);
    request.easelModel = imageRequest.model.id;
    // The key's daily images and tokens are reserved before the job is queued, and settled when it ends.
    const reservation = await parts.limits.reserve(request.apiKey, expectedUsage(imageRequest.job));
    if (request.apiKey) reply.headers(parts.limits.headers(request.apiKey));
    try {
      const answer = await answerWith(imageRequest, request, reply);
      if (answer.result) reservation.settle({ images: answer.result.images.length, tokens: answer.result.usage?.total_tokens ?? 0 });
      else reservation.release();
      return answer.sent;
    } catch (error) {
      reservation.release();
      throw error;
    }
  }

  async function answerWith(imageRequest: ImageRequest, request: FastifyRequest, reply: FastifyReply): Promise<{ sent: FastifyReply; result?: ImagesResult }> {
    if (imageRequest.stream) return streamImages(imageRequest, request, reply);
    const result = await createImages(imageRequest, queue, disconnectSignal(reply));
    // Beside openai-processing-ms, so the server's own overhead can be measured (bench/images.js).
    reply.header("x-easel-render-ms", result.renderMs.toFixed(1));
    const pictures = new PictureJson();
    const { stream, length } = pictures.answer(await imagesResponse(imageRequest, result, request, pictures));
    return { sent: reply.type("application/json; charset=utf-8").header("content-length", length).send(stream), result };
  }

  async function imagesResponse(imageRequest: ImageRequest, result: ImagesResult, request: FastifyRequest, pictures: PictureJson) {
    const base = config.publicUrl ?? `${request.protocol}://${request.host}`;
    const data = await Promise.all(
      result.images.map(async (bytes) => {
        const item: { b64_json?: string; url?: string; revised_prompt?: string } =
          imageRequest.responseFormat === "url"
            ? { url: base + (await urls.save(bytes, imageRequest.outputFormat)) }
            : { b64_json: pictures.place(bytes) };
        if (imageRequest.revisedPrompt) item.revised_prompt = imageRequest.revisedPrompt;
        return item;
      }),
    );
    const explain = explanationOf(result);
    if (!imageRequest.model.family.usage) return { created: result.created, data, ...explain };
    return { created: result.created, data, ...settingsOf(imageRequest), usage: result.usage, ...explain };
  }

  async function streamImages(imageRequest: ImageRequest, request: FastifyRequest, reply: FastifyReply): Promise<{ sent: FastifyReply; result?: ImagesResult }> {
    const prefix = imageRequest.endpoint === "edits" ? "image_edit" : "image_generation";
    const settings = settingsOf(imageRequest);
    const signal = disconnectSignal(reply);
    // The stream opens with the first event, so refusals before any work (a full queue) keep their status.
    let stream: SseStream | undefined;
    const send = (event: string, data: object) => (stream ??= new SseStream(reply, request)).send(event, data);
    const createdAt = () => Math.floor(Date.now() / 1000);
    let result: ImagesResult | undefined;
    try {
      result = await createImages(imageRequest, queue, signal, (bytes, index) =>
        send(`${prefix}.partial_image`, {
          type: `${prefix}.partial_image`, b64_json: bytes.toString("base64"), created_at: createdAt(), ...settings, partial_image_index: index,
        }),
      );
      const explain = explanationOf(result);
      for (const bytes of result.images) {
        await send(`${prefix}.completed`, {
          type: `${prefix}.completed`, b64_json: bytes.toString("base64"), created_at: createdAt(), ...settings, usage: result!.usage, ...explain,
        });
      }
    } catch (error) {
      if (!stream) throw error;
      const apiError = error instanceof ApiError ? error : errors.internal(request.id);
      if (!(error instanceof ApiError) && !signal.aborted) request.log.error({ err: error }, "stream failed");
      await stream.send("error", { type: "error", ...apiError.toJSON() });
    } finally {
      stream?.end();
    }
    return { sent: reply, result };
  }

  const generations = (request: FastifyRequest, reply: FastifyReply) =>
    handle("generations", jsonBody(request), { images: [] }, request, reply);
  app.post("/v1/images/generations", generations);
  // The guide's transparent-background curl example posts to /v1/images.
  app.post("/v1/images", generations);

  app.post("/v1/images/edits", async (request, reply) => {
    if (request.isMultipart()) {
      const form = await readForm(request, reply, parts.uploads, config.maxUploadBytes);
      return handle("edits", coerceFormFields(form.fields), formUploads(form, true), request, reply);
    }
    const { images, mask, ...fields } = jsonBody(request);
    if (images === undefined) throw errors.missingParam("images");
    if (!Array.isArray(images)) throw errors.invalidType("images", "an array", images);
    if (images.length > 16) throw errors.tooManyItems("images", 16, images.length);
    const readFile = storedFiles(store.files, request.owner, MAX_FILE_BYTES);
    const uploads: Uploads = {
      images: await Promise.all(images.map((ref, i) => resolveImageRef(ref, `images[${i}]`, fetchPolicy, readFile))),
      mask: mask == null ? undefined : await resolveImageRef(mask, "mask", fetchPolicy, readFile),
    };
    return handle("edits", fields, uploads, request, reply);
  });

  app.post("/v1/images/variations", async (request, reply) => {
    const form = await readForm(request, reply, parts.uploads, config.maxUploadBytes);
    return handle("variations", coerceFormFields(form.fields), formUploads(form, false), request, reply);
  });

  app.get<{ Params: { name: string }; Querystring: { se?: string; sig?: string } }>("/v1/images/content/:name", async (request, reply) => {
    const file = await urls.open(request.params.name, request.query.se ?? "", request.query.sig ?? "");
    if (!file) throw errors.imageUrlExpired();
    return reply.type(MIME_TYPES[file.format]).header("cache-control", "private, max-age=3600").send(file.bytes);
  });
}

/** `{ explain: plan }` when the request asked for the engine's plan (Easel's `explain` extension); nothing otherwise. */
function explanationOf(result: ImagesResult): { explain?: Record<string, unknown> | null } {
  return result.explain === undefined ? {} : { explain: result.explain };
}

/** The settings OpenAI echoes for GPT image models, with `auto` resolved. */
function settingsOf({ job, outputFormat }: ImageRequest) {
  return { size: `${job.width}x${job.height}`, quality: job.quality, background: job.background, output_format: outputFormat };
}

function jsonBody(request: FastifyRequest): Record<string, unknown> {
  const contentType = request.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(contentType)) throw errors.unsupportedContentType(contentType, "application/json");
  const body = request.body;
  if (body === undefined || body === null) throw errors.invalidBody("expected a JSON object.");
  if (typeof body !== "object" || Array.isArray(body)) throw errors.invalidBody("expected a JSON object.");
  return body as Record<string, unknown>;
}

/** `image`, `image[]` or `image[0]`… hold the pictures; `mask` the mask. Anything else is refused. */
function formUploads(form: Form, allowMask: boolean): Uploads {
  const uploads: Uploads = { images: [] };
  const upload = (param: string, file: FormFile): ImageUpload => (file.bytes ? { param, bytes: file.bytes } : { param, path: file.path, size: file.size });
  for (const file of form.files) {
    if (/^image(\[\d*\])?$/.test(file.field)) uploads.images.push(upload(`image[${uploads.images.length}]`, file));
    else if (file.field === "mask" && allowMask && !uploads.mask) uploads.mask = upload("mask", file);
    else throw errors.unknownParam(file.field);
  }
  if (uploads.images.length === 1) uploads.images[0].param = "image";
  for (const name of ["image", "image[]", "mask"]) {
    if (name in form.fields) throw errors.invalidType(name, "a file", form.fields[name]);
  }
  return uploads;
}
