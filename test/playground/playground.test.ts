// The playground, driven in Debian's Chromium the way a person uses it:
// generating with live partial images, painting a mask and editing, a chat
// that continues through previous_response_id, a bad key, and the gallery's
// reuse and copy-as-curl (the copied command is run with curl).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createServer, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import type { AxeViolation } from "../helpers/browser.js";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, launchBrowser, openPlayground, screenshot } from "../helpers/browser.js";
import type { ModelConfig } from "../../src/config.js";
import { PYTHON } from "../helpers/python.js";
import { writeTinyModel } from "../helpers/tiny-diffusion.js";
import { startServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
let browser: Browser;
beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({}, { local: true }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Records, in order, the kind of every picture the page puts in the document (partial or final). */
async function recordPictures(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = ((window as unknown as { seenPictures: string[] }).seenPictures = []);
    new MutationObserver((mutations) => {
      for (const mutation of mutations)
        for (const node of mutation.addedNodes) {
          const images = node instanceof HTMLImageElement ? [node] : node instanceof HTMLElement ? [...node.querySelectorAll("img")] : [];
          for (const image of images) if (image.dataset.kind) seen.push(image.dataset.kind);
        }
    }).observe(document.body, { childList: true, subtree: true });
  });
  return () => page.evaluate(() => (window as unknown as { seenPictures: string[] }).seenPictures);
}

/**
 * A proxy in front of the server that keeps each request body it forwards:
 * Chromium does not hand the test bodies built from files (an edit's form).
 */
async function recordingProxy(target: string): Promise<{ origin: string; bodies: { path: string; headers: IncomingHttpHeaders; body: Buffer }[]; close: () => Promise<void> }> {
  const bodies: { path: string; headers: IncomingHttpHeaders; body: Buffer }[] = [];
  const proxy = createServer(async (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (incoming.method === "POST") bodies.push({ path: incoming.url!, headers: incoming.headers, body });
    const forward = httpRequest(target + incoming.url, { method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(outgoing);
    });
    forward.end(body);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const { port } = proxy.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, bodies, close: () => new Promise((resolve) => proxy.close(() => resolve())) };
}

/** A multipart body, parsed as a server would. */
function formOf(recorded: { headers: IncomingHttpHeaders; body: Buffer }): Promise<FormData> {
  return new Response(new Uint8Array(recorded.body), { headers: { "content-type": recorded.headers["content-type"]! } }).formData();
}

/** A scratch folder inside the repository, so that snippets' `import "openai"` finds the project's client. */
function snippetFolder(): string {
  const parent = join(process.cwd(), "test-results", "snippets");
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(join(parent, "run-"));
}

const LANGUAGE_RUNNERS = {
  curl: { file: "snippet.sh", command: () => "bash" },
  JavaScript: { file: "snippet.mjs", command: () => process.execPath },
  Python: { file: "snippet.py", command: () => PYTHON! },
};

/** Picks `language` in the open snippet dialog and runs its code in `folder` as a user would; its output. */
async function runSnippet(page: Page, language: keyof typeof LANGUAGE_RUNNERS, folder: string): Promise<string> {
  await page.getByRole("dialog").getByRole("button", { name: language, exact: true }).click();
  const { file, command } = LANGUAGE_RUNNERS[language];
  writeFileSync(join(folder, file), (await page.getByRole("dialog").locator("code").textContent())!);
  const env = { ...process.env, OPENAI_API_KEY: "sk-anything", PYTHONDONTWRITEBYTECODE: "1" };
  const { stdout } = await promisify(execFile)(command(), [file], { cwd: folder, env, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** Runs the snippet in `language`, which saves its picture as picture.png in `folder`; that file's path, made afresh. */
async function pictureFromSnippet(page: Page, language: keyof typeof LANGUAGE_RUNNERS, folder: string): Promise<string> {
  const picture = join(folder, "picture.png");
  rmSync(picture, { force: true });
  await runSnippet(page, language, folder);
  return picture;
}

/** The languages whose snippets can run here: Python only where its client is installed. */
const RUNNABLE = (["curl", "JavaScript", ...(PYTHON ? ["Python"] : [])] as const) as readonly (keyof typeof LANGUAGE_RUNNERS)[];

describe("the playground", () => {
  it("is served at / and /playground without a key, with a strict content security policy", async () => {
    const keyed = await startServer({ apiKeys: ["sk-page"] }, { local: true, apiKey: "sk-page" });
    try {
      for (const path of ["/", "/playground"]) {
        const response = await fetch(keyed.origin + path);
        expect(response.status).toBe(200);
        expect(response.headers.get("content-type")).toMatch(/^text\/html/);
        expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
        expect(await response.text()).toContain("/playground/assets/");
      }
      // The first load's script, gzipped, stays within 150 KB.
      const page = await (await fetch(`${keyed.origin}/`)).text();
      const scripts = [...page.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="([^"]+)"/g)].map((match) => match[1]);
      expect(scripts.length).toBeGreaterThan(0);
      let gzipped = 0;
      for (const src of scripts) gzipped += gzipSync(Buffer.from(await (await fetch(keyed.origin + src)).arrayBuffer())).length;
      expect(gzipped).toBeLessThanOrEqual(150 * 1024);
      // Only the page is public: the API still wants the key, and nothing outside the build is served.
      expect((await fetch(`${keyed.origin}/v1/models`)).status).toBe(401);
      const escape = await fetch(`${keyed.origin}/playground/..%2f..%2fpackage.json`);
      expect(escape.status).toBeGreaterThanOrEqual(400);
      expect(await escape.text()).not.toContain('"name": "easel"');
    } finally {
      await keyed.close();
    }
  });

  it("generates: a partial image appears while it streams, then the final picture, usage and the plan", async () => {
    const { context, page, pageErrors } = await openPlayground(browser, server.origin);
    try {
      const seen = await recordPictures(page);
      await page.getByRole("textbox", { name: "Prompt" }).fill("a red fox under a tree by a lake, watercolor");
      await page.getByRole("spinbutton", { name: "Partial images" }).fill("3");
      await page.getByRole("checkbox", { name: "Explain the plan" }).check();
      const sent = page.waitForRequest((request) => request.url().endsWith("/v1/images/generations"));
      await page.getByRole("button", { name: "Generate" }).click();
      expect((await sent).postDataJSON()).toMatchObject({ model: "gpt-image-1", stream: true, partial_images: 3, explain: true });
      await page.locator('#panel-generate img[data-kind="final"]').waitFor();
      const kinds = await seen();
      expect(kinds).toContain("partial");
      expect(kinds.indexOf("partial")).toBeLessThan(kinds.indexOf("final"));
      await expect(page.locator("#panel-generate .summary").textContent()).resolves.toMatch(/1 picture\(s\) in [\d.]+ s · \d+ input \+ \d+ output = \d+ tokens/);
      await expect(page.locator("#panel-generate .plan").textContent()).resolves.toMatch(/fox.*drawn with/);
      await screenshot(page, "generate");
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("disables choices the model cannot take, with the reason", async () => {
    const { context, page } = await openPlayground(browser, server.origin);
    try {
      await page.getByRole("combobox", { name: "Format", exact: true }).selectOption("jpeg");
      const background = page.getByRole("combobox", { name: "Background" });
      await expect(background.getByRole("option", { name: "transparent" }).isDisabled()).resolves.toBe(true);
      await expect(page.locator("#panel-generate").textContent()).resolves.toContain("JPEG has no transparency");
      await expect(page.getByRole("spinbutton", { name: "Compression (%)" }).isEnabled()).resolves.toBe(true);
      await page.getByRole("combobox", { name: "Model" }).selectOption("dall-e-3");
      await expect(page.getByRole("spinbutton", { name: "Pictures (n)" }).isDisabled()).resolves.toBe(true);
      await expect(page.locator("#panel-generate").textContent()).resolves.toContain("dall-e-3 makes one picture per request");
      await expect(page.getByRole("combobox", { name: "Style" }).isVisible()).resolves.toBe(true);
      await expect.poll(() => page.getByRole("combobox", { name: "Format", exact: true }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it("offers a diffusion model's extensions and sends them", async () => {
    const folder = snippetFolder();
    const models: Record<string, ModelConfig> = {
      "tiny-sd1": { engine: "diffusion", family: "gpt-image", ownedBy: "easel", options: { path: join(folder, "tiny-sd1") } },
    };
    await writeTinyModel(join(folder, "tiny-sd1"), { family: "sd1" });
    const diffusion = await startServer({ models }, { local: true });
    const { context, page, pageErrors } = await openPlayground(browser, diffusion.origin);
    try {
      await expect(page.getByRole("combobox", { name: "Model" }).inputValue()).resolves.toBe("tiny-sd1");
      await page.getByRole("textbox", { name: "Prompt", exact: true }).fill("a lighthouse on a cliff");
      await page.getByRole("textbox", { name: "Negative prompt" }).fill("blurry");
      await page.getByRole("spinbutton", { name: "Guidance scale" }).fill("5");
      await page.getByRole("spinbutton", { name: "Steps" }).fill("3");
      await page.getByRole("combobox", { name: "Size", exact: true }).selectOption("1024x1024");
      await page.getByRole("checkbox", { name: "Explain the plan" }).check();
      const sent = page.waitForRequest((request) => request.url().endsWith("/v1/images/generations"));
      await page.getByRole("button", { name: "Generate" }).click();
      expect((await sent).postDataJSON()).toMatchObject({ model: "tiny-sd1", negative_prompt: "blurry", guidance_scale: 5, steps: 3, explain: true });
      await page.locator('#panel-generate img[data-kind="final"]').waitFor({ timeout: 60_000 });
      await expect(page.locator("#panel-generate .plan").textContent()).resolves.toMatch(/Plan \(diffusion\).*steps/s);
      await screenshot(page, "generate-diffusion");
      // Strength is an edit's extension.
      await page.getByRole("tab", { name: "Edit" }).click();
      await expect(page.getByRole("spinbutton", { name: "Strength" }).isVisible()).resolves.toBe(true);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
      await diffusion.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("edits with a painted mask: the mask sent is a PNG of the first picture's size, alpha 0 where painted", async () => {
    const folder = snippetFolder();
    const proxy = await recordingProxy(server.origin);
    const { context, page, pageErrors } = await openPlayground(browser, proxy.origin);
    try {
      const input = join(folder, "room.png");
      await sharp({ create: { width: 600, height: 400, channels: 3, background: "#7a9cc6" } }).png().toFile(input);
      await page.getByRole("tab", { name: "Edit" }).click();
      await page.locator("#panel-edit input[type=file]").setInputFiles(input);
      await page.getByRole("checkbox", { name: "Paint a mask on the first picture" }).check();
      const canvas = page.getByRole("img", { name: /Mask over the first input picture/ });
      await canvas.waitFor();
      await page.getByRole("slider", { name: "Brush size" }).fill("40");
      // A stroke across the middle of the top half: picture pixels (150, 100) to (450, 100).
      const box = (await canvas.boundingBox())!;
      const point = (x: number, y: number) => [box.x + (x / 600) * box.width, box.y + (y / 400) * box.height] as const;
      await page.mouse.move(...point(150, 100));
      await page.mouse.down();
      await page.mouse.move(...point(300, 100), { steps: 5 });
      await page.mouse.move(...point(450, 100), { steps: 5 });
      await page.mouse.up();
      await page.getByRole("textbox", { name: "Prompt" }).fill("add a window with a view of the sea");
      await page.getByRole("button", { name: "Edit", exact: true }).click();
      await page.locator('#panel-edit img[data-kind="final"]').waitFor();
      const form = await formOf(proxy.bodies.find((recorded) => recorded.path === "/v1/images/edits")!);
      expect(form.get("prompt")).toBe("add a window with a view of the sea");
      expect(form.get("stream")).toBe("true");
      const { data, info } = await sharp(Buffer.from(await (form.get("mask") as File).arrayBuffer())).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([600, 400]);
      const alpha = (x: number, y: number) => data[(y * 600 + x) * 4 + 3];
      for (const x of [150, 250, 300, 400, 450]) expect(alpha(x, 100)).toBe(0);
      for (const [x, y] of [[10, 10], [300, 300], [590, 390], [300, 140]]) expect(alpha(x, y)).toBe(255);
      expect(Buffer.from(await (form.get("image") as File).arrayBuffer()).equals(readFileSync(input))).toBe(true);
      await screenshot(page, "edit");

      // The gallery keeps the edit's inputs: saved beside its copied curl command, they make the same request again.
      await page.getByRole("tab", { name: "Gallery" }).click();
      const card = page.locator("#panel-gallery .card").first();
      for (const name of ["input-1.png", "mask.png"]) {
        const download = page.waitForEvent("download");
        await card.getByRole("link", { name }).click();
        await (await download).saveAs(join(folder, name));
      }
      expect(readFileSync(join(folder, "mask.png")).equals(Buffer.from(await (form.get("mask") as File).arrayBuffer()))).toBe(true);
      await card.getByRole("button", { name: "Copy as curl" }).click();
      await expect(page.getByRole("dialog").locator("code").textContent()).resolves.toContain("--form-string 'prompt=add a window with a view of the sea'");
      expect(await runSnippet(page, "curl", folder)).toContain("event: image_edit.completed");
      // The clients' snippets stream too, and save the finished picture.
      for (const language of RUNNABLE.filter((name) => name !== "curl")) {
        // size auto follows the 3:2 input: 1536x1024.
        expect(await sharp(await pictureFromSnippet(page, language, folder)).metadata()).toMatchObject({ format: "png", width: 1536, height: 1024 });
      }
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
      await proxy.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("takes input pictures dropped and pasted, and says when the model takes fewer", async () => {
    const { context, page, pageErrors } = await openPlayground(browser, server.origin);
    try {
      const png = (colour: string) => sharp({ create: { width: 64, height: 64, channels: 3, background: colour } }).png().toBuffer();
      await page.getByRole("tab", { name: "Edit" }).click();
      await page.locator("#panel-edit .dropzone").drop({
        files: [
          { name: "red.png", mimeType: "image/png", buffer: await png("#c00") },
          { name: "green.png", mimeType: "image/png", buffer: await png("#0c0") },
        ],
      });
      await expect.poll(() => page.locator("#panel-edit .thumbs img").count()).toBe(2);
      const blue = [...(await png("#00c"))];
      await page.evaluate((bytes) => {
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(bytes)], "blue.png", { type: "image/png" }));
        window.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data }));
      }, blue);
      await expect.poll(() => page.locator("#panel-edit .thumbs img").count()).toBe(3);
      await expect(page.getByRole("img", { name: "Input 3: blue.png" }).isVisible()).resolves.toBe(true);

      await page.getByRole("textbox", { name: "Prompt" }).fill("a sticker");
      await page.getByRole("combobox", { name: "Model" }).selectOption("dall-e-2");
      await expect(page.getByRole("alert").textContent()).resolves.toBe("dall-e-2 edits one picture: remove 2.");
      await expect(page.getByRole("button", { name: "Edit", exact: true }).isDisabled()).resolves.toBe(true);
      await page.getByRole("button", { name: "Remove input 3" }).click();
      await page.getByRole("button", { name: "Remove input 2" }).click();
      await expect(page.getByRole("button", { name: "Edit", exact: true }).isEnabled()).resolves.toBe(true);
      await expect(page.getByRole("button", { name: "Make variations" }).isEnabled()).resolves.toBe(true);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("chats through the Responses API: the second turn continues the first and carries an attached picture", async () => {
    const { context, page, pageErrors } = await openPlayground(browser, server.origin);
    try {
      await page.getByRole("tab", { name: "Chat" }).click();
      const message = page.getByRole("textbox", { name: "Message" });
      const firstAnswer = page.waitForResponse((response) => response.url().endsWith("/v1/responses"));
      await message.fill("a gray tabby cat hugging an otter with an orange scarf");
      await page.getByRole("button", { name: "Send" }).click();
      const stream = await (await firstAnswer).text();
      const completed = stream.split("\n").filter((line) => line.startsWith("data: ")).map((line) => JSON.parse(line.slice(6))).find((event) => event.type === "response.completed");
      const firstId: string = completed.response.id;
      await page.locator('#panel-chat img[data-kind="final"]').first().waitFor();
      await expect(page.locator("#panel-chat .thread").textContent()).resolves.toContain(firstId);

      await page.getByRole("button", { name: "Attach to next message" }).first().click();
      await message.fill("add a red hat to the cat");
      const second = page.waitForRequest((request) => request.url().endsWith("/v1/responses"));
      await page.getByRole("button", { name: "Send" }).click();
      const body = (await second).postDataJSON();
      expect(body.previous_response_id).toBe(firstId);
      expect(body.tools[0]).toMatchObject({ type: "image_generation", model: "gpt-image-1" });
      expect(body.input[0].content).toEqual([
        { type: "input_text", text: "add a red hat to the cat" },
        { type: "input_image", file_id: expect.stringMatching(/^file-/) },
      ]);
      // The attached picture went up through the Files API first.
      const attached = await server.client.files.retrieve(body.input[0].content[1].file_id);
      expect(attached).toMatchObject({ purpose: "vision", filename: expect.stringMatching(/\.png$/) });
      await expect.poll(() => page.locator('#panel-chat img[data-kind="final"]').count(), { timeout: 30_000 }).toBe(2);
      await screenshot(page, "chat");

      // Chat pictures go to the gallery too, and their copied request continues the same conversation.
      await page.getByRole("tab", { name: "Gallery" }).click();
      await expect.poll(() => page.locator("#panel-gallery .card").count()).toBe(2);
      const card = page.locator("#panel-gallery .card").first();
      await expect(card.textContent()).resolves.toContain("add a red hat to the cat");
      await card.getByRole("button", { name: "Copy as curl" }).click();
      const command = (await page.getByRole("dialog").locator("code").textContent())!;
      expect(command).toContain(`"previous_response_id": "${firstId}"`);
      expect(command.length).toBeLessThan(4000);
      const folder = snippetFolder();
      try {
        expect(await runSnippet(page, "curl", folder)).toContain("event: response.completed");
        for (const language of RUNNABLE.filter((name) => name !== "curl")) {
          expect((await sharp(await pictureFromSnippet(page, language, folder)).metadata()).format).toBe("png");
        }
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("asks for a key when the server wants one, and shows the API's own message for a bad one", async () => {
    const keyed = await startServer({ apiKeys: ["sk-right"] }, { local: true, apiKey: "sk-right" });
    const { context, page } = await openPlayground(browser, keyed.origin);
    try {
      const expected = await fetch(`${keyed.origin}/v1/models`, { headers: { authorization: "Bearer sk-wrong" } }).then((r) => r.json());
      await page.getByLabel("API key").fill("sk-wrong");
      await page.getByRole("button", { name: "Use this key" }).click();
      await expect(page.getByRole("alert").textContent()).resolves.toBe(expected.error.message);
      await screenshot(page, "api-key");
      await page.getByLabel("API key").fill("sk-right");
      await page.getByRole("button", { name: "Use this key" }).click();
      await page.getByRole("tab", { name: "Generate" }).waitFor();
      // The key is kept in the browser and sent like OpenAI's clients send it.
      const sent = page.waitForRequest((request) => request.url().endsWith("/v1/images/generations"));
      await page.getByRole("textbox", { name: "Prompt" }).fill("a lighthouse");
      await page.getByRole("button", { name: "Generate" }).click();
      expect((await sent).headers().authorization).toBe("Bearer sk-right");
      await page.reload();
      await page.getByRole("tab", { name: "Generate" }).waitFor();
    } finally {
      await context.close();
      await keyed.close();
    }
  });

  it("keeps pictures in the gallery: reuse one as an input, and copy its request as curl that runs", async () => {
    const folder = snippetFolder();
    const { context, page, pageErrors } = await openPlayground(browser, server.origin);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.origin });
    try {
      await page.getByRole("textbox", { name: "Prompt" }).fill("a sailing boat at sunset, it's windy");
      await page.getByRole("spinbutton", { name: "Seed" }).fill("1234");
      await page.getByRole("checkbox", { name: "Stream partial images" }).uncheck();
      await page.getByRole("button", { name: "Generate" }).click();
      await page.locator('#panel-generate img[data-kind="final"]').waitFor();

      await page.getByRole("tab", { name: "Gallery" }).click();
      const card = page.locator("#panel-gallery .card").first();
      await card.waitFor();
      await card.getByRole("button", { name: "Use as input" }).click();
      await expect(page.getByRole("tab", { name: "Edit" }).getAttribute("aria-selected")).resolves.toBe("true");
      await expect.poll(() => page.locator("#panel-edit .thumbs img").count()).toBe(1);

      await page.getByRole("tab", { name: "Gallery" }).click();
      await screenshot(page, "gallery");
      await card.getByRole("button", { name: "Copy as curl" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Copy" }).click();
      await page.getByRole("dialog").getByText("Copied.").waitFor();
      const command = await page.evaluate(() => navigator.clipboard.readText());
      expect(command).toContain(`curl -sS ${server.baseURL}/images/generations`);
      await screenshot(page, "copy-as-curl");

      await page.getByRole("dialog").getByRole("button", { name: "Close" }).click();
      const download = page.waitForEvent("download");
      await card.getByRole("link", { name: "Download" }).click();
      const shown = await sharp(await (await download).path()).raw().toBuffer();
      // The same request with the same seed draws the same picture, in every language that can run here.
      await card.getByRole("button", { name: "Copy as curl" }).click();
      await expect(page.getByRole("dialog").locator("code").textContent()).resolves.toBe(command);
      await page.getByRole("dialog").getByRole("button", { name: "Python" }).click();
      await expect(page.getByRole("dialog").locator("code").textContent()).resolves.toContain('extra_body={"seed": 1234}');
      for (const language of RUNNABLE) {
        expect((await sharp(await pictureFromSnippet(page, language, folder)).raw().toBuffer()).equals(shown)).toBe(true);
      }
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("passes axe-core's WCAG 2 A/AA checks in every view, light and dark", async () => {
    const { context, page } = await openPlayground(browser, server.origin);
    try {
      // A picture in each view, so results, the mask painter and the gallery are checked too.
      await page.getByRole("textbox", { name: "Prompt" }).fill("a red kite over a hill");
      await page.getByRole("checkbox", { name: "Explain the plan" }).check();
      await page.getByRole("button", { name: "Generate" }).click();
      await page.locator('#panel-generate img[data-kind="final"]').waitFor();
      await page.getByRole("button", { name: "Edit with mask" }).first().click();
      await page.getByRole("img", { name: /Mask over the first input picture/ }).waitFor();
      const found: Record<string, AxeViolation[]> = {};
      for (const scheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        for (const tab of ["Generate", "Edit", "Chat", "Gallery"]) {
          await page.getByRole("tab", { name: tab }).click();
          const violations = await accessibilityViolations(page);
          if (violations.length > 0) found[`${tab} (${scheme})`] = violations;
        }
      }
      expect(found).toEqual({});
    } finally {
      await context.close();
    }
  });

  it("fits a phone-sized screen and follows the dark colour scheme", async () => {
    const { context, page, pageErrors } = await openPlayground(browser, server.origin, { viewport: { width: 390, height: 844 } });
    try {
      await page.emulateMedia({ colorScheme: "dark" });
      await page.getByRole("tab", { name: "Generate" }).waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      expect(background).toBe("rgb(20, 21, 24)");
      // Keyboard: arrow keys move between the tabs.
      await page.getByRole("tab", { name: "Generate" }).focus();
      await page.keyboard.press("ArrowRight");
      await expect(page.getByRole("tab", { name: "Edit" }).getAttribute("aria-selected")).resolves.toBe("true");
      await screenshot(page, "phone-dark");
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
