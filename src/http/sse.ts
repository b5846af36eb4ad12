// The one server-sent-events writer every stream uses: `event:` and `data:`
// lines per event, as OpenAI sends them, with backpressure. disconnectSignal
// tells any request, streaming or not, that its client went away.
import type { FastifyReply, FastifyRequest } from "fastify";

export class SseStream {
  constructor(private readonly reply: FastifyReply, request: FastifyRequest) {
    reply.hijack();
    // Headers already set on the reply (x-request-id, x-ratelimit-*) go out with the stream.
    reply.raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "x-request-id": request.id,
      "x-accel-buffering": "no",
    });
  }

  /** Writes one event; resolves once the socket can take more. */
  async send(event: string, data: unknown): Promise<void> {
    const raw = this.reply.raw;
    if (raw.destroyed) return;
    if (!raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          raw.off("drain", done);
          raw.off("close", done);
          resolve();
        };
        raw.on("drain", done);
        raw.on("close", done);
      });
    }
  }

  end(): void {
    if (!this.reply.raw.destroyed) this.reply.raw.end();
  }
}

/** An AbortSignal for a plain (non-streaming) request: fires if the client disconnects before the answer. */
export function disconnectSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.on("close", () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}
