// What the openai client cannot send: broken bodies, wrong content types,
// truncated multipart, oversized uploads, unknown routes.
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectOpenAIError, post as rawPost } from "../helpers/raw.js";
import { makeImage, startServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ maxUploadBytes: 8 * 1024 * 1024 });
});
afterAll(() => server.close());

const post = (path: string, body: BodyInit, contentType?: string) => rawPost(server.origin, path, body, contentType);

describe("bodies the client cannot send", () => {
  it("refuses broken JSON with OpenAI's message", async () => {
    const { status, body, headers } = await post("/v1/images/generations", '{"prompt": "a cat",', "application/json");
    expect(status).toBe(400);
    expectOpenAIError(body);
    expect(body.error.message).toMatch(/could not parse the JSON body/);
    expect(headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it("refuses an empty JSON body and JSON that is not an object", async () => {
    expect((await post("/v1/images/generations", "", "application/json")).status).toBe(400);
    const array = await post("/v1/images/generations", "[1,2]", "application/json");
    expect(array.status).toBe(400);
    expect(array.body.error.code).toBe("invalid_body");
    const nullBody = await post("/v1/images/generations", "null", "application/json");
    expect(nullBody.status).toBe(400);
  });

  it("refuses a wrong content type", async () => {
    const { status, body } = await post("/v1/images/generations", "prompt=a cat", "text/plain");
    expect(status).toBe(400);
    expect(body.error.code).toBe("unsupported_content_type");
    const variations = await post("/v1/images/variations", '{"image": "x"}', "application/json");
    expect(variations.status).toBe(400);
    expect(variations.body.error.code).toBe("unsupported_content_type");
  });

  it("refuses truncated multipart", async () => {
    const boundary = "----easel";
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="prompt"\r\n\r\na cat\r\n--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n`;
    const { status, body: answer } = await post("/v1/images/edits", body, `multipart/form-data; boundary=${boundary}`);
    expect(status).toBe(400);
    expect(answer.error.code).toBe("invalid_body");
  });

  it("refuses multipart without a boundary", async () => {
    const { status } = await post("/v1/images/edits", "garbage", "multipart/form-data");
    expect(status).toBe(400);
  });

  it("refuses a text field where a file belongs, and unknown files", async () => {
    const form = new FormData();
    form.append("prompt", "a cat");
    form.append("image", "not a file");
    const asText = await post("/v1/images/edits", form);
    expect(asText.status).toBe(400);
    expect(asText.body.error).toMatchObject({ param: "image" });
    const extra = new FormData();
    extra.append("prompt", "a cat");
    extra.append("image", new Blob([new Uint8Array(await makeImage(64, 64))], { type: "image/png" }), "a.png");
    extra.append("picture", new Blob([new Uint8Array(await makeImage(64, 64))], { type: "image/png" }), "b.png");
    const unknown = await post("/v1/images/edits", extra);
    expect(unknown.body.error).toMatchObject({ param: "picture", code: "unknown_parameter" });
  });

  it("refuses oversized bodies with 413", async () => {
    const form = new FormData();
    form.append("prompt", "a cat");
    form.append("image", new Blob([Buffer.alloc(9 * 1024 * 1024, 1)], { type: "image/png" }), "big.png");
    const { status, body } = await post("/v1/images/edits", form);
    expect(status).toBe(413);
    expectOpenAIError(body);
    const json = await post("/v1/images/generations", JSON.stringify({ prompt: "x".repeat(65 * 1024 * 1024) }), "application/json");
    expect(json.status).toBe(413);
  });

  it("refuses a single file of 50 MB or more with 413", async () => {
    const roomy = await startServer();
    try {
      const form = new FormData();
      form.append("prompt", "a cat");
      form.append("image", new Blob([Buffer.alloc(50 * 1024 * 1024 + 1, 1)], { type: "image/png" }), "huge.png");
      const response = await fetch(`${roomy.origin}/v1/images/edits`, { method: "POST", body: form });
      expect(response.status).toBe(413);
      expect((await response.json()).error).toMatchObject({ code: "request_too_large", message: expect.stringContaining(String(50 * 1024 * 1024)) });
    } finally {
      await roomy.close();
    }
  });

  it("answers unknown routes and methods with OpenAI's 404", async () => {
    const response = await fetch(`${server.origin}/v1/images/nothing`, { method: "POST" });
    expect(response.status).toBe(404);
    expect((await response.json()).error.message).toBe("Invalid URL (POST /v1/images/nothing)");
    const get = await fetch(`${server.origin}/v1/images/generations`);
    expect(get.status).toBe(404);
  });

  it("keeps serving after a client drops the connection mid-upload", async () => {
    await new Promise<void>((resolve) => {
      const request = httpRequest(`${server.origin}/v1/images/edits`, { method: "POST", headers: { "content-type": "multipart/form-data; boundary=x", "content-length": "100000" } });
      request.on("error", () => resolve());
      request.write("--x\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\n");
      setTimeout(() => {
        request.destroy();
        resolve();
      }, 100);
    });
    expect((await fetch(`${server.origin}/health`)).status).toBe(200);
  });

  it("answers /health and puts x-request-id on every response", async () => {
    const response = await fetch(`${server.origin}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok" });
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
  });
});
