import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countTextTokens } from "../../src/tokens/count.js";
import { alphaAt, decode, pixelSpread, startServer, type TestServer, refusal } from "../helpers/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const GUIDE_PROMPT = `
A children's book drawing of a veterinarian using a stethoscope to 
listen to the heartbeat of a baby otter.
`;

describe("POST /v1/images/generations with GPT image models", () => {
  it("runs the guide's example and answers as OpenAI does", async () => {
    const result = await server.client.images.generate({ model: "gpt-image-1", prompt: GUIDE_PROMPT });
    expect(result.data).toHaveLength(1);
    const image = await decode(result.data![0].b64_json!);
    expect(image).toMatchObject({ format: "png", width: 1024, height: 1024 });
    expect(pixelSpread(image.pixels)).toBeGreaterThan(10);
    expect(result).toMatchObject({ size: "1024x1024", quality: "medium", background: "opaque", output_format: "png" });
    expect(typeof result.created).toBe("number");
    const textTokens = countTextTokens(GUIDE_PROMPT);
    expect(result.usage).toEqual({
      input_tokens: textTokens,
      output_tokens: 1056,
      total_tokens: textTokens + 1056,
      input_tokens_details: { text_tokens: textTokens, image_tokens: 0 },
    });
  });

  it.each([
    ["1024x1024", "low", 1024, 1024, 272],
    ["1024x1536", "low", 1024, 1536, 408],
    ["1536x1024", "medium", 1536, 1024, 1568],
    ["1024x1536", "high", 1024, 1536, 6240],
    ["1536x1024", "high", 1536, 1024, 6208],
  ] as const)("renders %s at %s quality exactly, with the guide's output tokens", async (size, quality, width, height, tokens) => {
    const result = await server.client.images.generate({ model: "gpt-image-1", prompt: "a lighthouse on a cliff", size, quality });
    const image = await decode(result.data![0].b64_json!);
    expect([image.width, image.height]).toEqual([width, height]);
    expect(result.size).toBe(size);
    expect(result.quality).toBe(quality);
    expect(result.usage!.output_tokens).toBe(tokens);
  });

  it("resolves size auto from the prompt and reports what it rendered", async () => {
    const result = await server.client.images.generate({ model: "gpt-image-1", prompt: "a wide panorama of mountains", size: "auto", quality: "low" });
    expect(result.size).toBe("1536x1024");
    const image = await decode(result.data![0].b64_json!);
    expect([image.width, image.height]).toEqual([1536, 1024]);
    expect(result.usage!.output_tokens).toBe(400);
  });

  it("encodes jpeg and webp with the requested compression", async () => {
    const ask = (output_format: "jpeg" | "webp", output_compression: number) =>
      server.client.images.generate({ model: "gpt-image-1", prompt: "a bowl of fruit", output_format, output_compression, quality: "low", seed: 7 } as never);
    for (const format of ["jpeg", "webp"] as const) {
      const small = await ask(format, 5);
      const large = await ask(format, 95);
      expect(small.output_format).toBe(format);
      expect((await decode(small.data![0].b64_json!)).format).toBe(format);
      expect(Buffer.from(small.data![0].b64_json!, "base64").length).toBeLessThan(Buffer.from(large.data![0].b64_json!, "base64").length);
    }
  });

  it.each(["png", "webp"] as const)("draws on real transparency for background transparent (%s)", async (output_format) => {
    const result = await server.client.images.generate({ model: "gpt-image-1", prompt: "a red apple", background: "transparent", output_format, quality: "low" });
    expect(result.background).toBe("transparent");
    const image = await decode(result.data![0].b64_json!);
    expect(image.hasAlpha).toBe(true);
    expect(alphaAt(image, 0, 0)).toBe(0);
    expect(alphaAt(image, image.width - 1, image.height - 1)).toBe(0);
    let opaque = 0;
    for (let i = 3; i < image.pixels.length; i += 4) if (image.pixels[i] === 255) opaque++;
    expect(opaque).toBeGreaterThan(1000);
  });

  it("writes opaque pictures without an alpha channel", async () => {
    const result = await server.client.images.generate({ model: "gpt-image-1", prompt: "a red apple", background: "opaque", quality: "low" });
    const image = await decode(result.data![0].b64_json!);
    expect(image.hasAlpha).toBe(false);
  });

  it("picks a transparent background for background auto when the prompt asks for a sticker", async () => {
    const result = await server.client.images.generate({ model: "gpt-image-1", prompt: "a sticker of a happy cat", quality: "low" });
    expect(result.background).toBe("transparent");
    expect((await decode(result.data![0].b64_json!)).hasAlpha).toBe(true);
  });

  it("returns n different pictures, and the same bytes for the same seed", async () => {
    const ask = (seed: number) => server.client.images.generate({ model: "gpt-image-1", prompt: "three red balloons", n: 3, quality: "low", seed } as never);
    const first = await ask(42);
    const again = await ask(42);
    const other = await ask(43);
    const pictures = first.data!.map((d) => d.b64_json);
    expect(new Set(pictures).size).toBe(3);
    expect(again.data!.map((d) => d.b64_json)).toEqual(pictures);
    expect(other.data![0].b64_json).not.toBe(pictures[0]);
    expect(first.usage!.output_tokens).toBe(3 * 272);
  });
});

describe("POST /v1/images (the URL of the guide's transparency curl example)", () => {
  it("generates like /v1/images/generations, picking a GPT image model for background", async () => {
    const response = await fetch(`${server.baseURL}/images`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ prompt: "Draw a 2D pixel art style sprite sheet of a tabby gray cat", quality: "high", size: "1024x1024", background: "transparent" }),
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ background: "transparent", quality: "high", size: "1024x1024", output_format: "png" });
    expect((await decode(body.data[0].b64_json)).hasAlpha).toBe(true);
  });
});

describe("DALL·E models", () => {
  it("defaults to dall-e-2 with url answers that work without an API key, then expire", async () => {
    const result = await server.client.images.generate({ prompt: "a cute baby sea otter" });
    expect(result.usage).toBeUndefined();
    expect(result.output_format).toBeUndefined();
    const url = result.data![0].url!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/images\/content\/img-.*\.png\?se=\d+&sig=/);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    const image = await decode(Buffer.from(await response.arrayBuffer()));
    expect([image.width, image.height]).toEqual([1024, 1024]);
    const tampered = await fetch(url.replace(/se=\d+/, "se=1"));
    expect(tampered.status).toBe(403);
    expect((await tampered.json()).error.code).toBe("url_expired");
  });

  it("answers dall-e-2 with b64_json at its own sizes", async () => {
    const result = await server.client.images.generate({ model: "dall-e-2", prompt: "a sea otter", size: "256x256", response_format: "b64_json", n: 2 });
    expect(result.data).toHaveLength(2);
    for (const item of result.data!) {
      const image = await decode(item.b64_json!);
      expect([image.width, image.height]).toEqual([256, 256]);
    }
  });

  it("gives dall-e-3 a revised prompt, its wide size and style", async () => {
    const result = await server.client.images.generate({ model: "dall-e-3", prompt: "a fox in a snowy forest", size: "1792x1024", style: "natural", quality: "hd", response_format: "b64_json" });
    expect(result.data![0].revised_prompt).toMatch(/^A fox in a snowy forest, rendered in a natural/);
    const image = await decode(result.data![0].b64_json!);
    expect([image.width, image.height]).toEqual([1792, 1024]);
  });
});

describe("refusals", () => {
  const refused = (params: Record<string, unknown>) => refusal(server.client.images.generate(params as never));

  it.each([
    [{ model: "gpt-image-1", prompt: "x", n: 11 }, "n", "integer_above_max_value"],
    [{ model: "gpt-image-1", prompt: "x", n: 0 }, "n", "integer_below_min_value"],
    [{ model: "gpt-image-1", prompt: "x", n: "two" }, "n", "invalid_type"],
    [{ model: "gpt-image-1", prompt: "x", quality: "ultra" }, "quality", "invalid_value"],
    [{ model: "gpt-image-1", prompt: "x", quality: "hd" }, "quality", "invalid_value"],
    [{ model: "gpt-image-1", prompt: "x", size: "999x999" }, "size", "invalid_value"],
    [{ model: "gpt-image-1", prompt: "x", size: "256x256" }, "size", "invalid_value"],
    [{ model: "gpt-image-1" }, "prompt", "missing_required_parameter"],
    [{ model: "gpt-image-1", prompt: "" }, "prompt", "empty_string"],
    [{ model: "gpt-image-1", prompt: "x", background: "transparent", output_format: "jpeg" }, "background", "unsupported_value"],
    [{ model: "gpt-image-1", prompt: "x", output_compression: 101, output_format: "jpeg" }, "output_compression", "integer_above_max_value"],
    [{ model: "gpt-image-1", prompt: "x", output_compression: 50 }, "output_compression", "unsupported_value"],
    [{ model: "gpt-image-1", prompt: "x", output_format: "gif" }, "output_format", "invalid_value"],
    [{ model: "gpt-image-1", prompt: "x", moderation: "none" }, "moderation", "invalid_value"],
    [{ model: "gpt-image-1", prompt: "x", partial_images: 4, stream: true }, "partial_images", "integer_above_max_value"],
    [{ model: "gpt-image-1", prompt: "x", response_format: "b64_json" }, "response_format", "unknown_parameter"],
    [{ model: "gpt-image-1", prompt: "x", style: "vivid" }, "style", "unsupported_parameter"],
    [{ model: "gpt-image-1", prompt: "x", input_fidelity: "high" }, "input_fidelity", "unknown_parameter"],
    [{ model: "gpt-image-1", prompt: "x", colour: "blue" }, "colour", "unknown_parameter"],
    [{ model: "gpt-image-1", prompt: "x", seed: -1 }, "seed", "integer_below_min_value"],
    [{ model: "gpt-image-1", prompt: "x".repeat(32001) }, "prompt", "string_above_max_length"],
    [{ model: "dall-e-2", prompt: "x".repeat(1001) }, "prompt", "string_above_max_length"],
    [{ model: "dall-e-3", prompt: "x".repeat(4001) }, "prompt", "string_above_max_length"],
    [{ model: "dall-e-2", prompt: "x", quality: "high" }, "quality", "invalid_value"],
    [{ model: "dall-e-2", prompt: "x", size: "1536x1024" }, "size", "invalid_value"],
    [{ model: "dall-e-2", prompt: "x", output_format: "webp" }, "output_format", "unsupported_parameter"],
    [{ model: "dall-e-2", prompt: "x", background: "transparent" }, "background", "unsupported_parameter"],
    [{ model: "dall-e-3", prompt: "x", n: 2 }, "n", "integer_above_max_value"],
    [{ model: "dall-e-3", prompt: "x", size: "512x512" }, "size", "invalid_value"],
    [{ model: "dall-e-3", prompt: "x", stream: true }, "stream", "unsupported_parameter"],
  ])("refuses %j (param %s)", async (params, param, code) => {
    const error = await refused(params);
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({ type: "invalid_request_error", param, code });
    expect(error.error.message.length).toBeGreaterThan(10);
  });

  it("answers an unknown model with 404 model_not_found", async () => {
    const error = await refused({ model: "gpt-imagine-9", prompt: "x" });
    expect(error.status).toBe(404);
    expect(error.error).toMatchObject({ param: "model", code: "model_not_found" });
  });

  it("refuses prompts that moderation blocks, less strictly with moderation low", async () => {
    const error = await refused({ model: "gpt-image-1", prompt: "a nude figure on a beach" });
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({ type: "image_generation_user_error", code: "moderation_blocked" });
    const allowed = await server.client.images.generate({ model: "gpt-image-1", prompt: "a nude figure on a beach", moderation: "low", quality: "low" });
    expect(allowed.data).toHaveLength(1);
    const always = await refused({ model: "gpt-image-1", prompt: "a p0rn scene", moderation: "low" });
    expect(always.error.code).toBe("moderation_blocked");
  });
});
