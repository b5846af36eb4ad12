// Stored responses in PostgreSQL: the ResponsesStore interface over the
// `responses` and `response_items` tables, as the embedded store keeps them
// (src/store/responses.ts): the Response object without its output as JSON,
// one row per item, and an image_generation_call's `result` as blob bytes.
// Writes to one response lock its row, so nodes never interleave them.
import { resultAsBytes, type InputItemsPage, type InputItemsQuery, type ResponsesStore, type StoredResponse } from "../../responses/store.js";
import type { ResponseItem, ResponseObject } from "../../responses/types.js";
import { Serial } from "../serial.js";
import type { PgBlobs } from "./blobs.js";
import { transaction, type Client, type Pool } from "./database.js";

type Kind = "input" | "output";

interface ItemRow {
  kind: Kind;
  position: number;
  item_id: string;
  body: ResponseItem;
  result_blob: string | null;
}

interface PreparedItem {
  kind: Kind;
  position: number;
  item: ResponseItem;
  stored: ResponseItem;
  blob: string | null;
}

const ITEM_COLUMNS = "kind, position, item_id, body, result_blob";

export class PgResponsesStore implements ResponsesStore {
  /** Writes to one response from this node, in the order they were made (the row lock orders nodes). */
  private readonly serial = new Serial();

  constructor(private readonly pool: Pool, private readonly blobs: PgBlobs) {}

  insert(record: StoredResponse): Promise<void> {
    return this.serial.run(record.response.id, () => this.insertNow(record));
  }

  update(owner: string, response: ResponseObject): Promise<void> {
    return this.serial.run(response.id, () => this.updateNow(owner, response));
  }

  delete(id: string, owner: string): Promise<boolean> {
    return this.serial.run(id, () => this.deleteNow(id, owner));
  }

  private async insertNow(record: StoredResponse): Promise<void> {
    const { output, ...rest } = record.response;
    const items = await this.prepare([...record.inputItems.map((item) => ["input", item] as const), ...output.map((item) => ["output", item] as const)]);
    await this.withPending(items, (client) =>
      client
        .query<{ seq: number }>("INSERT INTO responses (id, owner, status, created_at, body) VALUES ($1, $2, $3, $4, $5) RETURNING seq", [
          rest.id, record.owner, rest.status, rest.created_at, JSON.stringify({ ...rest, output: [] }),
        ])
        .then(({ rows }) => this.insertItems(client, rows[0].seq, record.owner, items)),
    );
  }

  private async updateNow(owner: string, response: ResponseObject): Promise<void> {
    const { output, ...rest } = response;
    const items = await this.prepare(output.map((item) => ["output", item] as const));
    await this.withPending(items, async (client) => {
      const { rows } = await client.query<{ seq: number }>("SELECT seq FROM responses WHERE id = $1 AND owner = $2 FOR UPDATE", [response.id, owner]);
      // Deleted meanwhile: nothing to update, and the new blobs go with the rollback's discard.
      if (rows.length === 0) throw new Gone();
      const seq = rows[0].seq;
      const dropped = await client.query<{ result_blob: string }>(
        "DELETE FROM response_items WHERE response_seq = $1 AND kind = 'output' RETURNING result_blob",
        [seq],
      );
      await this.blobs.remove(client, dropped.rows.map((row) => row.result_blob).filter(Boolean));
      await this.insertItems(client, seq, owner, items);
      await client.query("UPDATE responses SET status = $1, body = $2 WHERE seq = $3", [rest.status, JSON.stringify({ ...rest, output: [] }), seq]);
    }).catch((error) => {
      if (!(error instanceof Gone)) throw error;
    });
  }

  async get(id: string, owner: string): Promise<StoredResponse | undefined> {
    const { rows } = await this.pool.query<{ seq: number; owner: string; body: ResponseObject }>("SELECT seq, owner, body FROM responses WHERE id = $1 AND owner = $2", [id, owner]);
    if (rows.length === 0) return undefined;
    const items = await this.pool.query<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM response_items WHERE response_seq = $1 ORDER BY kind, position`, [rows[0].seq]);
    const loaded = await Promise.all(items.rows.map((row) => this.load(row)));
    const response = rows[0].body;
    response.output = loaded.filter((_, i) => items.rows[i].kind === "output") as ResponseObject["output"];
    return { owner: rows[0].owner, response, inputItems: loaded.filter((_, i) => items.rows[i].kind === "input") };
  }

  private async deleteNow(id: string, owner: string): Promise<boolean> {
    return transaction(this.pool, async (client) => {
      const { rows } = await client.query<{ seq: number }>("SELECT seq FROM responses WHERE id = $1 AND owner = $2 FOR UPDATE", [id, owner]);
      if (rows.length === 0) return false;
      const blobs = await client.query<{ result_blob: string }>("SELECT result_blob FROM response_items WHERE response_seq = $1 AND result_blob IS NOT NULL", [rows[0].seq]);
      await client.query("DELETE FROM responses WHERE seq = $1", [rows[0].seq]);
      await this.blobs.remove(client, blobs.rows.map((row) => row.result_blob));
      return true;
    });
  }

  async findItem(itemId: string, owner: string): Promise<ResponseItem | undefined> {
    const { rows } = await this.pool.query<ItemRow>(
      `SELECT i.kind, i.position, i.item_id, i.body, i.result_blob FROM response_items i JOIN responses r ON r.seq = i.response_seq
       WHERE i.owner = $1 AND i.item_id = $2 ORDER BY r.seq DESC, (i.kind = 'output') DESC LIMIT 1`,
      [owner, itemId],
    );
    return rows[0] && this.load(rows[0]);
  }

  async listInputItems(id: string, owner: string, query: InputItemsQuery): Promise<InputItemsPage | undefined> {
    const { rows } = await this.pool.query<{ seq: number }>("SELECT seq FROM responses WHERE id = $1 AND owner = $2", [id, owner]);
    if (rows.length === 0) return undefined;
    const seq = rows[0].seq;
    const asc = query.order === "asc";
    let from = asc ? -1 : 2 ** 31 - 1;
    if (query.after !== undefined) {
      const position = await this.pool.query<{ position: number }>(
        "SELECT position FROM response_items WHERE response_seq = $1 AND kind = 'input' AND item_id = $2 ORDER BY position LIMIT 1",
        [seq, query.after],
      );
      if (position.rows.length === 0) return { data: [], has_more: false };
      from = position.rows[0].position;
    }
    const page = await this.pool.query<ItemRow>(
      `SELECT ${ITEM_COLUMNS} FROM response_items WHERE response_seq = $1 AND kind = 'input' AND position ${asc ? ">" : "<"} $2 ORDER BY position ${asc ? "ASC" : "DESC"} LIMIT $3`,
      [seq, from, query.limit + 1],
    );
    const data = await Promise.all(page.rows.slice(0, query.limit).map((row) => this.load(row)));
    return { data, has_more: page.rows.length > query.limit };
  }

  async listUnfinished(): Promise<StoredResponse[]> {
    const { rows } = await this.pool.query<{ id: string; owner: string }>("SELECT id, owner FROM responses WHERE status IN ('queued', 'in_progress') ORDER BY seq");
    const records = await Promise.all(rows.map((row) => this.get(row.id, row.owner)));
    return records.filter((record): record is StoredResponse => record !== undefined);
  }

  /** Items as rows to insert; each image result is written to a pending blob first. */
  private async prepare(entries: (readonly [Kind, ResponseItem])[]): Promise<PreparedItem[]> {
    const prepared: PreparedItem[] = [];
    const counters = { input: 0, output: 0 };
    try {
      for (const [kind, item] of entries) {
        let blob: string | null = null;
        let stored = item;
        const result = resultAsBytes(item);
        if (result) {
          blob = (await this.blobs.write(result.bytes)).key;
          stored = result.stored;
        }
        prepared.push({ kind, position: counters[kind]++, item, stored, blob });
      }
      return prepared;
    } catch (error) {
      await this.discard(prepared);
      throw error;
    }
  }

  /** Runs `work` in a transaction that commits the items' blobs; on failure the blobs are discarded. */
  private async withPending(items: PreparedItem[], work: (client: Client) => Promise<void>): Promise<void> {
    try {
      await transaction(this.pool, async (client) => {
        await this.blobs.commit(client, items.flatMap((item) => (item.blob ? [item.blob] : [])));
        await work(client);
      });
    } catch (error) {
      await this.discard(items);
      throw error;
    }
  }

  private async discard(items: PreparedItem[]): Promise<void> {
    for (const item of items) if (item.blob) await this.blobs.discard({ key: item.blob, bytes: 0, sha256: "" }).catch(() => undefined);
  }

  private async insertItems(client: Client, seq: number, owner: string, items: PreparedItem[]): Promise<void> {
    for (const { kind, position, item, stored, blob } of items) {
      await client.query("INSERT INTO response_items (response_seq, kind, position, item_id, owner, body, result_blob) VALUES ($1, $2, $3, $4, $5, $6, $7)", [
        seq, kind, position, item.id, owner, JSON.stringify(stored), blob,
      ]);
    }
  }

  private async load(row: ItemRow): Promise<ResponseItem> {
    const item = row.body;
    if (row.result_blob && item.type === "image_generation_call") {
      const bytes = await this.blobs.read(row.result_blob);
      if (!bytes) throw new Error(`blob ${row.result_blob} of item ${row.item_id} is missing`);
      item.result = bytes.toString("base64");
    }
    return item;
  }
}

/** Thrown inside a transaction to roll it back when the response was deleted meanwhile. */
class Gone extends Error {}
