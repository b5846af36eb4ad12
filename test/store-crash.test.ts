// Crash test for the embedded store: the built server runs as a child process,
// clients upload (and delete) files concurrently, and the process is killed
// with SIGKILL at a random moment, several times over. After each restart every
// acknowledged upload must be listed with identical bytes, every acknowledged
// delete must stay deleted, and no file may be visible half-written.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes, randomInt } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI, { toFile } from "openai";
import { afterAll, beforeAll, expect, it } from "vitest";

const ROUNDS = 5;
const UPLOADERS = 6;
const root = new URL("..", import.meta.url).pathname;
const cli = join(root, "dist/cli.js");

const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** Builds dist/ when it is missing or older than the sources (npm test builds first; a lone run may not). */
function ensureBuilt(): void {
  const newest = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return newest(path);
      return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? statSync(path).mtimeMs : 0;
    }));
  if (existsSync(cli) && statSync(cli).mtimeMs >= newest(join(root, "src"))) return;
  try {
    execFileSync("npm", ["run", "build", "--silent"], { cwd: root, stdio: "pipe" });
  } catch (error) {
    // tsc still writes its output on type errors, which `npm test` reports on its own.
    if (!existsSync(cli)) throw error;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

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
  for (let i = 0; i < 300; i++) {
    if (process_.exitCode !== null) throw new Error(`the server exited (${process_.exitCode}): ${stderr}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
    if (ok) return process_;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the server did not start: ${stderr}`);
}

const killed = (process_: ChildProcess) =>
  new Promise<void>((resolve) => {
    process_.once("exit", () => resolve());
    process_.kill("SIGKILL");
  });

it("keeps every acknowledged file intact across SIGKILLs, and shows nothing half-written", async () => {
  /** What the server acknowledged: the file's id, its bytes' hash and size. */
  const acknowledged = new Map<string, { sha: string; size: number; filename: string }>();
  const deleted = new Set<string>();
  /** Deletes sent but maybe cut off by the kill: either outcome is fine. */
  const deleting = new Set<string>();
  /** Hashes of everything ever sent, acknowledged or not. */
  const sent = new Set<string>();
  let kills = 0;
  let checked = 0;

  for (let round = 0; round <= ROUNDS; round++) {
    const port = await freePort();
    child = await startChild(port);
    const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "k", maxRetries: 0, timeout: 20_000 });

    // Everything acknowledged so far is there, whole; nothing else is, but for uploads
    // that completed just as the process died (their bytes must still be whole).
    const listed = (await client.files.list({ limit: 10_000 })).data;
    const ids = new Set(listed.map((file) => file.id));
    for (const [id, expected] of acknowledged) {
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
      checked++;
    }
    // The startup sweep left no temporary files, and exactly one blob per stored file.
    const blobs = readdirSync(join(dataDir, "blobs"));
    expect(blobs.filter((name) => name.startsWith(".tmp-"))).toEqual([]);
    expect(blobs.length).toBe(listed.length);
    if (round === ROUNDS) break;

    // Load: concurrent uploads of 1 KiB to 2 MiB, with a delete now and then, until the kill.
    let stop = false;
    const worker = async (n: number) => {
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
        } catch {
          // Cut off by the kill: not acknowledged, so nothing is promised.
        }
      }
    };
    const workers = Array.from({ length: UPLOADERS }, (_, n) => worker(n));
    await new Promise((resolve) => setTimeout(resolve, randomInt(150, 900)));
    await killed(child);
    kills++;
    stop = true;
    await Promise.all(workers);
  }
  await killed(child!);
  child = undefined;

  console.log(`store crash test: ${kills} kills, ${acknowledged.size} acknowledged uploads (${deleted.size} deleted), ${checked} stored files checked`);
  expect(kills).toBe(ROUNDS);
  expect(acknowledged.size).toBeGreaterThan(ROUNDS);
});
