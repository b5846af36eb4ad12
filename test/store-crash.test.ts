// Crash test for the embedded store: the built server runs as a child process,
// clients upload (and delete) files and create responses with the
// image_generation tool (plain, streamed and in the background) concurrently,
// and the process is killed with SIGKILL at a random moment, several times
// over. After each kill the database (a copy, so that the server's own restart
// still recovers the original) must be sound and every blob it names whole;
// after each restart:
// - every acknowledged upload is listed with identical bytes, every
//   acknowledged delete stays deleted, and no file is visible half-written;
// - every acknowledged response (a 200 with its final body, a
//   `response.completed` event, or a background response seen completed) is
//   there as it was acknowledged, its picture intact and of the right size;
// - every response whose creation was acknowledged but not its end (a
//   background response answered `queued`, a stream that sent
//   `response.created`) is either completed with a whole picture or failed;
// - the blob folder holds exactly the blobs the database names.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes, randomInt } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { cli, ensureBuilt, freePort, untilHealthy } from "./helpers/child-server.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import OpenAI, { toFile } from "openai";
import sharp from "sharp";
import { afterAll, beforeAll, expect, it } from "vitest";

const ROUNDS = 5;
const UPLOADERS = 4;
/** Workers per kind of response. */
const RESPONDERS = { plain: 2, stream: 1, background: 1 };

const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let dataDir: string;
let child: ChildProcess | undefined;
beforeAll(() => {
  ensureBuilt();
  dataDir = mkdtempSync(join(tmpdir(), "easel-crash-"));
});
afterAll(() => {
  child?.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

async function startChild(port: number): Promise<ChildProcess> {
  const process_ = spawn(process.execPath, [cli, "serve", "--port", String(port)], {
    env: { ...process.env, EASEL_DATA_DIR: dataDir, EASEL_LOG_LEVEL: "warn", EASEL_API_KEYS: "", HOST: "127.0.0.1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  process_.stderr!.on("data", (chunk) => (stderr += chunk));
  await untilHealthy(`http://127.0.0.1:${port}`, process_, () => stderr);
  return process_;
}

const killed = (process_: ChildProcess) =>
  new Promise<void>((resolve) => {
    process_.once("exit", () => resolve());
    process_.kill("SIGKILL");
  });

/**
 * What the database of the killed server commits to, read from a copy of it
 * (the server's restart must recover the original itself): it must be sound,
 * and every blob it names must be in the blob folder, whole. Returns the blob
 * keys, and how many responses are left queued or in progress.
 */
function committedState(): { blobs: Set<string>; unfinished: number } {
  const copy = mkdtempSync(join(tmpdir(), "easel-crash-db-"));
  try {
    for (const name of ["easel.db", "easel.db-wal", "easel.db-shm"]) {
      if (existsSync(join(dataDir, name))) copyFileSync(join(dataDir, name), join(copy, name));
    }
    const db = new Database(join(copy, "easel.db"));
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(db.pragma("foreign_key_check")).toEqual([]);
      const rows = db.prepare("SELECT key, bytes, sha256 FROM blobs").all() as { key: string; bytes: number; sha256: string }[];
      for (const row of rows) {
        const path = join(dataDir, "blobs", row.key);
        expect(existsSync(path), `blob ${row.key} has a row but no file`).toBe(true);
        const bytes = readFileSync(path);
        expect(bytes.length, `blob ${row.key}`).toBe(row.bytes);
        expect(sha(bytes), `blob ${row.key}`).toBe(row.sha256);
      }
      const unfinished = db.prepare("SELECT count(*) FROM responses WHERE status IN ('queued', 'in_progress')").pluck().get() as number;
      return { blobs: new Set(rows.map((row) => row.key)), unfinished };
    } finally {
      db.close();
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

type Item = { type: string; id: string; status: string; result?: string | null; size?: string; [key: string]: unknown };
type Wire = { id: string; status: string; output: Item[]; error: unknown; usage?: { total_tokens: number } | null; [key: string]: unknown };

/** The picture a request asks for. */
interface Wanted {
  width: number;
  height: number;
  format: "png" | "jpeg" | "webp";
}
const SIZES = [[1024, 1024], [1536, 1024], [1024, 1536]] as const;
const FORMATS = ["png", "webp", "jpeg"] as const;
function wanted(n: number): Wanted & { tool: OpenAI.Responses.Tool.ImageGeneration } {
  const [width, height] = SIZES[n % SIZES.length];
  const format = FORMATS[Math.floor(n / SIZES.length) % FORMATS.length];
  return { width, height, format, tool: { type: "image_generation", quality: "low", size: `${width}x${height}` as "1024x1024", output_format: format } };
}

/** The response as JSON, without the client's `output_text` and with each picture replaced by its hash. */
function fingerprint(response: unknown): Wire {
  const { output_text: _text, ...body } = JSON.parse(JSON.stringify(response)) as Wire;
  for (const item of body.output) {
    if (item.type === "image_generation_call" && typeof item.result === "string") item.result = `sha256:${sha(Buffer.from(item.result, "base64"))}`;
  }
  return body;
}

it("keeps every acknowledged file and response intact across SIGKILLs, and shows nothing half-written", async () => {
  /** Files the server acknowledged: the file's id, its bytes' hash and size. */
  const acknowledged = new Map<string, { sha: string; size: number; filename: string }>();
  const deleted = new Set<string>();
  /** Deletes sent but maybe cut off by the kill: either outcome is fine. */
  const deleting = new Set<string>();
  /** Hashes of everything ever sent, acknowledged or not. */
  const sent = new Set<string>();

  /** Responses known finished (acknowledged, or found so after a restart): as they must stay. */
  const finished = new Map<string, { body: Wire; wanted: Wanted }>();
  /** Responses whose creation was acknowledged but not their end: completed or failed after a restart. */
  const unfinished = new Map<string, Wanted>();
  const deletedResponses = new Set<string>();
  const deletingResponses = new Set<string>();
  /** Responses whose picture was decoded whole once (later checks compare hashes). */
  const decoded = new Set<string>();
  const counts = { plain: 0, stream: 0, background: 0, backgroundCompleted: 0, recoveredCompleted: 0, recoveredFailed: 0 };
  /** Requests that failed before any kill was sent: there must be none. */
  const unexpected: string[] = [];

  let kills = 0;
  let filesChecked = 0;
  let responsesChecked = 0;
  let blobsChecked = 0;
  let committed = new Set<string>();

  /** Requests made: each asks for the next size and format. */
  let requests = 0;

  const acknowledge = (response: unknown, want: Wanted) => {
    const body = fingerprint(response);
    expect(body.status).toBe("completed");
    finished.set(body.id, { body, wanted: want });
    unfinished.delete(body.id);
  };

  /** One plain response (a follow-up of `previous`, if given): its 200 acknowledges it. */
  async function plainOnce(client: OpenAI, previous?: string): Promise<string> {
    const want = wanted(requests++);
    const response = await client.responses.create({
      model: "gpt-5",
      input: previous ? "now make it look realistic" : "Draw a lighthouse",
      previous_response_id: previous,
      tools: [want.tool],
      tool_choice: "required",
    });
    acknowledge(response, want);
    counts.plain++;
    return response.id;
  }

  /** One streamed response: `response.created` makes it unfinished, `response.completed` acknowledges it. */
  async function streamOnce(client: OpenAI): Promise<void> {
    const want = wanted(requests++);
    const stream = await client.responses.create({ model: "gpt-5", input: "Draw a kite", tools: [{ ...want.tool, partial_images: 1 }], stream: true });
    let completed = false;
    for await (const event of stream) {
      if (event.type === "response.created") unfinished.set(event.response.id, want);
      if (event.type === "response.completed") {
        acknowledge(event.response, want);
        counts.stream++;
        completed = true;
      }
    }
    // Not an assertion: a stream the kill cuts short may end so (cutOff tells the two cases apart).
    if (!completed) throw new Error("the stream ended without response.completed");
  }

  /**
   * One background response, acknowledged once queued, then polled until it ends
   * (acknowledged again when seen completed); `mustComplete` for one made without a kill pending.
   */
  async function backgroundOnce(client: OpenAI, mustComplete = false): Promise<void> {
    const want = wanted(requests++);
    const queued = await client.responses.create({ model: "gpt-5", input: "Draw a boat", tools: [want.tool], background: true });
    expect(queued).toMatchObject({ status: "queued", background: true, output: [] });
    unfinished.set(queued.id, want);
    counts.background++;
    for (;;) {
      await sleep(25);
      const now = await client.responses.retrieve(queued.id);
      if (now.status === "queued" || now.status === "in_progress") continue;
      if (mustComplete) expect(now.status).toBe("completed");
      if (now.status === "completed") {
        acknowledge(now, want);
        counts.backgroundCompleted++;
      }
      return;
    }
  }

  /** A completed response: one whole picture of the wanted size and format, and a completed message. */
  async function checkCompleted(response: Wire, want: Wanted): Promise<void> {
    expect(response.status).toBe("completed");
    expect(response.error).toBeNull();
    expect(response.usage!.total_tokens).toBeGreaterThan(0);
    const calls = response.output.filter((item) => item.type === "image_generation_call");
    expect(calls, response.id).toHaveLength(1);
    const [call] = calls;
    expect(call).toMatchObject({ status: "completed", size: `${want.width}x${want.height}`, output_format: want.format });
    expect(response.output.filter((item) => item.type === "message")).toMatchObject([{ status: "completed" }]);
    if (decoded.has(response.id)) return;
    const bytes = Buffer.from(call.result!, "base64");
    expect(bytes.toString("base64"), `${response.id}: result is not base64`).toBe(call.result);
    // A whole decode: a truncated or corrupt picture fails here.
    const { info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
    expect({ width: info.width, height: info.height }).toEqual({ width: want.width, height: want.height });
    expect((await sharp(bytes).metadata()).format).toBe(want.format);
    decoded.add(response.id);
  }

  async function retrieve(client: OpenAI, id: string): Promise<Wire | "gone"> {
    responsesChecked++;
    const response = await client.responses.retrieve(id).catch((error: unknown) => {
      if ((error as { status?: number }).status === 404) return "gone" as const;
      throw error;
    });
    return response === "gone" ? response : (JSON.parse(JSON.stringify(response)) as Wire);
  }

  async function checkResponses(client: OpenAI): Promise<void> {
    for (const [id, known] of finished) {
      const response = await retrieve(client, id);
      if (deletedResponses.has(id) || (deletingResponses.has(id) && response === "gone")) {
        expect(response, `deleted response ${id} came back`).toBe("gone");
        deletedResponses.add(id);
        continue;
      }
      expect(response, `finished response ${id} is missing`).not.toBe("gone");
      const body = fingerprint(response);
      expect(body, `response ${id} changed`).toEqual(known.body);
      if (known.body.status === "completed") await checkCompleted(response as Wire, known.wanted);
    }
    for (const [id, want] of unfinished) {
      const response = await retrieve(client, id);
      expect(response, `response ${id}, whose creation was acknowledged, is missing`).not.toBe("gone");
      const wire = response as Wire;
      // Nothing runs it any more: the restart marked it failed, unless it had finished.
      expect(["completed", "failed"], `response ${id}`).toContain(wire.status);
      if (wire.status === "completed") {
        await checkCompleted(wire, want);
        counts.recoveredCompleted++;
      } else {
        // Marked so by the restart (nothing else fails these requests).
        expect(wire.error).toEqual({ code: "server_error", message: "The server stopped before this response finished." });
        // Never half-written: no picture claims to be done without its bytes.
        for (const item of wire.output) if (item.type === "image_generation_call") expect(item.status === "completed" && !item.result).toBe(false);
        counts.recoveredFailed++;
      }
      unfinished.delete(id);
      finished.set(id, { body: fingerprint(wire), wanted: want });
    }
  }

  for (let round = 0; round <= ROUNDS; round++) {
    // What the killed server's database commits to, whole on disk.
    if (round > 0) {
      const state = committedState();
      committed = state.blobs;
      blobsChecked += committed.size;
    }
    const port = await freePort();
    child = await startChild(port);
    const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "k", maxRetries: 0, timeout: 20_000 });

    // Everything acknowledged so far is there, whole; nothing else is, but for uploads
    // that completed just as the process died (their bytes must still be whole).
    const listed = (await client.files.list({ limit: 10_000 })).data;
    const ids = new Set(listed.map((file) => file.id));
    for (const [id] of acknowledged) {
      if (deleted.has(id)) {
        expect(ids.has(id), `deleted file ${id} came back`).toBe(false);
        continue;
      }
      if (!deleting.has(id)) expect(ids.has(id), `acknowledged file ${id} is missing`).toBe(true);
    }
    for (const file of listed) {
      const bytes = Buffer.from(await (await client.files.content(file.id)).arrayBuffer());
      expect(bytes.length).toBe(file.bytes);
      const known = acknowledged.get(file.id);
      if (known) {
        expect(sha(bytes)).toBe(known.sha);
        expect(file.bytes).toBe(known.size);
        expect(file.filename).toBe(known.filename);
      } else {
        expect(sent.has(sha(bytes)), `file ${file.id} is not any upload that was sent`).toBe(true);
      }
      filesChecked++;
    }
    await checkResponses(client);
    // The startup sweep left no temporary files, and exactly the blobs the database names.
    const blobs = readdirSync(join(dataDir, "blobs"));
    expect(blobs.filter((name) => name.startsWith(".tmp-"))).toEqual([]);
    expect(new Set(blobs)).toEqual(committed);
    if (round === ROUNDS) break;

    // Load until the kill: concurrent uploads of 1 KiB to 2 MiB with a delete now and
    // then, and responses of every kind, each asking for a picture of its own size and format.
    let stop = false;
    /** Set as the kill is sent: from then on a request may be cut off, and nothing is promised for it. */
    let killing = false;
    const cutOff = (error: unknown) => {
      if ((error as Error).name === "AssertionError") throw error;
      if (!killing) unexpected.push(String(error));
    };
    const uploader = async (n: number) => {
      for (let i = 0; !stop; i++) {
        const bytes = randomBytes(randomInt(1024, 2 * 1024 * 1024));
        const filename = `r${round}-w${n}-${i}.bin`;
        sent.add(sha(bytes));
        try {
          const file = await client.files.create({ file: await toFile(bytes, filename), purpose: "user_data" });
          acknowledged.set(file.id, { sha: sha(bytes), size: bytes.length, filename });
          if (i % 4 === 3) {
            deleting.add(file.id);
            await client.files.delete(file.id);
            deleted.add(file.id);
          }
        } catch (error) {
          cutOff(error);
        }
      }
    };
    /** Plain responses; every other one follows up on the one before (an edit of a stored picture), and some are deleted. */
    const plain = async () => {
      let previous: string | undefined;
      while (!stop) {
        try {
          const id = await plainOnce(client, previous);
          previous = previous ? undefined : id;
          if (counts.plain % 3 === 0) {
            previous = undefined;
            deletingResponses.add(id);
            await client.responses.delete(id);
            deletedResponses.add(id);
          }
        } catch (error) {
          previous = undefined;
          cutOff(error);
        }
      }
    };
    const repeat = (once: (client: OpenAI) => Promise<unknown>) => async () => {
      while (!stop) await once(client).catch(cutOff);
    };

    // The first picture after a start loads the tokenizer and the engine (a second or so
    // here, with all else waiting), so one response, of each kind in turn, is made first:
    // every kind is then acknowledged at least once, however the kills fall.
    await [() => plainOnce(client), () => streamOnce(client), () => backgroundOnce(client, true)][round % 3]();

    const workers = [
      ...Array.from({ length: UPLOADERS }, (_, n) => uploader(n)),
      ...Array.from({ length: RESPONDERS.plain }, plain),
      ...Array.from({ length: RESPONDERS.stream }, repeat(streamOnce)),
      ...Array.from({ length: RESPONDERS.background }, repeat((client) => backgroundOnce(client))),
    ];
    await sleep(randomInt(300, 1500));
    killing = true;
    await killed(child);
    kills++;
    stop = true;
    await Promise.all(workers);
  }
  await killed(child!);
  child = undefined;
  // Every response left behind by a kill was marked failed on the restart that followed.
  expect(committedState().unfinished).toBe(0);

  const responses = counts.plain + counts.stream + counts.background;
  console.log(
    `store crash test: ${kills} kills; ${acknowledged.size} acknowledged uploads (${deleted.size} deleted), ${filesChecked} stored files checked; ` +
      `${responses} acknowledged responses (${counts.plain} plain, ${counts.stream} streamed, ${counts.background} background of which ${counts.backgroundCompleted} seen completed; ` +
      `${deletedResponses.size} deleted), ${counts.recoveredCompleted + counts.recoveredFailed} left unfinished by a kill (${counts.recoveredCompleted} found completed, ` +
      `${counts.recoveredFailed} failed), ${responsesChecked} stored responses checked, ${decoded.size} pictures decoded whole; ${blobsChecked} committed blobs checked on disk`,
  );
  expect(unexpected, "requests that failed before any kill").toEqual([]);
  expect(kills).toBe(ROUNDS);
  expect(acknowledged.size).toBeGreaterThan(ROUNDS);
  expect(counts.plain).toBeGreaterThan(0);
  expect(counts.stream).toBeGreaterThan(0);
  expect(counts.background).toBeGreaterThan(0);
  // Six starts of the built server (about 6 s each on two cores: moderation model, art index, token tables) plus the load between kills.
}, 180_000);
