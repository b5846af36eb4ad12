// Streams in the shared mode are the single process's streams: the same
// requests (seeded) answered by a single process and by an API node whose
// jobs run on a worker give the same bytes, event for event, once the
// values that differ by nature (timestamps, random ids) are masked.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startServer, type TestServer } from "../helpers/server.js";

let single: TestServer;
let shared: TestServer;

beforeAll(async () => {
  [single, shared] = await Promise.all([startServer({}, { local: true, shared: false }), startServer({}, { local: true, shared: true })]);
  expect(shared.parts.worker).toBeDefined();
  expect(single.parts.worker).toBeUndefined();
});

afterAll(async () => {
  await single?.close();
  await shared?.close();
});

/** The raw SSE text, with timestamps and random ids replaced by the order in which they first appear. */
async function stream(server: TestServer, path: string, body: unknown): Promise<string> {
  const response = await fetch(`${server.baseURL}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  const ids = new Map<string, string>();
  return (await response.text())
    .replace(/"(created_at|completed_at)":\d+/g, '"$1":0')
    .replace(/\b(resp|ig|msg)_[0-9a-f]{16,}\b/g, (id) => {
      if (!ids.has(id)) ids.set(id, `${id.split("_")[0]}_${ids.size}`);
      return ids.get(id)!;
    });
}

it("streams an image generation with partial images byte for byte as the single process does", async () => {
  const body = { model: "gpt-image-1", prompt: "a red fox in the snow", size: "1024x1024", quality: "low", stream: true, partial_images: 2, seed: 42 };
  const [a, b] = await Promise.all([stream(single, "/images/generations", body), stream(shared, "/images/generations", body)]);
  expect(a.match(/^event: .+$/gm)).toEqual(["event: image_generation.partial_image", "event: image_generation.partial_image", "event: image_generation.completed"]);
  expect(b === a).toBe(true);
});

it("streams a Responses image call byte for byte as the single process does", async () => {
  const body = { model: "gpt-5", input: "Draw a lighthouse at night", stream: true, tools: [{ type: "image_generation", quality: "low", partial_images: 1, seed: 7 }] };
  const [a, b] = await Promise.all([stream(single, "/responses", body), stream(shared, "/responses", body)]);
  expect(a).toContain("event: response.image_generation_call.partial_image");
  expect(a.match(/^event: .+$/gm)).toEqual(b.match(/^event: .+$/gm));
  expect(b === a).toBe(true);
});
