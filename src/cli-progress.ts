// A one-line progress display for the CLI: a spinner with the elapsed time on
// a terminal, a single line otherwise (logs and pipes stay clean).
import type { WriteStream } from "node:tty";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export class Progress {
  private readonly started = performance.now();
  private timer?: NodeJS.Timeout;
  private frame = 0;

  constructor(private readonly out: NodeJS.WritableStream & Partial<Pick<WriteStream, "isTTY">>, private readonly label: string) {
    if (out.isTTY) {
      this.timer = setInterval(() => this.draw(), 80);
      this.draw();
    } else {
      out.write(`rendering ${label}…\n`);
    }
  }

  private seconds(): string {
    return ((performance.now() - this.started) / 1000).toFixed(1);
  }

  private draw(): void {
    this.out.write(`\r${FRAMES[this.frame++ % FRAMES.length]} rendering ${this.label} ${this.seconds()}s`);
  }

  done(): void {
    this.stop();
    this.out.write(this.out.isTTY ? `\r✔ rendered ${this.label} in ${this.seconds()}s\n` : `rendered in ${this.seconds()}s\n`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
