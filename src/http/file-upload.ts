// Reads POST /v1/files' multipart body (`file`, `purpose`, optional
// `expires_after`) and streams the file straight into a pending blob, never
// holding it whole in memory. Every malformed, incomplete or oversized body
// becomes an OpenAI-shaped 4xx, and a refused upload leaves nothing behind.
import type { FastifyRequest } from "fastify";
import { ApiError, errors } from "../errors.js";
import { BodyTimeoutError } from "./stalls.js";
import { BlobTooLargeError, type BlobWriter, type PendingBlob } from "../store/store.js";

/** The purposes OpenAI's CreateFileRequest takes. */
export const FILE_PURPOSES = ["assistants", "batch", "fine-tune", "vision", "user_data", "evals"] as const;

/** `expires_after.seconds` bounds, and the default for `batch` files (30 days). */
const MIN_EXPIRY = 3600;
const MAX_EXPIRY = 2_592_000;

/** Room for the text fields and multipart framing beside the file. */
const FORM_OVERHEAD = 1024 * 1024;

const MAX_FILENAME = 1024;

export interface FileUpload {
  blob: PendingBlob;
  filename: string;
  contentType: string;
  purpose: string;
  expiresAfterSeconds?: number;
}

export async function readFileUpload(request: FastifyRequest, blobs: BlobWriter, maxFileBytes: number): Promise<FileUpload> {
  if (!request.isMultipart()) throw errors.unsupportedContentType(request.headers["content-type"] ?? "", "multipart/form-data");
  const declared = Number(request.headers["content-length"]);
  if (declared > maxFileBytes + FORM_OVERHEAD) throw errors.fileTooLarge(maxFileBytes);

  const fields: Record<string, unknown> = {};
  let file: Omit<FileUpload, "purpose" | "expiresAfterSeconds"> | undefined;
  // A refusal found mid-body is raised once the body has been read, so the client gets the answer.
  let refusal: ApiError | undefined;
  try {
    const parts = request.parts({ limits: { fileSize: maxFileBytes, files: 4, fields: 8, fieldSize: 64 * 1024, parts: 12 } });
    for await (const part of parts) {
      const repeated = part.fieldname in fields || (part.fieldname === "file" && file !== undefined);
      if (repeated) refusal ??= errors.invalidBody(`the field '${part.fieldname}' appears more than once.`);
      if (part.type === "field") {
        fields[part.fieldname] = part.value;
        continue;
      }
      if (part.fieldname !== "file") refusal ??= errors.unknownParam(part.fieldname);
      const filename = wellFormed(part.filename || "file");
      if (filename.length > MAX_FILENAME) refusal ??= errors.stringTooLong("file.filename", MAX_FILENAME, filename.length);
      if (refusal) {
        part.file.resume();
        continue;
      }
      const blob = await blobs.write(part.file, maxFileBytes);
      file = { blob, filename, contentType: contentTypeOf(part.mimetype, part.filename) };
      if (part.file.truncated) refusal ??= errors.fileTooLarge(maxFileBytes);
    }
  } catch (error) {
    if (file) await blobs.discard(file.blob);
    throw toUploadError(error, maxFileBytes);
  }
  try {
    if (refusal) throw refusal;
    const form = checkFields(fields, file !== undefined);
    return { ...file!, ...form };
  } catch (error) {
    if (file) await blobs.discard(file.blob);
    throw error;
  }
}

function checkFields(fields: Record<string, unknown>, hasFile: boolean): Pick<FileUpload, "purpose" | "expiresAfterSeconds"> {
  const { file, purpose, expires_after: expiresAfter, ...rest } = fields;
  const anchor = rest["expires_after[anchor]"];
  const seconds = rest["expires_after[seconds]"];
  delete rest["expires_after[anchor]"];
  delete rest["expires_after[seconds]"];
  const unknown = Object.keys(rest)[0];
  if (unknown) throw errors.unknownParam(unknown);
  if (file !== undefined) throw errors.invalidType("file", "a file", file);
  if (!hasFile) throw errors.missingParam("file");
  if (purpose === undefined) throw errors.missingParam("purpose");
  if (typeof purpose !== "string" || !(FILE_PURPOSES as readonly string[]).includes(purpose)) {
    throw errors.invalidValue("purpose", purpose, FILE_PURPOSES);
  }
  let expiry: { anchor?: unknown; seconds?: unknown } | undefined;
  if (expiresAfter !== undefined) {
    const parsed = typeof expiresAfter === "string" ? parseJson(expiresAfter) : expiresAfter;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw errors.invalidType("expires_after", "an object", parsed);
    expiry = parsed as typeof expiry;
  } else if (anchor !== undefined || seconds !== undefined) {
    expiry = { anchor, seconds };
  }
  if (!expiry) return { purpose, expiresAfterSeconds: purpose === "batch" ? MAX_EXPIRY : undefined };
  return { purpose, expiresAfterSeconds: checkExpiry(expiry) };
}

function checkExpiry({ anchor, seconds, ...rest }: { anchor?: unknown; seconds?: unknown }): number {
  const unknown = Object.keys(rest)[0];
  if (unknown) throw errors.unknownParam(`expires_after.${unknown}`);
  if (anchor === undefined) throw errors.missingParam("expires_after.anchor");
  if (anchor !== "created_at") throw errors.invalidValue("expires_after.anchor", anchor, ["created_at"]);
  if (seconds === undefined) throw errors.missingParam("expires_after.seconds");
  const value = typeof seconds === "string" && /^-?\d+$/.test(seconds) ? Number(seconds) : seconds;
  if (typeof value !== "number" || !Number.isInteger(value)) throw errors.invalidType("expires_after.seconds", "an integer", seconds);
  if (value < MIN_EXPIRY) throw errors.belowMin("expires_after.seconds", MIN_EXPIRY, value);
  if (value > MAX_EXPIRY) throw errors.aboveMax("expires_after.seconds", MAX_EXPIRY, value);
  return value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}


function toUploadError(error: unknown, maxFileBytes: number): ApiError | Error {
  if (error instanceof ApiError || error instanceof BodyTimeoutError) return error;
  if (error instanceof BlobTooLargeError) return errors.fileTooLarge(maxFileBytes);
  const { code, message } = error as { code?: string; message?: string };
  if (code === "FST_REQ_FILE_TOO_LARGE") return errors.fileTooLarge(maxFileBytes);
  if (code === "FST_FILES_LIMIT") return errors.invalidBody("send exactly one file, in the field 'file'.");
  if (code === "FST_MP_PREMATURE_CLOSE") return errors.invalidBody("the request ended before the multipart body did.");
  if (code === "FST_PARTS_LIMIT" || code === "FST_FIELDS_LIMIT") return errors.invalidBody("too many fields.");
  if (code === "FST_PROTO_VIOLATION") return errors.invalidBody("a field name is not allowed.");
  if (code === "FST_INVALID_JSON_FIELD_ERROR") return errors.invalidBody("a JSON field could not be parsed.");
  // Disk and other system faults are the server's, not the client's.
  if (typeof code === "string" && /^E[A-Z]+$/.test(code) && code !== "ECONNRESET") return error as Error;
  return errors.invalidBody(`malformed multipart/form-data (${message ?? "unreadable"}).`);
}

/**
 * The name as it will be stored and listed: a half of a UTF-16 pair without
 * its other half (a `filename*` in UTF-16 can carry one) cannot be stored as
 * UTF-8, so it becomes U+FFFD here, and the answer to the upload says so too.
 */
function wellFormed(name: string): string {
  // NUL too: no text column of PostgreSQL can hold it, and the name is kept alike in both stores.
  return name.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\0/g, "\uFFFD");
}

/** The part's content type, or one guessed from the file name when the client sent a generic one. */
function contentTypeOf(mimetype: string | undefined, filename: string | undefined): string {
  if (mimetype && mimetype !== "application/octet-stream" && /^[\w.+-]+\/[\w.+-]+/.test(mimetype)) return mimetype;
  const extension = /\.([A-Za-z0-9]+)$/.exec(filename ?? "")?.[1]?.toLowerCase() ?? "";
  return BY_EXTENSION[extension] ?? "application/octet-stream";
}

const BY_EXTENSION: Record<string, string> = {
  png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", webp: "image/webp", gif: "image/gif",
  pdf: "application/pdf", json: "application/json", jsonl: "application/jsonl", txt: "text/plain",
  csv: "text/csv", md: "text/markdown",
};
