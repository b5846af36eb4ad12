// /v1/files: upload, list, retrieve, download and delete files, as OpenAI's
// Files API (OpenAIFile, ListFilesResponse, DeleteFileResponse). Every lookup
// is the caller's own: another API key's file is a 404 like a missing one.
import type { FastifyInstance } from "fastify";
import type { AppParts } from "../app.js";
import { errors } from "../errors.js";
import { readFileUpload } from "../http/file-upload.js";
import type { FileRecord } from "../store/files.js";

const MAX_LIST_LIMIT = 10_000;
const LIST_PARAMS = ["purpose", "limit", "order", "after"];

type FileParams = { Params: { file_id: string } };

export function filesRoutes(app: FastifyInstance, { config, store }: AppParts): void {
  const { files, blobs } = store;

  const find = async (owner: string, id: string): Promise<FileRecord> => {
    const file = await files.get(owner, id);
    if (!file) throw errors.fileNotFound("file_id", id);
    return file;
  };

  app.post("/v1/files", async (request) => {
    const upload = await readFileUpload(request, blobs, config.maxFileBytes);
    const { blob, ...metadata } = upload;
    return toFileObject(await files.create({ owner: request.owner, ...metadata }, blob));
  });

  app.get<{ Querystring: Record<string, unknown> }>("/v1/files", async (request) => {
    const query = request.query;
    const unknown = Object.keys(query).find((name) => !LIST_PARAMS.includes(name));
    if (unknown) throw errors.unknownParam(unknown);
    const purpose = queryString(query, "purpose");
    const after = queryString(query, "after");
    const order = queryString(query, "order") ?? "desc";
    if (order !== "asc" && order !== "desc") throw errors.invalidValue("order", order, ["asc", "desc"]);
    const limit = queryLimit(query.limit);
    const page = await files.list(request.owner, { purpose, limit, order, after });
    if (!page) throw errors.fileNotFound("after", after!);
    const data = page.files.map(toFileObject);
    return { object: "list", data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: page.hasMore };
  });

  app.get<FileParams>("/v1/files/:file_id", async (request) => toFileObject(await find(request.owner, request.params.file_id)));

  app.get<FileParams>("/v1/files/:file_id/content", async (request, reply) => {
    const file = await find(request.owner, request.params.file_id);
    const stream = await files.openStream(file);
    if (!stream) throw errors.fileNotFound("file_id", file.id);
    return reply
      .type(file.contentType)
      .header("content-length", file.bytes)
      .header("content-disposition", contentDisposition(file.filename))
      .header("x-content-type-options", "nosniff")
      .send(stream);
  });

  app.delete<FileParams>("/v1/files/:file_id", async (request) => {
    const id = request.params.file_id;
    if (!(await files.delete(request.owner, id))) throw errors.fileNotFound("file_id", id);
    return { id, object: "file", deleted: true };
  });
}

/** OpenAI's File object. `status` is deprecated but required: files are usable once stored. */
export function toFileObject(file: FileRecord) {
  return {
    id: file.id,
    object: "file",
    bytes: file.bytes,
    created_at: file.createdAt,
    ...(file.expiresAt === null ? {} : { expires_at: file.expiresAt }),
    filename: file.filename,
    purpose: file.purpose,
    status: "processed",
  };
}

function queryString(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw errors.invalidType(name, "a string", value);
  return value;
}

function queryLimit(value: unknown): number {
  if (value === undefined) return MAX_LIST_LIMIT;
  const number = typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(number)) throw errors.invalidType("limit", "an integer", value);
  if (number < 1) throw errors.belowMin("limit", 1, number);
  if (number > MAX_LIST_LIMIT) throw errors.aboveMax("limit", MAX_LIST_LIMIT, number);
  return number;
}

/** `attachment` with the name, ASCII-safe and in UTF-8 (RFC 6266). */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
