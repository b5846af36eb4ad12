import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { connect } from "node:net";
import { join } from "node:path";
import type { EmbeddedStore } from "../../src/store/embedded.js";
import { PostgresStore } from "../../src/store/postgres/index.js";
import OpenAI, { toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decode, makeImage, makeMask, startServer, type TestServer, refusal } from "../helpers/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());


const upload = (client: OpenAI, bytes: Buffer, name = "notes.txt", purpose: OpenAI.FilePurpose = "user_data", type?: string) =>
  toFile(bytes, name, type ? { type } : undefined).then((file) => client.files.create({ file, purpose }));

const contentOf = async (client: OpenAI, id: string) => Buffer.from(await (await client.files.content(id)).arrayBuffer());

/** Everything the store holds on disk: blob names and leftover temporary files. */
async function blobFiles(target: TestServer): Promise<string[]> {
  const store = target.parts.store;
  if (store instanceof PostgresStore) {
    // The shared store's blobs as the blob folder would name them; picture URLs and job inputs expire on their own.
    const { rows } = await store.pool.query<{ key: string; committed: boolean }>("SELECT key, committed FROM blobs WHERE expires_at IS NULL");
    return rows.map((row) => (row.committed ? row.key : `.tmp-${row.key}`)).sort();
  }
  return readdirSync((store as EmbeddedStore).blobs.dir).sort();
}

describe("POST /v1/files and reading files back", () => {
  it("stores a file and answers OpenAI's File object", async () => {
    const bytes = randomBytes(70_000);
    const file = await upload(server.client, bytes, "data.bin");
    expect(file).toEqual({
      id: expect.stringMatching(/^file-[A-Za-z0-9]{24}$/),
      object: "file",
      bytes: 70_000,
      created_at: expect.any(Number),
      filename: "data.bin",
      purpose: "user_data",
      status: "processed",
    });
    expect(Math.abs(file.created_at - Date.now() / 1000)).toBeLessThan(5);
    expect(await server.client.files.retrieve(file.id)).toEqual(file);
    expect((await contentOf(server.client, file.id)).equals(bytes)).toBe(true);
  });

  it("serves the content with its type, length and name", async () => {
    const png = await makeImage(64, 64);
    const file = await upload(server.client, png, "tiny picture.png", "vision", "image/png");
    const response = await fetch(`${server.baseURL}/files/${file.id}/content`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("content-length")).toBe(String(png.length));
    expect(response.headers.get("content-disposition")).toContain('filename="tiny picture.png"');
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await response.arrayBuffer()).equals(png)).toBe(true);
    // A generic type from the client is replaced by one guessed from the name.
    const guessed = await upload(server.client, png, "guess.png", "vision", "application/octet-stream");
    expect((await fetch(`${server.baseURL}/files/${guessed.id}/content`)).headers.get("content-type")).toBe("image/png");
  });

  it("takes every purpose OpenAI lists, and expires_after", async () => {
    for (const purpose of ["assistants", "batch", "fine-tune", "vision", "user_data", "evals"] as const) {
      const file = await upload(server.client, Buffer.from(`{"purpose":"${purpose}"}\n`), "a.jsonl", purpose);
      expect(file.purpose).toBe(purpose);
      // Like OpenAI's, batch files expire after 30 days unless told otherwise.
      if (purpose === "batch") expect(file.expires_at).toBe(file.created_at + 2_592_000);
      else expect(file.expires_at).toBeUndefined();
    }
    const expiring = await server.client.files.create({
      file: await toFile(Buffer.from("short-lived"), "short.txt"),
      purpose: "user_data",
      expires_after: { anchor: "created_at", seconds: 3600 },
    });
    expect(expiring.expires_at).toBe(expiring.created_at + 3600);
    expect((await server.client.files.retrieve(expiring.id)).expires_at).toBe(expiring.expires_at);
  });

  it("keeps empty files and names with any characters", async () => {
    const empty = await upload(server.client, Buffer.alloc(0), "empty.txt");
    expect(empty.bytes).toBe(0);
    expect((await contentOf(server.client, empty.id)).length).toBe(0);
    const named = await upload(server.client, Buffer.from("x"), "läuft gut ✓ (1).txt");
    expect(named.filename).toBe("läuft gut ✓ (1).txt");
    const disposition = (await fetch(`${server.baseURL}/files/${named.id}/content`)).headers.get("content-disposition")!;
    expect(disposition).toBe(`attachment; filename="l_uft gut _ (1).txt"; filename*=UTF-8''${encodeURIComponent("läuft gut ✓ (1).txt")}`);
  });
});

describe("GET /v1/files", () => {
  let target: TestServer;
  const ids: string[] = [];
  beforeAll(async () => {
    target = await startServer();
    for (let i = 0; i < 7; i++) ids.push((await upload(target.client, Buffer.from(`file ${i}`), `f${i}.txt`, i % 2 ? "vision" : "user_data")).id);
  });
  afterAll(() => target.close());

  it("lists newest first by default, with first_id, last_id and has_more", async () => {
    const response = await fetch(`${target.baseURL}/files`);
    const body = await response.json();
    expect(body).toMatchObject({ object: "list", first_id: ids[6], last_id: ids[0], has_more: false });
    expect(body.data.map((f: { id: string }) => f.id)).toEqual([...ids].reverse());
  });

  it("pages with limit and after, in both orders", async () => {
    const page = await target.client.files.list({ limit: 3, order: "asc" });
    expect(page.data.map((f) => f.id)).toEqual(ids.slice(0, 3));
    expect(page.has_more).toBe(true);
    const next = await target.client.files.list({ limit: 3, order: "asc", after: ids[2] });
    expect(next.data.map((f) => f.id)).toEqual(ids.slice(3, 6));
    const last = await target.client.files.list({ limit: 3, order: "asc", after: ids[5] });
    expect(last.data.map((f) => f.id)).toEqual([ids[6]]);
    expect(last.has_more).toBe(false);
    // The client's auto-pagination follows the cursor through every page.
    const all: string[] = [];
    for await (const file of target.client.files.list({ limit: 2 })) all.push(file.id);
    expect(all).toEqual([...ids].reverse());
    const desc = await target.client.files.list({ limit: 2, order: "desc", after: ids[4] });
    expect(desc.data.map((f) => f.id)).toEqual([ids[3], ids[2]]);
  });

  it("filters by purpose", async () => {
    const vision = await target.client.files.list({ purpose: "vision", order: "asc" });
    expect(vision.data.map((f) => f.id)).toEqual([ids[1], ids[3], ids[5]]);
    expect(vision.data.every((f) => f.purpose === "vision")).toBe(true);
    const paged = await target.client.files.list({ purpose: "user_data", order: "asc", limit: 2, after: ids[2] });
    expect(paged.data.map((f) => f.id)).toEqual([ids[4], ids[6]]);
    const none = await (await fetch(`${target.baseURL}/files?purpose=batch`)).json();
    expect(none).toEqual({ object: "list", data: [], first_id: null, last_id: null, has_more: false });
  });

  it("refuses bad limit, order, after and unknown parameters", async () => {
    const get = async (query: string) => {
      const response = await fetch(`${target.baseURL}/files?${query}`);
      return { status: response.status, error: (await response.json()).error };
    };
    expect(await get("limit=0")).toMatchObject({ status: 400, error: { param: "limit", code: "integer_below_min_value" } });
    expect(await get("limit=10001")).toMatchObject({ status: 400, error: { param: "limit", code: "integer_above_max_value" } });
    expect(await get("limit=ten")).toMatchObject({ status: 400, error: { param: "limit", code: "invalid_type" } });
    expect(await get("limit=2.5")).toMatchObject({ status: 400, error: { param: "limit", code: "invalid_type" } });
    expect(await get("order=sideways")).toMatchObject({ status: 400, error: { param: "order", code: "invalid_value" } });
    expect(await get("after=file-nope")).toMatchObject({ status: 404, error: { param: "after", code: "file_not_found" } });
    expect(await get("colour=blue")).toMatchObject({ status: 400, error: { param: "colour", code: "unknown_parameter" } });
    expect(await get("limit=1&limit=2")).toMatchObject({ status: 400, error: { param: "limit", code: "invalid_type" } });
  });
});

describe("DELETE /v1/files/{id}", () => {
  it("deletes the file and its bytes; afterwards it is a 404 everywhere", async () => {
    const target = await startServer();
    try {
      const keep = await upload(target.client, Buffer.from("keep"));
      const file = await upload(target.client, randomBytes(1000));
      expect(await blobFiles(target)).toHaveLength(2);
      expect(await target.client.files.delete(file.id)).toEqual({ id: file.id, object: "file", deleted: true });
      expect(await blobFiles(target)).toHaveLength(1);
      // Each call starts when it is awaited: one refused before its turn would be an unhandled rejection.
      for (const attempt of [() => target.client.files.retrieve(file.id), () => target.client.files.content(file.id), () => target.client.files.delete(file.id)]) {
        expect(await refusal(attempt())).toMatchObject({ status: 404, error: { type: "invalid_request_error", code: "file_not_found", message: `No such File object: ${file.id}` } });
      }
      expect((await target.client.files.list()).data.map((f) => f.id)).toEqual([keep.id]);
    } finally {
      await target.close();
    }
  });
});

describe("refusals", () => {
  const post = (body: BodyInit, headers: Record<string, string> = {}) => fetch(`${server.baseURL}/files`, { method: "POST", body, headers });
  const form = (entries: [string, string | Blob, string?][]) => {
    const data = new FormData();
    for (const [name, value, filename] of entries) typeof value === "string" ? data.append(name, value) : data.append(name, value, filename);
    return data;
  };
  const blob = new Blob([Buffer.from("hello")], { type: "text/plain" });
  const expectRefused = async (response: Response, status: number, error: Record<string, unknown>) => {
    expect(response.status).toBe(status);
    const body = await response.json();
    expect(body.error).toMatchObject({ type: "invalid_request_error", ...error });
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
  };

  it("answers bad uploads with OpenAI-shaped 400s and keeps nothing of them", async () => {
    const before = (await server.client.files.list()).data.length;
    const blobsBefore = (await blobFiles(server));
    await expectRefused(await post(form([["purpose", "user_data"]])), 400, { param: "file", code: "missing_required_parameter" });
    await expectRefused(await post(form([["file", blob, "a.txt"]])), 400, { param: "purpose", code: "missing_required_parameter" });
    await expectRefused(await post(form([["file", blob, "a.txt"], ["purpose", "fun"]])), 400, { param: "purpose", code: "invalid_value" });
    await expectRefused(await post(form([["file", "just text"], ["purpose", "user_data"]])), 400, { param: "file", code: "invalid_type" });
    await expectRefused(await post(form([["file", blob, "a.txt"], ["purpose", "user_data"], ["colour", "blue"]])), 400, { param: "colour", code: "unknown_parameter" });
    await expectRefused(await post(form([["file", blob, "a.txt"], ["image", blob, "b.txt"], ["purpose", "user_data"]])), 400, { param: "image", code: "unknown_parameter" });
    await expectRefused(await post(form([["file", blob, "a.txt"], ["file", blob, "b.txt"], ["purpose", "user_data"]])), 400, { code: "invalid_body" });
    await expectRefused(await post(form([["file", blob, "a.txt"], ["purpose", "user_data"], ["purpose", "vision"]])), 400, { code: "invalid_body" });
    await expectRefused(
      await post(form([["file", blob, "a.txt"], ["purpose", "user_data"], ["expires_after[anchor]", "created_at"], ["expires_after[seconds]", "60"]])),
      400,
      { param: "expires_after.seconds", code: "integer_below_min_value" },
    );
    await expectRefused(
      await post(form([["file", blob, "a.txt"], ["purpose", "user_data"], ["expires_after[anchor]", "last_used"], ["expires_after[seconds]", "3600"]])),
      400,
      { param: "expires_after.anchor", code: "invalid_value" },
    );
    await expectRefused(await post(JSON.stringify({ file: "x", purpose: "user_data" }), { "content-type": "application/json" }), 400, { code: "unsupported_content_type" });
    // A multipart body cut off in the middle of the file.
    const boundary = "----easel-test";
    const truncated = `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nuser_data\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhalf of the fi`;
    await expectRefused(await post(truncated, { "content-type": `multipart/form-data; boundary=${boundary}` }), 400, { code: "invalid_body" });
    expect((await server.client.files.list()).data.length).toBe(before);
    expect(await blobFiles(server)).toEqual(blobsBefore);
  });

  it("keeps nothing of an upload whose client goes away halfway", async () => {
    const before = (await blobFiles(server));
    const { port } = new URL(server.origin);
    const boundary = "----easel-abort";
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nuser_data\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n`;
    const socket = connect(Number(port), "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(`POST /v1/files HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${head.length + 10_000_000}\r\n\r\n${head}`);
    socket.write(randomBytes(2_000_000));
    // The server is writing the file to a temporary blob when the client vanishes.
    const writing = async () => (await blobFiles(server)).some((name) => name.startsWith(".tmp-"));
    for (let i = 0; i < 100 && !(await writing()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await writing()).toBe(true);
    socket.destroy();
    for (let i = 0; i < 100 && (await blobFiles(server)).length !== before.length; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await blobFiles(server)).toEqual(before);
  });

  it("answers unknown ids with 404 file_not_found", async () => {
    // Each call starts when it is awaited: one refused before its turn would be an unhandled rejection.
    for (const attempt of [() => server.client.files.retrieve("file-doesnotexist"), () => server.client.files.content("file-doesnotexist"), () => server.client.files.delete("nonsense")]) {
      expect(await refusal(attempt())).toMatchObject({ status: 404, error: { param: "file_id", code: "file_not_found" } });
    }
  });

  it("refuses files over EASEL_MAX_FILE_BYTES with 413", async () => {
    const limited = await startServer({ maxFileBytes: 64 * 1024 });
    try {
      const exact = await upload(limited.client, randomBytes(64 * 1024));
      expect(exact.bytes).toBe(64 * 1024);
      // Just over the limit: found while streaming. Far over it: refused from Content-Length before reading.
      for (const size of [64 * 1024 + 1, 3 * 1024 * 1024]) {
        const error = await refusal(upload(limited.client, randomBytes(size)));
        expect(error).toMatchObject({ status: 413, error: { code: "request_too_large", param: "file" } });
      }
      // Without a Content-Length (chunked), the stream limit still holds.
      const data = new FormData();
      data.append("purpose", "user_data");
      data.append("file", new Blob([randomBytes(200 * 1024)]), "big.bin");
      const body = new Response(data);
      const chunked = await fetch(`${limited.baseURL}/files`, {
        method: "POST",
        headers: { "content-type": body.headers.get("content-type")! },
        body: body.body,
        duplex: "half",
      } as RequestInit);
      expect(chunked.status).toBe(413);
      expect((await limited.client.files.list()).data.map((f) => f.id)).toEqual([exact.id]);
      expect(await blobFiles(limited)).toHaveLength(1);
    } finally {
      await limited.close();
    }
  });
});

describe("ownership", () => {
  let target: TestServer;
  let other: OpenAI;
  beforeAll(async () => {
    target = await startServer({ apiKeys: ["sk-alice", "sk-bob"] }, { apiKey: "sk-alice" });
    other = new OpenAI({ baseURL: target.baseURL, apiKey: "sk-bob", maxRetries: 0 });
  });
  afterAll(() => target.close());

  it("gives each API key its own files: another key gets 404, never the object", async () => {
    const mine = await upload(target.client, Buffer.from("alice's secret"), "alice.txt");
    const theirs = await upload(other, Buffer.from("bob's"), "bob.txt");
    // Each call starts when it is awaited: one refused before its turn would be an unhandled rejection.
    for (const attempt of [() => other.files.retrieve(mine.id), () => other.files.content(mine.id), () => other.files.delete(mine.id)]) {
      expect(await refusal(attempt())).toMatchObject({ status: 404, error: { code: "file_not_found" } });
    }
    expect((await other.files.list()).data.map((f) => f.id)).toEqual([theirs.id]);
    expect((await target.client.files.list()).data.map((f) => f.id)).toEqual([mine.id]);
    expect((await contentOf(target.client, mine.id)).toString()).toBe("alice's secret");
    const stealing = await fetch(`${target.baseURL}/images/edits`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer sk-bob" },
      body: JSON.stringify({ model: "gpt-image-1", prompt: "x", images: [{ file_id: mine.id }] }),
    });
    expect(stealing.status).toBe(404);
    expect((await stealing.json()).error).toMatchObject({ param: "images[0].file_id", code: "file_not_found" });
    const cursor = await fetch(`${target.baseURL}/files?after=${mine.id}`, { headers: { authorization: "Bearer sk-bob" } });
    expect(cursor.status).toBe(404);
  });

  it("stores a hash of the key, never the key", async () => {
    const store = target.parts.store;
    const owners =
      store instanceof PostgresStore
        ? (await store.pool.query<{ owner: string }>("SELECT DISTINCT owner FROM files")).rows.map((row) => row.owner)
        : ((store as EmbeddedStore).db.prepare("SELECT DISTINCT owner FROM files").pluck().all() as string[]);
    const hash = (key: string) => `sha256:${createHash("sha256").update(key).digest("hex")}`;
    expect(owners.sort()).toEqual([hash("sk-alice"), hash("sk-bob")].sort());
  });

  it("needs a key for the Files API", async () => {
    expect((await fetch(`${target.baseURL}/files`)).status).toBe(401);
  });
});

describe("file ids in JSON image edits", () => {
  const edit = (body: unknown) =>
    fetch(`${server.baseURL}/images/edits`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("edits a stored image, with a stored mask", async () => {
    const png = await makeImage(1024, 1024);
    const image = await upload(server.client, png, "lounge.png", "vision", "image/png");
    const mask = await upload(server.client, await makeMask(1024, 1024, { left: 0, top: 0, width: 512, height: 512 }), "mask.png", "vision", "image/png");
    const response = await edit({ model: "gpt-image-1", prompt: "add a flamingo", quality: "low", images: [{ file_id: image.id }], mask: { file_id: mask.id } });
    expect(response.status).toBe(200);
    const body = await response.json();
    const output = await decode(body.data[0].b64_json);
    expect([output.width, output.height]).toEqual([1024, 1024]);
    expect(body.usage.input_tokens_details.image_tokens).toBe(194);
    // Stored and inline references mix.
    const mixed = await edit({ model: "gpt-image-1", prompt: "a basket of both", quality: "low", images: [{ file_id: image.id }, { image_url: `data:image/png;base64,${png.toString("base64")}` }] });
    expect(mixed.status).toBe(200);
  });

  it("answers a file that is not an image with the usual 400, and unknown ids with 404", async () => {
    const text = await upload(server.client, Buffer.from("not a picture at all"), "notes.txt");
    const notImage = await edit({ model: "gpt-image-1", prompt: "x", images: [{ file_id: text.id }] });
    expect(notImage.status).toBe(400);
    expect((await notImage.json()).error).toMatchObject({ param: "images[0]", code: "invalid_image" });
    const badMask = await edit({ model: "gpt-image-1", prompt: "x", images: [{ image_url: `data:image/png;base64,${(await makeImage(256, 256)).toString("base64")}` }], mask: { file_id: text.id } });
    expect(badMask.status).toBe(400);
    const unknown = await edit({ model: "gpt-image-1", prompt: "x", images: [{ file_id: "file-missing" }] });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toMatchObject({ param: "images[0].file_id", code: "file_not_found" });
    const wrongType = await edit({ model: "gpt-image-1", prompt: "x", images: [{ file_id: 42 }] });
    expect((await wrongType.json()).error).toMatchObject({ param: "images[0].file_id", code: "invalid_type" });
  });

  it("refuses a stored file too large to be an input image before reading it", async () => {
    const big = await upload(server.client, Buffer.alloc(50 * 1024 * 1024 + 1), "huge.png", "vision", "image/png");
    const response = await edit({ model: "gpt-image-1", prompt: "x", images: [{ file_id: big.id }] });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ param: "images[0]", code: "image_too_large" });
    await server.client.files.delete(big.id);
  });
});

describe("the store across restarts", () => {
  it("keeps files when the server restarts on the same data dir, and sweeps unfinished writes", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "easel-restart-"));
    try {
      const first = await startServer({}, { dataDir });
      const stored: { file: OpenAI.FileObject; bytes: Buffer }[] = [];
      for (const [i, bytes] of [randomBytes(5000), randomBytes(300_000), Buffer.from("third")].entries()) {
        stored.push({ file: await upload(first.client, bytes, `r${i}.bin`), bytes });
      }
      const deleted = await upload(first.client, Buffer.from("gone"));
      await first.client.files.delete(deleted.id);
      await first.close();
      // What a crash mid-write leaves: a temporary file, and a blob whose row was never inserted.
      const blobs = join(dataDir, "blobs");
      writeFileSync(join(blobs, ".tmp-0123456789abcdef0123456789abcdef"), "half");
      writeFileSync(join(blobs, "0123456789abcdef0123456789abcdef"), "no row");

      const second = await startServer({}, { dataDir });
      try {
        const listed = await second.client.files.list({ order: "asc" });
        expect(listed.data.map((f) => f.id)).toEqual(stored.map(({ file }) => file.id));
        for (const { file, bytes } of stored) {
          expect(await second.client.files.retrieve(file.id)).toEqual(file);
          expect((await contentOf(second.client, file.id)).equals(bytes)).toBe(true);
        }
        expect(await blobFiles(second)).toHaveLength(3);
        expect((await blobFiles(second)).some((name) => name.startsWith(".tmp-") || name === "0123456789abcdef0123456789abcdef")).toBe(false);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
