/**
 * Compares every scheduler with reference values from
 * test/fixtures/diffusion/make-scheduler-references.py (a float32-faithful re-implementation of
 * diffusers' schedulers): timesteps, sigmas, init noise sigma, input scaling, consecutive steps
 * (prevSample and predOriginalSample, with noise drawn through the callback), addNoise and the
 * img2img start.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DpmSolverMultistepScheduler } from "./dpmpp-2m.js";
import { EulerScheduler } from "./euler.js";
import {
  createScheduler,
  parseSchedulerConfig,
  parseSchedulerConfigText,
  type NoiseSource,
  type Scheduler,
  type SchedulerName,
} from "./scheduler.js";

interface Steps {
  modelOutputs: number[][];
  noises: (number[] | null)[];
  scaledInputs: number[][];
  prevSamples: number[][];
  predOriginalSamples: number[][];
}
interface Case {
  title: string;
  scheduler: SchedulerName;
  config: Record<string, unknown>;
  schedules: { steps: number; timesteps: number[]; sigmas: number[] | null; initNoiseSigma: number }[];
  run: Steps & { steps: number; sample: number[] };
  img2img: Steps & {
    steps: number;
    strength: number;
    startIndex: number;
    timesteps: number[];
    original: number[];
    noise: number[];
    noised: number[];
  };
}

const fixture = JSON.parse(
  readFileSync(new URL("../../../../test/fixtures/diffusion/schedulers.json", import.meta.url), "utf8"),
) as { cases: Case[] };

const TOLERANCE = 1e-5;

/** Relative to the magnitude for values above 1 (latents reach ~15 at the noisiest steps). */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]);
    if (!(error <= TOLERANCE * Math.max(1, Math.abs(expected[i])))) {
      expect.fail(`${what}[${i}]: got ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

function build(c: Case): Scheduler {
  return createScheduler(parseSchedulerConfig(c.config), c.scheduler);
}

/** Replays the reference's steps from `first`, feeding back our own prevSample. */
function replay(scheduler: Scheduler, steps: Steps, first: number, sample: Float32Array, what: string): void {
  let x = sample;
  steps.prevSamples.forEach((expectedPrev, k) => {
    const i = first + k;
    const expectedNoise = steps.noises[k];
    let draws = 0;
    const noise: NoiseSource = (count) => {
      draws++;
      expect(count).toBe(x.length);
      if (!expectedNoise) throw new Error(`step ${i} drew noise, the reference did not`);
      return Float32Array.from(expectedNoise);
    };
    expectClose(scheduler.scaleModelInput(x, i), steps.scaledInputs[k], `${what} step ${i} scaled input`);
    const result = scheduler.step(Float32Array.from(steps.modelOutputs[k]), i, x, noise);
    expect(draws, `${what} step ${i} noise draws`).toBe(expectedNoise ? 1 : 0);
    expectClose(result.predOriginalSample, steps.predOriginalSamples[k], `${what} step ${i} predOriginalSample`);
    expectClose(result.prevSample, expectedPrev, `${what} step ${i} prevSample`);
    x = result.prevSample;
  });
}

describe.each(fixture.cases)("$title", (c) => {
  it("plans the same timesteps, sigmas and initial noise scale", () => {
    for (const expected of c.schedules) {
      const scheduler = build(c);
      scheduler.setTimesteps(expected.steps);
      const what = `${expected.steps} steps`;
      if (c.scheduler === "euler" || c.scheduler === "euler-ancestral") {
        // Float timesteps; they are exact except where Karras/exponential sigmas are inverted.
        expectClose(scheduler.timesteps, expected.timesteps, `${what}: timesteps`);
      } else {
        expect(scheduler.timesteps, `${what}: timesteps`).toEqual(expected.timesteps);
      }
      if (expected.sigmas) {
        expect(scheduler).toSatisfy((s) => s instanceof EulerScheduler || s instanceof DpmSolverMultistepScheduler);
        expectClose((scheduler as EulerScheduler).sigmas, expected.sigmas, `${what}: sigmas`);
      }
      expectClose([scheduler.initNoiseSigma], [expected.initNoiseSigma], `${what}: initNoiseSigma`);
    }
  });

  it("steps like the reference", () => {
    const scheduler = build(c);
    scheduler.setTimesteps(c.run.steps);
    replay(scheduler, c.run, 0, Float32Array.from(c.run.sample), "txt2img");
  });

  it("starts img2img at the same step and noise level", () => {
    const { img2img } = c;
    const scheduler = build(c);
    scheduler.setTimesteps(img2img.steps);
    const start = scheduler.beginImg2Img(img2img.strength);
    expect(start).toBe(img2img.startIndex);
    expectClose(scheduler.timesteps, img2img.timesteps, "img2img timesteps");
    const noised = scheduler.addNoise(Float32Array.from(img2img.original), Float32Array.from(img2img.noise), start);
    expectClose(noised, img2img.noised, "addNoise");
    replay(scheduler, img2img, start, noised, "img2img");
  });
});

const SD15_FOLDER = fixture.cases.find((c) => c.title.startsWith("dpmpp-2m, SD 1.5"))!.config;

describe("parseSchedulerConfig", () => {
  it("fills options the folder leaves out with its own class's defaults", () => {
    const config = parseSchedulerConfig(SD15_FOLDER);
    expect(config.className).toBe("PNDMScheduler");
    expect(config.timestepSpacing).toBe("leading"); // PNDM's default, not DPM's linspace
    expect(config.betaSchedule).toBe("scaled_linear");
    expect(config.stepsOffset).toBe(1);
    expect(config.useKarrasSigmas).toBeUndefined(); // PNDM has no such option: the target decides
  });

  it("rejects malformed values", () => {
    expect(() => parseSchedulerConfig([])).toThrow(/object/);
    expect(() => parseSchedulerConfig({ beta_schedule: "sigmoid" })).toThrow(/beta_schedule/);
    expect(() => parseSchedulerConfig({ steps_offset: "1" })).toThrow(/steps_offset/);
    expect(() => parseSchedulerConfig({ trained_betas: [0.1, 0.2], num_train_timesteps: 3 })).toThrow(/trained_betas/);
  });

  it("treats null as absent and lists options it does not reproduce", () => {
    const config = parseSchedulerConfig({
      _class_name: "DPMSolverMultistepScheduler",
      trained_betas: null,
      thresholding: true,
      algorithm_type: "sde-dpmsolver++",
      solver_order: 3,
      use_beta_sigmas: false,
    });
    expect(config.trainedBetas).toBeUndefined();
    expect(config.unsupported.sort()).toEqual(["algorithm_type", "solver_order", "thresholding"]);
  });

  it("reads Python's bare -Infinity in the file text", () => {
    const text = '{"_class_name": "DPMSolverMultistepScheduler", "lambda_min_clipped": -Infinity}';
    expect(parseSchedulerConfigText(text).lambdaMinClipped).toBe(-Infinity);
  });

  it("maps diffusers' aliases", () => {
    const config = parseSchedulerConfig({ prediction_type: "original_sample", solver_type: "bh2" });
    expect(config.predictionType).toBe("sample");
    expect(config.solverType).toBe("midpoint");
  });
});

describe("createScheduler", () => {
  it("picks the scheduler from _class_name, falling back for classes it lacks", () => {
    const make = (className: string) => createScheduler(parseSchedulerConfig({ _class_name: className })).name;
    expect(make("EulerDiscreteScheduler")).toBe("euler");
    expect(make("EulerAncestralDiscreteScheduler")).toBe("euler-ancestral");
    expect(make("DDIMScheduler")).toBe("ddim");
    expect(make("DPMSolverMultistepScheduler")).toBe("dpmpp-2m");
    expect(make("LCMScheduler")).toBe("lcm");
    expect(make("PNDMScheduler")).toBe("dpmpp-2m");
    expect(make("LMSDiscreteScheduler")).toBe("dpmpp-2m");
    expect(make("KDPM2AncestralDiscreteScheduler")).toBe("euler-ancestral");
    expect(make("SomethingNew")).toBe("euler");
  });

  it("dpmpp-2m-karras forces Karras sigmas on a folder without them", () => {
    const karrasCase = fixture.cases.find((c) => c.title.startsWith("dpmpp-2m Karras, SD 1.5"))!;
    const scheduler = createScheduler(parseSchedulerConfig(SD15_FOLDER), "dpmpp-2m-karras");
    expect(scheduler.name).toBe("dpmpp-2m-karras");
    for (const expected of karrasCase.schedules) {
      scheduler.setTimesteps(expected.steps);
      expect(scheduler.timesteps).toEqual(expected.timesteps);
    }
  });
});

describe("scheduler edge cases", () => {
  const noNoise: NoiseSource = () => {
    throw new Error("no noise expected");
  };

  it("refuses steps before setTimesteps and out-of-range step counts", () => {
    const scheduler = createScheduler(parseSchedulerConfig(SD15_FOLDER), "euler");
    expect(() => scheduler.step(new Float32Array(4), 0, new Float32Array(4), noNoise)).toThrow(/step index/);
    expect(() => scheduler.setTimesteps(0)).toThrow(RangeError);
    expect(() => scheduler.setTimesteps(2.5)).toThrow(RangeError);
    scheduler.setTimesteps(4);
    expect(() => scheduler.beginImg2Img(0)).toThrow(/strength/);
  });

  it("checks the noise source's length", () => {
    const scheduler = createScheduler(parseSchedulerConfig(SD15_FOLDER), "euler-ancestral");
    scheduler.setTimesteps(4);
    expect(() => scheduler.step(new Float32Array(4), 0, new Float32Array(4), () => new Float32Array(3))).toThrow(
      /3 values/,
    );
  });

  it("euler-ancestral accepts sample prediction (x0 is the model output)", () => {
    const scheduler = createScheduler(
      parseSchedulerConfig({ ...SD15_FOLDER, prediction_type: "sample" }),
      "euler-ancestral",
    );
    scheduler.setTimesteps(4);
    const modelOutput = Float32Array.from([0.5, -0.25, 1, 0]);
    const result = scheduler.step(modelOutput, 0, Float32Array.from([3, 2, 1, 0]), () => new Float32Array(4));
    expect(Array.from(result.predOriginalSample)).toEqual(Array.from(modelOutput));
  });

  it("lcm img2img with too little strength for the steps runs fewer steps", () => {
    const lcm = fixture.cases.find((c) => c.scheduler === "lcm")!;
    const scheduler = build(lcm);
    scheduler.setTimesteps(4);
    expect(scheduler.beginImg2Img(0.06)).toBe(0); // int(50 * 0.06) = 3 distillation timesteps
    expect(scheduler.timesteps).toEqual([59, 39, 19]);
    expect(() => scheduler.beginImg2Img(0.01)).toThrow(/no LCM timesteps/);
  });

  it("dpmpp-2m restarts its history when steps do not follow each other", () => {
    const scheduler = createScheduler(parseSchedulerConfig(SD15_FOLDER), "dpmpp-2m");
    scheduler.setTimesteps(6);
    const x = Float32Array.from([0.3, -1.2, 0.8]);
    const eps = Float32Array.from([0.1, 0.2, -0.3]);
    scheduler.step(eps, 0, x, noNoise);
    const afterJump = scheduler.step(eps, 2, x, noNoise).prevSample;
    const fresh = createScheduler(parseSchedulerConfig(SD15_FOLDER), "dpmpp-2m");
    fresh.setTimesteps(6);
    expect(Array.from(afterJump)).toEqual(Array.from(fresh.step(eps, 2, x, noNoise).prevSample));
  });
});
