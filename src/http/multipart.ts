// Reads a multipart/form-data body into text fields and files, with limits,
// and turns every malformed or oversized body into an OpenAI-shaped error.
// Files are held in memory within the server's upload budget and spooled to
// disk beyond it (upload-memory.ts); either way they are let go once the
// answer has been sent.
import type { FastifyReply, FastifyRequest } from "fastify";
import { ApiError, errors } from "../errors.js";
import { BodyTimeoutError } from "./stalls.js";
import type { HeldPart, UploadMemory } from "./upload-memory.js";

/** OpenAI's limit for one input image; 16 images and a mask; generous room for text fields. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
export const multipartLimits = { fileSize: MAX_FILE_BYTES, files: 17, fields: 64, fieldSize: 1024 * 1024, parts: 96 };

export type FormFile = HeldPart & { field: string; filename?: string; mimetype: string };

export interface Form {
  fields: Record<string, string>;
  files: FormFile[];
}

export async function readForm(request: FastifyRequest, reply: FastifyReply, memory: UploadMemory, maxTotalBytes: number): Promise<Form> {
  if (!request.isMultipart()) {
    throw errors.unsupportedContentType(request.headers["content-type"] ?? "", "multipart/form-data");
  }
  const form: Form = { fields: {}, files: [] };
  reply.raw.once("close", () => form.files.forEach((file) => memory.discard(file)));
  let total = 0;
  try {
    for await (const part of request.parts()) {
      if (part.type === "file") {
        const held = await memory.read(part.file);
        form.files.push({ ...held, field: part.fieldname, filename: part.filename, mimetype: part.mimetype });
        if (part.file.truncated) throw errors.bodyTooLarge(MAX_FILE_BYTES);
        total += held.size;
        if (total > maxTotalBytes) throw errors.bodyTooLarge(maxTotalBytes);
      } else {
        if (part.fieldname in form.fields) throw errors.invalidBody(`the field '${part.fieldname}' appears more than once.`);
        form.fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    if (error instanceof ApiError || error instanceof BodyTimeoutError) throw error;
    const { code, statusCode, message } = error as { code?: string; statusCode?: number; message?: string };
    if (code === "FST_REQ_FILE_TOO_LARGE") throw errors.bodyTooLarge(MAX_FILE_BYTES);
    if (code === "FST_FILES_LIMIT") throw errors.tooManyItems("image", multipartLimits.files - 1, multipartLimits.files);
    if (statusCode === 413) throw errors.bodyTooLarge(maxTotalBytes);
    // Disk faults while spooling are the server's, not the client's.
    if (typeof code === "string" && /^E[A-Z]+$/.test(code) && code !== "ECONNRESET") throw error;
    throw errors.invalidBody(`malformed multipart/form-data (${message ?? "unreadable"}).`);
  }
  return form;
}
