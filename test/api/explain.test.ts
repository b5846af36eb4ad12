// Easel's `explain` extension: the engine's plan beside the pictures, so a
// user can see why a picture looks as it does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({}, { local: true });
});
afterAll(() => server.close());

type Plan = { engine: string; things: { name: string; count: number; colour: string | null; realised_by: { source: string; id: string } }[]; unrealised: string[] };

describe("the explain request field", () => {
  it("returns the compose plan: each thing and the art that realised it", async () => {
    const result = (await server.client.images.generate({ model: "gpt-image-1", prompt: "three red balloons over a city at night", quality: "low", explain: true } as never)) as unknown as { data: unknown[]; explain: Plan };
    expect(result.data).toHaveLength(1);
    expect(result.explain.engine).toBe("compose");
    const balloon = result.explain.things.find((t) => t.name === "balloon");
    expect(balloon).toMatchObject({ count: 3, colour: "red", realised_by: { source: "openmoji" } });
  });

  it("is absent unless asked for, and goes on the completed event of a stream", async () => {
    const plain = (await server.client.images.generate({ model: "gpt-image-1", prompt: "a cat", quality: "low" })) as unknown as Record<string, unknown>;
    expect(plain).not.toHaveProperty("explain");
    const stream = await server.client.images.generate({ model: "gpt-image-1", prompt: "a cat and a zorblax", quality: "low", stream: true, explain: true } as never);
    const events: { type: string; explain?: Plan }[] = [];
    for await (const event of stream as unknown as AsyncIterable<{ type: string; explain?: Plan }>) events.push(event);
    const completed = events.find((e) => e.type === "image_generation.completed")!;
    expect(completed.explain!.things.map((t) => t.name)).toContain("cat");
    expect(completed.explain!.unrealised).toContain("zorblax");
  });

  it("refuses a non-boolean explain", async () => {
    const response = await fetch(`${server.baseURL}/images/generations`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ prompt: "a cat", explain: "yes" }) });
    expect(response.status).toBe(400);
    expect((await response.json()).error.param).toBe("explain");
  });
});
