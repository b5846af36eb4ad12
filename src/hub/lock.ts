// One download of a blob at a time across processes (several `easel serve` workers on
// one machine pulling the same model at start, or a pull beside a serve): a lock file
// created exclusively, kept fresh while its holder works, and taken over once it has not
// been touched for STALE_MS (its holder died). Python's huggingface_hub locks with flock
// on files of its own in the same .locks folder; its locks and these do not see each other,
// but a blob written by both at once fails its hash check and is fetched again.
import { hostname } from "node:os";
import { dirname } from "node:path";
import { mkdir, open, rm, stat, utimes } from "node:fs/promises";

const REFRESH_MS = 2_000;
const STALE_MS = 15_000;
const POLL_MS = 200;

/** Runs `work` holding the lock at `path`; waits (until `signal` aborts) while another process holds it. */
export async function withLock<T>(path: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  await mkdir(dirname(path), { recursive: true });
  for (;;) {
    signal?.throwIfAborted();
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const touched = (await stat(path).catch(() => undefined))?.mtimeMs;
      if (touched !== undefined && Date.now() - touched > STALE_MS) await rm(path, { force: true });
      else await new Promise((done) => setTimeout(done, POLL_MS));
    }
  }
  const refresh = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => {});
  }, REFRESH_MS);
  try {
    return await work();
  } finally {
    clearInterval(refresh);
    await rm(path, { force: true });
  }
}
