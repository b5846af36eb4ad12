// The fast decoder (a tiny autoencoder such as TAESD in the VAE decoder's place) through the
// API with the official client: final pictures of the qualities the options name, partial
// images, both export conventions (diffusers' AutoencoderTiny folder answering [-1, 1],
// madebyollin's single .onnx file answering [0, 1]), explain, and the refusals. The test
// decoders equal the tiny model's VAE plus a green tint, so a picture tells which drew it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ImageGenerateParamsStreaming } from "openai/resources/images";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelConfig } from "../../src/config.js";
import { startServer, type TestServer } from "../helpers/server.js";
import { writeTinyFastDecoder, writeTinyModel } from "../helpers/tiny-diffusion.js";

const root = mkdtempSync(join(tmpdir(), "easel-fast-decoder-"));
let server: TestServer;
const TINT = [0, -0.4, 0]; // in [-1, 1] units: 0.2 darker green in 0–1 units

beforeAll(async () => {
  const modelPath = join(root, "tiny-sd1");
  const model = await writeTinyModel(modelPath, { family: "sd1" });
  const folder = await writeTinyFastDecoder(join(root, "taesd"), model, "folder", TINT);
  const file = await writeTinyFastDecoder(join(root, "taesd_decoder.onnx"), model, "file", TINT);
  const entry = (options: Record<string, unknown> = {}): ModelConfig => ({
    engine: "diffusion", family: "gpt-image", ownedBy: "easel", options: { path: modelPath, steps: { low: 4, medium: 6, high: 8 }, ...options },
  });
  server = await startServer(
    {
      models: {
        plain: entry(),
        "fast-low": entry({ fastDecoder: folder, fastDecoderQualities: ["low"] }),
        "fast-partials": entry({ fastDecoder: file }),
      },
    },
    { local: true },
  );
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

async function meanColour(b64: string): Promise<number[]> {
  const { data, info } = await sharp(Buffer.from(b64, "base64")).raw().toBuffer({ resolveWithObject: true });
  const sums = [0, 0, 0];
  for (let p = 0; p < data.length; p += info.channels) for (let c = 0; c < 3; c++) sums[c] += data[p + c] / 255;
  return sums.map((sum) => sum / (data.length / info.channels));
}

const generate = async (model: string, quality: "low" | "medium") =>
  (await server.client.images.generate({ model, prompt: "a green frog", size: "1024x1024", quality, seed: 7, guidance_scale: 0 } as never)).data![0].b64_json!;

describe("fastDecoder", () => {
  it("decodes the final pictures of the qualities it is named for, and only those", async () => {
    const [plainLow, fastLow, plainMedium, fastMedium] = await Promise.all([
      generate("plain", "low").then(meanColour),
      generate("fast-low", "low").then(meanColour),
      generate("plain", "medium").then(meanColour),
      generate("fast-low", "medium").then(meanColour),
    ]);
    expect(fastLow[0]).toBeCloseTo(plainLow[0], 2);
    expect(fastLow[1] - plainLow[1]).toBeCloseTo(-0.2, 1);
    expect(fastLow[2]).toBeCloseTo(plainLow[2], 2);
    fastMedium.forEach((value, c) => expect(value).toBeCloseTo(plainMedium[c], 3));
  });

  it("draws the partial images, at full size, in either export's convention", async () => {
    const stream = await server.client.images.generate({ model: "fast-partials", prompt: "a green frog", size: "1024x1024", quality: "medium", stream: true, partial_images: 2, guidance_scale: 0 } as ImageGenerateParamsStreaming);
    const events: { type: string; b64_json: string }[] = [];
    for await (const event of stream) events.push(event as never);
    expect(events.map((event) => event.type)).toEqual(["image_generation.partial_image", "image_generation.partial_image", "image_generation.completed"]);
    const [first, , final] = await Promise.all(events.map((event) => meanColour(event.b64_json)));
    // The oracle UNet predicts the clean latent at every step: the partial differs from the
    // VAE's final picture by the fast decoder's tint alone (its [0, 1] output was recognised).
    expect(first[0]).toBeCloseTo(final[0], 2);
    expect(first[1] - final[1]).toBeCloseTo(-0.2, 1);
    const { info } = await sharp(Buffer.from(events[0].b64_json, "base64")).metadata().then((info) => ({ info }));
    expect([info.width, info.height]).toEqual([1024, 1024]);
  });

  it("explain names the decoder each picture gets and how the fast one was read", async () => {
    const explain = async (model: string, quality: "low" | "medium") =>
      ((await server.client.images.generate({ model, prompt: "a green frog", quality, explain: true } as never)) as unknown as { explain: Record<string, unknown> }).explain;
    expect(await explain("fast-low", "low")).toMatchObject({ decoder: "fast", partial_decoder: "fast", fast_decoder: { output: "-1..1" } });
    expect(await explain("fast-low", "medium")).toMatchObject({ decoder: "vae", partial_decoder: "fast" });
    expect(await explain("fast-partials", "low")).toMatchObject({ decoder: "vae", fast_decoder: { output: "0..1" } });
    expect(await explain("plain", "low")).toMatchObject({ decoder: "vae", partial_decoder: "approximate", fast_decoder: null });
    // Equal to the VAE but for the tint: far above the mismatch warning's 12 dB.
    const agreement = ((await explain("fast-low", "low")).fast_decoder as { agreement_db: number }).agreement_db;
    expect(agreement).toBeGreaterThan(15);
  });
});

describe("fastDecoder refusals", () => {
  it("stops the server at start, in one sentence, for a missing decoder or options that need one", async () => {
    const modelPath = join(root, "tiny-sd1");
    // As `easel serve` does: every model loads before the server listens.
    const start = async (options: Record<string, unknown>) => {
      const started = await startServer({ models: { broken: { engine: "diffusion", family: "gpt-image", ownedBy: "easel", options: { path: modelPath, ...options } } } }, { local: true });
      try {
        await started.parts.registry.load();
        return "loaded";
      } catch (error) {
        return (error as Error).message;
      } finally {
        await started.close();
      }
    };
    expect(await start({ partialDecoder: "fast" })).toMatch(/^Model 'broken': partialDecoder "fast" and fastDecoderQualities need a fastDecoder/);
    expect(await start({ fastDecoder: join(root, "nowhere") })).toMatch(/^Model 'broken' cannot load: fastDecoder .*nowhere: no vae_decoder\/model\.onnx$/);
    expect(await start({ fastDecoder: join(root, "tiny-sd1", "unet", "model.onnx") })).toMatch(/^Model 'broken' cannot load: fastDecoder .*unet\/model\.onnx takes 3 inputs \(sample, timestep, encoder_hidden_states\); a tiny autoencoder's decoder takes the latents alone$/);
  });
});
