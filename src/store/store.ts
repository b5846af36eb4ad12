// What the rest of Easel needs from a store, whichever keeps it: the embedded
// one (SQLite and a blob folder under the data dir, src/store/embedded.ts) or
// the shared one (PostgreSQL, src/store/postgres/). Both pass the same
// contract suite (src/store/contract.test.ts).
import type { Readable } from "node:stream";
import type { ResponsesStore } from "../responses/store.js";
import type { FileRecord, ListOptions, NewFile } from "./files.js";
import type { OutputFormat } from "../request-model.js";

/** Bytes written (and durable) but not part of the store until an object that points at them is committed. */
export interface PendingBlob {
  key: string;
  bytes: number;
  sha256: string;
}

/** Thrown by `write` when the source goes past its byte limit. */
export class BlobTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`blob larger than ${limit} bytes`);
  }
}

export type BlobSource = Buffer | Readable | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

export interface BlobWriter {
  /** Streams `source` into a pending blob; nothing is visible until an object commits it. */
  write(source: BlobSource, maxBytes?: number): Promise<PendingBlob>;
  /** Drops a pending blob that will not be committed. */
  discard(pending: PendingBlob): Promise<void>;
}

export interface FileStore {
  /** Stores a file whose bytes are in `blob`; resolves once it is durable. */
  create(file: NewFile, blob: PendingBlob): Promise<FileRecord>;
  /** The owner's file, unless it does not exist, is another owner's, or has expired. */
  get(owner: string, id: string): Promise<FileRecord | undefined>;
  /** A page of the owner's files in creation order; undefined when `after` names no file of theirs. */
  list(owner: string, options: ListOptions): Promise<{ files: FileRecord[]; hasMore: boolean } | undefined>;
  /** The file's bytes, or undefined if it was deleted meanwhile. */
  read(file: FileRecord): Promise<Buffer | undefined>;
  /** A stream of the file's bytes, or undefined if it was deleted meanwhile. */
  openStream(file: FileRecord): Promise<Readable | undefined>;
  /** Deletes the owner's file. False when there was none. */
  delete(owner: string, id: string): Promise<boolean>;
  /** Deletes files past their expiry; returns how many. */
  deleteExpired(): Promise<number>;
}

export interface DayUsage {
  images: number;
  tokens: number;
}

/** What each owner used per UTC day, for the per-key daily limits; read on every limited request, so kept in memory. */
export interface UsageCounters {
  /** The owner's usage on `day` (YYYY-MM-DD) as this process knows it. */
  get(owner: string, day: string): DayUsage;
  /** Adds to (or, with negative amounts, takes back from) the owner's usage on `day`. */
  add(owner: string, day: string, images: number, tokens: number): void;
  /** Reads the owner's total for `day` from where it is shared, the first time it is asked for (the shared store only). */
  load?(owner: string, day: string): Promise<void>;
}

/** Pictures answered as `url` (dall-e-2/3 with response_format=url): signed, expiring, served without a key. */
export interface PictureUrls {
  /** Stores the picture durably and returns its path with expiry and signature. */
  save(bytes: Buffer, format: OutputFormat): Promise<string>;
  /** The picture for a signed request, or undefined when the name, signature or expiry is wrong. */
  open(name: string, expires: string, signature: string): Promise<{ bytes: Buffer; format: OutputFormat } | undefined>;
}

/** Bytes the API node hands a worker through the store (a job's input pictures); they expire by themselves. */
export interface JobBlobs {
  put(bytes: Buffer, ttlSeconds: number): Promise<string>;
  get(key: string): Promise<Buffer | undefined>;
  delete(keys: string[]): Promise<void>;
}

export interface Store {
  readonly blobs: BlobWriter;
  readonly files: FileStore;
  readonly responses: ResponsesStore;
  readonly usage: UsageCounters;
  readonly pictureUrls: PictureUrls;
  /** Only the shared store: workers read job inputs from it. */
  readonly jobBlobs?: JobBlobs;
  /** Throws when the store cannot be reached (for /health). */
  check(): Promise<void>;
  /** Writes what is held in memory and lets go of connections and timers. */
  close(): Promise<void>;
}
