// Pictures are moderated as well as prompts: an engine's output, its partial
// images and an edit's inputs are classified (nsfwjs) and a flagged one is
// refused with moderation_blocked. The flagged picture is a fixture found by
// gradient ascent on the classifier (test/fixtures/moderation/make-flagged.ts):
// smooth noise the classifier scores as explicit, not explicit content.
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Engine, ImageJob, RawImage } from "../../src/engines/engine.js";
import { engineFactories } from "../../src/engines/index.js";
import { ModelRegistry } from "../../src/models/registry.js";
import { isFlagged } from "../../src/moderation/verdict.js";
import { refusal, startServer, type TestServer } from "../helpers/server.js";

const flaggedPng = readFileSync(new URL("../fixtures/moderation/flagged.png", import.meta.url));
let flaggedFrame: (width: number, height: number) => Promise<RawImage>;

beforeAll(() => {
  flaggedFrame = async (width, height) => {
    const data = await sharp(flaggedPng).resize(width, height, { kernel: "cubic" }).ensureAlpha().raw().toBuffer();
    return { data, width, height };
  };
});

/** Draws the flagged picture (and, when asked, flagged partial images first); counts its runs. */
class FlaggedEngine implements Engine {
  readonly name = "flagged";
  runs = 0;
  async run(job: ImageJob, { onPartial }: { onPartial?: (frame: RawImage, index: number) => void }): Promise<RawImage[]> {
    this.runs++;
    const frame = await flaggedFrame(job.width, job.height);
    for (let i = 0; i < job.partialImages; i++) onPartial?.(frame, i);
    return Array.from({ length: job.n }, () => frame);
  }
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serverWith(moderatePictures = true) {
  const engine = new FlaggedEngine();
  const models = {
    risky: { engine: "flagged", family: "gpt-image" as const, options: {}, ownedBy: "easel" },
    trusted: { engine: "flagged", family: "gpt-image" as const, options: {}, ownedBy: "easel", moderatePictures: false },
    "gpt-image-1": { engine: "compose", family: "gpt-image" as const, options: {}, ownedBy: "easel" },
  };
  server = await startServer({ models, moderatePictures }, { local: true, parts: () => ({ registry: new ModelRegistry(models, { ...engineFactories, flagged: () => engine }) }) });
  return { engine, server };
}

describe("picture moderation", () => {
  it("refuses a picture the classifier flags, whatever the prompt", async () => {
    const { server, engine } = await serverWith();
    const refused = await refusal(server.client.images.generate({ model: "risky", prompt: "a calm lake" }));
    expect(refused.status).toBe(400);
    expect(refused.error).toMatchObject({ type: "image_generation_user_error", code: "moderation_blocked" });
    expect(engine.runs).toBe(1);
    const metrics = await (await fetch(`${server.origin}/metrics`)).text();
    expect(metrics).toMatch(/^easel_moderation_blocked_total\{stage="output"\} [1-9]/m);
  });

  it("refuses a flagged partial image before it is sent: with nothing streamed yet, the refusal keeps its status", async () => {
    const { server } = await serverWith();
    const response = await fetch(`${server.baseURL}/images/generations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "risky", prompt: "a calm lake", stream: true, partial_images: 2 }),
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).not.toMatch(/partial_image/);
    expect(JSON.parse(text).error.code).toBe("moderation_blocked");
  });

  it("refuses an edit whose input is flagged before any work is queued", async () => {
    const { server, engine } = await serverWith();
    const input = await sharp(flaggedPng).resize(512, 512).png().toBuffer();
    const refused = await refusal(server.client.images.edit({ model: "gpt-image-1", prompt: "add a hat", image: new File([new Uint8Array(input)], "in.png", { type: "image/png" }) }));
    expect(refused.error.code).toBe("moderation_blocked");
    expect(engine.runs).toBe(0);
  });

  it("refuses the Responses API's image call, and a streamed one fails with OpenAI's content-policy code", async () => {
    const { server } = await serverWith();
    const tools = [{ type: "image_generation" as const, model: "risky" as "gpt-image-1" }];
    const refused = await refusal(server.client.responses.create({ model: "gpt-5", input: "draw a calm lake", tools }));
    expect(refused.error.code).toBe("moderation_blocked");
    const stream = await server.client.responses.create({ model: "gpt-5", input: "draw a calm lake", tools, stream: true });
    const events: { type: string; response?: { status: string; error: { code: string } | null } }[] = [];
    for await (const event of stream) events.push(event as (typeof events)[number]);
    expect(events.some((e) => e.type === "response.image_generation_call.partial_image")).toBe(false);
    const last = events.at(-1)!;
    expect(last.type).toBe("response.failed");
    expect(last.response?.error?.code).toBe("image_content_policy_violation");
  });

  it("lets ordinary pictures through, and lets everything through when switched off", async () => {
    const on = await serverWith();
    const drawn = await on.server.client.images.generate({ model: "gpt-image-1", prompt: "a red fox in the snow", quality: "low", n: 2 });
    expect(drawn.data).toHaveLength(2);
    // A model's own setting overrides the server's.
    expect((await on.server.client.images.generate({ model: "trusted", prompt: "a calm lake" })).data).toHaveLength(1);
    await on.server.close();
    server = undefined;
    const off = await serverWith(false);
    const risky = await off.server.client.images.generate({ model: "risky", prompt: "a calm lake" });
    expect(risky.data).toHaveLength(1);
  });

  it("relaxes the threshold at moderation low", () => {
    const scores = (porn: number, sexy: number) => ({ porn, sexy, hentai: 0, drawing: 0, neutral: 1 - porn - sexy });
    expect([isFlagged(scores(0.7, 0), "auto"), isFlagged(scores(0.7, 0), "low")]).toEqual([true, false]);
    expect([isFlagged(scores(0.3, 0.6), "auto"), isFlagged(scores(0.3, 0.6), "low")]).toEqual([true, false]);
    expect([isFlagged(scores(0.95, 0), "auto"), isFlagged(scores(0.95, 0), "low")]).toEqual([true, true]);
    expect(isFlagged(scores(0.1, 0.5), "auto")).toBe(false);
  });
});
