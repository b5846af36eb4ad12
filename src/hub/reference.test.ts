import { describe, expect, it } from "vitest";
import { TerminalProgress, JsonProgress } from "./progress.js";
import { dataFilesOf } from "./pull.js";
import { formatHubReference, hubSettings, parseHubReference } from "./reference.js";

describe("Hub model names", () => {
  it("reads OWNER/REPO[@REVISION][:SUBFOLDER], with or without hf:", () => {
    expect(parseHubReference("onnxruntime/sd-turbo")).toEqual({ repo: "onnxruntime/sd-turbo", revision: "main", subfolder: "" });
    expect(parseHubReference("hf:CompVis/stable-diffusion-v1-4@onnx")).toEqual({ repo: "CompVis/stable-diffusion-v1-4", revision: "onnx", subfolder: "" });
    expect(parseHubReference("hf:a/b@refs/pr/14:onnx/fp16/")).toEqual({ repo: "a/b", revision: "refs/pr/14", subfolder: "onnx/fp16" });
    expect(formatHubReference(parseHubReference("a/b@main:x"))).toBe("a/b:x");
  });

  it("refuses names that are not Hub names or would leave the cache", () => {
    for (const bad of ["sd-turbo", "a/b/c", "../x/y", "a/b@../../etc", "a/b@", "a/b:../c", "a/b:x/../../y", "a/b:x//y", `a/${"x".repeat(97)}`, "a/b@re v"]) {
      expect(() => parseHubReference(bad), bad).toThrow(/is not a/);
    }
  });

  it("takes the Hub settings from the environment as huggingface_hub does", () => {
    expect(hubSettings({ HF_HOME: "/h", HF_TOKEN: "hf_x" })).toEqual({ endpoint: "https://huggingface.co", token: "hf_x", cacheDir: "/h/hub", offline: false });
    expect(hubSettings({ HF_HOME: "/nonexistent", HF_HUB_CACHE: "/c", HF_ENDPOINT: "http://mirror/", HF_HUB_OFFLINE: "true" })).toMatchObject({ endpoint: "http://mirror", cacheDir: "/c", offline: true, token: undefined });
    expect(hubSettings({ XDG_CACHE_HOME: "/x", HUGGING_FACE_HUB_TOKEN: "hf_old" })).toMatchObject({ cacheDir: "/x/huggingface/hub", token: "hf_old" });
  });
});

describe("external data beside a graph", () => {
  const folder = (...names: string[]) => new Map(names.map((name) => [name, null]));
  it("takes what each exporter writes, and nothing of another precision or format", () => {
    // optimum, onnxruntime/Olive, diffusers' script, torch's one file per tensor
    const files = folder(
      "unet/model.onnx", "unet/model.onnx_data", "unet/model.onnx.data", "unet/weights.pb", "unet/onnx__MatMul_1234",
      "unet/model_fp16.onnx", "unet/model_fp16.onnx_data", "unet/model_fp16.onnx.data", "unet/diffusion_pytorch_model.safetensors",
      "unet/diffusion_pytorch_model.fp16.safetensors", "unet/config.json", "unet/README.md", "text_encoder/model.onnx_data",
    );
    expect(dataFilesOf("unet/model.onnx", files).sort()).toEqual(["unet/model.onnx.data", "unet/model.onnx_data", "unet/onnx__MatMul_1234", "unet/weights.pb"]);
    expect(dataFilesOf("vae_decoder/model.onnx", folder("vae_decoder/model.onnx", "vae_decoder/config.json"))).toEqual([]);
  });
});

describe("pull progress", () => {
  const sink = (tty: boolean) => {
    const out = { text: "", isTTY: tty, columns: 120, write: (chunk: string) => ((out.text += chunk), true) };
    return out;
  };
  it("draws a bar with bytes, speed and time left on a terminal", async () => {
    const out = sink(true);
    const progress = new TerminalProgress(out as unknown as NodeJS.WriteStream);
    progress.start(2, 2_000_000);
    progress.bytes(500_000, "unet/model.onnx");
    await new Promise((done) => setTimeout(done, 150));
    progress.bytes(500_000, "unet/model.onnx");
    progress.end();
    expect(out.text).toContain("downloading 2 files, 2.0 MB\n");
    expect(out.text).toMatch(/\r\[█{12}░{12}\] 1\.0 MB \/ 2\.0 MB {2}[\d.]+ [KMG]?B\/s {2}ETA \d+s {2}unet\/model\.onnx/);
    expect(out.text.endsWith("\n")).toBe(true);
  });

  it("writes JSON lines elsewhere", () => {
    const out = sink(false);
    const progress = JsonProgress.lines(out as unknown as NodeJS.WritableStream, "hf:a/b");
    progress.start(1, 10);
    progress.bytes(10, "x");
    progress.end();
    const lines = out.text.trim().split("\n").map((line) => JSON.parse(line));
    expect(lines[0]).toEqual({ event: "pull.start", model: "hf:a/b", files: 1, bytes: 0, total_bytes: 10 });
    expect(lines.at(-1)).toMatchObject({ event: "pull.end", bytes: 10, total_bytes: 10 });
  });
});
