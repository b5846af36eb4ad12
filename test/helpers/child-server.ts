// For tests that run `easel serve` as a child process: a free port, and a wait
// until the child answers /health (or a clear failure when it exits or never does).
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";

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
