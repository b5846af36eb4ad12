// The upstream engine's translations, checked on what fake upstream servers
// received: OpenAI's exact fields by default, and each common deviation
// (b64_json only, url only, no output_format, one input image, one image per
// call, fixed sizes, no transparency), driven with the official client.
import { toFile } from "openai";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeUsage, openAiUpstream, sendJson, startFakeUpstream, upstreamModel, type FakeUpstream } from "../helpers/fake-upstream.js";
import { alphaAt, decode, makeImage, makeMask, startServer, type TestServer, refusal } from "../helpers/server.js";

process.env.EASEL_TEST_UPSTREAM_KEY = "sk-upstream-secret";

const file = (bytes: Buffer, name = "image.png", type = "image/png") => toFile(bytes, name, { type });
const rgbAt = (image: { pixels: Buffer; width: number }, x: number, y: number) => [...image.pixels.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 3)];


const fakes: Record<string, FakeUpstream> = {};
let server: TestServer;

beforeAll(async () => {
  const start = async (name: string, handler: Parameters<typeof startFakeUpstream>[0]) => (fakes[name] = await startFakeUpstream(handler));
  await Promise.all([
    start("strict", openAiUpstream()),
    start("usage", openAiUpstream({ usage: true })),
    start("dalle", openAiUpstream({ family: "dall-e-2" })),
    start("b64only", openAiUpstream({ family: "dall-e-2", answers: "b64_json" })),
    start("urlonly", openAiUpstream({ answers: "url" })),
    start("noformat", openAiUpstream({ lacks: ["output_format"], format: "jpeg", fixedSize: [512, 512] })),
    start("oneinput", openAiUpstream({ maxInputImages: 1 })),
    start("onepercall", openAiUpstream({ maxImagesPerCall: 1, takes: ["seed"], usage: true })),
    start("opaque", openAiUpstream({ opaque: true })),
    start("nobackground", openAiUpstream({ lacks: ["background"] })),
    start("bands", async (_request, response) => {
      // 512x512: green bands on the top and bottom sixth, red between: a 3:2 cover crop keeps only red.
      const pixels = Buffer.alloc(512 * 512 * 3);
      for (let y = 0; y < 512; y++) {
        const band = y < 512 / 6 - 2 || y >= (512 * 5) / 6 + 2;
        for (let x = 0; x < 512; x++) pixels.set(band ? [0, 255, 0] : [255, 0, 0], (y * 512 + x) * 3);
      }
      const png = await sharp(pixels, { raw: { width: 512, height: 512, channels: 3 } }).png().toBuffer();
      sendJson(response, 200, { created: 1, data: [{ b64_json: png.toString("base64") }] });
    }),
  ]);
  const base = (name: string) => ({ baseUrl: fakes[name].baseURL, retries: 0 });
  server = await startServer(
    {
      concurrency: 4,
      models: {
        strict: upstreamModel({ ...base("strict"), model: "their-model", apiKeyEnv: "EASEL_TEST_UPSTREAM_KEY" }),
        usage: upstreamModel(base("usage")),
        dalle: upstreamModel(base("dalle"), "dall-e-2"),
        b64only: upstreamModel(base("b64only"), "dall-e-2"),
        urlonly: upstreamModel({ ...base("urlonly"), responseFormat: "url", maxDownloadBytes: 10_000_000 }),
        "urlonly-small": upstreamModel({ ...base("urlonly"), responseFormat: "url", maxDownloadBytes: 100 }),
        noformat: upstreamModel({ ...base("noformat"), outputFormat: false }),
        sized: upstreamModel({ ...base("strict"), sizes: ["512x512", "768x512", "512x768"] }),
        bands: upstreamModel(base("bands")),
        oneinput: upstreamModel({ ...base("oneinput"), maxInputImages: 1 }),
        onepercall: upstreamModel({ ...base("onepercall"), maxImagesPerCall: 1, seed: true }),
        opaque: upstreamModel(base("opaque")),
        nobackground: upstreamModel({ ...base("nobackground"), transparency: false }),
      },
    },
    { local: true },
  );
});

afterAll(async () => {
  await server.close();
  await Promise.all(Object.values(fakes).map((fake) => fake.close()));
});

describe("an upstream that speaks OpenAI's Image API exactly", () => {
  it("gets OpenAI's exact generation fields, the upstream model name and the key; Easel encodes what the client asked", async () => {
    const result = await server.client.images.generate({ model: "strict", prompt: "a red fox", n: 2, size: "1536x1024", quality: "high", output_format: "webp", seed: 7 } as never);
    const [call] = fakes.strict.received;
    expect(call.path).toBe("/v1/images/generations");
    // Strictly OpenAI's fields: no seed (the option is off), png asked for, the resolved settings sent.
    expect(call.fields).toEqual({ model: "their-model", prompt: "a red fox", n: 2, size: "1536x1024", quality: "high", background: "opaque", output_format: "png" });
    expect(call.headers.authorization).toBe("Bearer sk-upstream-secret");
    expect(result).toMatchObject({ size: "1536x1024", quality: "high", background: "opaque", output_format: "webp" });
    const pictures = await Promise.all(result.data!.map((item) => decode(item.b64_json!)));
    expect(pictures.map((p) => [p.format, p.width, p.height])).toEqual([["webp", 1536, 1024], ["webp", 1536, 1024]]);
    // The fake paints picture i of a call with red 40 + 20 i: both pictures are the upstream's, in order.
    expect(rgbAt(pictures[0], 10, 10)[0]).toBeCloseTo(40, -1);
    expect(rgbAt(pictures[1], 10, 10)[0]).toBeCloseTo(60, -1);
    // This upstream reports no usage: Easel estimates it as for its own engines.
    expect(result.usage!.output_tokens).toBe(2 * 6208);
  });

  it("forwards a transparent background and moderation low, and keeps the transparency", async () => {
    const before = fakes.strict.received.length;
    const result = await server.client.images.generate({ model: "strict", prompt: "a sticker of a cat", background: "transparent", moderation: "low", quality: "low" });
    expect(fakes.strict.received[before].fields).toMatchObject({ background: "transparent", moderation: "low", quality: "low", size: "1024x1024" });
    expect(result.background).toBe("transparent");
    const image = await decode(result.data![0].b64_json!);
    expect(image.hasAlpha).toBe(true);
    expect(alphaAt(image, 0, 0)).toBe(0);
    expect(alphaAt(image, 512, 512)).toBe(255);
  });

  it("sends edits as multipart: image[] files as png, the mask, and OpenAI's fields", async () => {
    const before = fakes.strict.received.length;
    const png = await makeImage(1024, 1024);
    const jpeg = await makeImage(600, 400, "jpeg");
    const mask = await makeMask(1024, 1024, { left: 0, top: 0, width: 100, height: 100 });
    const result = await server.client.images.edit({
      model: "strict",
      image: [await file(png), await file(jpeg, "b.jpg", "image/jpeg")],
      mask: await file(mask, "mask.png"),
      prompt: "put them in a basket",
      input_fidelity: "high",
      quality: "low",
    });
    const call = fakes.strict.received[before];
    expect(call.path).toBe("/v1/images/edits");
    expect(call.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(call.fields).toEqual({ model: "their-model", prompt: "put them in a basket", n: "1", size: "1024x1024", quality: "low", background: "opaque", output_format: "png", input_fidelity: "high" });
    expect(call.files.map((f) => [f.field, f.type])).toEqual([["image[]", "image/png"], ["image[]", "image/png"], ["mask", "image/png"]]);
    const [first, second, sentMask] = await Promise.all(call.files.map((f) => sharp(f.bytes).metadata()));
    expect([first.format, first.width, first.height]).toEqual(["png", 1024, 1024]);
    expect([second.format, second.width, second.height]).toEqual(["png", 600, 400]);
    expect([sentMask.format, sentMask.hasAlpha]).toEqual(["png", true]);
    expect((await decode(result.data![0].b64_json!)).width).toBe(1024);
  });

  it("sends a single edit image as 'image'", async () => {
    const before = fakes.strict.received.length;
    await server.client.images.edit({ model: "strict", image: await file(await makeImage(512, 512)), prompt: "add a hat", quality: "low" });
    expect(fakes.strict.received[before].files.map((f) => f.field)).toEqual(["image"]);
  });

  it("reports the usage the upstream reports", async () => {
    const result = await server.client.images.generate({ model: "usage", prompt: "a boat", n: 2, quality: "low" });
    expect(result.usage).toEqual(fakeUsage(2));
  });
});

describe("DALL·E-shaped upstreams", () => {
  it("asks for b64_json and serves the client's url answer itself", async () => {
    const result = await server.client.images.generate({ model: "dalle", prompt: "an otter", size: "256x256", n: 1 });
    expect(fakes.dalle.received[0].fields).toEqual({ model: "dalle", prompt: "an otter", n: 1, size: "256x256", response_format: "b64_json" });
    expect(result.data![0].url).toMatch(/\/v1\/images\/content\//);
    const picture = await decode(Buffer.from(await (await fetch(result.data![0].url!)).arrayBuffer()));
    expect([picture.width, picture.height]).toEqual([256, 256]);
  });

  it("forwards variations as multipart", async () => {
    const before = fakes.dalle.received.length;
    const result = await server.client.images.createVariation({ model: "dalle", image: await file(await makeImage(256, 256)), n: 2, size: "256x256", response_format: "b64_json" });
    const call = fakes.dalle.received[before];
    expect(call.path).toBe("/v1/images/variations");
    expect(call.fields).toEqual({ model: "dalle", n: "2", size: "256x256", response_format: "b64_json" });
    expect(call.files.map((f) => f.field)).toEqual(["image"]);
    expect(result.data).toHaveLength(2);
  });

  it("works with an upstream that answers only with b64_json, whatever the client asks", async () => {
    const result = await server.client.images.generate({ model: "b64only", prompt: "a kite", size: "512x512", response_format: "url" });
    expect(fakes.b64only.received[0].fields.response_format).toBe("b64_json");
    expect(result.data![0].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/images\/content\//);
  });
});

describe("an upstream that answers only with URLs", () => {
  it("asks for url and downloads the pictures", async () => {
    const result = await server.client.images.generate({ model: "urlonly", prompt: "a lighthouse", n: 2, quality: "low" });
    expect(fakes.urlonly.received[0].fields.response_format).toBe("url");
    expect(result.data).toHaveLength(2);
    const picture = await decode(result.data![1].b64_json!);
    expect([picture.width, picture.height]).toEqual([1024, 1024]);
    expect(rgbAt(picture, 5, 5)[0]).toBeCloseTo(60, -1);
  });

  it("refuses downloads over maxDownloadBytes with a 502", async () => {
    const error = await refusal(server.client.images.generate({ model: "urlonly-small", prompt: "a lighthouse", quality: "low" }));
    expect(error.status).toBe(502);
    expect(error.error).toMatchObject({ type: "server_error", code: "upstream_error" });
    expect(error.error.message).toMatch(/maxDownloadBytes/);
  });
});

describe("an upstream without output_format that draws one size", () => {
  it("does not send output_format, and re-encodes and resizes what it answers", async () => {
    const result = await server.client.images.generate({ model: "noformat", prompt: "a wide panorama", size: "1536x1024", quality: "low" });
    expect(fakes.noformat.received[0].fields).not.toHaveProperty("output_format");
    const picture = await decode(result.data![0].b64_json!);
    // The upstream sent a 512x512 jpeg; the client asked for a 1536x1024 png.
    expect([picture.format, picture.width, picture.height]).toEqual(["png", 1536, 1024]);
  });

  it("resizes by covering and centre-cropping, never stretching", async () => {
    const result = await server.client.images.generate({ model: "bands", prompt: "a flag", size: "1536x1024", quality: "low" });
    const picture = await decode(result.data![0].b64_json!);
    expect([picture.width, picture.height]).toEqual([1536, 1024]);
    // Stretching would keep the green bands at the top and bottom; letterboxing would add bars.
    for (const [x, y] of [[0, 0], [1535, 0], [768, 512], [0, 1023], [1535, 1023]]) {
      const [r, g] = rgbAt(picture, x, y);
      expect(r).toBeGreaterThan(200);
      expect(g).toBeLessThan(60);
    }
  });

  it("asks an upstream with a list of sizes for the closest shape", async () => {
    const before = fakes.strict.received.length;
    const result = await server.client.images.generate({ model: "sized", prompt: "a tall tower", size: "1024x1536", quality: "low" });
    expect(fakes.strict.received[before].fields.size).toBe("512x768");
    const picture = await decode(result.data![0].b64_json!);
    expect([picture.width, picture.height]).toEqual([1024, 1536]);
  });
});

describe("an upstream that takes one input image", () => {
  it("forwards one image, and refuses several before calling the upstream", async () => {
    const result = await server.client.images.edit({ model: "oneinput", image: await file(await makeImage(256, 256)), prompt: "add a hat", quality: "low" });
    expect(result.data).toHaveLength(1);
    expect(fakes.oneinput.received[0].files.map((f) => f.field)).toEqual(["image"]);
    const images = [await file(await makeImage(256, 256)), await file(await makeImage(256, 256))];
    const error = await refusal(server.client.images.edit({ model: "oneinput", image: images, prompt: "combine them" }));
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({ param: "image", code: "array_above_max_length" });
    expect(fakes.oneinput.received).toHaveLength(1);
  });
});

describe("an upstream that makes one image per call", () => {
  it("gets n calls, each with its own seed, and the usages add up", async () => {
    const result = await server.client.images.generate({ model: "onepercall", prompt: "three balloons", n: 3, quality: "low", seed: 42 } as never);
    const calls = fakes.onepercall.received;
    expect(calls).toHaveLength(3);
    expect(calls.map((c) => c.fields.n)).toEqual([1, 1, 1]);
    expect(calls.map((c) => c.fields.seed).sort()).toEqual([42, 43, 44]);
    // The fake paints green = seed: picture i of the answer is the call with seed 42 + i.
    const pictures = await Promise.all(result.data!.map((item) => decode(item.b64_json!)));
    expect(pictures.map((p) => rgbAt(p, 3, 3)[1])).toEqual([42, 43, 44]);
    const one = fakeUsage(1);
    expect(result.usage).toEqual({
      input_tokens: 3 * one.input_tokens,
      output_tokens: 3 * one.output_tokens,
      total_tokens: 3 * one.total_tokens,
      input_tokens_details: { text_tokens: 3 * one.input_tokens_details.text_tokens, image_tokens: 3 * one.input_tokens_details.image_tokens },
    });
  });
});

describe("transparency is never faked", () => {
  it("refuses with a 400 when the upstream answers an opaque picture to a transparent request", async () => {
    const error = await refusal(server.client.images.generate({ model: "opaque", prompt: "a logo", background: "transparent", quality: "low" }));
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({ type: "invalid_request_error", param: "background", code: "unsupported_value" });
    expect(error.error.message).toMatch(/opaque picture/);
    const opaque = await server.client.images.generate({ model: "opaque", prompt: "a logo", background: "opaque", quality: "low" });
    expect((await decode(opaque.data![0].b64_json!)).hasAlpha).toBe(false);
  });

  it("refuses before calling an upstream configured without transparency, and never sends it background", async () => {
    const error = await refusal(server.client.images.generate({ model: "nobackground", prompt: "a logo", background: "transparent", quality: "low" }));
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({ param: "background", code: "unsupported_value" });
    expect(fakes.nobackground.received).toHaveLength(0);
    await server.client.images.generate({ model: "nobackground", prompt: "a logo", background: "opaque", quality: "low" });
    expect(fakes.nobackground.received[0].fields).not.toHaveProperty("background");
  });

  it("resolves background auto to opaque for an upstream that cannot draw transparency, even for a see-through edit", async () => {
    const seeThrough = await makeImage(256, 256, "png", true);
    const edited = await server.client.images.edit({ model: "nobackground", prompt: "make it a sticker", image: new File([new Uint8Array(seeThrough)], "s.png", { type: "image/png" }) });
    expect(edited.background).toBe("opaque");
    const sticker = await server.client.images.generate({ model: "nobackground", prompt: "a sticker of a cat", background: "auto", quality: "low" });
    expect(sticker.background).toBe("opaque");
  });
});
