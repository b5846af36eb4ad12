// Reads a multipart/form-data body into text fields and file buffers, with
// limits, and turns every malformed or oversized body into an OpenAI-shaped error.
import type { FastifyRequest } from "fastify";
import { ApiError, errors } from "../errors.js";

/** OpenAI's limit for one input image; 16 images and a mask; generous room for text fields. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
export const multipartLimits = { fileSize: MAX_FILE_BYTES, files: 17, fields: 64, fieldSize: 1024 * 1024, parts: 96 };

export interface FormFile {
  field: string;
  filename?: string;
  mimetype: string;
  bytes: Buffer;
}

export interface Form {
  fields: Record<string, string>;
  files: FormFile[];
}

export async function readForm(request: FastifyRequest, maxTotalBytes: number): Promise<Form> {
  if (!request.isMultipart()) {
    throw errors.unsupportedContentType(request.headers["content-type"] ?? "", "multipart/form-data");
  }
  const form: Form = { fields: {}, files: [] };
  let total = 0;
  try {
    for await (const part of request.parts()) {
      if (part.type === "file") {
        const bytes = await part.toBuffer();
        total += bytes.length;
        if (total > maxTotalBytes) throw errors.bodyTooLarge(maxTotalBytes);
        form.files.push({ field: part.fieldname, filename: part.filename, mimetype: part.mimetype, bytes });
      } else {
        if (part.fieldname in form.fields) throw errors.invalidBody(`the field '${part.fieldname}' appears more than once.`);
        form.fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const { code, statusCode, message } = error as { code?: string; statusCode?: number; message?: string };
    if (code === "FST_REQ_FILE_TOO_LARGE") throw errors.bodyTooLarge(MAX_FILE_BYTES);
    if (code === "FST_FILES_LIMIT") throw errors.tooManyItems("image", multipartLimits.files - 1, multipartLimits.files);
    if (statusCode === 413) throw errors.bodyTooLarge(maxTotalBytes);
    throw errors.invalidBody(`malformed multipart/form-data (${message ?? "unreadable"}).`);
  }
  return form;
}
