// Requests the openai client cannot make: raw bodies over fetch, and raw
// bytes over a socket (a body that stops half-way, a filename in UTF-16).
import { connect } from "node:net";
import { expect } from "vitest";

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export async function post(origin: string, path: string, body: BodyInit, contentType?: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${origin}${path}`, { method: "POST", headers: { ...(contentType ? { "content-type": contentType } : {}), ...headers }, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) as OpenAIErrorBody };
}

/** OpenAI's error shape, exactly: four fields, no more. */
export function expectOpenAIError(body: unknown) {
  expect(body).toEqual({ error: { message: expect.any(String), type: expect.any(String), param: expect.toBeOneOf([null, expect.any(String)]), code: expect.toBeOneOf([null, expect.any(String)]) } });
}

/** Writes `head` and `body` to a fresh connection and resolves with all the server sent once it closes the connection. */
export function rawExchange(origin: string, head: string, body = "", timeoutMs = 30_000): Promise<{ status: number; text: string; closedAfterMs: number }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(Number(port), hostname, () => socket.write(head + body));
    let got = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on("data", (chunk) => (got += chunk));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(got)?.[1] ?? 0), text: got.slice(got.indexOf("\r\n\r\n") + 4), closedAfterMs: Date.now() - started });
    });
  });
}
