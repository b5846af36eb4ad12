// `easel pull` and `hf:` model paths as a new user types them, against a fake Hugging Face
// Hub on loopback serving a tiny model: a fresh pull into the Hub cache (Python's layout),
// only the files the engine reads, resumes, corruption, gated and unknown repositories,
// unusable layouts, no disk space, no network, offline mode, and `easel serve` of the pulled
// model with the Hub gone, answered through the official client.
import { execFile, spawn } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, ensureBuilt, freePort, untilHealthy } from "./helpers/child-server.js";
import { FakeHub, filesOf } from "./helpers/fake-hub.js";
import { decode } from "./helpers/server.js";
import { writeTinyFastDecoder, writeTinyModel, type TinyModel } from "./helpers/tiny-diffusion.js";
import { writeTinyFlux } from "./helpers/tiny-flow.js";

const work = mkdtempSync(join(tmpdir(), "easel-hub-"));
let hub: FakeHub;
let tiny: Map<string, Buffer>;
let tinyCommit: string;
let tinyModel: TinyModel;

/** Files a repository has that the engine never reads: they must never be downloaded. */
const EXTRAS = {
  "README.md": Buffer.from("# tiny\n"),
  ".gitattributes": Buffer.from("*.onnx filter=lfs\n"),
  "unet/diffusion_pytorch_model.safetensors": Buffer.alloc(4096, 7),
  "unet/model_fp16.onnx": Buffer.alloc(4096, 8),
  "unet/model_fp16.onnx_data": Buffer.alloc(8192, 9),
  "text_encoder/pytorch_model.bin": Buffer.alloc(4096, 10),
};

beforeAll(async () => {
  ensureBuilt();
  hub = await FakeHub.start();
  const folder = join(work, "tiny-export");
  tinyModel = await writeTinyModel(folder, { family: "sd1", unetExternalData: "model.onnx_data" });
  await writeTinyFlux(join(work, "flux-export"), "schnell");
  tiny = await filesOf(folder);
  tinyCommit = hub.add("easel-test/tiny-sd", { files: new Map([...tiny, ...Object.entries(EXTRAS)]), revisions: ["main", "v1"] });
}, 60_000);

afterAll(async () => {
  await hub?.close();
  rmSync(work, { recursive: true, force: true });
});

function hfHome(name: string): string {
  const home = join(work, name);
  mkdirSync(home, { recursive: true });
  return home;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function easel(args: string[], env: Record<string, string | undefined>): Promise<Run> {
  return new Promise((done) => {
    const clean = { ...process.env, HF_TOKEN: undefined, HF_HUB_OFFLINE: undefined, HF_HUB_CACHE: undefined, EASEL_DATA_DIR: join(work, "data"), ...env };
    execFile("node", [cli, ...args], { env: clean, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const repoFolder = (home: string, repo: string) => join(home, "hub", `models--${repo.replace("/", "--")}`);

describe("easel pull", () => {
  it("pulls only what the engine reads into the Hub cache, laid out as Python's huggingface_hub lays it out", async () => {
    const home = hfHome("fresh");
    const run = await easel(["pull", "easel-test/tiny-sd"], { HF_HOME: home, HF_ENDPOINT: hub.url });
    expect(run.stderr).toContain('"event":"pull.end"');
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    const base = repoFolder(home, "easel-test/tiny-sd");
    expect(report).toMatchObject({ model: "hf:easel-test/tiny-sd", family: "sd1", commit: tinyCommit, path: join(base, "snapshots", tinyCommit) });
    expect(report.downloaded_bytes).toBeGreaterThan(0);

    // refs/main holds the commit; snapshot files are relative links to blobs named by hash.
    expect(readFileSync(join(base, "refs", "main"), "utf8")).toBe(tinyCommit);
    const unet = join(base, "snapshots", tinyCommit, "unet", "model.onnx");
    expect(lstatSync(unet).isSymbolicLink()).toBe(true);
    expect(readlinkSync(unet)).toBe(`../../../blobs/${hub.sha256("easel-test/tiny-sd", "unet/model.onnx")}`);
    expect(readFileSync(unet).equals(tiny.get("unet/model.onnx")!)).toBe(true);
    expect(readFileSync(join(base, "snapshots", tinyCommit, "unet", "model.onnx_data")).equals(tiny.get("unet/model.onnx_data")!)).toBe(true);

    // Every file of the export came; none of the extras was even asked for.
    for (const path of tiny.keys()) expect(existsSync(join(base, "snapshots", tinyCommit, path)), path).toBe(true);
    for (const path of Object.keys(EXTRAS)) expect(hub.resolves(path), path).toEqual([]);
    // The token is never sent where none is set, and JSON progress lines went to the log.
    expect(run.stderr.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line).event)).toEqual(expect.arrayContaining(["pull.start", "pull.end"]));

    // Pulled again: nothing is downloaded.
    const before = hub.requests.filter((request) => request.url.includes("/resolve/")).length;
    const again = await easel(["pull", "easel-test/tiny-sd"], { HF_HOME: home, HF_ENDPOINT: hub.url });
    expect(JSON.parse(again.stdout).downloaded_bytes).toBe(0);
    expect(hub.requests.filter((request) => request.url.includes("/resolve/")).length).toBe(before);

    // `easel models` lists it with its family and size.
    const models = await easel(["models", "--json"], { HF_HOME: home });
    const listed = JSON.parse(models.stdout).models;
    expect(listed).toEqual([expect.objectContaining({ name: "hf:easel-test/tiny-sd", family: "sd1", usable: true })]);
    // Files with the same bytes share one blob (the two VAE configs), counted once.
    const blobs = new Map([...tiny.values()].map((file) => [file.toString("base64"), file.length]));
    expect(listed[0].bytes).toBe([...blobs.values()].reduce((sum, size) => sum + size, 0));
    expect((await easel(["models"], { HF_HOME: home })).stdout).toMatch(/hf:easel-test\/tiny-sd\s+sd1\s+\d/);
  });

  it("serves a model pulled on first use, then with the Hub gone, through the official client, as `--model x=hf:...`", async () => {
    const home = hfHome("serve");
    const closed = `http://127.0.0.1:${await freePort()}`;
    const starts = [
      { env: { HF_ENDPOINT: hub.url }, log: /"event":"pull\.end".*"msg":"pulling model"/ }, // pulls before it listens, logging JSON progress
      { env: { HF_HUB_OFFLINE: "1" }, log: /diffusion model loaded/ },
      { env: { HF_ENDPOINT: closed }, log: /cannot reach .*using hf:easel-test\/tiny-sd@v1 from the cache/ },
    ];
    for (const { env, log: expected } of starts) {
      const port = await freePort();
      let log = "";
      const child = spawn("node", [cli, "serve", "--port", String(port), "--model", "tiny=hf:easel-test/tiny-sd@v1"], {
        env: { ...process.env, HF_TOKEN: undefined, HF_HOME: home, EASEL_DATA_DIR: join(work, `data-${port}`), EASEL_MODERATE_PICTURES: "0", ...env },
      });
      child.stdout.on("data", (chunk) => (log += chunk));
      child.stderr.on("data", (chunk) => (log += chunk));
      try {
        await untilHealthy(`http://127.0.0.1:${port}`, child, () => log, 30_000);
        const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "unused" });
        const result = await client.images.generate({ model: "tiny", prompt: "a red cube", size: "1024x1024", quality: "low" });
        expect(await decode(result.data![0].b64_json!)).toMatchObject({ width: 1024, height: 1024 });
        expect(log).toMatch(expected);
      } finally {
        child.kill();
      }
    }
    expect(readFileSync(join(repoFolder(home, "easel-test/tiny-sd"), "refs", "v1"), "utf8")).toBe(tinyCommit);

    // The other commands and the config file take the same hf: paths.
    const offline = { HF_HOME: home, HF_HUB_OFFLINE: "1" };
    const output = join(work, "cube.png");
    const generated = await easel(["generate", "a red cube", "--model", "tiny=hf:easel-test/tiny-sd@v1", "--quality", "low", "--seed", "3", "-o", output], offline);
    expect(generated.code, generated.stderr).toBe(0);
    expect(await decode(readFileSync(output))).toMatchObject({ format: "png" });
    const config = join(work, "hub-config.json");
    writeFileSync(config, JSON.stringify({ models: { tiny: { engine: "diffusion", options: { path: "hf:easel-test/tiny-sd@v1" } } } }));
    const explained = await easel(["explain", "a red cube", "--config", config, "--model", "tiny"], offline);
    expect(explained.code, explained.stderr).toBe(0);
    expect(JSON.parse(explained.stdout)).toMatchObject({ engine: "diffusion", model: { family: "sd1", path: join(repoFolder(home, "easel-test/tiny-sd"), "snapshots", tinyCommit) } });
    expect(JSON.parse((await easel(["models", "--json", "--config", config], { HF_HOME: home })).stdout).models[0]).toMatchObject({ name: "tiny", family: "sd1", usable: true });
  }, 120_000);

  it("resumes a partial download, from a file left behind or a connection that dropped, and verifies it", async () => {
    const home = hfHome("resume");
    const sha = hub.sha256("easel-test/tiny-sd", "unet/model.onnx_data");
    const data = tiny.get("unet/model.onnx_data")!;
    const blobs = join(repoFolder(home, "easel-test/tiny-sd"), "blobs");
    mkdirSync(blobs, { recursive: true });
    const half = data.length >> 1;
    writeFileSync(join(blobs, `${sha}.incomplete`), data.subarray(0, half));
    const graph = hub.sha256("easel-test/tiny-sd", "unet/model.onnx");
    hub.cutOnce = { sha256: graph, after: 100 };
    const seen = hub.requests.length;

    const run = await easel(["pull", "easel-test/tiny-sd"], { HF_HOME: home, HF_ENDPOINT: hub.url });
    expect(run.code, run.stderr).toBe(0);
    const cdn = hub.requests.slice(seen).filter((request) => request.server === "cdn");
    expect(cdn.find((request) => request.url.endsWith(sha))?.range).toBe(`bytes=${half}-`);
    expect(cdn.filter((request) => request.url.endsWith(graph)).map((request) => request.range)).toEqual([undefined, "bytes=100-"]);
    expect(readFileSync(join(blobs, sha)).equals(data)).toBe(true);
    expect(existsSync(join(blobs, `${sha}.incomplete`))).toBe(false);
    // The CDN is another origin: the Hub's token never goes there.
    expect(cdn.every((request) => request.authorization === undefined)).toBe(true);
  });

  it("refuses a corrupted file: nothing of it is kept, and the next pull fetches it whole", async () => {
    const home = hfHome("corrupt");
    const sha = hub.sha256("easel-test/tiny-sd", "unet/model.onnx");
    hub.corrupt.add(sha);
    const run = await easel(["pull", "easel-test/tiny-sd"], { HF_HOME: home, HF_ENDPOINT: hub.url });
    hub.corrupt.delete(sha);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^easel: unet\/model\.onnx arrived corrupted \(sha256 [0-9a-f]{12}…, the Hub lists [0-9a-f]{12}…\); the partial file was removed, pull again\n$/m);
    const base = repoFolder(home, "easel-test/tiny-sd");
    expect(existsSync(join(base, "blobs", sha))).toBe(false);
    expect(existsSync(join(base, "blobs", `${sha}.incomplete`))).toBe(false);
    expect(existsSync(join(base, "refs", "main"))).toBe(false);
    expect((await easel(["pull", "easel-test/tiny-sd"], { HF_HOME: home, HF_ENDPOINT: hub.url })).code).toBe(0);
  });

  it("says what to do, in one line, for a gated repository, an unknown one, a bad revision or name", async () => {
    hub.add("easel-test/gated", { files: tiny, gated: true });
    hub.tokens.add("hf_granted");
    const home = hfHome("errors");
    const env = { HF_HOME: home, HF_ENDPOINT: hub.url };
    const cases: [string[], Record<string, string>, RegExp][] = [
      [["pull", "easel-test/gated"], {}, /^easel: hf:easel-test\/gated is gated: accept its terms at http:\/\/127\.0\.0\.1:\d+\/easel-test\/gated, then set HF_TOKEN to a token of that account$/],
      [["pull", "easel-test/gated"], { HF_TOKEN: "hf_other" }, /^easel: hf:easel-test\/gated is gated and HF_TOKEN's account has no access yet: accept its terms at /],
      [["pull", "easel-test/nothing-here"], {}, /^easel: hf:easel-test\/nothing-here: no such model repository on http:\/\/127\.0\.0\.1:\d+ \(a private one needs HF_TOKEN\)$/],
      [["pull", "easel-test/tiny-sd@v9"], {}, /^easel: hf:easel-test\/tiny-sd@v9: the repository has no revision 'v9'$/],
      [["pull", "../etc/passwd"], {}, /^easel: '..\/etc\/passwd' is not a Hub model name: write OWNER\/REPO/],
      [["pull", "a/b:../../x"], {}, /^easel: '..\/..\/x' is not a folder inside the repository/],
    ];
    for (const [args, extra, message] of cases) {
      const run = await easel(args, { ...env, ...extra });
      expect(run.code, args.join(" ")).toBe(1);
      expect(run.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(run.stderr.trim()).toMatch(message);
    }
    // The token `huggingface-cli login` saves in HF_HOME is used too.
    writeFileSync(join(home, "token"), "hf_granted\n");
    const granted = await easel(["pull", "easel-test/gated"], env);
    expect(granted.code, granted.stderr).toBe(0);
    expect(hub.resolves("model_index.json").at(-1)?.authorization).toBe("Bearer hf_granted");
    expect(hub.requests.filter((request) => request.server === "cdn").every((request) => request.authorization === undefined)).toBe(true);
  });

  it("refuses a layout it cannot run before downloading any weights, naming what is wrong", async () => {
    const sd3 = new Map([
      ["model_index.json", Buffer.from(JSON.stringify({ _class_name: "CogView4Pipeline" }))],
      ["transformer/model.onnx", Buffer.alloc(5000, 1)],
      ["scheduler/scheduler_config.json", Buffer.from("{}")],
    ]);
    hub.add("easel-test/sd3", { files: sd3 });
    const pytorch = new Map([...tiny].filter(([path]) => !path.endsWith(".onnx") && !path.endsWith("onnx_data")));
    pytorch.set("unet/diffusion_pytorch_model.safetensors", Buffer.alloc(5000, 2));
    hub.add("easel-test/pytorch", { files: pytorch });
    const home = hfHome("layouts");
    const env = { HF_HOME: home, HF_ENDPOINT: hub.url };

    const sd3Run = await easel(["pull", "easel-test/sd3"], env);
    expect(sd3Run.stderr.trim()).toMatch(/^easel: hf:easel-test\/sd3 is not a model Easel can run: unsupported pipeline CogView4Pipeline: .*; missing unet\/model\.onnx/);
    expect(hub.resolves("transformer/model.onnx")).toEqual([]);
    // A listing that names a path outside the repository (a hostile mirror) is refused, nothing written outside.
    hub.add("easel-test/escape", { files: new Map([...tiny, ["../escaped.json", Buffer.from("{}")]]) });
    const escape = await easel(["pull", "easel-test/escape"], env);
    expect(escape.stderr.trim()).toMatch(/^easel: hf:easel-test\/escape names a path outside its folder in the cache, refused: \.\.\/escaped\.json$/);
    expect(existsSync(join(repoFolder(home, "easel-test/escape"), "snapshots", "escaped.json"))).toBe(false);
    const torchRun = await easel(["pull", "easel-test/pytorch"], env);
    expect(torchRun.stderr.trim()).toMatch(/missing text_encoder\/model\.onnx; .*this looks like a PyTorch diffusers folder; export it to ONNX first/);
    expect(hub.resolves("unet/diffusion_pytorch_model.safetensors")).toEqual([]);
  });

  it("checks the disk has room first, and says when the Hub cannot be reached or offline has nothing", async () => {
    hub.add("easel-test/huge", { files: tiny, listedSizes: { "unet/model.onnx_data": 10 ** 15 } });
    const home = hfHome("space");
    const seen = hub.requests.length;
    const huge = await easel(["pull", "easel-test/huge"], { HF_HOME: home, HF_ENDPOINT: hub.url });
    expect(huge.stderr.trim()).toMatch(/^easel: hf:easel-test\/huge needs 1\.0 PB more in .*, which has [\d.]+ [KMGT]?B free$/);
    // Only the configs and tokenizer came before the refusal, no graph and no weights.
    const weights = ["unet/model.onnx", "unet/model.onnx_data", "text_encoder/model.onnx"].map((path) => hub.sha256("easel-test/huge", path));
    expect(hub.requests.slice(seen).filter((request) => weights.some((sha) => request.url.endsWith(sha)))).toEqual([]);

    const closed = `http://127.0.0.1:${await freePort()}`;
    const unreachable = await easel(["pull", "easel-test/tiny-sd"], { HF_HOME: home, HF_ENDPOINT: closed });
    expect(unreachable.stderr.trim()).toBe(`easel: cannot reach ${closed} (ECONNREFUSED)`);
    const offline = await easel(["pull", "easel-test/tiny-sd"], { HF_HOME: home, HF_HUB_OFFLINE: "1" });
    expect(offline.stderr.trim()).toMatch(/^easel: hf:easel-test\/tiny-sd is not complete in the cache at .*, and HF_HUB_OFFLINE is set/);
    // A server that needs a model that cannot be pulled says so at start and exits.
    const serve = await easel(["serve", "--port", String(await freePort()), "--model", "x=hf:easel-test/tiny-sd"], { HF_HOME: home, HF_HUB_OFFLINE: "1" });
    expect(serve.code).toBe(1);
    expect(serve.stderr).toMatch(/Model 'x' cannot load: hf:easel-test\/tiny-sd is not complete in the cache/);
  });

  it("pulls a model kept in a subfolder at a revision, and honours HF_HUB_CACHE", async () => {
    const nested = new Map([...tiny].map(([path, bytes]) => [`onnx/${path}`, bytes]));
    nested.set("README.md", Buffer.from("weights in onnx/\n"));
    const commit = hub.add("easel-test/nested-sd-turbo", { files: nested, revisions: ["main", "release"] });
    const cache = join(work, "custom-cache");
    const run = await easel(["pull", "easel-test/nested-sd-turbo@release:onnx"], { HF_HUB_CACHE: cache, HF_ENDPOINT: hub.url });
    expect(run.code, run.stderr).toBe(0);
    const base = join(cache, "models--easel-test--nested-sd-turbo");
    expect(JSON.parse(run.stdout).path).toBe(join(base, "snapshots", commit, "onnx"));
    expect(readFileSync(join(base, "refs", "release"), "utf8")).toBe(commit);
    const listed = JSON.parse((await easel(["models", "--json"], { HF_HUB_CACHE: cache })).stdout).models;
    expect(listed.map((model: { name: string }) => model.name)).toEqual(["hf:easel-test/nested-sd-turbo@release:onnx"]);
    // A Turbo model is known by its repository's name (the cache's folder names a commit): 1 step, no guidance.
    const plan = await easel(["explain", "a red cube", "--model", "t=hf:easel-test/nested-sd-turbo@release:onnx", "--quality", "low"], { HF_HUB_CACHE: cache, HF_HUB_OFFLINE: "1" });
    expect(JSON.parse(plan.stdout)).toMatchObject({ model: { turbo: true }, guidance_scale: 0 });
  });

  it("pulls a fast decoder (TAESD's layout) for `fastDecoder: \"hf:...\"`, its decoder alone", async () => {
    const taesd = await filesOf(await writeTinyFastDecoder(join(work, "taesd"), tinyModel, "folder"));
    taesd.set("vae_encoder/model.onnx", Buffer.alloc(4096, 3));
    hub.add("easel-test/taesd", { files: taesd });
    const home = hfHome("taesd");
    expect((await easel(["pull", "easel-test/tiny-sd"], { HF_HOME: home, HF_ENDPOINT: hub.url })).code).toBe(0);
    const config = join(work, "taesd-config.json");
    writeFileSync(config, JSON.stringify({ models: { tiny: { engine: "diffusion", options: { path: "hf:easel-test/tiny-sd", fastDecoder: "hf:easel-test/taesd", fastDecoderQualities: ["low"] } } } }));
    const run = await easel(["explain", "a red cube", "--config", config, "--model", "tiny", "--quality", "low"], { HF_HOME: home, HF_ENDPOINT: hub.url });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ decoder: "fast", partial_decoder: "fast", fast_decoder: { output: "-1..1" } });
    expect(hub.resolves("vae_encoder/model.onnx").filter((request) => request.url.includes("taesd"))).toEqual([]);
    expect(existsSync(join(repoFolder(home, "easel-test/taesd"), "refs", "main"))).toBe(true);
  });

  it("lets two processes pull one model at once: each blob is downloaded once, and a dead holder's lock is taken over", async () => {
    const home = hfHome("concurrent");
    const data = hub.sha256("easel-test/tiny-sd", "unet/model.onnx_data");
    // A lock left by a process that died a minute ago.
    const locks = join(home, "hub", ".locks", "models--easel-test--tiny-sd");
    mkdirSync(locks, { recursive: true });
    const stale = join(locks, `${hub.sha256("easel-test/tiny-sd", "unet/model.onnx")}.easel.lock`);
    writeFileSync(stale, "{}");
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(stale, minuteAgo, minuteAgo);
    hub.trickleMs = 5;
    const seen = hub.requests.length;
    try {
      const env = { HF_HOME: home, HF_ENDPOINT: hub.url };
      const runs = await Promise.all([easel(["pull", "easel-test/tiny-sd"], env), easel(["pull", "easel-test/tiny-sd"], env)]);
      for (const run of runs) expect(run.code, run.stderr).toBe(0);
    } finally {
      hub.trickleMs = 0;
    }
    const fetched = hub.requests.slice(seen).filter((request) => request.server === "cdn");
    expect(fetched.filter((request) => request.url.endsWith(data))).toHaveLength(1);
    expect(new Set(fetched.map((request) => request.url)).size).toBe(fetched.length);
    expect(readFileSync(join(repoFolder(home, "easel-test/tiny-sd"), "blobs", data)).equals(tiny.get("unet/model.onnx_data")!)).toBe(true);
    expect(existsSync(stale)).toBe(false);
  });

  it("stops on Ctrl-C keeping what it has, and the same command resumes from there", async () => {
    const home = hfHome("interrupted");
    const sha = hub.sha256("easel-test/tiny-sd", "unet/model.onnx_data");
    const partial = join(repoFolder(home, "easel-test/tiny-sd"), "blobs", `${sha}.incomplete`);
    const env = { ...process.env, HF_TOKEN: undefined, HF_HOME: home, HF_ENDPOINT: hub.url };
    hub.trickleMs = 20;
    let stderr = "";
    let code: number | null;
    try {
      const child = spawn("node", [cli, "pull", "easel-test/tiny-sd"], { env });
      child.stderr.on("data", (chunk) => (stderr += chunk));
      const exited = new Promise<number | null>((done) => child.on("exit", (exit) => done(exit)));
      for (let waited = 0; !(existsSync(partial) && lstatSync(partial).size > 0); waited += 20) {
        if (waited > 20_000) throw new Error(`no partial download appeared: ${stderr}`);
        await new Promise((done) => setTimeout(done, 20));
      }
      child.kill("SIGINT");
      code = await exited;
    } finally {
      hub.trickleMs = 0;
    }
    expect(code).toBe(1);
    expect(stderr).toContain("easel: interrupted; run `easel pull easel-test/tiny-sd` again to resume\n");
    const kept = lstatSync(partial).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(tiny.get("unet/model.onnx_data")!.length);
    expect(readdirSync(join(home, "hub", ".locks", "models--easel-test--tiny-sd"))).toEqual([]);

    const seen = hub.requests.length;
    const again = await easel(["pull", "easel-test/tiny-sd"], { HF_HOME: home, HF_ENDPOINT: hub.url });
    expect(again.code, again.stderr).toBe(0);
    expect(hub.requests.slice(seen).find((request) => request.server === "cdn" && request.url.endsWith(sha))?.range).toBe(`bytes=${kept}-`);
  });

  it("pulls a FLUX.1 model (transformer, T5 and its tokenizer.json) and runs it from the cache", async () => {
    const files = await filesOf(join(work, "flux-export"));
    hub.add("easel-test/flux-schnell", { files: new Map([...files, ["transformer/diffusion_pytorch_model.safetensors", Buffer.alloc(4096, 5)]]) });
    const home = hfHome("flux");
    const run = await easel(["pull", "easel-test/flux-schnell"], { HF_HOME: home, HF_ENDPOINT: hub.url });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ family: "flux" });
    expect(hub.resolves("transformer/diffusion_pytorch_model.safetensors")).toEqual([]);
    const plan = await easel(["explain", "a red fox", "--model", "f=hf:easel-test/flux-schnell", "--quality", "high"], { HF_HOME: home, HF_HUB_OFFLINE: "1" });
    expect(JSON.parse(plan.stdout)).toMatchObject({ model: { family: "flux", variant: "schnell" }, steps: 4, scheduler: "flow-match-euler" });
  });
});
