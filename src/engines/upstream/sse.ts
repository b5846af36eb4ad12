// Reads a server-sent-events body (an upstream that streams partial images)
// into events: `event:` and `data:` lines, a blank line ending each event.

export interface SseEvent {
  event?: string;
  data: string;
}

/** Yields each event of an SSE body as it arrives; comments and empty events are skipped. */
export async function* readSse(body: AsyncIterable<Uint8Array>, maxEventBytes = 64 * 1024 * 1024): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  let scanned = 0;
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    for (;;) {
      const end = findBlankLine(buffer, scanned);
      if (end === null) {
        // Keep the last few characters: a line break may continue in the next chunk.
        scanned = Math.max(0, buffer.length - 3);
        if (buffer.length > maxEventBytes) throw new Error(`an event of the stream is larger than ${maxEventBytes} bytes`);
        break;
      }
      const event = parseBlock(buffer.slice(0, end.start));
      buffer = buffer.slice(end.end);
      scanned = 0;
      if (event) yield event;
    }
  }
  buffer += decoder.decode();
  const last = parseBlock(buffer);
  if (last) yield last;
}

/** Where the first blank line (two line breaks: \n\n, \r\n\r\n or \r\r) at or after `from` is. */
function findBlankLine(text: string, from: number): { start: number; end: number } | null {
  const match = /\r\n\r\n|\n\n|\r\r/g;
  match.lastIndex = from;
  const found = match.exec(text);
  return found ? { start: found.index, end: found.index + found[0].length } : null;
}

function parseBlock(block: string): SseEvent | null {
  let event: string | undefined;
  const data: string[] = [];
  for (const line of block.split(/\r\n|\n|\r/)) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  if (data.length === 0) return null;
  return { event, data: data.join("\n") };
}
