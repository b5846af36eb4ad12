// A connection must keep moving. A client that sends its headers and then
// stalls, or asks for pictures and then stops reading them, would otherwise
// hold its connection, its upload buffer or its unsent answer forever.
//   - A body that sends nothing for `idleMs` is failed with a BodyTimeoutError:
//     the reader waiting on it (the JSON parser, the multipart reader) throws,
//     and the client is answered 408 in OpenAI's shape, the connection closed.
//   - An answer the client takes nothing of for `idleMs`, while bytes wait to
//     go out, has its connection closed. (Time the server spends drawing, with
//     nothing to send, does not count.)
import type { FastifyReply, FastifyRequest } from "fastify";

export class BodyTimeoutError extends Error {
  override name = "BodyTimeoutError";
  constructor(readonly idleMs: number) {
    super(`no part of the request body arrived for ${idleMs} ms`);
  }
}

export function watchStalls(request: FastifyRequest, reply: FastifyReply, idleMs: number): void {
  const raw = request.raw;
  const socket = raw.socket;
  const declared = Number(raw.headers["content-length"] ?? 0);
  let bodyDone = raw.complete || (declared === 0 && raw.headers["transfer-encoding"] === undefined);
  let progress = socket.bytesRead + socket.bytesWritten;
  let quietSince = Date.now();
  const timer = setInterval(() => {
    if (socket.destroyed || reply.raw.writableFinished) return clearInterval(timer);
    const now = socket.bytesRead + socket.bytesWritten;
    if (now !== progress) {
      progress = now;
      quietSince = Date.now();
      return;
    }
    bodyDone ||= raw.complete;
    const waitingOnClient = !bodyDone || socket.writableLength > 0;
    if (!waitingOnClient) quietSince = Date.now();
    if (Date.now() - quietSince < idleMs) return;
    clearInterval(timer);
    if (bodyDone) return void socket.destroy();
    const error = new BodyTimeoutError(idleMs);
    // A reader that waits on the body hears the error and answers; with none yet, the connection is closed.
    if (raw.listenerCount("error") > 0) raw.emit("error", error);
    else raw.destroy(error);
  }, Math.max(10, Math.min(1000, idleMs / 4)));
  timer.unref();
  reply.raw.once("close", () => clearInterval(timer));
}
