// The gallery: every picture made from this browser, with the request that
// made it (an Image API request's fields and input files, or a Responses API
// request's body), kept in IndexedDB.
import { openDB, type DBSchema } from "idb";
import type { Endpoint } from "./models";

export type GalleryItem = ImageItem | ChatItem;

interface Kept {
  id?: number;
  created: number;
  picture: Blob;
}

/** A picture from /v1/images/{endpoint}. */
export interface ImageItem extends Kept {
  endpoint: Endpoint;
  /** The request's fields exactly as sent. */
  fields: Record<string, string | number | boolean>;
  /** The request's input images and mask, for edits and variations. */
  inputs: Blob[];
  mask?: Blob;
}

/** A picture from a chat turn (/v1/responses). */
export interface ChatItem extends Kept {
  endpoint: "responses";
  /** The request's body exactly as sent (attached pictures inline as data URLs). */
  body: Record<string, unknown>;
}

/** What the gallery shows as the picture's prompt. */
export function promptOf(item: GalleryItem): string {
  if (item.endpoint !== "responses") return typeof item.fields.prompt === "string" ? item.fields.prompt : "(variation)";
  const [message] = item.body.input as { content: { type: string; text?: string }[] }[];
  return message.content.find((part) => part.type === "input_text")?.text ?? "(pictures only)";
}

/** The image model that drew it. */
export function modelOf(item: GalleryItem): string {
  return String(item.endpoint === "responses" ? (item.body.tools as { model: string }[])[0].model : item.fields.model);
}

interface GallerySchema extends DBSchema {
  pictures: { key: number; value: GalleryItem };
}

const database = openDB<GallerySchema>("easel-playground", 1, {
  upgrade(db) {
    db.createObjectStore("pictures", { keyPath: "id", autoIncrement: true });
  },
});

export async function addPicture(item: GalleryItem): Promise<number> {
  return (await database).add("pictures", item);
}

/** Newest first. */
export async function listPictures(): Promise<GalleryItem[]> {
  return (await (await database).getAll("pictures")).reverse();
}

export async function deletePicture(id: number): Promise<void> {
  await (await database).delete("pictures", id);
}
