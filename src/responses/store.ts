// Where responses live. The interface is narrow and JSON in, JSON out, so the
// embedded SQLite store (src/store/responses.ts) backs it today and a shared
// database could later. Every read and write is scoped by owner: another
// owner's response is simply not there.
import type { ResponseItem, ResponseObject } from "./types.js";

export interface StoredResponse {
  /** The caller's identity (a hash of the API key, or "anonymous"). */
  owner: string;
  /** The Response object as the API returns it; its `id` is the record's key. */
  response: ResponseObject;
  /** This response's own input items, in the order they were given, each with an `id`. */
  inputItems: ResponseItem[];
}

export interface InputItemsPage {
  /** Items in the requested order. */
  data: ResponseItem[];
  has_more: boolean;
}

export interface InputItemsQuery {
  /** 1–100. */
  limit: number;
  order: "asc" | "desc";
  /** An item id: list the items that come after it in `order`; an unknown id gives an empty page. */
  after?: string;
}

export interface ResponsesStore {
  /** Saves a new response with its input items. Resolves once the write is durable. */
  insert(record: StoredResponse): Promise<void>;
  /** Replaces the Response object of an existing record (status, output, usage…); a no-op when it was deleted. */
  update(owner: string, response: ResponseObject): Promise<void>;
  get(id: string, owner: string): Promise<StoredResponse | undefined>;
  /** True when a response was deleted. */
  delete(id: string, owner: string): Promise<boolean>;
  /** One item (input or output) of any of this owner's responses, by item id; the newest copy wins. */
  findItem(itemId: string, owner: string): Promise<ResponseItem | undefined>;
  /** A page of one response's input items; undefined when the response does not exist for this owner. */
  listInputItems(id: string, owner: string, query: InputItemsQuery): Promise<InputItemsPage | undefined>;
  /**
   * Responses still `queued` or `in_progress`, of every owner. A process that
   * starts finds those its predecessor left behind here and marks them failed.
   */
  listUnfinished(): Promise<StoredResponse[]>;
}

/**
 * An image_generation_call's result as a store keeps it: the bytes (for a
 * blob) and the item with `result: null`. Undefined for any other item, one
 * without a result, or a result that base64 would not give back unchanged
 * (kept as it is).
 */
export function resultAsBytes(item: ResponseItem): { bytes: Buffer; stored: ResponseItem } | undefined {
  if (item.type !== "image_generation_call" || !item.result) return undefined;
  const bytes = Buffer.from(item.result, "base64");
  return bytes.toString("base64") === item.result ? { bytes, stored: { ...item, result: null } } : undefined;
}
