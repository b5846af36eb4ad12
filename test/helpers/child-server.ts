// For tests that run `easel serve` as a child process: the built CLI, a free
// port, and a wait until the child answers /health (or a clear failure when
// it exits or never does).
import { execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
export const cli = join(root, "dist/cli.js");

/** Builds dist/ when it is missing or older than the sources (npm test builds first; a lone run may not). */
export function ensureBuilt(): void {
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

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

/** Polls `${base}/health` every 50 ms until it answers 200; throws after `timeoutMs` or when the child exits. */
export async function untilHealthy(base: string, child: ChildProcess, describeFailure = () => "", timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) ${describeFailure()}`);
    if (await fetch(`${base}/health`).then((r) => r.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the server did not answer /health within ${timeoutMs} ms ${describeFailure()}`);
}
