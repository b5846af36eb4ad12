/**
 * Reading `scheduler/scheduler_config.json` (diffusers' format) into a typed config.
 *
 * diffusers fills every option a folder leaves out with its class's default, and those defaults
 * travel along when a user swaps schedulers with `Other.from_config(pipe.scheduler.config)`.
 * So a Stable Diffusion 1.5 folder (PNDMScheduler, no `timestep_spacing`) run with DPM++ 2M gets
 * PNDM's "leading" spacing, not DPM's own "linspace". parseSchedulerConfig reproduces that by
 * adding the folder class's defaults; each scheduler then fills what is still missing with its own.
 */
import type { SchedulerName } from "./scheduler.js";

export type BetaSchedule = "linear" | "scaled_linear" | "squaredcos_cap_v2";
export type PredictionType = "epsilon" | "v_prediction" | "sample";
export type TimestepSpacing = "leading" | "trailing" | "linspace";

export interface SchedulerConfig {
  /** `_class_name` as the folder names it ("" when absent). */
  className: string;
  numTrainTimesteps?: number;
  betaStart?: number;
  betaEnd?: number;
  betaSchedule?: BetaSchedule;
  trainedBetas?: number[];
  predictionType?: PredictionType;
  timestepSpacing?: TimestepSpacing;
  stepsOffset?: number;
  rescaleBetasZeroSnr?: boolean;
  // Euler
  interpolationType?: "linear" | "log_linear";
  useKarrasSigmas?: boolean;
  useExponentialSigmas?: boolean;
  sigmaMin?: number;
  sigmaMax?: number;
  timestepType?: "discrete" | "continuous";
  finalSigmasType?: "zero" | "sigma_min";
  // DDIM, LCM
  setAlphaToOne?: boolean;
  clipSample?: boolean;
  clipSampleRange?: number;
  // DPM++ 2M
  solverOrder?: number;
  solverType?: "midpoint" | "heun";
  lowerOrderFinal?: boolean;
  eulerAtFinal?: boolean;
  lambdaMinClipped?: number;
  // LCM
  originalInferenceSteps?: number;
  timestepScaling?: number;
  /** Options the folder turns on that these schedulers do not reproduce (worth a warning). */
  unsupported: string[];
}

type Field = Exclude<keyof SchedulerConfig, "className" | "unsupported">;
type Reader = (value: unknown, key: string) => unknown;

const number: Reader = (value, key) => {
  // Python's json writes -inf as the bare token -Infinity; parseSchedulerConfigText quotes it.
  if (value === "-Infinity" || value === "Infinity") return value === "Infinity" ? Infinity : -Infinity;
  if (typeof value !== "number" || Number.isNaN(value)) throw new Error(`scheduler config: ${key} must be a number`);
  return value;
};
const integer: Reader = (value, key) => {
  const n = number(value, key) as number;
  if (!Number.isInteger(n) || n < 0) throw new Error(`scheduler config: ${key} must be a non-negative integer`);
  return n;
};
const boolean: Reader = (value, key) => {
  if (typeof value !== "boolean") throw new Error(`scheduler config: ${key} must be true or false`);
  return value;
};
const oneOf =
  (...allowed: string[]): Reader =>
  (value, key) => {
    if (typeof value !== "string" || !allowed.includes(value)) {
      throw new Error(`scheduler config: ${key} must be one of ${allowed.join(", ")} (got ${JSON.stringify(value)})`);
    }
    return value;
  };
const numbers: Reader = (value, key) => {
  if (!Array.isArray(value) || value.length === 0) {
    throw new Error(`scheduler config: ${key} must be a list of numbers`);
  }
  return value.map((v, i) => number(v, `${key}[${i}]`));
};

const FIELDS: Record<string, [Field, Reader]> = {
  num_train_timesteps: ["numTrainTimesteps", integer],
  beta_start: ["betaStart", number],
  beta_end: ["betaEnd", number],
  beta_schedule: ["betaSchedule", oneOf("linear", "scaled_linear", "squaredcos_cap_v2")],
  trained_betas: ["trainedBetas", numbers],
  prediction_type: ["predictionType", oneOf("epsilon", "v_prediction", "sample", "original_sample")],
  timestep_spacing: ["timestepSpacing", oneOf("leading", "trailing", "linspace")],
  steps_offset: ["stepsOffset", integer],
  rescale_betas_zero_snr: ["rescaleBetasZeroSnr", boolean],
  interpolation_type: ["interpolationType", oneOf("linear", "log_linear")],
  use_karras_sigmas: ["useKarrasSigmas", boolean],
  use_exponential_sigmas: ["useExponentialSigmas", boolean],
  sigma_min: ["sigmaMin", number],
  sigma_max: ["sigmaMax", number],
  timestep_type: ["timestepType", oneOf("discrete", "continuous")],
  final_sigmas_type: ["finalSigmasType", oneOf("zero", "sigma_min")],
  set_alpha_to_one: ["setAlphaToOne", boolean],
  clip_sample: ["clipSample", boolean],
  clip_sample_range: ["clipSampleRange", number],
  solver_order: ["solverOrder", integer],
  // diffusers' DPM-Solver maps the DEIS/UniPC solver types to midpoint.
  solver_type: ["solverType", oneOf("midpoint", "heun", "logrho", "bh1", "bh2")],
  lower_order_final: ["lowerOrderFinal", boolean],
  euler_at_final: ["eulerAtFinal", boolean],
  lambda_min_clipped: ["lambdaMinClipped", number],
  original_inference_steps: ["originalInferenceSteps", integer],
  timestep_scaling: ["timestepScaling", number],
};

/** Options we read but do not implement, and the value that means "off". */
const NOT_REPRODUCED: Record<string, unknown[]> = {
  thresholding: [false],
  use_beta_sigmas: [false],
  use_lu_lambdas: [false],
  use_flow_sigmas: [false],
  use_dynamic_shifting: [false],
  variance_type: [null, "fixed_small"],
  algorithm_type: ["dpmsolver++", "deis"],
};

/** Validates a parsed scheduler_config.json and adds the defaults of the class it names. */
export function parseSchedulerConfig(json: unknown): SchedulerConfig {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new Error("scheduler config: expected a JSON object");
  }
  const raw = json as Record<string, unknown>;
  const className = typeof raw._class_name === "string" ? raw._class_name : "";
  const defaults = CLASS_DEFAULTS[className] as Partial<SchedulerConfig> | undefined;
  const config: SchedulerConfig = { className, ...defaults, unsupported: [] };
  const fields = config as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(raw)) {
    if (value === null || value === undefined) continue;
    const field = FIELDS[key];
    if (field) fields[field[0]] = field[1](value, key);
    else if (key in NOT_REPRODUCED && !NOT_REPRODUCED[key].includes(value)) config.unsupported.push(key);
  }
  if (config.predictionType === ("original_sample" as PredictionType)) config.predictionType = "sample";
  if (config.solverType !== undefined && config.solverType !== "heun") config.solverType = "midpoint";
  if (config.solverOrder !== undefined && config.solverOrder > 2) config.unsupported.push("solver_order");
  if (config.trainedBetas) {
    // The betas define the training schedule; an explicit num_train_timesteps must agree.
    if (raw.num_train_timesteps != null && config.trainedBetas.length !== config.numTrainTimesteps) {
      throw new Error("scheduler config: trained_betas must have num_train_timesteps entries");
    }
    config.numTrainTimesteps = config.trainedBetas.length;
  }
  return config;
}

/** Parses the text of scheduler_config.json, which may hold Python's bare -Infinity token. */
export function parseSchedulerConfigText(text: string): SchedulerConfig {
  return parseSchedulerConfig(JSON.parse(text.replace(/:\s*(-?Infinity)\b/g, ': "$1"')));
}

/** The config's value for each key of `defaults`, or the default where the config has none. */
export function withDefaults<D extends Partial<Record<Field, unknown>>>(config: SchedulerConfig, defaults: D): D {
  const out: Record<string, unknown> = { ...defaults };
  for (const key of Object.keys(defaults)) {
    const value = (config as unknown as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out as D;
}

/**
 * Which of our schedulers runs a folder's scheduler class. Classes we do not implement fall back
 * to the closest one: the deterministic multistep / higher-order solvers (PNDM, LMS, Heun, KDPM2,
 * UniPC, DEIS, DPM single-step, DPM SDE) to DPM++ 2M, which reaches similar quality in the same
 * 20-30 steps; KDPM2 ancestral to Euler ancestral; DDPM to DDIM (its deterministic fast form);
 * TCD to LCM (both sample consistency-distilled models); anything else to Euler.
 */
export function schedulerNameForClass(className: string): SchedulerName {
  return CLASS_NAMES[className] ?? "euler";
}

const CLASS_NAMES: Record<string, SchedulerName> = {
  EulerDiscreteScheduler: "euler",
  EulerAncestralDiscreteScheduler: "euler-ancestral",
  DDIMScheduler: "ddim",
  DPMSolverMultistepScheduler: "dpmpp-2m",
  LCMScheduler: "lcm",
  TCDScheduler: "lcm",
  DDPMScheduler: "ddim",
  KDPM2AncestralDiscreteScheduler: "euler-ancestral",
  PNDMScheduler: "dpmpp-2m",
  LMSDiscreteScheduler: "dpmpp-2m",
  HeunDiscreteScheduler: "dpmpp-2m",
  KDPM2DiscreteScheduler: "dpmpp-2m",
  UniPCMultistepScheduler: "dpmpp-2m",
  DEISMultistepScheduler: "dpmpp-2m",
  DPMSolverSinglestepScheduler: "dpmpp-2m",
  DPMSolverSDEScheduler: "dpmpp-2m",
};

// diffusers' __init__ defaults of each class, for the options our schedulers read.
type Defaults = Partial<Record<Field, unknown>>;
const BETAS_1E4: Defaults = { numTrainTimesteps: 1000, betaStart: 0.0001, betaEnd: 0.02, betaSchedule: "linear" };
const BETAS_85: Defaults = { numTrainTimesteps: 1000, betaStart: 0.00085, betaEnd: 0.012, betaSchedule: "linear" };
const COMMON: Defaults = { predictionType: "epsilon", stepsOffset: 0 };
const SIGMAS: Defaults = { useKarrasSigmas: false, useExponentialSigmas: false };
const KDIFFUSION: Defaults = { ...BETAS_85, ...COMMON, ...SIGMAS, timestepSpacing: "linspace" };
const LCM: Defaults = {
  ...COMMON,
  numTrainTimesteps: 1000,
  betaStart: 0.00085,
  betaEnd: 0.012,
  betaSchedule: "scaled_linear",
  originalInferenceSteps: 50,
  clipSample: false,
  clipSampleRange: 1,
  setAlphaToOne: true,
  timestepSpacing: "leading",
  timestepScaling: 10,
  rescaleBetasZeroSnr: false,
};
const DPM_SOLVER: Defaults = {
  ...BETAS_1E4,
  ...COMMON,
  ...SIGMAS,
  solverOrder: 2,
  solverType: "midpoint",
  lowerOrderFinal: true,
  finalSigmasType: "zero",
  lambdaMinClipped: -Infinity,
};

const CLASS_DEFAULTS: Record<string, Defaults> = {
  EulerDiscreteScheduler: {
    ...BETAS_1E4,
    ...COMMON,
    ...SIGMAS,
    interpolationType: "linear",
    timestepSpacing: "linspace",
    timestepType: "discrete",
    rescaleBetasZeroSnr: false,
    finalSigmasType: "zero",
  },
  EulerAncestralDiscreteScheduler: { ...BETAS_1E4, ...COMMON, timestepSpacing: "linspace", rescaleBetasZeroSnr: false },
  DDIMScheduler: {
    ...BETAS_1E4,
    ...COMMON,
    clipSample: true,
    clipSampleRange: 1,
    setAlphaToOne: true,
    timestepSpacing: "leading",
    rescaleBetasZeroSnr: false,
  },
  DPMSolverMultistepScheduler: {
    ...DPM_SOLVER,
    eulerAtFinal: false,
    timestepSpacing: "linspace",
    rescaleBetasZeroSnr: false,
  },
  LCMScheduler: LCM,
  TCDScheduler: LCM,
  PNDMScheduler: { ...BETAS_1E4, ...COMMON, setAlphaToOne: false, timestepSpacing: "leading" },
  LMSDiscreteScheduler: { ...BETAS_1E4, ...COMMON, ...SIGMAS, timestepSpacing: "linspace" },
  HeunDiscreteScheduler: { ...KDIFFUSION, clipSample: false, clipSampleRange: 1 },
  KDPM2DiscreteScheduler: KDIFFUSION,
  KDPM2AncestralDiscreteScheduler: KDIFFUSION,
  DPMSolverSDEScheduler: KDIFFUSION,
  UniPCMultistepScheduler: {
    ...BETAS_1E4,
    ...COMMON,
    ...SIGMAS,
    solverOrder: 2,
    lowerOrderFinal: true,
    timestepSpacing: "linspace",
    finalSigmasType: "zero",
    rescaleBetasZeroSnr: false,
  },
  DEISMultistepScheduler: {
    ...BETAS_1E4,
    ...COMMON,
    ...SIGMAS,
    solverOrder: 2,
    lowerOrderFinal: true,
    timestepSpacing: "linspace",
  },
  // Single-step DPM-Solver has no timestep_spacing / steps_offset options.
  DPMSolverSinglestepScheduler: { ...DPM_SOLVER, stepsOffset: undefined, lowerOrderFinal: false },
  DDPMScheduler: {
    ...BETAS_1E4,
    ...COMMON,
    clipSample: true,
    clipSampleRange: 1,
    timestepSpacing: "leading",
    rescaleBetasZeroSnr: false,
  },
};
