// The `easel` command as a user runs it: built, in a child process.
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { freePort, untilHealthy } from "./helpers/child-server.js";
import { decode, makeImage, makeMask } from "./helpers/server.js";
import { writeTinyModel } from "./helpers/tiny-diffusion.js";

const run = promisify(execFile);
const CLI = join(import.meta.dirname, "..", "dist", "cli.js");
const work = mkdtempSync(join(tmpdir(), "easel-cli-"));
const env = { ...process.env, EASEL_DATA_DIR: join(work, "data") };

describe("easel generate / edit", () => {
  it("writes the picture with the requested size, format and seed", async () => {
    const output = join(work, "balloons.webp");
    const { stdout } = await run("node", [CLI, "generate", "three red balloons", "--size", "1536x1024", "--quality", "low", "--seed", "5", "-o", output], { env });
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ files: [output], size: "1536x1024", seed: 5, usage: { output_tokens: 400 } });
    const image = await decode(readFileSync(output));
    expect(image).toMatchObject({ format: "webp", width: 1536, height: 1024 });
    const again = join(work, "again.webp");
    await run("node", [CLI, "generate", "three red balloons", "--size", "1536x1024", "--quality", "low", "--seed", "5", "-o", again], { env });
    expect(readFileSync(again).equals(readFileSync(output))).toBe(true);
  });

  it("writes n pictures with numbered names", async () => {
    const output = join(work, "cats.png");
    const { stdout } = await run("node", [CLI, "generate", "a cat", "--n", "2", "--quality", "low", "--background", "transparent", "-o", output], { env });
    expect(JSON.parse(stdout).files).toEqual([join(work, "cats-1.png"), join(work, "cats-2.png")]);
    expect((await decode(readFileSync(join(work, "cats-2.png")))).hasAlpha).toBe(true);
  });

  it("edits images with a mask", async () => {
    const image = join(work, "room.png");
    const mask = join(work, "mask.png");
    writeFileSync(image, await makeImage(512, 512));
    writeFileSync(mask, await makeMask(512, 512, { left: 0, top: 0, width: 256, height: 256 }));
    const output = join(work, "edited.jpg");
    await run("node", [CLI, "edit", image, "--mask", mask, "--prompt", "a flamingo", "--quality", "low", "--size", "1024x1024", "-o", output], { env });
    expect(await decode(readFileSync(output))).toMatchObject({ format: "jpeg", width: 1024, height: 1024 });
  });

  it("explain prints the plan as JSON without drawing", async () => {
    const { stdout } = await run("node", [CLI, "explain", "three red balloons over a city at night"], { env });
    const plan = JSON.parse(stdout);
    expect(plan.engine).toBe("compose");
    expect(plan.things[0]).toMatchObject({ name: "balloon", count: 3, colour: "red", realised_by: { source: "openmoji" } });
  });

  it("explains refusals in words and exits 1", async () => {
    const failure = await run("node", [CLI, "generate", "a cat", "--size", "5x5"], { env }).catch((error) => error);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/Invalid value: '5x5'.*\(param: size\)/);
  });
});

describe("easel serve", () => {
  it("finishes running jobs on SIGTERM, refuses new work, then exits", async () => {
    const port = await freePort();
    const server = spawn("node", [CLI, "serve", "--port", String(port)], { env: { ...env, EASEL_CONCURRENCY: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<number | null>((resolve) => server.on("exit", resolve));
    const base = `http://127.0.0.1:${port}`;
    await untilHealthy(base, server);
    const slow = fetch(`${base}/v1/images/generations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-image-1", prompt: "a forest with many trees", n: 6, quality: "high" }),
    });
    for (let i = 0; i < 100; i++) {
      const health = await fetch(`${base}/health`).then((r) => r.json());
      if (health.queue.running === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    server.kill("SIGTERM");
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect((await answer.json()).data).toHaveLength(6);
    expect(await exited).toBe(0);
    await expect(fetch(`${base}/health`)).rejects.toThrow();
  });

  it("logs one JSON line per request with id, route, model and duration", async () => {
    const port = await freePort();
    const server = spawn("node", [CLI, "serve", "--port", String(port)], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    server.stdout.on("data", (chunk) => (output += chunk));
    const base = `http://127.0.0.1:${port}`;
    await untilHealthy(base, server);
    const response = await fetch(`${base}/v1/images/generations`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "gpt-image-1", prompt: "a fish", quality: "low" }) });
    const requestId = response.headers.get("x-request-id");
    await response.arrayBuffer();
    server.kill("SIGTERM");
    await new Promise((resolve) => server.on("exit", resolve));
    const line = output.split("\n").filter(Boolean).map((l) => JSON.parse(l)).find((entry) => entry.request_id === requestId && entry.msg === "request completed");
    expect(line).toMatchObject({ route: "/v1/images/generations", model: "gpt-image-1", status: 200, method: "POST" });
    expect(typeof line.duration_ms).toBe("number");
  });
});

describe("diffusion model folders on the command line", () => {
  it("generate --model NAME=PATH runs the folder's model; serve --model NAME=PATH serves it under that name", async () => {
    const folder = join(work, "tiny-sd");
    await writeTinyModel(folder, { family: "sd1" });
    const output = join(work, "fox.png");
    const { stdout } = await run("node", [CLI, "generate", "a red fox", "--model", `tiny=${folder}`, "--quality", "low", "--guidance-scale", "3", "--negative-prompt", "blurry", "--seed", "3", "-o", output], { env });
    expect(JSON.parse(stdout)).toMatchObject({ files: [output], size: "1024x1024", seed: 3 });
    expect(await decode(readFileSync(output))).toMatchObject({ format: "png", width: 1024, height: 1024 });
    const explained = JSON.parse((await run("node", [CLI, "explain", "a red fox", "--model", `tiny=${folder}`, "--quality", "low", "--n", "2", "--seed", "3"], { env })).stdout);
    expect(explained).toMatchObject({ engine: "diffusion", mode: "generate", steps: 12, seeds: [3, 4], render_size: "64x64", output_size: "1024x1024", rng: "torch" });

    const port = await freePort();
    const server = spawn("node", [CLI, "serve", "--port", String(port), "--model", `gpt-image-1=${folder}`], { env, stdio: ["ignore", "pipe", "pipe"] });
    const base = `http://127.0.0.1:${port}`;
    try {
      await untilHealthy(base, server);
      const models = await fetch(`${base}/v1/models`).then((r) => r.json());
      expect(models.data.map((m: { id: string }) => m.id)).toContain("gpt-image-1");
      const answer = await fetch(`${base}/v1/images/generations`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "gpt-image-1", prompt: "a red fox", quality: "low", seed: 3, guidance_scale: 3, negative_prompt: "blurry" }) });
      expect(answer.status).toBe(200);
      // The server and the CLI run the same pipeline: same request, same seed, same picture.
      const served = await decode(Buffer.from((await answer.json()).data[0].b64_json, "base64"));
      expect(served.pixels.equals((await decode(readFileSync(output))).pixels)).toBe(true);
    } finally {
      server.kill("SIGTERM");
    }
  });

  it("refuses to start on a folder that is not a model, naming what is missing", async () => {
    const empty = mkdtempSync(join(tmpdir(), "easel-not-a-model-"));
    const failure = await run("node", [CLI, "serve", "--port", String(await freePort()), "--model", `broken=${empty}`], { env }).catch((error) => error);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain("Model 'broken' cannot load");
    expect(failure.stderr).toContain("model_index.json");
    expect(failure.stderr).not.toMatch(/\n\s+at /);
  });
});
