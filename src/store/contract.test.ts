// The behaviour every Store promises (files and their bytes, picture URLs,
// usage counts), run against the embedded store and the shared one alike.
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sharedServices } from "../../test/helpers/shared-services.js";
import { EmbeddedStore } from "./embedded.js";
import { ANONYMOUS_OWNER } from "./owner.js";
import { PostgresStore } from "./postgres/index.js";
import type { Store } from "./store.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const signingKey = randomBytes(32);

async function embedded(): Promise<Store> {
  const dir = mkdtempSync(join(tmpdir(), "easel-contract-"));
  const store = EmbeddedStore.open(dir, { urlSigningKey: signingKey });
  cleanups.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return store;
}

async function postgres(): Promise<Store> {
  const services = await sharedServices();
  cleanups.push(() => services.drop());
  const store = await PostgresStore.open(services.databaseUrl, { urlSigningKey: signingKey });
  cleanups.push(() => store.close());
  return store;
}

const newFile = { owner: ANONYMOUS_OWNER, purpose: "user_data", filename: "a.bin", contentType: "application/octet-stream" };

const streamed = async (stream: Readable | undefined) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream!) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

describe.each([
  ["EmbeddedStore", embedded],
  ["PostgresStore", postgres],
])("%s", (_name, open: () => Promise<Store>) => {
  it("streams a file in and out in pieces, with its size and digest", async () => {
    const store = await open();
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const pieces = Array.from({ length: 25 }, (_, i) => bytes.subarray(i * 131_072, (i + 1) * 131_072)).filter((piece) => piece.length > 0);
    const pending = await store.blobs.write(Readable.from(pieces));
    expect(pending).toMatchObject({ bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") });
    const file = await store.files.create(newFile, pending);
    // Buffer.equals: toEqual compares megabytes element by element, for seconds.
    expect((await streamed(await store.files.openStream(file))).equals(bytes)).toBe(true);
    expect((await store.files.read(file))!.equals(bytes)).toBe(true);
  });

  it("refuses a blob past its limit and keeps nothing of it", async () => {
    const store = await open();
    await expect(store.blobs.write([Buffer.alloc(10), Buffer.alloc(10)], 15)).rejects.toThrow(/larger than 15/);
    expect((await store.files.list(ANONYMOUS_OWNER, { limit: 10, order: "asc" }))!.files).toEqual([]);
  });

  it("keeps each owner's files to that owner, and deletes them with their bytes", async () => {
    const store = await open();
    const file = await store.files.create({ ...newFile, owner: "sha256:alice" }, await store.blobs.write(Buffer.from("a")));
    expect(await store.files.get("sha256:bob", file.id)).toBeUndefined();
    expect(await store.files.delete("sha256:bob", file.id)).toBe(false);
    expect(await store.files.get("sha256:alice", file.id)).toEqual(file);
    expect(await store.files.delete("sha256:alice", file.id)).toBe(true);
    expect(await store.files.get("sha256:alice", file.id)).toBeUndefined();
    expect(await store.files.openStream(file)).toBeUndefined();
  });

  it("pages files in both orders, by purpose, after a cursor", async () => {
    const store = await open();
    const made = [];
    for (const purpose of ["user_data", "vision", "user_data", "vision"]) made.push(await store.files.create({ ...newFile, purpose }, await store.blobs.write(Buffer.from(purpose))));
    const ids = (page: { files: { id: string }[] } | undefined) => page!.files.map((file) => file.id);
    expect(ids(await store.files.list(ANONYMOUS_OWNER, { limit: 10, order: "asc" }))).toEqual(made.map((file) => file.id));
    const desc = await store.files.list(ANONYMOUS_OWNER, { limit: 2, order: "desc" });
    expect(ids(desc)).toEqual([made[3].id, made[2].id]);
    expect(desc!.hasMore).toBe(true);
    expect(ids(await store.files.list(ANONYMOUS_OWNER, { limit: 10, order: "desc", after: made[2].id, purpose: "vision" }))).toEqual([made[1].id]);
    expect(await store.files.list(ANONYMOUS_OWNER, { limit: 10, order: "asc", after: "file-nope" })).toBeUndefined();
  });

  it("hides expired files and deletes them", async () => {
    const store = await open();
    const file = await store.files.create({ ...newFile, expiresAfterSeconds: 3600 }, await store.blobs.write(Buffer.from("soon gone")));
    vi.useFakeTimers({ now: Date.now() + 3601 * 1000, toFake: ["Date"] });
    try {
      expect(await store.files.get(ANONYMOUS_OWNER, file.id)).toBeUndefined();
      expect(await store.files.deleteExpired()).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("signs picture URLs that open with the right signature only", async () => {
    const store = await open();
    const bytes = randomBytes(2000);
    const path = await store.pictureUrls.save(bytes, "png");
    const url = new URL(path, "http://x");
    const name = url.pathname.split("/").pop()!;
    expect(await store.pictureUrls.open(name, url.searchParams.get("se")!, url.searchParams.get("sig")!)).toEqual({ bytes, format: "png" });
    expect(await store.pictureUrls.open(name, url.searchParams.get("se")!, "forged")).toBeUndefined();
    expect(await store.pictureUrls.open(name, String(Number(url.searchParams.get("se")) + 1), url.searchParams.get("sig")!)).toBeUndefined();
  });

  it("counts usage per owner and day, taking back what is given back", async () => {
    const store = await open();
    store.usage.add("alice", "2026-12-02", 2, 100);
    store.usage.add("alice", "2026-12-02", -1, -40);
    expect(store.usage.get("alice", "2026-12-02")).toEqual({ images: 1, tokens: 60 });
    expect(store.usage.get("bob", "2026-12-02")).toEqual({ images: 0, tokens: 0 });
  });
});

describe("PostgresStore shared by several nodes", () => {
  it("migrates once when nodes start together, and shares files, picture URLs and usage", async () => {
    const services = await sharedServices();
    cleanups.push(() => services.drop());
    const [one, two] = await Promise.all([PostgresStore.open(services.databaseUrl), PostgresStore.open(services.databaseUrl)]);
    cleanups.push(() => one.close(), () => two.close());

    const file = await one.files.create(newFile, await one.blobs.write(Buffer.from("shared")));
    expect((await two.files.read((await two.files.get(ANONYMOUS_OWNER, file.id))!))!.toString()).toBe("shared");

    // No key in the config: the first node makes one in the database and the others read it.
    const url = new URL(await one.pictureUrls.save(Buffer.from("pixels"), "webp"), "http://x");
    const opened = await two.pictureUrls.open(url.pathname.split("/").pop()!, url.searchParams.get("se")!, url.searchParams.get("sig")!);
    expect(opened?.bytes.toString()).toBe("pixels");

    const day = new Date().toISOString().slice(0, 10);
    one.usage.add("alice", day, 3, 300);
    two.usage.add("alice", day, 1, 100);
    await one.usage.flush();
    await two.usage.flush();
    await one.usage.flush();
    expect(one.usage.get("alice", day)).toEqual({ images: 4, tokens: 400 });
    expect(two.usage.get("alice", day)).toEqual({ images: 4, tokens: 400 });
  });

  it("sweeps uncommitted and expired blobs", async () => {
    const services = await sharedServices();
    cleanups.push(() => services.drop());
    const store = await PostgresStore.open(services.databaseUrl);
    cleanups.push(() => store.close());
    const input = await store.jobBlobs.put(Buffer.from("input"), 60);
    await store.blobs.write(Buffer.from("abandoned"));
    expect((await store.jobBlobs.get(input))!.toString()).toBe("input");
    vi.useFakeTimers({ now: Date.now() + 3601 * 1000, toFake: ["Date"] });
    try {
      expect(await store.blobs.sweep()).toBe(2);
    } finally {
      vi.useRealTimers();
    }
    expect(await store.jobBlobs.get(input)).toBeUndefined();
  });
});
