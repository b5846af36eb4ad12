// Stored responses on the embedded store: the ResponsesStore interface
// (src/responses/store.ts) over the `responses` and `response_items` tables.
// The Response object is kept as JSON without its output; each input and
// output item is a row, and an image_generation_call's `result` is kept as
// bytes in a blob rather than as base64 text. Every call is scoped by owner,
// and writes resolve once durable (see blobs.ts). Writes to one response are
// applied one at a time, in the order they were made.
import { createHash } from "node:crypto";
import { resultAsBytes, type InputItemsPage, type InputItemsQuery, type ResponsesStore, type StoredResponse } from "../responses/store.js";
import type { ResponseItem, ResponseObject } from "../responses/types.js";
import type { BlobStore } from "./blobs.js";
import { Serial } from "./serial.js";
import type { PendingBlob } from "./store.js";
import type { Db } from "./database.js";

type Kind = "input" | "output";

interface ItemRow {
  kind: Kind;
  position: number;
  item_id: string;
  body: string;
  result_blob: string | null;
}

interface ResponseRow {
  seq: number;
  id: string;
  owner: string;
  body: string;
}

/** An item ready to insert: its JSON and, for an image result, the blob that holds it. */
interface PreparedItem {
  kind: Kind;
  position: number;
  item: ResponseItem;
  body: string;
  blob: string | null;
}

/** Thrown inside a transaction to roll it back when the response was deleted meanwhile. */
class Gone extends Error {}

export class SqliteResponsesStore implements ResponsesStore {
  private readonly statements;
  private readonly serial = new Serial();

  constructor(private readonly db: Db, private readonly blobs: BlobStore) {
    this.statements = {
      insertResponse: db.prepare("INSERT INTO responses (id, owner, status, created_at, body) VALUES (?, ?, ?, ?, ?)"),
      updateResponse: db.prepare("UPDATE responses SET status = ?, body = ? WHERE seq = ?"),
      response: db.prepare("SELECT seq, id, owner, body FROM responses WHERE id = ? AND owner = ?"),
      deleteResponse: db.prepare("DELETE FROM responses WHERE seq = ?"),
      unfinished: db.prepare("SELECT id, owner FROM responses WHERE status IN ('queued', 'in_progress') ORDER BY seq"),
      insertItem: db.prepare(
        "INSERT INTO response_items (response_seq, kind, position, item_id, owner, body, result_blob) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ),
      items: db.prepare("SELECT kind, position, item_id, body, result_blob FROM response_items WHERE response_seq = ? ORDER BY kind, position"),
      deleteOutputs: db.prepare("DELETE FROM response_items WHERE response_seq = ? AND kind = 'output'"),
      blobsOf: db.prepare("SELECT result_blob FROM response_items WHERE response_seq = ? AND result_blob IS NOT NULL").pluck(),
      outputBlobs: db.prepare(
        "SELECT i.item_id, i.result_blob, b.sha256 FROM response_items i JOIN blobs b ON b.key = i.result_blob WHERE i.response_seq = ? AND i.kind = 'output'",
      ),
      findItem: db.prepare(
        `SELECT i.kind, i.position, i.item_id, i.body, i.result_blob FROM response_items i JOIN responses r ON r.seq = i.response_seq
         WHERE i.owner = ? AND i.item_id = ? ORDER BY r.seq DESC, i.kind = 'output' DESC LIMIT 1`,
      ),
      inputPosition: db.prepare("SELECT position FROM response_items WHERE response_seq = ? AND kind = 'input' AND item_id = ? ORDER BY position LIMIT 1").pluck(),
      inputsAsc: db.prepare("SELECT kind, position, item_id, body, result_blob FROM response_items WHERE response_seq = ? AND kind = 'input' AND position > ? ORDER BY position ASC LIMIT ?"),
      inputsDesc: db.prepare("SELECT kind, position, item_id, body, result_blob FROM response_items WHERE response_seq = ? AND kind = 'input' AND position < ? ORDER BY position DESC LIMIT ?"),
    };
  }

  insert(record: StoredResponse): Promise<void> {
    return this.serial.run(record.response.id, async () => {
      const { output, ...rest } = record.response;
      const pending: PendingBlob[] = [];
      const items = await this.discardOnError(pending, async () => [
        ...(await this.prepare("input", record.inputItems, new Map(), pending)),
        ...(await this.prepare("output", output, new Map(), pending)),
      ]);
      await this.blobs.commit(pending, () => {
        const { lastInsertRowid } = this.statements.insertResponse.run(rest.id, record.owner, rest.status, rest.created_at, JSON.stringify({ ...rest, output: [] }));
        this.insertItems(Number(lastInsertRowid), record.owner, items);
      });
    });
  }

  update(owner: string, response: ResponseObject): Promise<void> {
    return this.serial.run(response.id, async () => {
      const row = this.statements.response.get(response.id, owner) as ResponseRow | undefined;
      if (!row) return;
      // Results already stored keep their blob; only new ones are written.
      const stored = this.statements.outputBlobs.all(row.seq) as { item_id: string; result_blob: string; sha256: string }[];
      const known = new Map(stored.map((r) => [r.item_id, { key: r.result_blob, sha256: r.sha256 }]));
      const pending: PendingBlob[] = [];
      const items = await this.discardOnError(pending, () => this.prepare("output", response.output, known, pending));
      const kept = new Set(items.map((item) => item.blob));
      const dropped = stored.map((r) => r.result_blob).filter((key) => !kept.has(key));
      const { output, ...rest } = response;
      try {
        await this.blobs.commit(pending, () => {
          if (!this.statements.response.get(response.id, owner)) throw new Gone();
          this.statements.deleteOutputs.run(row.seq);
          this.insertItems(row.seq, owner, items);
          this.statements.updateResponse.run(rest.status, JSON.stringify({ ...rest, output: [] }), row.seq);
          this.blobs.forget(dropped);
        });
      } catch (error) {
        if (error instanceof Gone) return;
        throw error;
      }
      await this.blobs.unlinkForgotten(dropped);
    });
  }

  async get(id: string, owner: string): Promise<StoredResponse | undefined> {
    const row = this.statements.response.get(id, owner) as ResponseRow | undefined;
    if (!row) return undefined;
    const rows = this.statements.items.all(row.seq) as ItemRow[];
    const items = await Promise.all(rows.map((item) => this.load(item)));
    const response = JSON.parse(row.body) as ResponseObject;
    response.output = items.filter((_, i) => rows[i].kind === "output") as ResponseObject["output"];
    return { owner: row.owner, response, inputItems: items.filter((_, i) => rows[i].kind === "input") };
  }

  delete(id: string, owner: string): Promise<boolean> {
    return this.serial.run(id, async () => {
      const row = this.statements.response.get(id, owner) as ResponseRow | undefined;
      if (!row) return false;
      const keys = this.statements.blobsOf.all(row.seq) as string[];
      return this.blobs.remove(keys, () => this.statements.deleteResponse.run(row.seq).changes > 0);
    });
  }

  async findItem(itemId: string, owner: string): Promise<ResponseItem | undefined> {
    const row = this.statements.findItem.get(owner, itemId) as ItemRow | undefined;
    return row && this.load(row);
  }

  async listInputItems(id: string, owner: string, query: InputItemsQuery): Promise<InputItemsPage | undefined> {
    const response = this.statements.response.get(id, owner) as ResponseRow | undefined;
    if (!response) return undefined;
    const asc = query.order === "asc";
    let from = asc ? -1 : Number.MAX_SAFE_INTEGER;
    if (query.after !== undefined) {
      const position = this.statements.inputPosition.get(response.seq, query.after) as number | undefined;
      if (position === undefined) return { data: [], has_more: false };
      from = position;
    }
    const rows = (asc ? this.statements.inputsAsc : this.statements.inputsDesc).all(response.seq, from, query.limit + 1) as ItemRow[];
    const data = await Promise.all(rows.slice(0, query.limit).map((row) => this.load(row)));
    return { data, has_more: rows.length > query.limit };
  }

  async listUnfinished(): Promise<StoredResponse[]> {
    const rows = this.statements.unfinished.all() as { id: string; owner: string }[];
    const records = await Promise.all(rows.map((row) => this.get(row.id, row.owner)));
    return records.filter((record): record is StoredResponse => record !== undefined);
  }

  /** Items as rows to insert; image results become pending blobs unless `known` already holds them. */
  private async prepare(kind: Kind, items: ResponseItem[], known: Map<string, { key: string; sha256: string }>, pending: PendingBlob[]): Promise<PreparedItem[]> {
    const prepared: PreparedItem[] = [];
    for (const [position, item] of items.entries()) {
      let blob: string | null = null;
      let stored: ResponseItem = item;
      const result = resultAsBytes(item);
      if (result) {
        const same = known.get(item.id);
        blob = same && same.sha256 === createHash("sha256").update(result.bytes).digest("hex") ? same.key : null;
        if (!blob) {
          const written = await this.blobs.write(result.bytes);
          pending.push(written);
          blob = written.key;
        }
        stored = result.stored;
      }
      prepared.push({ kind, position, item, body: JSON.stringify(stored), blob });
    }
    return prepared;
  }

  private async discardOnError<T>(pending: PendingBlob[], task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } catch (error) {
      for (const blob of pending) await this.blobs.discard(blob);
      throw error;
    }
  }

  private insertItems(seq: number, owner: string, items: PreparedItem[]): void {
    for (const { kind, position, item, body, blob } of items) this.statements.insertItem.run(seq, kind, position, item.id, owner, body, blob);
  }

  private async load(row: ItemRow): Promise<ResponseItem> {
    const item = JSON.parse(row.body) as ResponseItem;
    if (row.result_blob && item.type === "image_generation_call") {
      const bytes = await this.blobs.read(row.result_blob);
      if (!bytes) throw new Error(`blob ${row.result_blob} of item ${row.item_id} is missing`);
      item.result = bytes.toString("base64");
    }
    return item;
  }
}
