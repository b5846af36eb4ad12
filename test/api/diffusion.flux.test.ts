// FLUX.1 [schnell] and [dev] through the whole Image and Responses API with the official
// client, on tiny models in optimum's layout (test/helpers/tiny-flux.ts). Their transformer
// is an exact velocity oracle toward a clean latent that depends on the prompt (CLIP pooled,
// T5 tokens), the token positions and, for [dev], the guidance: a correct pipeline (tokenizers,
// packing, position ids, schedule, Euler steps, unpacking, VAE shift and scale) must land on
// the colours the test computes itself.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toFile } from "openai";
import type { ImageGenerateParamsStreaming } from "openai/resources/images";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelConfig } from "../../src/config.js";
import { loadClipTokenizer, loadT5Tokenizer } from "../../src/engines/diffusion/tokenizer.js";
import { refusal, startServer, type TestServer } from "../helpers/server.js";
import { writeTinyFlux, type TinyFlux } from "../helpers/tiny-flow.js";

const root = mkdtempSync(join(tmpdir(), "easel-flux-"));
const tiny: Record<string, TinyFlux> = {};
let server: TestServer;
/** Pictures render at 64×64 (an 8×8 latent, 16 tokens) and are resized to what is asked. */
const LATENT = { width: 8, height: 8 };

beforeAll(async () => {
  const entry = (variant: string, family: ModelConfig["family"] = "gpt-image"): ModelConfig => ({
    engine: "diffusion", family, ownedBy: "easel", options: { path: join(root, variant), nativeSize: 64 },
  });
  for (const variant of ["schnell", "dev"] as const) tiny[variant] = await writeTinyFlux(join(root, variant), variant);
  await writeTinyFlux(join(root, "schnell-fp16"), "schnell", { transformerDtype: "float16" });
  server = await startServer(
    {
      models: {
        "flux-schnell": entry("schnell"),
        "flux-dev": entry("dev"),
        "flux-dall-e-2": entry("schnell", "dall-e-2"),
        "flux-schnell-1024": { ...entry("schnell"), options: { path: join(root, "schnell") } },
        "flux-fp16": { ...entry("schnell"), options: { path: join(root, "schnell-fp16"), nativeSize: 64 } },
        "flux-low-memory": { ...entry("schnell"), options: { path: join(root, "schnell"), nativeSize: 64, lowMemory: true } },
        "gpt-image-1": { alias: "flux-schnell", engine: "compose", family: "gpt-image", options: {}, ownedBy: "easel" },
      },
    },
    { local: true },
  );
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

/** The mean colour (0–1) a correct pipeline paints for a prompt. */
function expectedColour(variant: "schnell" | "dev", prompt: string, guidance = 3.5): number[] {
  const folder = join(root, variant);
  const clipIds = loadClipTokenizer(join(folder, "tokenizer")).encode(prompt);
  const t5Ids = loadT5Tokenizer(join(folder, "tokenizer_2"), variant === "dev" ? 512 : 256).encode(prompt);
  const model = tiny[variant];
  return model.meanColour(model.cleanLatent(clipIds, t5Ids, LATENT, guidance), LATENT);
}

async function meanColour(b64: string, region?: (x: number, y: number) => boolean) {
  const { data, info } = await sharp(Buffer.from(b64, "base64")).raw().toBuffer({ resolveWithObject: true });
  const sums = [0, 0, 0];
  let count = 0;
  for (let p = 0; p < data.length / info.channels; p++) {
    if (region && !region(p % info.width, Math.floor(p / info.width))) continue;
    for (let c = 0; c < 3; c++) sums[c] += data[p * info.channels + c] / 255;
    count++;
  }
  return { colour: sums.map((sum) => sum / count), width: info.width, height: info.height, channels: info.channels, data };
}

const solid = (size: number, rgb: number[]) => sharp({ create: { width: size, height: size, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).png().toBuffer();
const file = (bytes: Buffer, name = "image.png") => toFile(bytes, name, { type: "image/png" });
const close = (actual: number[], expected: number[]) => actual.forEach((value, c) => expect(value).toBeCloseTo(expected[c], 2));

describe("FLUX.1 generations", () => {
  it("[schnell] paints what its prompt's CLIP and T5 embeddings ask, at the size asked", async () => {
    for (const prompt of ["a red fox", "a photo of a green frog on a blue sky"]) {
      const result = await server.client.images.generate({ model: "flux-schnell", prompt, size: "1024x1024", quality: "high" });
      const picture = await meanColour(result.data![0].b64_json!);
      expect([picture.width, picture.height]).toEqual([1024, 1024]);
      close(picture.colour, expectedColour("schnell", prompt));
    }
  });

  it("puts every token where its position ids say: each 8×8 block of a native-size picture is its latent pixel's colour", async () => {
    const prompt = "a red fox";
    const result = await server.client.images.generate({ model: "flux-schnell-1024", prompt, size: "1024x1024", quality: "low" });
    const { data, info } = await sharp(Buffer.from(result.data![0].b64_json!, "base64")).raw().toBuffer({ resolveWithObject: true });
    const folder = join(root, "schnell");
    const latent = { width: 128, height: 128 };
    const x0 = tiny.schnell.cleanLatent(loadClipTokenizer(join(folder, "tokenizer")).encode(prompt), loadT5Tokenizer(join(folder, "tokenizer_2"), 256).encode(prompt), latent, 0);
    for (const [x, y] of [[0, 0], [127, 0], [0, 127], [127, 127], [31, 96], [96, 31], [64, 65]]) {
      const p = ((y * 8 + 4) * 1024 + x * 8 + 4) * info.channels;
      const expected = tiny.schnell.pixelColour(x0, latent, x, y).map((v) => Math.round(v * 255));
      [0, 1, 2].forEach((c) => expect(Math.abs(data[p + c] - expected[c]), `(${x}, ${y})`).toBeLessThanOrEqual(1));
    }
  });

  it("runs an fp16 export: inputs converted to half floats, the velocity read back from them", async () => {
    const result = await server.client.images.generate({ model: "flux-fp16", prompt: "a red fox", size: "1024x1024", quality: "high" });
    close((await meanColour(result.data![0].b64_json!)).colour, expectedColour("schnell", "a red fox"));
  });

  it("[dev] feeds the distilled guidance: the request's guidance_scale changes the picture as the model says", async () => {
    for (const guidance of [3.5, 9]) {
      const result = await server.client.images.generate({ model: "flux-dev", prompt: "a red fox", size: "1024x1024", quality: "low", guidance_scale: guidance } as never);
      close((await meanColour(result.data![0].b64_json!)).colour, expectedColour("dev", "a red fox", guidance));
    }
  });

  it("n pictures, partial images from the predicted clean latent, and a transparent background", async () => {
    const many = await server.client.images.generate({ model: "flux-schnell", prompt: "a red fox", n: 2, size: "1024x1536", quality: "low" });
    expect(many.data).toHaveLength(2);
    for (const item of many.data!) expect((await meanColour(item.b64_json!)).height).toBe(1536);

    const stream = await server.client.images.generate({ model: "flux-schnell", prompt: "a red fox", size: "1024x1024", quality: "high", stream: true, partial_images: 2 } as ImageGenerateParamsStreaming);
    const events: { type: string; b64_json: string }[] = [];
    for await (const event of stream) events.push(event as never);
    expect(events.map((event) => event.type)).toEqual(["image_generation.partial_image", "image_generation.partial_image", "image_generation.completed"]);
    const final = (await meanColour(events[2].b64_json)).colour;
    for (const partial of events.slice(0, 2)) (await meanColour(partial.b64_json)).colour.forEach((value, c) => expect(value).toBeCloseTo(final[c], 1));

    const transparent = await server.client.images.generate({ model: "flux-schnell", prompt: "a red fox", size: "1024x1024", quality: "low", background: "transparent" });
    expect((await meanColour(transparent.data![0].b64_json!)).channels).toBe(4);
  });

  it("with lowMemory loads the text encoders for each job and paints the same picture", async () => {
    const [kept, perJob] = await Promise.all(
      ["flux-schnell", "flux-low-memory"].map(async (model) => (await server.client.images.generate({ model, prompt: "a red fox", size: "1024x1024", quality: "low" })).data![0].b64_json!),
    );
    expect(perJob).toBe(kept);
    const explained = (await server.client.images.generate({ model: "flux-low-memory", prompt: "a red fox", explain: true } as never)) as unknown as { explain: Record<string, unknown> };
    expect(explained.explain).toMatchObject({ text_encoders: "loaded for each job" });
  });

  it("explain shows the FLUX plan: variant, flow-matching sigmas and shift, guidance, tokens", async () => {
    const explain = async (model: string, extra: Record<string, unknown> = {}) =>
      ((await server.client.images.generate({ model, prompt: "a red fox", quality: "high", explain: true, ...extra } as never)) as unknown as { explain: Record<string, unknown> }).explain;
    expect(await explain("flux-schnell")).toMatchObject({
      engine: "diffusion", model: { family: "flux", variant: "schnell" }, scheduler: "flow-match-euler", steps: 4,
      sigmas: [1, 0.75, 0.5, 0.25, 0], shift: 1, guidance_scale: null, classifier_free_guidance: false, text_tokens: 256, render_size: "64x64",
    });
    const dev = await explain("flux-dev", { guidance_scale: 5 });
    expect(dev).toMatchObject({ model: { variant: "dev" }, steps: 50, guidance_scale: 5, text_tokens: 512 });
    // 16 tokens: mu = 16 · (0.65 / 3840) + 0.5 - 256 · (0.65 / 3840).
    expect((dev.shift as { mu: number }).mu).toBeCloseTo(0.5 + (16 - 256) * (0.65 / 3840), 6);
  });
});

describe("FLUX.1 edits, masks, variations and the Responses API", () => {
  it("repaints only the mask's transparent area, keeping the rest of the input exactly", async () => {
    const input = await solid(1024, [40, 200, 90]);
    const mask = Buffer.alloc(1024 * 1024 * 4, 255);
    for (let y = 0; y < 1024; y++) for (let x = 0; x < 512; x++) mask[(y * 1024 + x) * 4 + 3] = 0;
    const maskPng = await sharp(mask, { raw: { width: 1024, height: 1024, channels: 4 } }).png().toBuffer();
    const result = await server.client.images.edit({ model: "flux-schnell", image: await file(input), mask: await file(maskPng, "mask.png"), prompt: "a red fox", quality: "low" });
    const picture = await meanColour(result.data![0].b64_json!);
    for (let y = 0; y < 1024; y += 7) for (let x = 512; x < 1024; x += 5) expect([...picture.data.subarray((y * 1024 + x) * picture.channels, (y * 1024 + x) * picture.channels + 3)]).toEqual([40, 200, 90]);
    const painted = (await meanColour(result.data![0].b64_json!, (x) => x < 400)).colour;
    expect(Math.hypot(painted[0] - 40 / 255, painted[1] - 200 / 255, painted[2] - 90 / 255)).toBeGreaterThan(0.1);
  });

  it("edits start from the input at the given strength; variations come back at the size and count asked", async () => {
    const input = await solid(512, [200, 60, 60]);
    for (const [strength, steps] of [[0.3, 2], [0.75, 3], [1, 4]] as const) {
      const explained = (await server.client.images.edit({ model: "flux-schnell", image: await file(input), prompt: "a red fox", quality: "high", strength, explain: true } as never)) as unknown as { explain: { steps_run: number; strength: number } };
      expect(explained.explain).toMatchObject({ strength, steps_run: steps });
    }
    const edited = await server.client.images.edit({ model: "flux-schnell", image: await file(input), prompt: "a red fox", quality: "high", strength: 0.75, size: "1024x1024" } as never);
    close((await meanColour(edited.data![0].b64_json!)).colour, expectedColour("schnell", "a red fox"));

    const variations = await server.client.images.createVariation({ model: "flux-dall-e-2", image: await file(input), n: 2, size: "256x256", response_format: "b64_json" });
    expect(variations.data).toHaveLength(2);
    for (const item of variations.data!) expect((await meanColour(item.b64_json!)).width).toBe(256);
  });

  it("draws the Responses API's image_generation tool with the FLUX model gpt-image-1 points at", async () => {
    const response = await server.client.responses.create({ model: "gpt-4.1", input: "Draw a red fox in the snow", tools: [{ type: "image_generation", quality: "low", size: "1024x1024" }] });
    const call = response.output.find((item) => item.type === "image_generation_call") as { result: string; revised_prompt: string } | undefined;
    // The tool draws the revised prompt it reports.
    close((await meanColour(call!.result)).colour, expectedColour("schnell", call!.revised_prompt));
  });

  it("refuses what FLUX cannot do in OpenAI's words", async () => {
    const error = await refusal(server.client.images.generate({ model: "flux-schnell", prompt: "a red fox", size: "5x5" } as never));
    expect(error.status).toBe(400);
  });
});
