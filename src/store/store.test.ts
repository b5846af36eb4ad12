import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openDatabase, StoreError } from "./database.js";
import { migrations } from "./migrations.js";
import { ANONYMOUS_OWNER } from "./owner.js";
import { EmbeddedStore as Store } from "./embedded.js";

let dir: string;
const opened: { close(): void }[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "easel-store-"));
});
afterEach(() => {
  for (const item of opened.splice(0)) item.close();
  rmSync(dir, { recursive: true, force: true });
});
const open = () => {
  const store = Store.open(dir);
  opened.push(store);
  return store;
};
const newFile = { owner: ANONYMOUS_OWNER, purpose: "user_data", filename: "a.txt", contentType: "text/plain" };

describe("the database", () => {
  it("is in WAL mode with synchronous=FULL and the latest schema", () => {
    const { db } = open();
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("synchronous", { simple: true })).toBe(2);
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(db.pragma("user_version", { simple: true })).toBe(migrations.length);
  });

  it("applies only the steps a database has not seen, each in a transaction", () => {
    const path = join(dir, "m.db");
    openDatabase(path, ["CREATE TABLE a (x INTEGER) STRICT"]).close();
    const steps = ["CREATE TABLE a (x INTEGER) STRICT", "CREATE TABLE b (y INTEGER) STRICT", "CREATE TABLE c (z INTEGER) STRICT; INSERT INTO nowhere VALUES (1)"];
    expect(() => openDatabase(path, steps)).toThrow(/nowhere/);
    const db = openDatabase(path, steps.slice(0, 2));
    // Step 2 committed; the failed step 3 left neither its table nor a version bump.
    expect(db.pragma("user_version", { simple: true })).toBe(2);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()).toEqual(["a", "b"]);
    db.close();
    expect(() => openDatabase(path, steps.slice(0, 1))).toThrow(StoreError);
  });

  it("lets one process at a time use a data dir", () => {
    open();
    expect(() => Store.open(dir)).toThrow(/in use by another process/);
  });
});

describe("blobs and files", () => {
  it("writes a blob under its key only when committed, and removes it when the rows are deleted", async () => {
    const store = open();
    const pending = await store.blobs.write(Buffer.from("hello"));
    expect(readdirSync(store.blobs.dir)).toEqual([`.tmp-${pending.key}`]);
    const file = await store.files.create(newFile, pending);
    expect(readdirSync(store.blobs.dir)).toEqual([pending.key]);
    expect((await store.files.read(file))!.toString()).toBe("hello");
    expect(await store.files.delete(ANONYMOUS_OWNER, file.id)).toBe(true);
    expect(readdirSync(store.blobs.dir)).toEqual([]);
    expect(store.db.prepare("SELECT count(*) FROM blobs").pluck().get()).toBe(0);
  });

  it("leaves nothing behind when the rows cannot be inserted", async () => {
    const store = open();
    const pending = await store.blobs.write(Buffer.from("x"));
    await expect(store.blobs.commit([pending], () => store.db.prepare("INSERT INTO nowhere VALUES (1)").run())).rejects.toThrow();
    expect(readdirSync(store.blobs.dir)).toEqual([]);
    expect(store.db.prepare("SELECT count(*) FROM blobs").pluck().get()).toBe(0);
  });

  it("stops a write past its byte limit", async () => {
    const store = open();
    await expect(store.blobs.write([Buffer.alloc(10), Buffer.alloc(10)], 15)).rejects.toThrow(/larger than 15/);
    expect(readdirSync(store.blobs.dir)).toEqual([]);
  });

  it("keeps files to their owner", async () => {
    const store = open();
    const file = await store.files.create({ ...newFile, owner: "sha256:alice" }, await store.blobs.write(Buffer.from("a")));
    expect(await store.files.get("sha256:bob", file.id)).toBeUndefined();
    expect((await store.files.list("sha256:bob", { limit: 10, order: "desc" }))!.files).toEqual([]);
    expect(await store.files.delete("sha256:bob", file.id)).toBe(false);
    expect(await store.files.get("sha256:alice", file.id)).toEqual(file);
  });

  it("hides expired files and deletes them with their bytes", async () => {
    const store = open();
    const file = await store.files.create({ ...newFile, expiresAfterSeconds: 3600 }, await store.blobs.write(Buffer.from("soon gone")));
    expect(await store.files.get(ANONYMOUS_OWNER, file.id)).toBeDefined();
    vi.useFakeTimers({ now: Date.now() + 3601 * 1000, toFake: ["Date"] });
    try {
      expect(await store.files.get(ANONYMOUS_OWNER, file.id)).toBeUndefined();
      expect((await store.files.list(ANONYMOUS_OWNER, { limit: 10, order: "asc" }))!.files).toEqual([]);
      expect(await store.files.deleteExpired()).toBe(1);
    } finally {
      vi.useRealTimers();
    }
    expect(readdirSync(store.blobs.dir)).toEqual([]);
  });

  it("sweeps temporary files and blobs without rows at startup, and keeps the rest", async () => {
    const store = open();
    const kept = await store.files.create(newFile, await store.blobs.write(Buffer.from("kept")));
    const unfinished = await store.blobs.write(Buffer.from("unfinished"));
    store.close();
    opened.length = 0;
    const reopened = open();
    expect(existsSync(join(reopened.blobs.dir, `.tmp-${unfinished.key}`))).toBe(false);
    expect(readdirSync(reopened.blobs.dir)).toEqual([kept.blob]);
    expect((await reopened.files.read((await reopened.files.get(ANONYMOUS_OWNER, kept.id))!))!.toString()).toBe("kept");
  });
});
