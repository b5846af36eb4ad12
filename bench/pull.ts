// `easel pull` of a large model from a Hub on loopback (test/helpers/fake-hub.ts): how fast
// bytes reach the cache (download, write, sha256 check), and that the puller's memory stays
// flat however large the file: it holds one network chunk at a time.
//
//   npm run build && npx tsx bench/pull.ts [--mb 1024]
//
// The model is the tiny test model with its UNet's external data replaced by MB megabytes of
// random bytes. The pull runs as the CLI in a child process under /usr/bin/time for its peak
// memory; it prints seconds, MB/s and the child's peak RSS for a fresh pull, and for a pull
// resumed from a half-downloaded file.
import { spawn } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { FakeHub, filesOf } from "../test/helpers/fake-hub.js";
import { writeTinyModel } from "../test/helpers/tiny-diffusion.js";

const { values: flags } = parseArgs({ options: { mb: { type: "string", default: "1024" } } });
const bytes = Number(flags.mb) * 1024 * 1024;
const work = mkdtempSync(join(tmpdir(), "easel-bench-pull-"));
const cli = join(import.meta.dirname, "..", "dist", "cli.js");
if (!existsSync(cli)) throw new Error("run `npm run build` first");

await writeTinyModel(join(work, "model"), { family: "sd1", unetExternalData: "model.onnx_data" });
const files = await filesOf(join(work, "model"));
const big = Buffer.allocUnsafe(bytes);
for (let at = 0; at < bytes; at += 64 * 1024 * 1024) randomFillSync(big.subarray(at, Math.min(at + 64 * 1024 * 1024, bytes)));
files.set("unet/model.onnx_data", big);
const hub = await FakeHub.start();
hub.add("easel-bench/big", { files });
const home = join(work, "hf");

async function run(): Promise<{ seconds: number; peakMb: number | null }> {
  const timed = existsSync("/usr/bin/time");
  const started = performance.now();
  const child = spawn(timed ? "/usr/bin/time" : "node", [...(timed ? ["-f", "%M", "node"] : []), cli, "pull", "easel-bench/big"], {
    env: { ...process.env, HF_HOME: home, HF_ENDPOINT: hub.url, HF_TOKEN: "" },
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const code = await new Promise<number>((done) => child.on("exit", (exit) => done(exit ?? 1)));
  if (code !== 0) throw new Error(`pull failed: ${stderr}`);
  const peakKb = timed ? Number(stderr.trim().split("\n").at(-1)) : NaN;
  return { seconds: (performance.now() - started) / 1000, peakMb: Number.isFinite(peakKb) ? Math.round(peakKb / 1024) : null };
}

const fresh = await run();
// Resume: drop the blob, leave half of it as the .incomplete file an interrupted pull leaves.
const blobs = join(home, "hub", "models--easel-bench--big", "blobs");
const blob = readdirSync(blobs).map((name) => join(blobs, name)).find((path) => statSync(path).size === bytes)!;
rmSync(join(home, "hub", "models--easel-bench--big", "refs"), { recursive: true });
rmSync(join(home, "hub", "models--easel-bench--big", "snapshots"), { recursive: true });
renameSync(blob, `${blob}.incomplete`);
truncateSync(`${blob}.incomplete`, Math.floor(bytes / 2));
const resumed = await run();

const mb = bytes / 1024 / 1024;
console.log(
  JSON.stringify(
    {
      file_mb: mb,
      fresh: { seconds: Number(fresh.seconds.toFixed(2)), mb_per_second: Math.round(mb / fresh.seconds), peak_rss_mb: fresh.peakMb },
      resumed_from_half: { seconds: Number(resumed.seconds.toFixed(2)), peak_rss_mb: resumed.peakMb },
      cdn_ranges: hub.requests.filter((request) => request.server === "cdn" && request.range).map((request) => request.range),
    },
    null,
    2,
  ),
);
await hub.close();
rmSync(work, { recursive: true, force: true });
