// The diffusion engine through the whole API, with tiny ONNX models written at
// test time in the real folder layouts (test/helpers/tiny-diffusion.ts). Their
// UNet is an exact denoiser toward a clean latent that depends on the prompt,
// so a correct pipeline must land on colours the test can compute itself.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toFile } from "openai";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelConfig } from "../../src/config.js";
import { loadClipTokenizer } from "../../src/engines/diffusion/tokenizer.js";
import { guidanceEmbedding } from "../../src/engines/diffusion/unet-inputs.js";
import { decode, refusal, startServer, type TestServer } from "../helpers/server.js";
import { writeTinyModel, type TinyModel, type TinyModelOptions, type UnetConditioning } from "../helpers/tiny-diffusion.js";

const root = mkdtempSync(join(tmpdir(), "easel-diffusion-"));
const tiny: Record<string, TinyModel> = {};
let server: TestServer;

const variants: Record<string, TinyModelOptions> = {
  "tiny-sd1": { family: "sd1" },
  "tiny-sd1-diffusers": { family: "sd1", exporter: "diffusers" },
  "tiny-sd2-fp16": { family: "sd2", dtype: "float16", timestepType: "int64", tokenizerFormat: "tokenizer-json" },
  "tiny-sdxl": { family: "sdxl" },
  "tiny-lcm": { family: "lcm" },
  "tiny-inpaint": { family: "sd1", inpainting: true },
  "tiny-no-encoder": { family: "sd1", vaeEncoder: false },
};

beforeAll(async () => {
  const models: Record<string, ModelConfig> = {};
  const entry = (path: string, family: ModelConfig["family"] = "gpt-image", options: Record<string, unknown> = {}): ModelConfig => ({
    engine: "diffusion", family, ownedBy: "easel", options: { path, steps: { low: 6, medium: 10, high: 16 }, ...options },
  });
  for (const [name, options] of Object.entries(variants)) {
    const path = join(root, name);
    tiny[name] = await writeTinyModel(path, options);
    models[name] = entry(path, "gpt-image", { maxBatch: 2 });
  }
  models["tiny-dall-e-2"] = entry(join(root, "tiny-sd1"), "dall-e-2");
  models["gpt-image-1"] = { alias: "tiny-sd1", engine: "compose", family: "gpt-image", options: {}, ownedBy: "easel" };
  server = await startServer({ models }, { local: true });
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

const file = (bytes: Buffer, name = "image.png") => toFile(bytes, name, { type: "image/png" });

/** The picture a correct pipeline must produce from the oracle UNet, as mean RGB in 0–1. */
function expectedColour(name: string, prompt: string, guidance?: { scale: number; negative: string }): number[] {
  const model = tiny[name];
  const side = model.sampleSize;
  // Requests below send guidance_scale 0 (off) unless they guide; LCM embeds the scale in its UNet instead.
  const x0 = (text: string) => model.cleanLatent(conditioning(name, text, guidance?.scale ?? 0), side, side);
  let latent = x0(prompt);
  if (guidance) {
    const unconditional = x0(guidance.negative);
    latent = latent.map((value, i) => unconditional[i] + guidance.scale * (value - unconditional[i]));
  }
  const plane = side * side;
  const sums = [0, 0, 0];
  for (let p = 0; p < plane; p++) {
    const rgb = model.latentToRgb([0, 1, 2, 3].map((c) => latent[c * plane + p]));
    rgb.forEach((value, c) => (sums[c] += Math.min(1, Math.max(0, value / 2 + 0.5))));
  }
  return sums.map((sum) => sum / plane);
}

function conditioning(name: string, text: string, guidanceScale = 0): UnetConditioning {
  const model = tiny[name];
  const folder = join(root, name);
  const ids = loadClipTokenizer(join(folder, "tokenizer")).encode(text);
  const ids2 = model.family === "sdxl" ? loadClipTokenizer(join(folder, "tokenizer_2")).encode(text) : ids;
  const side = model.sampleSize * 8;
  return {
    ...model.promptConditioning(ids, ids2),
    timeIds: model.family === "sdxl" ? [side, side, 0, 0, side, side] : undefined,
    timestepCond: model.family === "lcm" ? guidanceEmbedding(guidanceScale - 1, model.timeCondProjDim!) : undefined,
  };
}

function meanColour(pixels: Buffer, channels: number, region?: (x: number, y: number) => boolean, width = 0): number[] {
  const sums = [0, 0, 0];
  let count = 0;
  for (let p = 0; p < pixels.length / channels; p++) {
    if (region && !region(p % width, Math.floor(p / width))) continue;
    for (let c = 0; c < 3; c++) sums[c] += pixels[p * channels + c] / 255;
    count++;
  }
  return sums.map((sum) => sum / count);
}

async function raw(b64: string) {
  const { data, info } = await sharp(Buffer.from(b64, "base64")).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

const solid = (width: number, height: number, rgb: [number, number, number]) =>
  sharp({ create: { width, height, channels: 4, background: { r: rgb[0], g: rgb[1], b: rgb[2], alpha: 1 } } }).png().toBuffer();

describe("generations with diffusion models", () => {
  it.each(Object.keys(variants).filter((name) => name !== "tiny-inpaint"))("%s lands on the picture its prompt asks for", async (name) => {
    const prompt = "a red fox in the snow";
    const result = await server.client.images.generate({ model: name, prompt, size: "1024x1024", quality: "low", guidance_scale: 0 } as never);
    const picture = await raw(result.data![0].b64_json!);
    expect([picture.width, picture.height]).toEqual([1024, 1024]);
    const got = meanColour(picture.data, picture.channels);
    expectedColour(name, prompt).forEach((value, c) => expect(got[c]).toBeCloseTo(value, 1));
  });

  it("prompts steer the colours", async () => {
    const colours = await Promise.all(["a red fox in the snow", "an astronaut riding a horse on the moon"].map(async (prompt) => {
      const result = await server.client.images.generate({ model: "tiny-sd1", prompt, size: "1024x1024", quality: "low", guidance_scale: 0 } as never);
      const picture = await raw(result.data![0].b64_json!);
      return meanColour(picture.data, picture.channels);
    }));
    const distance = Math.hypot(...colours[0].map((value, c) => value - colours[1][c]));
    expect(distance).toBeGreaterThan(0.05);
  });

  it("classifier-free guidance pushes away from the negative prompt (the unconditional half comes first)", async () => {
    const prompt = "a red fox in the snow";
    const negative = "blurry watercolor";
    const result = await server.client.images.generate({ model: "tiny-sd1", prompt, size: "1024x1024", quality: "medium", guidance_scale: 1.5, negative_prompt: negative } as never);
    const picture = await raw(result.data![0].b64_json!);
    const got = meanColour(picture.data, picture.channels);
    expectedColour("tiny-sd1", prompt, { scale: 1.5, negative }).forEach((value, c) => expect(got[c]).toBeCloseTo(value, 1));
  });

  it("renders any requested size exactly, and gpt-image-1 can point at a diffusion model", async () => {
    const result = await server.client.images.generate({ model: "gpt-image-1", prompt: "a lighthouse", size: "1536x1024", quality: "low", output_format: "jpeg" });
    const image = await decode(result.data![0].b64_json!);
    expect([image.width, image.height, image.format]).toEqual([1536, 1024, "jpeg"]);
  });

  // The oracle UNet lands on the same clean picture from any noise, so seeds cannot show in
  // these pictures; pipeline.test.ts checks that each picture's noise is torch's for its seed.
  it("same seed, same bytes; picture i of n equals a single picture at seed + i", async () => {
    const ask = (seed: number, n = 1) => server.client.images.generate({ model: "tiny-sd1", prompt: "a harbour at dawn", size: "1024x1024", quality: "low", seed, n } as never);
    const [a, b] = await Promise.all([ask(11), ask(11)]);
    expect(a.data![0].b64_json).toBe(b.data![0].b64_json);
    // Three pictures go through the UNet as a batch of two and one; each equals its own single run.
    const batch = await ask(20, 3);
    for (const i of [0, 1, 2]) {
      const single = await raw((await ask(20 + i)).data![0].b64_json!);
      const fromBatch = await raw(batch.data![i].b64_json!);
      const worst = single.data.reduce((most, value, k) => Math.max(most, Math.abs(value - fromBatch.data[k])), 0);
      expect(worst).toBeLessThanOrEqual(1);
    }
  });

  it("streams partial images made from the denoising, then the picture", async () => {
    const stream = await server.client.images.generate({ model: "tiny-sd1", prompt: "a red fox", size: "1024x1024", quality: "medium", stream: true, partial_images: 2 });
    const events: { type: string; b64_json: string; partial_image_index?: number }[] = [];
    for await (const event of stream) events.push(event as never);
    expect(events.map((e) => e.type)).toEqual(["image_generation.partial_image", "image_generation.partial_image", "image_generation.completed"]);
    expect(events.slice(0, 2).map((e) => e.partial_image_index)).toEqual([0, 1]);
    const pictures = await Promise.all(events.map((event) => raw(event.b64_json)));
    for (const picture of pictures) expect([picture.width, picture.height]).toEqual([1024, 1024]);
    // The oracle predicts the clean latent exactly at every step, so the previews (a linear
    // map fitted to the VAE when the model loaded) must already show the final colours.
    const final = meanColour(pictures[2].data, pictures[2].channels);
    for (const preview of pictures.slice(0, 2)) meanColour(preview.data, preview.channels).forEach((value, c) => expect(value).toBeCloseTo(final[c], 1));
  });

  it("background transparent keys out the background", async () => {
    const result = await server.client.images.generate({ model: "tiny-sd1", prompt: "a red fox", size: "1024x1024", quality: "low", background: "transparent" });
    const picture = await raw(result.data![0].b64_json!);
    expect(picture.channels).toBe(4);
    const alphas = new Set<number>();
    for (let p = 3; p < picture.data.length; p += 4) alphas.add(picture.data[p]);
    expect(alphas.has(0)).toBe(true);
  });
});

describe("edits and variations with diffusion models", () => {
  const leftHalfMask = async (size: number) => {
    const mask = Buffer.alloc(size * size * 4, 255);
    for (let y = 0; y < size; y++) for (let x = 0; x < size / 2; x++) mask[(y * size + x) * 4 + 3] = 0;
    return sharp(mask, { raw: { width: size, height: size, channels: 4 } }).png().toBuffer();
  };

  it.each(["tiny-sd1", "tiny-inpaint"])("%s repaints only the mask's transparent area", async (name) => {
    const input = await solid(1024, 1024, [40, 200, 90]);
    const prompt = "a red fox in the snow";
    const result = await server.client.images.edit({ model: name, image: await file(input), mask: await file(await leftHalfMask(1024), "mask.png"), prompt, quality: "low", guidance_scale: 0 } as never);
    const picture = await raw(result.data![0].b64_json!);
    const original = await raw(input.toString("base64"));
    for (let y = 0; y < 1024; y += 7) {
      for (let x = 512; x < 1024; x += 5) {
        const p = (y * 1024 + x) * picture.channels;
        const q = (y * 1024 + x) * original.channels;
        expect([picture.data[p], picture.data[p + 1], picture.data[p + 2]]).toEqual([original.data[q], original.data[q + 1], original.data[q + 2]]);
      }
    }
    const painted = meanColour(picture.data, picture.channels, (x) => x < 400, 1024);
    expect(Math.hypot(painted[0] - 40 / 255, painted[1] - 200 / 255, painted[2] - 90 / 255)).toBeGreaterThan(0.15);
  });

  it("edits without a mask start from the input at the given strength", async () => {
    const input = await solid(1024, 1024, [200, 60, 60]);
    for (const strength of [0.3, 1]) {
      const result = await server.client.images.edit({ model: "tiny-sd1", image: await file(input), prompt: "a blue lake", quality: "medium", strength } as never);
      const image = await decode(result.data![0].b64_json!);
      expect([image.width, image.height]).toEqual([1024, 1024]);
    }
  });

  it("variations come back at the requested size and count", async () => {
    const input = await solid(256, 256, [90, 90, 220]);
    const result = await server.client.images.createVariation({ model: "tiny-dall-e-2", image: await file(input), n: 2, size: "256x256", response_format: "b64_json" });
    expect(result.data).toHaveLength(2);
    for (const item of result.data!) expect((await decode(item.b64_json!)).width).toBe(256);
  });
});

describe("the Responses API on a diffusion model", () => {
  it("draws the image_generation tool's pictures with the model gpt-image-1 points at", async () => {
    const response = await server.client.responses.create({ model: "gpt-4.1", input: "Draw a red fox in the snow", tools: [{ type: "image_generation", quality: "low", size: "1024x1024" }] });
    const call = response.output.find((item) => item.type === "image_generation_call") as { result: string } | undefined;
    const picture = await raw(call!.result);
    expect([picture.width, picture.height]).toEqual([1024, 1024]);
    // The diffusion model's picture, not compose's: its colour is what the tiny UNet paints (guided by the default scale).
    const direct = await server.client.images.generate({ model: "tiny-sd1", prompt: "a red fox in the snow", size: "1024x1024", quality: "low" });
    const expected = await raw(direct.data![0].b64_json!);
    meanColour(expected.data, expected.channels).forEach((value, c) => expect(meanColour(picture.data, picture.channels)[c]).toBeCloseTo(value, 1));
  });
});

describe("refusals with diffusion models", () => {
  it("refuses edits on a model without a VAE encoder", async () => {
    const input = await solid(64, 64, [1, 2, 3]);
    const error = await refusal(server.client.images.edit({ model: "tiny-no-encoder", image: await file(input), prompt: "x" }));
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({ param: "image", code: "unsupported_parameter", type: "invalid_request_error" });
    expect(error.error.message).toContain("vae_encoder");
  });

  it("checks the extension fields", async () => {
    for (const [body, param] of [
      [{ strength: 0 }, "strength"],
      [{ guidance_scale: -1 }, "guidance_scale"],
      [{ guidance_scale: "high" }, "guidance_scale"],
      [{ negative_prompt: 7 }, "negative_prompt"],
      [{ steps: 0 }, "steps"],
      [{ steps: 2.5 }, "steps"],
    ] as const) {
      const response = await fetch(`${server.baseURL}/images/generations`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer k" },
        body: JSON.stringify({ model: "tiny-sd1", prompt: "a fox", ...body }),
      });
      expect(response.status).toBe(400);
      expect((await response.json()).error.param).toBe(param);
    }
  });
});
