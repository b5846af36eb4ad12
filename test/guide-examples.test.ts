// Runs the Image API and Responses API examples of the guide
// (../shared/spec/image-generation-guide.md) against Easel, unchanged but for
// the base URL: the JavaScript and Python ones with the official clients
// (OPENAI_BASE_URL), the curl ones with the host replaced. The Python client
// comes from the virtualenv `.venv` that .ci/run makes (or EASEL_TEST_PYTHON);
// without it the Python examples are skipped. Two Responses examples need
// more than the base URL: the ones that call the guide's createFile /
// encodeImage fragments get those fragments added, and the input-fidelity one
// fetches its pictures from a local server instead of cdn.openai.com (this
// machine has no internet), which Easel is told to allow.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PYTHON } from "./helpers/python.js";
import { decode, makeImage, makeMask, startServer, type TestServer } from "./helpers/server.js";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..");
const GUIDE = join(ROOT, "..", "shared", "spec", "image-generation-guide.md");
const guide = existsSync(GUIDE) ? readFileSync(GUIDE, "utf8") : undefined;

function codeBlocks(language: string): string[] {
  return [...(guide ?? "").matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((match) => match[1]);
}

// The guide's own mistakes, which fail against OpenAI too.
const GUIDE_DEFECTS: [RegExp, string][] = [
  [/jq -r 'data\[0\]/, "its jq filter lacks the leading dot ('.data[0]')"],
  [/\\ +\n/, "a backslash followed by spaces ends the command early"],
  [/^(?![\s\S]*import base64)[\s\S]*base64\.b64decode/, "it uses base64 without importing it"],
  [/\.json\(\)\["data"\]/, "result.json() is a string in the Python client, not a dict"],
];
const defectOf = (code: string) => GUIDE_DEFECTS.find(([pattern]) => pattern.test(code))?.[1];

const javascript = codeBlocks("javascript").filter((code) => code.includes(".images."));
const python = codeBlocks("python").filter((code) => code.includes(".images."));
const curl = codeBlocks("bash").filter((code) => code.includes("/v1/images"));


/** Pictures the examples expect in their working folder. */
async function writeInputs(dir: string) {
  const files: Record<string, Buffer> = {
    "body-lotion.png": await makeImage(600, 900),
    "bath-bomb.png": await makeImage(512, 512),
    "incense-kit.png": await makeImage(900, 600),
    "soap.png": await makeImage(700, 700),
    "sunlit_lounge.png": await makeImage(1024, 1024),
    "mask.png": await makeMask(1024, 1024, { left: 300, top: 500, width: 400, height: 300 }),
    "woman.jpg": await makeImage(1024, 1536, "jpeg"),
    "logo.png": await makeImage(400, 400, "png", true),
  };
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
}

/** The image files an example writes. */
function outputsOf(code: string): string[] {
  const written = /(?:writeFileSync\(|> ?|open\(f?)\s*[`"]([\w-]+(?:\$?\{idx\})?\.png)[`"]?(?:, "wb")?/g;
  const names = [...code.matchAll(written)].filter((match) => !code.includes(`open("${match[1]}", "rb")`)).map((match) => match[1]);
  return [...new Set(names.flatMap((name) => (/\$?\{idx\}/.test(name) ? [0, 1].map((i) => name.replace(/\$?\{idx\}/, String(i))) : [name])))];
}

describe.skipIf(!guide)("the guide's Image API examples", () => {
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    server = await startServer();
    // Inside the project, so `import OpenAI from "openai"` resolves.
    dir = mkdtempSync(join(ROOT, "node_modules", ".guide-"));
    await writeInputs(dir);
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("finds the examples", () => {
    expect(javascript.length).toBe(6);
    expect(python.length).toBe(6);
    expect(curl.length).toBe(4);
  });

  it.each(javascript.map((code, i) => [i, code]))("runs JavaScript example %i", async (i, code) => {
    const file = join(dir, `example-${i}.mjs`);
    writeFileSync(file, code);
    await run("node", [file], { cwd: dir, env: { ...process.env, OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: "sk-easel" }, timeout: 60_000 });
    const outputs = outputsOf(code);
    expect(outputs.length).toBeGreaterThan(0);
    for (const name of outputs) expect((await decode(readFileSync(join(dir, name)))).width).toBeGreaterThanOrEqual(1024);
  });

  it.skipIf(!PYTHON).each(python.map((code, i) => [i, code]))("runs Python example %i", async (i, code) => {
    const defect = defectOf(code);
    if (defect) return console.warn(`Python example ${i} is not run: ${defect}`);
    const file = join(dir, `example-${i}.py`);
    writeFileSync(file, code);
    await run(PYTHON!, [file], { cwd: dir, env: { ...process.env, OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: "sk-easel" }, timeout: 60_000 });
    const outputs = outputsOf(code);
    expect(outputs.length).toBeGreaterThan(0);
    for (const name of outputs) expect((await decode(readFileSync(join(dir, name)))).width).toBeGreaterThanOrEqual(1024);
  });

  it.each(curl.map((code, i) => [i, code]))("runs curl example %i", async (i, code) => {
    const defect = defectOf(code);
    if (defect) return console.warn(`curl example ${i} is not run: ${defect}`);
    const script = code.replaceAll("https://api.openai.com", server.origin);
    await run("bash", ["-c", `${script}\nsleep 0.5`], { cwd: dir, env: { ...process.env, OPENAI_API_KEY: "sk-easel" }, timeout: 60_000 });
    for (const name of outputsOf(code)) expect((await decode(readFileSync(join(dir, name)))).width).toBeGreaterThanOrEqual(1024);
  });
});

// The Responses API examples, and the guide's two helper fragments they call.
const responsesJavascript = codeBlocks("javascript").filter((code) => code.includes(".responses."));
const responsesPython = codeBlocks("python").filter((code) => code.includes(".responses."));
const jsCreateFile = codeBlocks("javascript").find((code) => code.includes("async function createFile"));
const jsEncodeImage = codeBlocks("javascript").find((code) => code.startsWith("function encodeImage"));
const pyCreateFile = codeBlocks("python").find((code) => code.includes("def create_file"));
const pyEncodeImage = codeBlocks("python").find((code) => code.startsWith("def encode_image"));
const CDN = "https://cdn.openai.com/API/docs/images/";

/** An example as it runs here: the fragments it calls added, the CDN pointed at the local picture server. */
function jsExample(code: string, cdn: string): string {
  let out = code.replaceAll(CDN, cdn);
  // Function declarations are hoisted, so the fragments can follow the example.
  if (out.includes("createFile(") && !out.includes("function createFile")) {
    out += `\n${jsCreateFile!.slice(jsCreateFile!.indexOf("async function createFile"))}`;
    if (!/^import fs\b/m.test(out)) out += `\nimport fs from "fs";`;
  }
  if (out.includes("encodeImage(") && !out.includes("function encodeImage")) out += `\n${jsEncodeImage}`;
  return out;
}

function pyExample(code: string, cdn: string): string {
  let out = code.replaceAll(CDN, cdn);
  if (out.includes("encode_image(") && !out.includes("def encode_image")) out = `${pyEncodeImage}\n${out}`;
  if (out.includes("create_file(") && !out.includes("def create_file")) out = `${pyCreateFile}\n${out}`;
  return out;
}

describe.skipIf(!guide)("the guide's Responses API examples", () => {
  let server: TestServer;
  let dir: string;
  let pictures: Server;
  let cdn: string;
  beforeAll(async () => {
    // The input-fidelity example's pictures, served where cdn.openai.com would.
    const files: Record<string, Buffer> = {
      "/woman_futuristic.jpg": await makeImage(1024, 1536, "jpeg"),
      "/brain_logo.png": await makeImage(400, 400, "png", true),
    };
    pictures = createServer((request, response) => {
      const bytes = files[request.url ?? ""];
      if (bytes) response.writeHead(200).end(bytes);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => pictures.listen(0, "127.0.0.1", resolve));
    cdn = `http://127.0.0.1:${(pictures.address() as AddressInfo).port}/`;
    server = await startServer({ allowPrivateImageUrls: true });
    dir = mkdtempSync(join(ROOT, "node_modules", ".guide-responses-"));
    await writeInputs(dir);
  });
  afterAll(async () => {
    await server.close();
    await new Promise((resolve) => pictures.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it("finds the examples and the fragments they use", () => {
    expect(responsesJavascript.length).toBe(8);
    expect(responsesPython.length).toBe(8);
    expect([jsCreateFile, jsEncodeImage, pyCreateFile, pyEncodeImage].every(Boolean)).toBe(true);
  });

  it.each(responsesJavascript.map((code, i) => [i, code]))("runs JavaScript example %i", async (i, code) => {
    const file = join(dir, `responses-${i}.mjs`);
    writeFileSync(file, jsExample(code, cdn));
    await run("node", [file], { cwd: dir, env: { ...process.env, OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: "sk-easel" }, timeout: 60_000 });
    const outputs = outputsOf(code);
    expect(outputs.length).toBeGreaterThan(0);
    for (const name of outputs) expect((await decode(readFileSync(join(dir, name)))).width).toBeGreaterThanOrEqual(1024);
  });

  it.skipIf(!PYTHON).each(responsesPython.map((code, i) => [i, code]))("runs Python example %i", async (i, code) => {
    const defect = defectOf(code);
    if (defect) return console.warn(`Python Responses example ${i} is not run: ${defect}`);
    const file = join(dir, `responses-${i}.py`);
    writeFileSync(file, pyExample(code, cdn));
    await run(PYTHON!, [file], { cwd: dir, env: { ...process.env, OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: "sk-easel" }, timeout: 60_000 });
    const outputs = outputsOf(code);
    expect(outputs.length).toBeGreaterThan(0);
    for (const name of outputs) expect((await decode(readFileSync(join(dir, name)))).width).toBeGreaterThanOrEqual(1024);
  });
});
