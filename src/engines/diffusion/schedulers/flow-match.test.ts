import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { imageIds, packLatents, unpackLatents } from "../flow/packing.js";
import { flowSchedule, flowScheduleFromSteps, img2imgStart, parseFlowMatchConfig } from "./flow-match.js";

// Made by test/fixtures/diffusion/make-flow-match-references.py from diffusers' formulas.
const reference = JSON.parse(readFileSync(new URL("../../../../test/fixtures/diffusion/flow-match.json", import.meta.url), "utf8")) as {
  configs: Record<string, Record<string, unknown>>;
  cases: { config: string; steps: number; image_seq_len: number; mu: number; sigmas: number[]; timesteps: number[]; model_timesteps: number[] }[];
  img2img_start: { steps: number; strength: number; start: number }[];
  from_steps: { config: string; steps: number; sigmas: number[]; timesteps: number[] }[];
};

describe("FlowMatchEulerDiscreteScheduler", () => {
  it("gives diffusers' sigmas, timesteps and transformer timesteps bit for bit: [schnell], [dev] at two sizes, SD3's shift", () => {
    for (const c of reference.cases) {
      const schedule = flowSchedule(parseFlowMatchConfig(reference.configs[c.config]), c.steps, c.image_seq_len);
      const label = `${c.config} ${c.steps} steps, ${c.image_seq_len} tokens`;
      expect([...schedule.sigmas], label).toEqual(c.sigmas);
      expect([...schedule.timesteps], label).toEqual(c.timesteps);
      expect([...schedule.modelTimesteps], label).toEqual(c.model_timesteps);
      if (c.config === "dev") expect(schedule.mu).toBeCloseTo(c.mu, 12);
    }
  });

  it("gives StableDiffusion3Pipeline's schedule from the step count alone, bit for bit", () => {
    for (const c of reference.from_steps) {
      const schedule = flowScheduleFromSteps(parseFlowMatchConfig(reference.configs[c.config]), c.steps);
      expect([...schedule.sigmas], `${c.config} ${c.steps}`).toEqual(c.sigmas);
      expect([...schedule.timesteps], `${c.config} ${c.steps}`).toEqual(c.timesteps);
    }
  });

  it("starts img2img where FluxImg2ImgPipeline does", () => {
    for (const { steps, strength, start } of reference.img2img_start) expect(img2imgStart(steps, strength), `${steps} × ${strength}`).toBe(start);
  });

  it("names the options it does not reproduce, and refuses nonsense", () => {
    expect(parseFlowMatchConfig({ shift: 3, use_karras_sigmas: true, invert_sigmas: false }).unsupported).toEqual(["use_karras_sigmas"]);
    expect(() => parseFlowMatchConfig({ shift: "3" })).toThrow(/shift must be a number/);
    expect(() => parseFlowMatchConfig({ shift: 0 })).toThrow(/out of range/);
  });
});

describe("FLUX's packed latents", () => {
  const data = JSON.parse(readFileSync(new URL("../../../../test/fixtures/diffusion/flow-match.json", import.meta.url), "utf8")) as {
    pack: { shape: number[]; packed: number[] };
    image_ids: { height: number; width: number; ids: number[] };
  };
  it("packs 2×2 patches like _pack_latents, unpacks them back, and numbers them like _prepare_latent_image_ids", () => {
    const [, channels, height, width] = data.pack.shape;
    const latent = Float32Array.from({ length: channels * height * width }, (_, i) => i);
    const packed = packLatents(latent, channels, { width, height });
    expect([...packed]).toEqual(data.pack.packed);
    expect([...unpackLatents(packed, channels, { width, height })]).toEqual([...latent]);
    // _prepare_latent_image_ids takes the packed grid's size (latent / 2).
    expect([...imageIds({ width: data.image_ids.width * 2, height: data.image_ids.height * 2 })]).toEqual(data.image_ids.ids);
  });
});
