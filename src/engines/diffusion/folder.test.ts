import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeTinyModel, type TinyModelOptions } from "../../../test/helpers/tiny-diffusion.js";
import { writeTinyFlux, writeTinySd3 } from "../../../test/helpers/tiny-flow.js";
import { ModelFolderError, readModelFolder } from "./folder.js";

const root = await mkdtemp(join(tmpdir(), "model-folder-"));
afterAll(() => rm(root, { recursive: true, force: true }));

async function tiny(name: string, options: TinyModelOptions): Promise<string> {
  const dir = join(root, name);
  await writeTinyModel(dir, options);
  return dir;
}

function editJson(file: string, edit: (value: Record<string, unknown>) => void): void {
  const value = JSON.parse(readFileSync(file, "utf8"));
  edit(value);
  writeFileSync(file, JSON.stringify(value));
}

function problemsOf(path: string): string[] {
  try {
    readModelFolder(path);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFolderError);
    return (error as ModelFolderError).problems;
  }
  throw new Error("expected readModelFolder to fail");
}

describe("readModelFolder on exported layouts", () => {
  it("reads an SD 1.x optimum export", async () => {
    const dir = await tiny("sd1", { family: "sd1" });
    const folder = readModelFolder(dir);
    expect(folder).toMatchObject({
      path: dir,
      family: "sd1",
      pipelineClass: "StableDiffusionPipeline",
      vaeScalingFactor: 0.18215,
      nativeSize: 64, // unet sample_size 8
      lcm: false,
      inpainting: false,
      turbo: false,
    });
    expect(folder.files).toEqual({
      textEncoder: join(dir, "text_encoder", "model.onnx"),
      tokenizer: join(dir, "tokenizer"),
      unet: join(dir, "unet", "model.onnx"),
      vaeDecoder: join(dir, "vae_decoder", "model.onnx"),
      vaeEncoder: join(dir, "vae_encoder", "model.onnx"),
    });
    expect(folder.schedulerConfig._class_name).toBe("PNDMScheduler");
  });

  it("reads SDXL with both encoders and tokenizers, and its VAE factor", async () => {
    const dir = await tiny("sdxl-turbo", { family: "sdxl", dtype: "float16", sampleSize: 16 });
    const folder = readModelFolder(dir);
    expect(folder).toMatchObject({ family: "sdxl", vaeScalingFactor: 0.13025, nativeSize: 128, turbo: true });
    expect(folder.files.textEncoder2).toBe(join(dir, "text_encoder_2", "model.onnx"));
    expect(folder.files.tokenizer2).toBe(join(dir, "tokenizer_2"));
  });

  it("tells SD 2.x from SD 1.x by its text encoder or v-prediction", async () => {
    const dir = await tiny("sd2", { family: "sd2" });
    expect(readModelFolder(dir).family).toBe("sd2");
    // without v-prediction, the OpenCLIP text encoder (gelu) still says SD 2.x
    const base = await tiny("sd2-base", { family: "sd2", predictionType: "epsilon" });
    expect(readModelFolder(base).family).toBe("sd2");
    editJson(join(base, "text_encoder", "config.json"), (c) => { c.hidden_act = "quick_gelu"; });
    expect(readModelFolder(base).family).toBe("sd1");
    editJson(join(base, "text_encoder", "config.json"), (c) => { c.hidden_size = 1024; });
    expect(readModelFolder(base).family).toBe("sd2");
  });

  it("recognises LCM and inpainting models, from class names or configs", async () => {
    const lcm = await tiny("lcm", { family: "lcm" });
    expect(readModelFolder(lcm)).toMatchObject({ family: "sd1", lcm: true, pipelineClass: "LatentConsistencyModelPipeline" });
    // an LCM UNet exported under a plain class name is still LCM (time_cond_proj_dim)
    editJson(join(lcm, "model_index.json"), (c) => { c._class_name = "ORTStableDiffusionPipeline"; });
    editJson(join(lcm, "scheduler", "scheduler_config.json"), (c) => { c._class_name = "DDIMScheduler"; });
    expect(readModelFolder(lcm).lcm).toBe(true);

    const inpaint = await tiny("inpaint", { family: "sd1", inpainting: true });
    expect(readModelFolder(inpaint)).toMatchObject({ inpainting: true, pipelineClass: "StableDiffusionInpaintPipeline" });
    editJson(join(inpaint, "model_index.json"), (c) => { c._class_name = "ORTStableDiffusionPipeline"; });
    expect(readModelFolder(inpaint).inpainting).toBe(true); // in_channels 9
  });

  it("reads diffusers' ONNX conversion layout, which has no component configs", async () => {
    const dir = await tiny("legacy", { family: "sd1", exporter: "diffusers" });
    expect(readModelFolder(dir)).toMatchObject({
      family: "sd1",
      pipelineClass: "OnnxStableDiffusionPipeline",
      vaeScalingFactor: 0.18215,
      nativeSize: 512,
      inpainting: false,
    });
    const inpaint = await tiny("legacy-inpaint", { family: "sd1", exporter: "diffusers", inpainting: true, predictionType: "v_prediction" });
    expect(readModelFolder(inpaint)).toMatchObject({ inpainting: true, family: "sd2", nativeSize: 768 });
  });

  it("accepts optimum's ORT class names and the PyTorch names Olive keeps", async () => {
    const dir = await tiny("classes", { family: "sdxl" });
    for (const name of ["ORTStableDiffusionXLPipeline", "ORTStableDiffusionXLImg2ImgPipeline", "StableDiffusionXLInpaintPipeline"]) {
      editJson(join(dir, "model_index.json"), (c) => { c._class_name = name; });
      expect(readModelFolder(dir)).toMatchObject({ family: "sdxl", pipelineClass: name });
    }
    editJson(join(dir, "model_index.json"), (c) => { c._name_or_path = "stabilityai/sdxl-turbo"; });
    expect(readModelFolder(dir).turbo).toBe(true);
  });

  it("takes the VAE factor from vae_encoder/config.json when the decoder has none, else the family default", async () => {
    const dir = await tiny("vae-config", { family: "sdxl" });
    rmSync(join(dir, "vae_decoder", "config.json"));
    editJson(join(dir, "vae_encoder", "config.json"), (c) => { c.scaling_factor = 0.5; });
    expect(readModelFolder(dir).vaeScalingFactor).toBe(0.5);
    rmSync(join(dir, "vae_encoder", "config.json"));
    expect(readModelFolder(dir).vaeScalingFactor).toBe(0.13025);
    rmSync(join(dir, "unet", "config.json"));
    expect(readModelFolder(dir).nativeSize).toBe(1024);
  });
});

describe("readModelFolder on broken folders", () => {
  let sdxl: string;
  beforeAll(async () => {
    sdxl = await tiny("broken-source", { family: "sdxl", tokenizerFormat: "tokenizer-json" });
  });

  function copyOf(name: string): string {
    const dir = mkdtempSync(join(root, `${name}-`));
    for (const entry of ["model_index.json", "scheduler", "text_encoder", "text_encoder_2", "tokenizer", "tokenizer_2", "unet", "vae_decoder", "vae_encoder"]) {
      cpSync(join(sdxl, entry), join(dir, entry), { recursive: true });
    }
    return dir;
  }

  it("accepts a tokenizer.json-only tokenizer", () => {
    expect(readModelFolder(copyOf("ok")).family).toBe("sdxl");
  });

  it("fails clearly on a missing folder or model_index.json", () => {
    expect(() => readModelFolder(join(root, "nope"))).toThrow(/does not exist/);
    const empty = mkdtempSync(join(root, "empty-"));
    expect(problemsOf(empty)).toEqual(["missing model_index.json"]);
    writeFileSync(join(empty, "model_index.json"), "{ not json");
    expect(problemsOf(empty)[0]).toMatch(/model_index.json is not valid JSON/);
  });

  it("lists every missing piece in one error", () => {
    const dir = copyOf("missing");
    rmSync(join(dir, "unet", "model.onnx"));
    rmSync(join(dir, "text_encoder_2"), { recursive: true });
    rmSync(join(dir, "tokenizer", "tokenizer.json"));
    rmSync(join(dir, "tokenizer_2"), { recursive: true });
    rmSync(join(dir, "scheduler"), { recursive: true });
    const problems = problemsOf(dir);
    expect(problems).toEqual([
      "missing scheduler/scheduler_config.json",
      "tokenizer/ has no tokenizer.json and is missing vocab.json and merges.txt",
      "missing unet/model.onnx",
      "missing text_encoder_2/model.onnx",
      "missing tokenizer_2/ (vocab.json + merges.txt or tokenizer.json)",
    ]);
    try {
      readModelFolder(dir);
    } catch (error) {
      for (const problem of problems) expect((error as Error).message).toContain(problem);
    }
  });

  it("names a half-present vocab/merges pair", () => {
    const dir = copyOf("half-tokenizer");
    rmSync(join(dir, "tokenizer", "tokenizer.json"));
    writeFileSync(join(dir, "tokenizer", "vocab.json"), "{}");
    expect(problemsOf(dir)).toEqual(["tokenizer/ has no tokenizer.json and is missing merges.txt"]);
  });

  it("rejects unsupported pipelines by name", () => {
    const dir = copyOf("sd3");
    for (const name of ["CogView4Pipeline", "StableVideoDiffusionPipeline", "FluxFillPipeline", "OnnxStableDiffusionUpscalePipeline"]) {
      editJson(join(dir, "model_index.json"), (c) => { c._class_name = name; });
      const problems = problemsOf(dir);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^unsupported pipeline ${name}`));
    }
    editJson(join(dir, "model_index.json"), (c) => { delete c._class_name; });
    expect(problemsOf(dir)).toEqual(["model_index.json has no _class_name"]);
  });

  it("points PyTorch diffusers folders at the ONNX export", () => {
    const dir = copyOf("pytorch");
    rmSync(join(dir, "unet", "model.onnx"));
    writeFileSync(join(dir, "unet", "diffusion_pytorch_model.safetensors"), "");
    expect(problemsOf(dir).at(-1)).toMatch(/PyTorch diffusers folder; export it to ONNX/);
  });
});

describe("readModelFolder on FLUX.1 exports", () => {
  it("reads [schnell] and [dev] in optimum's layout, and tells them apart", async () => {
    for (const variant of ["schnell", "dev"] as const) {
      const dir = join(root, `flux-${variant}`);
      await writeTinyFlux(dir, variant);
      const folder = readModelFolder(dir);
      expect(folder).toMatchObject({
        family: "flux",
        pipelineClass: "FluxPipeline",
        files: { transformer: join(dir, "transformer", "model.onnx"), textEncoder2: join(dir, "text_encoder_2", "model.onnx"), tokenizer2: join(dir, "tokenizer_2") },
        vaeScalingFactor: 0.3611,
        vaeShiftFactor: 0.1159,
        latentChannels: 16,
        guidanceEmbeds: variant === "dev",
        nativeSize: 1024,
        inpainting: false,
      });
      expect(folder.files.unet).toBeUndefined();
      // Without the transformer's config, [dev]'s dynamic shifting still tells it from [schnell].
      rmSync(join(dir, "transformer", "config.json"));
      expect(readModelFolder(dir).guidanceEmbeds).toBe(variant === "dev");
    }
    const broken = join(root, "flux-schnell");
    rmSync(join(broken, "tokenizer_2", "tokenizer.json"));
    rmSync(join(broken, "transformer", "model.onnx"));
    expect(problemsOf(broken)).toEqual(["missing transformer/model.onnx", "missing tokenizer_2/tokenizer.json (T5's tokenizer)"]);
  });
});

describe("readModelFolder on Stable Diffusion 3 exports", () => {
  it("reads SD3 with T5 and without it, and asks for T5's tokenizer.json when T5 is there", async () => {
    const withT5 = join(root, "sd3-t5");
    await writeTinySd3(withT5, { withT5: true });
    expect(readModelFolder(withT5)).toMatchObject({
      family: "sd3",
      files: { transformer: join(withT5, "transformer", "model.onnx"), textEncoder3: join(withT5, "text_encoder_3", "model.onnx"), tokenizer3: join(withT5, "tokenizer_3") },
      vaeScalingFactor: 1.5305,
      vaeShiftFactor: 0.0609,
      latentChannels: 16,
      nativeSize: 1024,
    });
    const clipOnly = join(root, "sd3-clip");
    await writeTinySd3(clipOnly, { withT5: false });
    expect(readModelFolder(clipOnly).files.textEncoder3).toBeUndefined();
    rmSync(join(withT5, "tokenizer_3", "tokenizer.json"));
    expect(problemsOf(withT5)).toEqual(["missing tokenizer_3/tokenizer.json (T5's tokenizer)"]);
  });
});
