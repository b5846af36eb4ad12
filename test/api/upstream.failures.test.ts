// When the upstream fails, refuses, is busy, hangs or is away: OpenAI-shaped
// errors with the right status, retries only where they are safe, the
// per-upstream concurrency limit, cancellation, and the log line of each call.
import { createServer } from "node:net";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAiError, openAiUpstream, sendJson, startFakeUpstream, upstreamModel, type FakeUpstream, type Handler } from "../helpers/fake-upstream.js";
import { startServer, type TestServer, refusal } from "../helpers/server.js";

process.env.EASEL_TEST_FAILURES_KEY = "sk-never-logged-4242";


/** Answers the first `times` calls with `fail`, then as OpenAI does. */
function failFirst(times: number, fail: Handler): Handler {
  const succeed = openAiUpstream();
  let calls = 0;
  return (request, response, fake) => (++calls <= times ? fail(request, response, fake) : succeed(request, response, fake));
}

const logLines: Record<string, unknown>[] = [];
const logger = pino(
  { level: "info" },
  new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  }),
);

const fakes: Record<string, FakeUpstream> = {};
let server: TestServer;
let closedPort: number;
let releaseSlow: () => void = () => {};
const slowGate = { open: false };

beforeAll(async () => {
  const start = async (name: string, handler: Handler) => (fakes[name] = await startFakeUpstream(handler));
  await Promise.all([
    start("ok", openAiUpstream()),
    start("broken", (_request, response) => sendJson(response, 500, openAiError("The model crashed.", null, null, "server_error"), { "x-request-id": "req_up_500" })),
    start("refusing", (_request, response) =>
      sendJson(response, 400, openAiError("Your prompt asks for something this model will not draw.", "prompt", "content_policy_violation"), { "x-request-id": "req_up_400" }),
    ),
    start("moderating", (_request, response) =>
      sendJson(response, 400, openAiError("Your request was rejected as a result of our safety system.", null, "moderation_blocked", "image_generation_user_error")),
    ),
    start("missing", (_request, response) => sendJson(response, 404, openAiError("The model 'sd-xl' does not exist.", "model", "model_not_found"))),
    start("badkey", (_request, response) => sendJson(response, 401, openAiError("Incorrect API key provided.", null, "invalid_api_key"))),
    start("flaky", failFirst(2, (_request, response) => sendJson(response, 503, openAiError("Overloaded.", null, null, "server_error")))),
    start("busy-once", failFirst(1, (_request, response) => sendJson(response, 429, openAiError("Slow down.", null, "rate_limit_exceeded", "requests"), { "retry-after": "1" }))),
    start("busy", (_request, response) => sendJson(response, 429, openAiError("Slow down.", null, "rate_limit_exceeded", "requests"), { "retry-after": "0" })),
    start("busy-long", (_request, response) => sendJson(response, 429, openAiError("Come back in an hour.", null, "rate_limit_exceeded", "requests"), { "retry-after": "3600" })),
    start("reset-once", failFirst(1, (_request, response) => response.socket?.destroy())),
    start("hanging", () => {}),
    start("slow", async (request, response, fake) => {
      if (!slowGate.open) await new Promise<void>((resolve) => setTimeout(resolve, 150));
      return openAiUpstream()(request, response, fake);
    }),
    start("gated", async (request, response, fake) => {
      await new Promise<void>((resolve) => {
        const previous = releaseSlow;
        releaseSlow = () => {
          previous();
          resolve();
        };
      });
      return openAiUpstream()(request, response, fake);
    }),
  ]);
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));

  const model = (name: string, options: Record<string, unknown> = {}) => upstreamModel({ baseUrl: fakes[name].baseURL, retryBaseMs: 10, ...options });
  server = await startServer(
    {
      concurrency: 8,
      models: {
        ok: model("ok", { apiKeyEnv: "EASEL_TEST_FAILURES_KEY" }),
        broken: model("broken", { apiKeyEnv: "EASEL_TEST_FAILURES_KEY" }),
        refusing: model("refusing"),
        moderating: model("moderating"),
        missing: model("missing"),
        badkey: model("badkey"),
        flaky: model("flaky"),
        "busy-once": model("busy-once"),
        busy: model("busy", { retries: 2 }),
        "busy-long": model("busy-long"),
        "reset-once": model("reset-once"),
        away: upstreamModel({ baseUrl: `http://127.0.0.1:${closedPort}/v1`, retries: 2, retryBaseMs: 10 }),
        hanging: model("hanging", { timeoutMs: 300 }),
        "hanging-long": model("hanging", { timeoutMs: 60_000 }),
        limited: model("slow", { concurrency: 2, maxImagesPerCall: 1 }),
        unlimited: model("slow", { concurrency: 8, maxImagesPerCall: 1 }),
        gated: model("gated", { concurrency: 1 }),
      },
    },
    { local: true, parts: () => ({ logger }) },
  );
});

afterAll(async () => {
  releaseSlow();
  await server.close();
  await Promise.all(Object.values(fakes).map((fake) => fake.close()));
});

const generate = (model: string, extra: Record<string, unknown> = {}) => server.client.images.generate({ model, prompt: "a cat", quality: "low", ...extra } as never);

describe("upstream errors", () => {
  it("maps an upstream 500 to a 502 with its message, without retrying", async () => {
    const error = await refusal(generate("broken"));
    expect(error.status).toBe(502);
    expect(error.error).toMatchObject({ type: "server_error", param: null, code: "upstream_error" });
    expect(error.error.message).toMatch(/The model crashed\./);
    expect(fakes.broken.received).toHaveLength(1);
  });

  it("passes an upstream 400 through with its status, message, param and code, without retrying", async () => {
    const error = await refusal(generate("refusing"));
    expect(error.status).toBe(400);
    expect(error.error).toEqual({ message: "Your prompt asks for something this model will not draw.", type: "invalid_request_error", param: "prompt", code: "content_policy_violation" });
    expect(fakes.refusing.received).toHaveLength(1);
    const moderated = await refusal(generate("moderating"));
    expect(moderated.error).toMatchObject({ type: "image_generation_user_error", code: "moderation_blocked" });
  });

  it("passes other 4xx through with their status", async () => {
    const error = await refusal(generate("missing"));
    expect(error.status).toBe(404);
    expect(error.error).toMatchObject({ message: "The model 'sd-xl' does not exist.", param: "model", code: "model_not_found" });
  });

  it("does not blame the client's key for the upstream's: a refused upstream key is a 502", async () => {
    const error = await refusal(generate("badkey"));
    expect(error.status).toBe(502);
    expect(error.error.code).toBe("upstream_error");
    expect(error.error.message).toMatch(/credentials/);
  });

  it("answers 502 when the upstream cannot be reached, after its retries", async () => {
    const error = await refusal(generate("away"));
    expect(error.status).toBe(502);
    expect(error.error.code).toBe("upstream_error");
    expect(error.error.message).toMatch(/cannot reach .*ECONNREFUSED/);
    const attempts = logLines.filter((line) => line.upstream === `http://127.0.0.1:${closedPort}/v1` && line.msg === "upstream call failed");
    expect(attempts.map((line) => line.attempt)).toEqual([1, 2, 3]);
  });

  it("answers 504 when the upstream does not answer in time, and hangs up on it", async () => {
    const started = Date.now();
    const error = await refusal(generate("hanging"));
    expect(error.status).toBe(504);
    expect(error.error).toMatchObject({ type: "server_error", code: "upstream_timeout" });
    expect(Date.now() - started).toBeLessThan(5000);
    await expect.poll(() => fakes.hanging.received[0]?.aborted).toBe(true);
    // A timed-out call may have done its work: it is not retried.
    expect(fakes.hanging.received).toHaveLength(1);
  });
});

describe("retries", () => {
  it("retries 503s with backoff, then succeeds", async () => {
    const result = await generate("flaky");
    expect(result.data).toHaveLength(1);
    expect(fakes.flaky.received).toHaveLength(3);
  });

  it("retries a 429 after its Retry-After", async () => {
    const started = Date.now();
    const result = await generate("busy-once");
    expect(result.data).toHaveLength(1);
    expect(fakes["busy-once"].received).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it("passes a 429 through with its Retry-After once the retries are spent", async () => {
    const error = await refusal(generate("busy"));
    expect(error.status).toBe(429);
    expect(error.error).toMatchObject({ message: "Slow down.", type: "requests", code: "rate_limit_exceeded" });
    expect(error.headers.get("retry-after")).toBe("0");
    expect(fakes.busy.received).toHaveLength(3);
  });

  it("does not wait for a Retry-After longer than maxRetryAfterMs", async () => {
    const error = await refusal(generate("busy-long"));
    expect(error.status).toBe(429);
    expect(error.headers.get("retry-after")).toBe("3600");
    expect(fakes["busy-long"].received).toHaveLength(1);
  });

  it("retries a connection reset before any answer", async () => {
    const result = await generate("reset-once");
    expect(result.data).toHaveLength(1);
    expect(fakes["reset-once"].received).toHaveLength(2);
  });
});

describe("the per-upstream concurrency limit", () => {
  it("keeps at most `concurrency` calls in flight, across the calls of one job and across jobs", async () => {
    const [one, two] = await Promise.all([generate("limited", { n: 4 }), generate("limited", { n: 2 })]);
    expect(one.data).toHaveLength(4);
    expect(two.data).toHaveLength(2);
    expect(fakes.slow.received).toHaveLength(6);
    expect(fakes.slow.maxInFlight).toBe(2);
  });

  it("is what holds them back (the same jobs with a higher limit run more at once)", async () => {
    fakes.slow.maxInFlight = 0;
    await Promise.all([generate("unlimited", { n: 4 }), generate("unlimited", { n: 2 })]);
    expect(fakes.slow.maxInFlight).toBeGreaterThan(2);
  });
});

describe("cancellation", () => {
  it("hangs up on the upstream when the client goes away", async () => {
    const controller = new AbortController();
    const request = server.client.images.generate({ model: "hanging-long", prompt: "a cat", quality: "low" }, { signal: controller.signal });
    await expect.poll(() => fakes.hanging.received.length).toBe(2);
    controller.abort();
    await expect(request).rejects.toThrow();
    await expect.poll(() => fakes.hanging.received[1].aborted).toBe(true);
  });

  it("drops a job waiting for an upstream slot when its client goes away", async () => {
    const first = generate("gated");
    await expect.poll(() => fakes.gated.received.length).toBe(1);
    const controller = new AbortController();
    const second = server.client.images.generate({ model: "gated", prompt: "a dog", quality: "low" }, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    await expect(second).rejects.toThrow();
    releaseSlow();
    await first;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fakes.gated.received).toHaveLength(1);
  });
});

describe("logs", () => {
  it("logs each upstream call with the upstream's request id, status and duration, and never the key", async () => {
    await generate("ok");
    await refusal(generate("broken"));
    const ok = logLines.find((line) => line.msg === "upstream call" && line.upstream === fakes.ok.baseURL);
    expect(ok).toMatchObject({ engine: "upstream", endpoint: "generations", upstream_model: "ok", attempt: 1, status: 200, upstream_request_id: "req_fake_1" });
    expect(typeof ok!.duration_ms).toBe("number");
    const failed = logLines.filter((line) => line.upstream === fakes.broken.baseURL);
    expect(failed.at(-1)).toMatchObject({ level: 40, msg: "upstream call failed", status: 500, upstream_request_id: "req_up_500" });
    expect(fakes.ok.received[0].headers.authorization).toBe("Bearer sk-never-logged-4242");
    expect(JSON.stringify(logLines)).not.toContain("sk-never-logged-4242");
  });
});
