// The tiny models must (1) look exactly like real exports to a reader of session metadata
// and (2) compute what TinyModel's TypeScript reference says, so end-to-end tests can trust them.
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { float16ToFloat32, float32ToFloat16 } from "./onnx-graph.js";
import { TinyModel, writeTinyModel, type TinyModelOptions } from "./tiny-diffusion.js";

const root = await mkdtemp(join(tmpdir(), "tiny-diffusion-"));
afterAll(() => rm(root, { recursive: true, force: true }));

// Token ids from the CLIP tokenizer fixture (what the engine's tokenizer must produce).
interface TokenizerCase { prompt: string; sd1: { fast: number[] }; sd2: { fast: number[] } }
const cases: TokenizerCase[] = JSON.parse(readFileSync(new URL("../fixtures/diffusion/clip-tokenizer-expected.json", import.meta.url), "utf8")).cases;
function tokens(prompt: string, padding: "sd1" | "sd2" = "sd1"): number[] {
  const found = cases.find((c) => c.prompt === prompt);
  if (!found) throw new Error(`no tokenizer fixture case for ${JSON.stringify(prompt)}`);
  return found[padding].fast;
}
const ASTRONAUT = "a photo of an astronaut riding a horse on mars";
const PORTRAIT = "portrait of a woman, highly detailed, digital painting, artstation, concept art, smooth, sharp focus";

type Meta = { name: string; type: string; shape: (number | string)[] };
function metadata(list: readonly ort.InferenceSession.ValueMetadata[]): Meta[] {
  return list.map((m) => ({ name: m.name, type: m.isTensor ? m.type : "?", shape: m.isTensor ? [...m.shape] : [] }));
}

function tensor(type: string, values: ArrayLike<number>, dims: number[]): ort.Tensor {
  switch (type) {
    case "float16": return new ort.Tensor("float16", float32ToFloat16(values), dims);
    case "float32": return new ort.Tensor("float32", Float32Array.from(values), dims);
    case "int64": return new ort.Tensor("int64", BigInt64Array.from(Array.from(values, (v) => BigInt(v))), dims);
    case "int32": return new ort.Tensor("int32", Int32Array.from(values), dims);
    default: throw new Error(type);
  }
}

function values(t: ort.Tensor): Float32Array {
  return t.type === "float16" ? float16ToFloat32(t.data as Uint16Array) : Float32Array.from(t.data as Float32Array);
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

function pseudoRandom(count: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: count }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 2 - 1;
  });
}

interface Written { model: TinyModel; dir: string; sessions: Record<string, ort.InferenceSession> }
async function writeAndLoad(name: string, options: TinyModelOptions): Promise<Written> {
  const dir = join(root, name);
  const model = await writeTinyModel(dir, options);
  const sessions: Record<string, ort.InferenceSession> = {};
  for (const component of ["text_encoder", "text_encoder_2", "unet", "vae_decoder", "vae_encoder"]) {
    const file = join(dir, component, "model.onnx");
    if (existsSync(file)) sessions[component] = await ort.InferenceSession.create(file);
  }
  return { model, dir, sessions };
}

describe("tiny model folders", () => {
  describe("SD 1.x, float32 (optimum)", () => {
    let w: Written;
    beforeAll(async () => { w = await writeAndLoad("sd1", { family: "sd1" }); });

    it("has optimum's layout and component configs", () => {
      const index = JSON.parse(readFileSync(join(w.dir, "model_index.json"), "utf8"));
      expect(index._class_name).toBe("StableDiffusionPipeline");
      expect(index.unet).toEqual(["diffusers", "UNet2DConditionModel"]);
      for (const file of ["tokenizer/vocab.json", "tokenizer/merges.txt", "scheduler/scheduler_config.json", "unet/config.json", "vae_decoder/config.json", "vae_encoder/config.json", "text_encoder/config.json"]) {
        expect(existsSync(join(w.dir, file)), file).toBe(true);
      }
      expect(JSON.parse(readFileSync(join(w.dir, "unet/config.json"), "utf8"))).toMatchObject({ sample_size: 8, in_channels: 4, time_cond_proj_dim: null });
      expect(JSON.parse(readFileSync(join(w.dir, "vae_decoder/config.json"), "utf8")).scaling_factor).toBe(0.18215);
      expect(JSON.parse(readFileSync(join(w.dir, "scheduler/scheduler_config.json"), "utf8"))._class_name).toBe("PNDMScheduler");
    });

    it("declares optimum's input and output names, types and shapes", () => {
      const s = w.sessions;
      expect(metadata(s.text_encoder.inputMetadata)).toEqual([{ name: "input_ids", type: "int64", shape: ["batch_size", "sequence_length"] }]);
      expect(metadata(s.text_encoder.outputMetadata)).toEqual([
        { name: "last_hidden_state", type: "float32", shape: ["batch_size", "sequence_length", 32] },
        { name: "pooler_output", type: "float32", shape: ["batch_size", 32] },
      ]);
      expect(metadata(s.unet.inputMetadata)).toEqual([
        { name: "sample", type: "float32", shape: ["batch_size", 4, "height", "width"] },
        { name: "timestep", type: "float32", shape: [] },
        { name: "encoder_hidden_states", type: "float32", shape: ["batch_size", "sequence_length", 32] },
      ]);
      expect(metadata(s.unet.outputMetadata)).toEqual([{ name: "out_sample", type: "float32", shape: ["batch_size", 4, "height", "width"] }]);
      expect(metadata(s.vae_decoder.inputMetadata)).toEqual([{ name: "latent_sample", type: "float32", shape: ["batch_size", 4, "latent_height", "latent_width"] }]);
      expect(metadata(s.vae_decoder.outputMetadata)).toEqual([{ name: "sample", type: "float32", shape: ["batch_size", 3, "latent_height * 8", "latent_width * 8"] }]);
      expect(metadata(s.vae_encoder.inputMetadata)).toEqual([{ name: "sample", type: "float32", shape: ["batch_size", 3, "sample_height", "sample_width"] }]);
      expect(metadata(s.vae_encoder.outputMetadata)).toEqual([{ name: "latent_parameters", type: "float32", shape: ["batch_size", 8, "sample_height / 8", "sample_width / 8"] }]);
    });

    it("text encoder matches the reference, pooling at the end-of-text token", async () => {
      const ids = [...tokens(ASTRONAUT), ...tokens(PORTRAIT)];
      const out = await w.sessions.text_encoder.run({ input_ids: tensor("int64", ids, [2, 77]) });
      expect(out.last_hidden_state.dims).toEqual([2, 77, 32]);
      const red = w.model.encodeTokens(tokens(ASTRONAUT));
      const blue = w.model.encodeTokens(tokens(PORTRAIT));
      expect(maxDifference(values(out.last_hidden_state), [...red.lastHiddenState, ...blue.lastHiddenState])).toBeLessThan(1e-4);
      expect(maxDifference(values(out.pooler_output), [...red.pooled, ...blue.pooled])).toBeLessThan(1e-4);
      const eos = tokens(ASTRONAUT).indexOf(w.model.vocabulary.eos); // the first of many: SD 1.x pads with it
      expect(eos).toBe(11);
      expect(Array.from(red.pooled)).toEqual(Array.from(red.lastHiddenState.slice(eos * 32, (eos + 1) * 32)));
    });

    it("UNet returns the reference epsilon at integer and fractional timesteps, for any latent size", async () => {
      const cond = w.model.promptConditioning(tokens(ASTRONAUT));
      for (const [t, h, wd] of [[999, 8, 8], [500.5, 6, 10], [0, 8, 8], [37.25, 4, 4]]) {
        const sample = pseudoRandom(4 * h * wd, t + 1);
        const out = await w.sessions.unet.run({
          sample: tensor("float32", sample, [1, 4, h, wd]),
          timestep: tensor("float32", [t], []),
          encoder_hidden_states: tensor("float32", cond.encoderHiddenStates, [1, 77, 32]),
        });
        const expected = w.model.noisePrediction(sample, t, w.model.cleanLatent(cond, h, wd));
        expect(maxDifference(values(out.out_sample), expected) / Math.max(1, ...expected.map(Math.abs))).toBeLessThan(1e-4);
      }
    });

    it("a DDIM loop with the UNet converges to the prompt's clean latent", async () => {
      const final = await ddim(w, tokens(ASTRONAUT), 20);
      expect(maxDifference(final, w.model.cleanLatent(w.model.promptConditioning(tokens(ASTRONAUT)), 8, 8))).toBeLessThan(1e-3);
    });

    it("different prompts give clearly different colours", () => {
      const colour = (ids: number[]) => {
        const x0 = w.model.cleanLatent(w.model.promptConditioning(ids), 8, 8);
        return w.model.latentToRgb([0, 1, 2, 3].map((c) => x0.slice(c * 64, (c + 1) * 64).reduce((a, b) => a + b) / 64));
      };
      const [red, blue, empty] = [colour(tokens(ASTRONAUT)), colour(tokens(PORTRAIT)), colour(tokens(""))];
      expect(maxDifference(red, blue)).toBeGreaterThan(0.2);
      expect(maxDifference(red, empty)).toBeGreaterThan(0.2);
      for (const c of [...red, ...blue, ...empty]) expect(Math.abs(c)).toBeLessThan(1.1);
    });

    it("VAE decodes to the reference colours and encode → decode round-trips", async () => {
      const x0 = w.model.cleanLatent(w.model.promptConditioning(tokens(PORTRAIT)), 8, 8);
      const unscaled = x0.map((v) => v / w.model.vaeScalingFactor);
      const { sample } = await w.sessions.vae_decoder.run({ latent_sample: tensor("float32", unscaled, [1, 4, 8, 8]) });
      expect(sample.dims).toEqual([1, 3, 64, 64]);
      const image = values(sample);
      for (const [y, x] of [[0, 0], [3, 5], [7, 7]]) {
        const expected = w.model.latentToRgb([0, 1, 2, 3].map((c) => x0[c * 64 + y * 8 + x]));
        for (let k = 0; k < 3; k++) {
          for (const [dy, dx] of [[0, 0], [7, 7]]) expect(image[k * 4096 + (y * 8 + dy) * 64 + x * 8 + dx]).toBeCloseTo(expected[k], 4);
        }
      }
      const { latent_parameters } = await w.sessions.vae_encoder.run({ sample: sample });
      expect(latent_parameters.dims).toEqual([1, 8, 8, 8]);
      const parameters = values(latent_parameters);
      expect(Math.max(...parameters.slice(256))).toBe(-20); // logvar
      const again = await w.sessions.vae_decoder.run({ latent_sample: tensor("float32", parameters.slice(0, 256), [1, 4, 8, 8]) });
      expect(maxDifference(values(again.sample), image)).toBeLessThan(1e-4);
    });
  });

  describe("SDXL, float16 (optimum)", () => {
    let w: Written;
    beforeAll(async () => { w = await writeAndLoad("sdxl-fp16", { family: "sdxl", dtype: "float16" }); });

    it("has both encoders with every hidden state and the added UNet inputs", () => {
      const s = w.sessions;
      const index = JSON.parse(readFileSync(join(w.dir, "model_index.json"), "utf8"));
      expect(index).toMatchObject({ _class_name: "StableDiffusionXLPipeline", text_encoder_2: ["transformers", "CLIPTextModelWithProjection"], tokenizer_2: ["transformers", "CLIPTokenizer"] });
      expect(JSON.parse(readFileSync(join(w.dir, "vae_decoder/config.json"), "utf8")).scaling_factor).toBe(0.13025);
      expect(JSON.parse(readFileSync(join(w.dir, "tokenizer/special_tokens_map.json"), "utf8")).pad_token).toBe("<|endoftext|>");
      expect(JSON.parse(readFileSync(join(w.dir, "tokenizer_2/special_tokens_map.json"), "utf8")).pad_token).toBe("!");
      expect(JSON.parse(readFileSync(join(w.dir, "tokenizer_2/tokenizer_config.json"), "utf8")).pad_token).toBe("!");
      const hidden = (n: number, d: number) => Array.from({ length: n + 1 }, (_, i) => ({ name: `hidden_states.${i}`, type: "float16", shape: ["batch_size", "sequence_length", d] }));
      expect(metadata(s.text_encoder.outputMetadata)).toEqual([
        { name: "last_hidden_state", type: "float16", shape: ["batch_size", "sequence_length", 32] },
        { name: "pooler_output", type: "float16", shape: ["batch_size", 32] },
        ...hidden(2, 32),
      ]);
      expect(metadata(s.text_encoder_2.outputMetadata)).toEqual([
        { name: "text_embeds", type: "float16", shape: ["batch_size", 40] },
        { name: "last_hidden_state", type: "float16", shape: ["batch_size", "sequence_length", 48] },
        ...hidden(3, 48),
      ]);
      expect(metadata(s.unet.inputMetadata)).toEqual([
        { name: "sample", type: "float16", shape: ["batch_size", 4, "height", "width"] },
        { name: "timestep", type: "float16", shape: [] },
        { name: "encoder_hidden_states", type: "float16", shape: ["batch_size", "sequence_length", 80] },
        { name: "text_embeds", type: "float16", shape: ["batch_size", 40] },
        { name: "time_ids", type: "float16", shape: ["batch_size", 6] },
      ]);
      expect(metadata(s.vae_decoder.inputMetadata)[0].type).toBe("float16");
    });

    it("encoders match the reference (within float16 precision)", async () => {
      const out = await w.sessions.text_encoder_2.run({ input_ids: tensor("int64", tokens(ASTRONAUT, "sd2"), [1, 77]) });
      const ref = w.model.encodeTokens(tokens(ASTRONAUT, "sd2"), 1);
      expect(maxDifference(values(out.text_embeds), ref.textEmbeds!)).toBeLessThan(2e-2);
      expect(maxDifference(values(out["hidden_states.2"]), ref.hiddenStates[2])).toBeLessThan(2e-2);
      expect(maxDifference(values(out.last_hidden_state), ref.lastHiddenState)).toBeLessThan(2e-2);
    });

    it("UNet uses text_embeds and time_ids", async () => {
      const cond = w.model.promptConditioning(tokens(ASTRONAUT), tokens(ASTRONAUT, "sd2"));
      const sample = pseudoRandom(4 * 64, 7);
      const run = async (textEmbeds: ArrayLike<number>, timeIds: number[]) => values((await w.sessions.unet.run({
        sample: tensor("float16", sample, [1, 4, 8, 8]),
        timestep: tensor("float16", [400], []),
        encoder_hidden_states: tensor("float16", cond.encoderHiddenStates, [1, 77, 80]),
        text_embeds: tensor("float16", textEmbeds, [1, 40]),
        time_ids: tensor("float16", timeIds, [1, 6]),
      })).out_sample);
      const timeIds = [64, 64, 0, 0, 64, 64];
      const base = await run(cond.textEmbeds!, timeIds);
      const x0 = w.model.cleanLatent({ ...cond, timeIds }, 8, 8);
      expect(maxDifference(base, w.model.noisePrediction(sample, 400, x0))).toBeLessThan(2e-2);
      expect(maxDifference(base, await run(cond.textEmbeds!.map((v) => -v), timeIds))).toBeGreaterThan(0.05);
      expect(maxDifference(base, await run(cond.textEmbeds!, [1024, 1024, 0, 0, 1024, 1024]))).toBeGreaterThan(0.05);
    });
  });

  it("SD 2.x predicts v and its folder says so", async () => {
    const w = await writeAndLoad("sd2", { family: "sd2" });
    expect(JSON.parse(readFileSync(join(w.dir, "scheduler/scheduler_config.json"), "utf8")).prediction_type).toBe("v_prediction");
    expect(JSON.parse(readFileSync(join(w.dir, "text_encoder/config.json"), "utf8")).hidden_act).toBe("gelu");
    expect(JSON.parse(readFileSync(join(w.dir, "tokenizer/special_tokens_map.json"), "utf8")).pad_token).toBe("!");
    const final = await ddim(w, tokens("a", "sd2"), 15);
    expect(maxDifference(final, w.model.cleanLatent(w.model.promptConditioning(tokens("a", "sd2")), 8, 8))).toBeLessThan(1e-3);
  });

  it("can ship the tokenizer as tokenizer.json only", async () => {
    const dir = join(root, "tokenizer-json");
    await writeTinyModel(dir, { family: "sd1", tokenizerFormat: "tokenizer-json" });
    expect(existsSync(join(dir, "tokenizer/tokenizer.json"))).toBe(true);
    expect(existsSync(join(dir, "tokenizer/vocab.json"))).toBe(false);
  });

  it("LCM UNet takes timestep_cond and uses it", async () => {
    const w = await writeAndLoad("lcm", { family: "lcm" });
    expect(JSON.parse(readFileSync(join(w.dir, "unet/config.json"), "utf8")).time_cond_proj_dim).toBe(8);
    expect(JSON.parse(readFileSync(join(w.dir, "model_index.json"), "utf8"))._class_name).toBe("LatentConsistencyModelPipeline");
    expect(metadata(w.sessions.unet.inputMetadata).map((m) => m.name)).toEqual(["sample", "timestep", "encoder_hidden_states", "timestep_cond"]);
    const cond = w.model.promptConditioning(tokens(ASTRONAUT));
    const sample = pseudoRandom(256, 3);
    const run = async (timestepCond: number[]) => values((await w.sessions.unet.run({
      sample: tensor("float32", sample, [1, 4, 8, 8]),
      timestep: tensor("float32", [759], []),
      encoder_hidden_states: tensor("float32", cond.encoderHiddenStates, [1, 77, 32]),
      timestep_cond: tensor("float32", timestepCond, [1, 8]),
    })).out_sample);
    const w1 = [0.1, 0.2, 0.3, 0.4, 0.9, 0.8, 0.7, 0.6];
    const out = await run(w1);
    expect(maxDifference(out, w.model.noisePrediction(sample, 759, w.model.cleanLatent({ ...cond, timestepCond: w1 }, 8, 8)))).toBeLessThan(1e-4);
    expect(maxDifference(out, await run(new Array(8).fill(0)))).toBeGreaterThan(0.01);
  });

  it("inpainting UNet (float16, int64 timesteps) takes 9 channels and keeps the unmasked latents", async () => {
    const w = await writeAndLoad("inpaint", { family: "sd1", inpainting: true, dtype: "float16", timestepType: "int64" });
    expect(JSON.parse(readFileSync(join(w.dir, "model_index.json"), "utf8"))._class_name).toBe("StableDiffusionInpaintPipeline");
    expect(JSON.parse(readFileSync(join(w.dir, "unet/config.json"), "utf8")).in_channels).toBe(9);
    expect(metadata(w.sessions.unet.inputMetadata).slice(0, 2)).toEqual([
      { name: "sample", type: "float16", shape: ["batch_size", 9, "height", "width"] },
      { name: "timestep", type: "int64", shape: ["steps"] },
    ]);
    const cond = w.model.promptConditioning(tokens(ASTRONAUT));
    const latents = pseudoRandom(4 * 16, 5);
    const mask = Array.from({ length: 16 }, (_, i) => (i % 4 < 2 ? 1 : 0)); // left half repainted
    const masked = pseudoRandom(4 * 16, 9).map((v) => v * 0.5);
    const sample = [...latents, ...mask, ...masked];
    const out = await w.sessions.unet.run({
      sample: tensor("float16", sample, [1, 9, 4, 4]),
      timestep: tensor("int64", [981], [1]),
      encoder_hidden_states: tensor("float16", cond.encoderHiddenStates, [1, 77, 32]),
    });
    expect(out.out_sample.dims).toEqual([1, 4, 4, 4]);
    const x0 = w.model.cleanLatent({ ...cond, mask, maskedImageLatents: masked }, 4, 4);
    expect(x0[2]).toBeCloseTo(masked[2], 6); // unmasked pixel: the masked image's latent
    expect(maxDifference(values(out.out_sample), w.model.noisePrediction(Float32Array.from(latents), 981, x0))).toBeLessThan(2e-2);
  });

  it("diffusers' ONNX conversion layout: int32 ids, [batch] timesteps, latent_sample, weights.pb, no configs", async () => {
    const w = await writeAndLoad("diffusers", { family: "sd1", exporter: "diffusers" });
    const index = JSON.parse(readFileSync(join(w.dir, "model_index.json"), "utf8"));
    expect(index).toMatchObject({ _class_name: "OnnxStableDiffusionPipeline", unet: ["diffusers", "OnnxRuntimeModel"], vae_decoder: ["diffusers", "OnnxRuntimeModel"] });
    expect(existsSync(join(w.dir, "unet/weights.pb"))).toBe(true);
    expect(existsSync(join(w.dir, "unet/config.json"))).toBe(false);
    expect(metadata(w.sessions.text_encoder.inputMetadata)).toEqual([{ name: "input_ids", type: "int32", shape: ["batch", "sequence"] }]);
    expect(metadata(w.sessions.unet.inputMetadata)).toEqual([
      { name: "sample", type: "float32", shape: ["batch", "channels", "height", "width"] },
      { name: "timestep", type: "float32", shape: ["batch"] },
      { name: "encoder_hidden_states", type: "float32", shape: ["batch", "sequence", 32] },
    ]);
    expect(metadata(w.sessions.vae_encoder.outputMetadata)[0].name).toBe("latent_sample");
    // diffusers' pipeline feeds one timestep for the whole (guidance-doubled) batch
    const cond = w.model.promptConditioning(tokens(ASTRONAUT));
    const out = await w.sessions.unet.run({
      sample: tensor("float32", pseudoRandom(512, 1), [2, 4, 8, 8]),
      timestep: tensor("float32", [301], [1]),
      encoder_hidden_states: tensor("float32", [...cond.encoderHiddenStates, ...cond.encoderHiddenStates], [2, 77, 32]),
    });
    expect(out.out_sample.dims).toEqual([2, 4, 8, 8]);
    const { input_ids } = { input_ids: tensor("int32", tokens(ASTRONAUT), [1, 77]) };
    const text = await w.sessions.text_encoder.run({ input_ids });
    expect(maxDifference(values(text.last_hidden_state), cond.encoderHiddenStates)).toBeLessThan(1e-4);
  });
});

describe.each(["sd1", "sd2", "sdxl", "lcm"] as const)("every %s model", (family) => {
  it.each(["float32", "float16"] as const)("runs in %s with batch 2, giving the declared output types and shapes", async (dtype) => {
    const w = await writeAndLoad(`${family}-${dtype}-all`, { family, dtype });
    const feedsFor = (session: ort.InferenceSession, size: Record<string, number>) => {
      const feeds: Record<string, ort.Tensor> = {};
      for (const meta of session.inputMetadata as ort.InferenceSession.TensorValueMetadata[]) {
        const dims = meta.shape.map((d) => (typeof d === "number" ? d : size[d] ?? 2));
        const count = dims.reduce((a, b) => a * b, 1);
        feeds[meta.name] = tensor(meta.type, meta.name === "input_ids" ? [...tokens(ASTRONAUT), ...tokens(PORTRAIT)].slice(0, count) : pseudoRandom(count, 1), dims);
      }
      return feeds;
    };
    const sizes: Record<string, Record<string, number>> = {
      text_encoder: { sequence_length: 77 }, text_encoder_2: { sequence_length: 77 },
      unet: { height: 8, width: 6, sequence_length: 77 },
      vae_decoder: { latent_height: 8, latent_width: 6 }, vae_encoder: { sample_height: 64, sample_width: 48 },
    };
    for (const [component, session] of Object.entries(w.sessions)) {
      const outputs = await session.run(feedsFor(session, sizes[component]));
      for (const meta of session.outputMetadata as ort.InferenceSession.TensorValueMetadata[]) {
        const out = outputs[meta.name];
        expect(out.type, `${component} ${meta.name}`).toBe(dtype);
        expect(out.dims[0]).toBe(2);
        meta.shape.forEach((d, i) => { if (typeof d === "number") expect(out.dims[i]).toBe(d); });
        expect(values(out).every(Number.isFinite), `${component} ${meta.name} finite`).toBe(true);
      }
      if (component === "unet") expect(outputs.out_sample.dims).toEqual([2, 4, 8, 6]);
      if (component === "vae_decoder") expect(outputs.sample.dims).toEqual([2, 3, 64, 48]);
      if (component === "vae_encoder") expect(outputs.latent_parameters.dims).toEqual([2, 8, 8, 6]);
    }
  });
});

/** Deterministic DDIM (η = 0) over `steps` steps, with the folder's UNet and guidance off. */
async function ddim(w: Written, ids: number[], steps: number): Promise<Float32Array> {
  const { model, sessions } = w;
  const cond = model.promptConditioning(ids);
  const input = (name: string) => sessions.unet.inputMetadata.find((m) => m.name === name)! as ort.InferenceSession.TensorValueMetadata;
  const timestepMeta = input("timestep");
  const alphaBar = (t: number) => (t < 0 ? 1 : 1 / (1 + model.sigmaAt(t) ** 2));
  let latents = pseudoRandom(256, 42);
  for (let i = 0; i < steps; i++) {
    const t = Math.round(999 - (i * 1000) / steps);
    const previous = Math.round(999 - ((i + 1) * 1000) / steps);
    const out = await sessions.unet.run({
      sample: tensor(model.dtype, latents, [1, 4, 8, 8]),
      timestep: tensor(timestepMeta.type, [t], timestepMeta.shape.length === 0 ? [] : [1]),
      encoder_hidden_states: tensor(model.dtype, cond.encoderHiddenStates, [1, 77, model.unet.contextDim]),
    });
    const prediction = values(out.out_sample);
    const [a, s] = [Math.sqrt(alphaBar(t)), Math.sqrt(1 - alphaBar(t))];
    const [aPrev, sPrev] = [Math.sqrt(alphaBar(previous)), Math.sqrt(1 - alphaBar(previous))];
    latents = latents.map((x, k) => {
      const v = prediction[k];
      const x0 = model.predictionType === "epsilon" ? (x - s * v) / a : a * x - s * v;
      const eps = model.predictionType === "epsilon" ? v : s * x + a * v;
      return aPrev * x0 + sPrev * eps;
    });
  }
  return latents;
}
