import { createServer, type Server } from "node:http";
import { crc32 } from "node:zlib";
import { toFile } from "openai";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inputImageTokens } from "../../src/usage.js";
import { decode, makeImage, makeMask, pixelSpread, startServer, type TestServer, refusal } from "../helpers/server.js";

let server: TestServer;
let png1024: Buffer;
beforeAll(async () => {
  server = await startServer();
  png1024 = await makeImage(1024, 1024);
});
afterAll(() => server.close());

const file = (bytes: Buffer, name = "image.png", type = "image/png") => toFile(bytes, name, { type });


describe("POST /v1/images/edits (multipart)", () => {
  it("edits one image and counts its input tokens", async () => {
    const result = await server.client.images.edit({ model: "gpt-image-1", image: await file(png1024), prompt: "add a hat to the cat", quality: "low" });
    const image = await decode(result.data![0].b64_json!);
    expect([image.width, image.height]).toEqual([1024, 1024]);
    expect(pixelSpread(image.pixels)).toBeGreaterThan(10);
    expect(result.usage!.input_tokens_details.image_tokens).toBe(194);
    expect(result.usage!.output_tokens).toBe(272);
  });

  it("keeps a see-through input see-through for background auto", async () => {
    const sticker = await makeImage(512, 512, "png", true);
    const result = await server.client.images.edit({ model: "gpt-image-1", image: await file(sticker), prompt: "add a party hat", quality: "low" });
    expect(result.background).toBe("transparent");
    expect((await decode(result.data![0].b64_json!)).hasAlpha).toBe(true);
    const opaque = await server.client.images.edit({ model: "gpt-image-1", image: await file(png1024), prompt: "add a party hat", quality: "low" });
    expect(opaque.background).toBe("opaque");
  });

  it("charges more input tokens with input_fidelity high", async () => {
    const low = await server.client.images.edit({ model: "gpt-image-1", image: await file(png1024), prompt: "make it blue", quality: "low" });
    const high = await server.client.images.edit({ model: "gpt-image-1", image: await file(png1024), prompt: "make it blue", quality: "low", input_fidelity: "high" });
    expect(high.usage!.input_tokens_details.image_tokens).toBe(low.usage!.input_tokens_details.image_tokens + 4160);
  });

  it("takes several images as image[] and follows the first one's shape for size auto", async () => {
    const landscape = await makeImage(1200, 800);
    const images = await Promise.all([landscape, png1024, await makeImage(600, 900, "jpeg"), await makeImage(500, 500, "webp")].map((bytes, i) => file(bytes, `item${i}.png`)));
    const result = await server.client.images.edit({
      model: "gpt-image-1",
      image: images,
      prompt: "Generate a photorealistic image of a gift basket on a white background labeled 'Relax & Unwind' containing all the items in the reference pictures.",
      quality: "low",
    });
    expect(result.size).toBe("1536x1024");
    const image = await decode(result.data![0].b64_json!);
    expect([image.width, image.height]).toEqual([1536, 1024]);
    const expected = [[1200, 800], [1024, 1024], [600, 900], [500, 500]].reduce((sum, [width, height]) => sum + inputImageTokens({ width, height }, "low"), 0);
    expect(result.usage!.input_tokens_details.image_tokens).toBe(expected);
  });

  it("changes only the transparent area of the mask", async () => {
    const mask = await makeMask(1024, 1024, { left: 512, top: 512, width: 512, height: 512 });
    const result = await server.client.images.edit({
      model: "gpt-image-1",
      image: await file(png1024, "lounge.png"),
      mask: await file(mask, "mask.png"),
      prompt: "A sunlit indoor lounge area with a pool containing a flamingo",
      size: "1024x1024",
      quality: "low",
    });
    const output = await decode(result.data![0].b64_json!);
    const input = await decode(png1024);
    const differs = (x: number, y: number) => {
      const i = (y * 1024 + x) * 4;
      return [0, 1, 2].some((c) => Math.abs(output.pixels[i + c] - input.pixels[i + c]) > 2);
    };
    let changedOutside = 0;
    let changedInside = 0;
    for (let y = 0; y < 1024; y += 8) {
      for (let x = 0; x < 1024; x += 8) {
        const inside = x >= 512 && y >= 512;
        if (differs(x, y)) inside ? changedInside++ : changedOutside++;
      }
    }
    expect(changedOutside).toBe(0);
    expect(changedInside).toBeGreaterThan(100);
  });

  it("streams image_edit events", async () => {
    const stream = await server.client.images.edit({ model: "gpt-image-1", image: await file(png1024), prompt: "add a sun", stream: true, partial_images: 1, quality: "low" });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(["image_edit.partial_image", "image_edit.completed"]);
  });

  it("refuses a mask of another size, without alpha, or of another format", async () => {
    const edit = (mask: Buffer, name = "mask.png", type = "image/png") =>
      refusal(Promise.all([file(png1024), file(mask, name, type)]).then(([image, maskFile]) => server.client.images.edit({ model: "gpt-image-1", image, mask: maskFile, prompt: "x" })));
    const wrongSize = await edit(await makeMask(512, 512, { left: 0, top: 0, width: 10, height: 10 }));
    expect(wrongSize).toMatchObject({ status: 400, error: { param: "mask", code: "invalid_mask" } });
    expect(wrongSize.error.message).toMatch(/same size/);
    const noAlpha = await edit(await sharp(await makeImage(1024, 1024, "png")).removeAlpha().png().toBuffer());
    expect(noAlpha.error).toMatchObject({ param: "mask", code: "invalid_mask" });
    expect(noAlpha.error.message).toMatch(/alpha channel/);
    const otherFormat = await edit(await makeImage(1024, 1024, "webp", true), "mask.webp", "image/webp");
    expect(otherFormat.error.message).toMatch(/same format/);
  });

  it("refuses bad images with a 400 naming the image", async () => {
    const notImage = await refusal(server.client.images.edit({ model: "gpt-image-1", image: await file(Buffer.from("this is not an image")), prompt: "x" }));
    expect(notImage).toMatchObject({ status: 400, error: { param: "image", code: "invalid_image" } });
    const gif = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");
    const wrongFormat = await refusal(server.client.images.edit({ model: "gpt-image-1", image: await file(gif, "a.gif", "image/gif"), prompt: "x" }));
    expect(wrongFormat.error).toMatchObject({ param: "image", code: "invalid_image_format" });
    const truncated = await refusal(server.client.images.edit({ model: "gpt-image-1", image: await file(png1024.subarray(0, 2000)), prompt: "x" }));
    expect(truncated.error).toMatchObject({ param: "image", code: "invalid_image" });
  });

  it("refuses decompression bombs before decoding them", async () => {
    const bomb = pngHeaderOnly(60_000, 60_000);
    const error = await refusal(server.client.images.edit({ model: "gpt-image-1", image: await file(bomb), prompt: "x" }));
    expect(error).toMatchObject({ status: 400, error: { param: "image", code: "image_too_large" } });
  });

  it("refuses more than 16 images", async () => {
    const small = await makeImage(64, 64);
    const images = await Promise.all(Array.from({ length: 17 }, () => file(small)));
    const error = await refusal(server.client.images.edit({ model: "gpt-image-1", image: images, prompt: "x" }));
    expect(error.error).toMatchObject({ param: "image", code: "array_above_max_length" });
  });

  it("applies dall-e-2's rules: one square png", async () => {
    const notSquare = await refusal(server.client.images.edit({ model: "dall-e-2", image: await file(await makeImage(300, 200)), prompt: "x" }));
    expect(notSquare.error).toMatchObject({ param: "image", code: "invalid_image" });
    const jpeg = await refusal(server.client.images.edit({ model: "dall-e-2", image: await file(await makeImage(256, 256, "jpeg"), "a.jpg", "image/jpeg"), prompt: "x" }));
    expect(jpeg.error).toMatchObject({ code: "invalid_image_format" });
    const result = await server.client.images.edit({ model: "dall-e-2", image: await file(await makeImage(256, 256)), prompt: "a hat", size: "256x256", response_format: "b64_json" });
    expect((await decode(result.data![0].b64_json!)).width).toBe(256);
  });

  it("needs an image", async () => {
    const error = await refusal(server.client.images.edit({ model: "gpt-image-1", prompt: "x" } as never));
    expect(error.error).toMatchObject({ param: "image", code: "missing_required_parameter" });
  });
});

describe("POST /v1/images/edits (JSON image references)", () => {
  const post = (body: unknown) =>
    fetch(`${server.baseURL}/images/edits`, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer k" }, body: JSON.stringify(body) });

  it("takes data URLs", async () => {
    const response = await post({ model: "gpt-image-1", prompt: "add a boat", quality: "low", images: [{ image_url: `data:image/png;base64,${png1024.toString("base64")}` }] });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect((await decode(body.data[0].b64_json)).width).toBe(1024);
    expect(body.usage.input_tokens_details.image_tokens).toBe(194);
  });

  it("answers unknown file ids with 404", async () => {
    const response = await post({ model: "gpt-image-1", prompt: "x", images: [{ file_id: "file-abc123" }] });
    expect(response.status).toBe(404);
    expect((await response.json()).error).toMatchObject({ param: "images[0].file_id", code: "file_not_found" });
  });

  it("refuses URLs that point at loopback or private addresses", async () => {
    const response = await post({ model: "gpt-image-1", prompt: "x", images: [{ image_url: "http://127.0.0.1:1/secret.png" }] });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error).toMatchObject({ param: "images[0].image_url", code: "invalid_image" });
    expect(body.error.message).toMatch(/private|loopback/);
  });

  it("fetches http URLs when the operator allows local addresses", async () => {
    const local = await startServer({ allowPrivateImageUrls: true });
    const files: Server = createServer((_request, response) => response.writeHead(200, { "content-type": "image/png" }).end(png1024));
    await new Promise<void>((resolve) => files.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = files.address() as { port: number };
      const response = await fetch(`${local.baseURL}/images/edits`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-image-1", prompt: "add a boat", quality: "low", images: [{ image_url: `http://127.0.0.1:${port}/photo.png` }] }),
      });
      expect(response.status).toBe(200);
    } finally {
      files.close();
      await local.close();
    }
  });

  it("refuses references with both or neither of image_url and file_id", async () => {
    const both = await post({ model: "gpt-image-1", prompt: "x", images: [{ image_url: "data:image/png;base64,AA==", file_id: "file-1" }] });
    expect(both.status).toBe(400);
    const missing = await post({ model: "gpt-image-1", prompt: "x" });
    expect((await missing.json()).error).toMatchObject({ param: "images", code: "missing_required_parameter" });
  });
});

/** A PNG whose header claims a huge size, with no pixel data behind it. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", header), chunk("IDAT", Buffer.from([120, 156, 3, 0, 0, 0, 0, 1])), chunk("IEND", Buffer.alloc(0))]);
}
