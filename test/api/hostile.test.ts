// What a hostile probe found, each kept fixed: values that broke error
// messages, nesting that broke the stack, text that broke drawing, bodies
// that never arrive, paths and file names that are not valid text, URLs that
// hide a loopback address, an opaque RGBA edit answered as transparent, and
// a leaving client logged as a server fault.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_TEXT } from "../../src/limits.js";
import { expectOpenAIError, post, rawExchange } from "../helpers/raw.js";
import { decode, makeImage, startServer, viaUpstream, type TestServer } from "../helpers/server.js";

const logLines: { level: number; msg: string }[] = [];
const logSink = new Writable({ write: (chunk, _encoding, done) => (logLines.push(JSON.parse(String(chunk))), done()) });

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ bodyTimeoutMs: 400, uploadMemoryBytes: 4 * 1024 * 1024 }, { parts: () => ({ logger: pino({ level: "info" }, logSink) }) });
});
afterAll(() => server.close());

const json = (path: string, body: unknown) => post(server.origin, path, JSON.stringify(body), "application/json");
const notCallable = { toString: 1, valueOf: 1 };

describe("a hostile client", () => {
  it("gets 400 for a value whose toString cannot be called, wherever it sits", async () => {
    const cases: [string, unknown, string][] = [
      ["/v1/images/generations", { prompt: "a cat", quality: notCallable }, "quality"],
      ["/v1/images/generations", { prompt: "a cat", model: "gpt-image-1", background: notCallable }, "background"],
      ["/v1/images/edits", { prompt: "a cat", model: "gpt-image-1", images: [{ image_url: "data:image/png;base64,AA==" }], output_format: notCallable }, "output_format"],
      ["/v1/responses", { model: "gpt-5", input: "a cat", tools: [{ type: "image_generation", quality: notCallable }] }, "tools[0].quality"],
      ["/v1/responses", { model: "gpt-5", input: "a cat", tools: [{ type: notCallable }] }, "tools[0].type"],
      ["/v1/responses", { model: "gpt-5", input: [{ type: notCallable }] }, "input[0].type"],
      ["/v1/responses", { model: "gpt-5", input: [{ role: "user", content: [{ type: notCallable }] }] }, "input[0].content[0].type"],
      ["/v1/responses", { model: "gpt-5", input: "a cat", truncation: notCallable }, "truncation"],
    ];
    for (const [path, body, param] of cases) {
      const answer = await json(path, body);
      expect(answer.status, param).toBe(400);
      expectOpenAIError(answer.body);
      expect(answer.body.error.param).toBe(param);
    }
    const form = new FormData();
    form.append("purpose", "user_data");
    form.append("expires_after", JSON.stringify({ anchor: notCallable, seconds: 3600 }));
    form.append("file", new Blob(["hello"]), "a.txt");
    const upload = await post(server.origin, "/v1/files", form);
    expect(upload.status).toBe(400);
    expect(upload.body.error.param).toBe("expires_after.anchor");
  });

  it("gets 400 for JSON nested thousands deep, whatever the field", async () => {
    const deep = "[".repeat(4000) + "]".repeat(4000);
    for (const [path, body] of [
      ["/v1/images/generations", `{"prompt":"a","n":${deep}}`],
      ["/v1/responses", `{"model":"gpt-5","input":"x","text":{"format":{"type":"text","x":${deep}}}}`],
      ["/v1/responses", `{"model":"gpt-5","input":${deep}}`],
    ]) {
      const answer = await post(server.origin, path, body, "application/json");
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe("invalid_body");
    }
  });

  it("gets pictures for prompts holding control characters, special tokens and unpaired surrogates", async () => {
    // ("cannot," is a contraction the part-of-speech tagger once gave no lemma, which crashed the planner.)
    for (const prompt of ["\u0000", "a sign that says '\u0007'", "a label 'x\u0000y' on a jar", "a cat <|endoftext|>", "a sign that says '\ud800'", "\u001b[31m red", "a cat that cannot, sleep"]) {
      const result = await server.client.images.generate({ model: "gpt-image-1", prompt, quality: "low", size: "1024x1024" });
      expect(result.data?.[0].b64_json, JSON.stringify(prompt)).toBeTruthy();
    }
    const stream = await server.client.images.generate({ model: "gpt-image-1", prompt: "a sign that says '\u0007'", stream: true, partial_images: 1, quality: "low" });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(["image_generation.partial_image", "image_generation.completed"]);
  });

  it("draws a 32,000-character prompt as one bounded picture", async () => {
    const words = "a red fox a blue whale a castle a lighthouse a violin a teapot a cactus an owl a bicycle a rocket ".repeat(400).slice(0, 32_000);
    const result = await server.client.images.generate({ model: "gpt-image-1", prompt: words, quality: "low", size: "1024x1024" });
    expect(result.usage?.input_tokens_details.text_tokens).toBeGreaterThan(5000);
  });

  it("gets 400 for texts over their limits", async () => {
    const long = await json("/v1/responses", { model: "gpt-5", input: "a cat", instructions: "x".repeat(MAX_TEXT + 1) });
    expect(long.status).toBe(400);
    expect(long.body.error).toMatchObject({ code: "string_above_max_length", param: "instructions" });
    const user = await json("/v1/images/generations", { prompt: "a cat", user: "u".repeat(300) });
    expect(user.body.error).toMatchObject({ code: "string_above_max_length", param: "user" });
    const key = await json("/v1/images/generations", { prompt: "a cat", ["k".repeat(100_000)]: 1 });
    expect(key.status).toBe(400);
    expect(key.text.length).toBeLessThan(3000);
  });

  it("is answered 408, its connection closed, when its body stops arriving", async () => {
    const cases = [
      ["/v1/images/generations", "application/json", '{"prompt":'],
      ["/v1/images/edits", "multipart/form-data; boundary=XX", '--XX\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n\r\nabc'],
      ["/v1/files", "multipart/form-data; boundary=XX", '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nabc'],
    ];
    for (const [path, type, body] of cases) {
      const head = `POST ${path} HTTP/1.1\r\nHost: easel\r\nContent-Type: ${type}\r\nContent-Length: 10000\r\n\r\n`;
      const answer = await rawExchange(server.origin, head, body, 10_000);
      expect(answer.status, path).toBe(408);
      expect(JSON.parse(answer.text).error.code).toBe("request_timeout");
    }
  });

  it("is answered in OpenAI's shape for a path that is not valid percent-encoding, or a parameter too long to route", async () => {
    for (const path of ["/v1/files/%ff%fe/content", "/v1/responses/%c0"]) {
      const response = await fetch(`${server.origin}${path}`);
      expect(response.status).toBe(400);
      expectOpenAIError(await response.json());
    }
    const long = await fetch(`${server.origin}/v1/files/${"f".repeat(500)}`);
    expect(long.status).toBe(404);
    expectOpenAIError(await long.json());
  });

  it("cannot reach loopback through an IPv6 address that embeds it, and is told so plainly", async () => {
    for (const url of ["http://[::127.0.0.1]:1/", "http://[::ffff:127.0.0.1]:1/", "http://[64:ff9b::7f00:1]:1/", "http://[2002:7f00:1::]:1/"]) {
      const answer = await json("/v1/images/edits", { prompt: "x", model: "gpt-image-1", images: [{ image_url: url }] });
      expect(answer.status, url).toBe(400);
      expect(answer.body.error.message).toMatch(/private or loopback/);
    }
    const unreachable = await json("/v1/images/edits", { prompt: "x", model: "gpt-image-1", images: [{ image_url: "http://name.invalid/cat.png" }] });
    expect(unreachable.body.error.message).toMatch(/could not be resolved\.$/);
    expect(unreachable.body.error.message).not.toMatch(/ENOTFOUND|getaddrinfo/);
  });

  it("gets back, in every listing, the file name the upload's answer gave", async () => {
    const body = `--XX\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nuser_data\r\n--XX\r\nContent-Disposition: form-data; name="file"; filename*=utf-16le''%00%d8%41%00\r\n\r\nhello\r\n--XX--\r\n`;
    const head = `POST /v1/files HTTP/1.1\r\nHost: easel\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`;
    const created = JSON.parse((await rawExchange(server.origin, head, body)).text);
    expect(created.filename).toBe("\ufffdA");
    expect((await server.client.files.retrieve(created.id)).filename).toBe(created.filename);
    const listed = await server.client.files.list();
    expect(listed.data.find((f) => f.id === created.id)?.filename).toBe(created.filename);
    expect((await fetch(`${server.baseURL}/files/${created.id}/content`)).status).toBe(200);
  });

  it("spools uploads beyond the server's memory budget to disk, and removes them after", async () => {
    const image = await sharp({ create: { width: 1200, height: 1200, channels: 3, background: "#000", noise: { type: "gaussian", mean: 128, sigma: 60 } } }).png().toBuffer();
    expect(image.length).toBeGreaterThan(2 * 1024 * 1024);
    const form = new FormData();
    form.append("model", "gpt-image-1");
    form.append("prompt", "add a hat");
    form.append("image[]", new Blob([new Uint8Array(image)]), "a.png");
    form.append("image[]", new Blob([new Uint8Array(image)]), "b.png");
    const answer = await post(server.origin, "/v1/images/edits", form);
    expect(answer.status).toBe(200);
    expect(server.parts.uploads.heldBytes).toBe(0);
    expect(readdirSync(join(server.parts.config.dataDir, "tmp", "uploads"))).toEqual([]);
  });

  it("keeps an opaque RGBA picture opaque under background auto, whatever the prompt says", async () => {
    const rgba = await sharp({ create: { width: 256, height: 256, channels: 4, background: { r: 200, g: 40, b: 40, alpha: 1 } } }).png().toBuffer();
    expect((await sharp(rgba).metadata()).channels).toBe(4);
    for (const prompt of ["add a hat", "put a logo on it", "make it a sticker"]) {
      const form = new FormData();
      form.append("model", "gpt-image-1");
      form.append("prompt", prompt);
      form.append("background", "auto");
      form.append("image", new Blob([new Uint8Array(rgba)]), "opaque.png");
      const answer = await post(server.origin, "/v1/images/edits", form);
      expect(answer.status, prompt).toBe(200);
      const body = JSON.parse(answer.text);
      expect(body.background, prompt).toBe("opaque");
      expect((await decode(body.data[0].b64_json)).hasAlpha).toBe(false);
    }
    const seeThrough = await makeImage(256, 256, "png", true);
    const kept = await server.client.images.edit({ model: "gpt-image-1", prompt: "add a hat", image: new File([new Uint8Array(seeThrough)], "s.png", { type: "image/png" }) });
    expect(kept.background).toBe("transparent");
  });

  it.skipIf(viaUpstream)("is not logged as a server fault when it leaves while its job waits", async () => {
    logLines.length = 0;
    const body = JSON.stringify({ model: "gpt-image-1", prompt: "an oil painting of a harbour", n: 10, quality: "high", size: "1536x1024" });
    const busy = [1, 2].map(() => fetch(`${server.baseURL}/images/generations`, { method: "POST", headers: { "content-type": "application/json" }, body }).then((r) => r.text()));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const controller = new AbortController();
    const leaving = fetch(`${server.baseURL}/images/generations`, { method: "POST", headers: { "content-type": "application/json" }, body, signal: controller.signal }).catch((e: Error) => e.name);
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort();
    expect(await leaving).toBe("AbortError");
    await Promise.all(busy);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(logLines.filter((line) => line.level >= 50)).toEqual([]);
    expect(logLines.some((line) => /closed the connection/.test(line.msg))).toBe(true);
  });
});
