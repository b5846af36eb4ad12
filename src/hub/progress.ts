// How a pull shows its progress: a bar with bytes, speed and time left on a terminal,
// and JSON lines (at most one every few seconds) in logs and pipes.
import type { WriteStream } from "node:tty";
import { formatBytes, type PullProgress } from "./pull.js";

const TTY_EVERY_MS = 100;
const LOG_EVERY_MS = 5_000;
const BAR = 24;

/** Bytes per second over the last few seconds, so a stall shows at once. */
class Rate {
  private samples: { at: number; done: number }[] = [];

  add(at: number, done: number): number {
    this.samples.push({ at, done });
    while (this.samples.length > 2 && at - this.samples[0].at > 5_000) this.samples.shift();
    const first = this.samples[0];
    const seconds = (at - first.at) / 1000;
    return seconds > 0 ? (done - first.done) / seconds : 0;
  }
}

abstract class Tracker implements PullProgress {
  protected total = 0;
  protected done = 0;
  protected files = 0;
  protected file = "";
  private last = 0;
  private readonly rate = new Rate();
  protected speed = 0;

  constructor(private readonly everyMs: number) {}

  start(files: number, bytes: number): void {
    this.files = files;
    this.total = bytes;
    this.done = 0;
    this.show("start");
  }

  bytes(count: number, file: string): void {
    this.done += count;
    this.file = file;
    const now = performance.now();
    this.speed = this.rate.add(now, this.done);
    if (now - this.last >= this.everyMs) {
      this.last = now;
      this.show("progress");
    }
  }

  end(): void {
    this.show("end");
  }

  protected secondsLeft(): number | undefined {
    return this.speed > 0 ? Math.round((this.total - this.done) / this.speed) : undefined;
  }

  protected abstract show(event: "start" | "progress" | "end"): void;
}

export class TerminalProgress extends Tracker {
  constructor(private readonly out: NodeJS.WritableStream & Partial<Pick<WriteStream, "isTTY" | "columns">>) {
    super(TTY_EVERY_MS);
  }

  protected show(event: "start" | "progress" | "end"): void {
    if (event === "start") {
      this.out.write(`downloading ${this.files} file${this.files === 1 ? "" : "s"}, ${formatBytes(this.total)}\n`);
      return;
    }
    const share = this.total > 0 ? this.done / this.total : 1;
    const filled = Math.round(share * BAR);
    const left = this.secondsLeft();
    const line =
      `[${"█".repeat(filled)}${"░".repeat(BAR - filled)}] ${formatBytes(this.done)} / ${formatBytes(this.total)}` +
      `  ${formatBytes(this.speed)}/s  ${left === undefined ? "" : `ETA ${duration(left)}`}  ${this.file}`;
    this.out.write(`\r${line.slice(0, (this.out.columns ?? 100) - 1).padEnd((this.out.columns ?? 100) - 1)}${event === "end" ? "\n" : ""}`);
  }
}

/** One JSON object per line: for logs, pipes and CI. `write` takes the object (a logger) or a stream. */
export class JsonProgress extends Tracker {
  constructor(
    private readonly write: (entry: Record<string, unknown>) => void,
    private readonly model: string,
  ) {
    super(LOG_EVERY_MS);
  }

  static lines(out: NodeJS.WritableStream, model: string): JsonProgress {
    return new JsonProgress((entry) => out.write(`${JSON.stringify(entry)}\n`), model);
  }

  protected show(event: "start" | "progress" | "end"): void {
    this.write({
      event: `pull.${event}`,
      model: this.model,
      files: this.files,
      bytes: this.done,
      total_bytes: this.total,
      ...(event === "progress" ? { file: this.file, bytes_per_second: Math.round(this.speed), seconds_left: this.secondsLeft() ?? null } : {}),
    });
  }
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")}m`;
}
