// Reads a multipart/form-data body into text fields and file buffers, with
// limits, and turns every malformed or oversized body into an OpenAI-shaped error.
import type { FastifyRequest } from "fastify";
import { ApiError, errors } from "../errors.js";

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
    const { statusCode, message } = error as { statusCode?: number; message?: string };
    if (statusCode === 413) throw errors.bodyTooLarge(maxTotalBytes);
    throw errors.invalidBody(`malformed multipart/form-data (${message ?? "unreadable"}).`);
  }
  return form;
}
