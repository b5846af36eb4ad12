// Stable Diffusion 3/3.5 through the Image and Responses API with the official client, on tiny
// models in optimum's layout (test/helpers/tiny-flow.ts): both CLIPs' penultimate states side
// by side, padded to T5's width, then T5's tokens (or zeros without T5), both pooled
// embeddings, SD3's schedule, the timestep as the transformer takes it, classifier-free
// guidance with the negative prompt, the VAE's shift and scale. The transformer is an exact
// velocity oracle, so a correct pipeline paints colours the test computes itself.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toFile } from "openai";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelConfig } from "../../src/config.js";
import { loadClipTokenizer, loadT5Tokenizer } from "../../src/engines/diffusion/tokenizer.js";
import { startServer, type TestServer } from "../helpers/server.js";
import { writeTinySd3, type TinySd3 } from "../helpers/tiny-flow.js";

const root = mkdtempSync(join(tmpdir(), "easel-sd3-"));
const tiny: Record<string, TinySd3> = {};
let server: TestServer;
const LATENT = { width: 8, height: 8 };

beforeAll(async () => {
  tiny.t5 = await writeTinySd3(join(root, "t5"), { withT5: true });
  tiny.clipOnly = await writeTinySd3(join(root, "clipOnly"), { withT5: false });
  const entry = (folder: string, options: Record<string, unknown> = {}, family: ModelConfig["family"] = "gpt-image"): ModelConfig => ({
    engine: "diffusion", family, ownedBy: "easel", options: { path: join(root, folder), nativeSize: 64, ...options },
  });
  server = await startServer(
    {
      models: {
        sd3: entry("t5"),
        "sd3-no-t5": entry("clipOnly"),
        "sd3-low-memory": entry("t5", { lowMemory: true }),
        "sd3-1024": entry("t5", { nativeSize: 1024 }),
        "sd3-dall-e-2": entry("t5", {}, "dall-e-2"),
        "gpt-image-1": { alias: "sd3", engine: "compose", family: "gpt-image", options: {}, ownedBy: "easel" },
      },
    },
    { local: true },
  );
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

function conditioningOf(name: "t5" | "clipOnly", prompt: string) {
  const folder = join(root, name);
  const clipIds = loadClipTokenizer(join(folder, "tokenizer")).encode(prompt);
  const clip2Ids = loadClipTokenizer(join(folder, "tokenizer_2")).encode(prompt);
  const t5Ids = name === "t5" ? loadT5Tokenizer(join(folder, "tokenizer_3"), 256).encode(prompt) : undefined;
  return tiny[name].conditioning(clipIds, clip2Ids, t5Ids);
}

/** The clean latent a correct pipeline lands on: guided, x0(negative) + g·(x0(prompt) − x0(negative)). */
function expectedLatent(name: "t5" | "clipOnly", prompt: string, latent: { width: number; height: number }, guidance: number, negative = ""): Float32Array {
  const x0 = tiny[name].cleanLatent(conditioningOf(name, prompt), latent);
  if (guidance <= 1) return x0;
  const unconditional = tiny[name].cleanLatent(conditioningOf(name, negative), latent);
  return unconditional.map((u, i) => u + guidance * (x0[i] - u));
}

async function pixels(b64: string) {
  const { data, info } = await sharp(Buffer.from(b64, "base64")).raw().toBuffer({ resolveWithObject: true });
  const sums = [0, 0, 0];
  for (let p = 0; p < data.length; p += info.channels) for (let c = 0; c < 3; c++) sums[c] += data[p + c] / 255;
  return { data, info, mean: sums.map((sum) => sum / (data.length / info.channels)) };
}

const close = (actual: number[], expected: number[]) => actual.forEach((value, c) => expect(value).toBeCloseTo(expected[c], 2));
const generate = (model: string, prompt: string, extra: Record<string, unknown> = {}) =>
  server.client.images.generate({ model, prompt, size: "1024x1024", quality: "low", ...extra } as never).then((result) => result.data![0].b64_json!);

describe("Stable Diffusion 3", () => {
  it("guides with the negative prompt as StableDiffusion3Pipeline does, with T5 and without it", async () => {
    for (const [model, name] of [["sd3", "t5"], ["sd3-no-t5", "clipOnly"]] as const) {
      for (const [guidance, negative] of [[2, undefined], [3, "a blue sky"], [1, undefined]] as const) {
        const picture = await pixels(await generate(model, "a red fox", { guidance_scale: guidance, ...(negative ? { negative_prompt: negative } : {}) }));
        close(picture.mean, tiny[name].meanColour(expectedLatent(name, "a red fox", LATENT, guidance, negative ?? ""), LATENT));
      }
    }
  });

  it("puts every latent pixel in its place: each 8×8 block of a native-size picture is its colour", async () => {
    const { data, info } = await pixels(await generate("sd3-1024", "a red fox", { guidance_scale: 1.5 }));
    const latent = { width: 128, height: 128 };
    const x0 = expectedLatent("t5", "a red fox", latent, 1.5);
    for (const [x, y] of [[0, 0], [127, 0], [0, 127], [127, 127], [31, 96], [96, 31]]) {
      const p = ((y * 8 + 4) * 1024 + x * 8 + 4) * info.channels;
      const expected = tiny.t5.pixelColour(x0, latent, x, y).map((v) => Math.round(v * 255));
      [0, 1, 2].forEach((c) => expect(Math.abs(data[p + c] - expected[c]), `(${x}, ${y})`).toBeLessThanOrEqual(1));
    }
  });

  it("with lowMemory runs the guidance rows one at a time and paints the same picture", async () => {
    expect(await generate("sd3-low-memory", "a red fox", { guidance_scale: 2 })).toBe(await generate("sd3", "a red fox", { guidance_scale: 2 }));
  });

  it("explain shows SD3's plan: schedule from the step count, guidance, negative prompt, T5", async () => {
    const explain = async (model: string) => ((await server.client.images.generate({ model, prompt: "a red fox", quality: "low", explain: true } as never)) as unknown as { explain: Record<string, unknown> }).explain;
    const plan = await explain("sd3");
    expect(plan).toMatchObject({ model: { family: "sd3", pipeline: "StableDiffusion3Pipeline" }, scheduler: "flow-match-euler", steps: 12, shift: 3, guidance_scale: 7, classifier_free_guidance: true, negative_prompt: "", text_tokens: 256, t5: "used" });
    expect((plan.sigmas as number[]).length).toBe(13);
    expect(await explain("sd3-no-t5")).toMatchObject({ t5: "absent: zeros in its place" });
  });

  it("edits keep the unmasked pixels, variations and the Responses API draw with it", async () => {
    const input = await sharp({ create: { width: 1024, height: 1024, channels: 3, background: { r: 40, g: 200, b: 90 } } }).png().toBuffer();
    const mask = Buffer.alloc(1024 * 1024 * 4, 255);
    for (let y = 0; y < 1024; y++) for (let x = 0; x < 512; x++) mask[(y * 1024 + x) * 4 + 3] = 0;
    const maskPng = await sharp(mask, { raw: { width: 1024, height: 1024, channels: 4 } }).png().toBuffer();
    const file = (bytes: Buffer, name: string) => toFile(bytes, name, { type: "image/png" });
    const edited = await server.client.images.edit({ model: "sd3", image: await file(input, "in.png"), mask: await file(maskPng, "mask.png"), prompt: "a red fox", quality: "low" });
    const { data, info } = await pixels(edited.data![0].b64_json!);
    for (let y = 0; y < 1024; y += 9) for (let x = 512; x < 1024; x += 7) expect([...data.subarray((y * 1024 + x) * info.channels, (y * 1024 + x) * info.channels + 3)]).toEqual([40, 200, 90]);

    const variations = await server.client.images.createVariation({ model: "sd3-dall-e-2", image: await file(input, "in.png"), n: 2, size: "256x256", response_format: "b64_json" });
    expect(variations.data).toHaveLength(2);

    const response = await server.client.responses.create({ model: "gpt-4.1", input: "Draw a red fox in the snow", tools: [{ type: "image_generation", quality: "low", size: "1024x1024" }] });
    const call = response.output.find((item) => item.type === "image_generation_call") as { result: string; revised_prompt: string } | undefined;
    close((await pixels(call!.result)).mean, tiny.t5.meanColour(expectedLatent("t5", call!.revised_prompt, LATENT, 7), LATENT));
  });
});
