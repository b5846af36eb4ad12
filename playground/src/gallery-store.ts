// The gallery: every picture made from this browser, with the request that
// made it (fields and input files), kept in IndexedDB.
import { openDB, type DBSchema } from "idb";
import type { Endpoint } from "./models";

export interface GalleryItem {
  id?: number;
  created: number;
  endpoint: Endpoint;
  /** The request's fields exactly as sent. */
  fields: Record<string, string | number | boolean>;
  /** The request's input images and mask, for edits and variations. */
  inputs: Blob[];
  mask?: Blob;
  picture: Blob;
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
