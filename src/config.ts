// Configuration: built-in defaults, then a JSON config file, then environment
// variables. Everything the server and CLI need comes from one Config value.
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { z } from "zod";
import { apiKeySchema, type ApiKeyEntry } from "./access/keys.js";
import { isHubPath, parseHubReference } from "./hub/reference.js";

const qualitySchema = z.enum(["low", "medium", "high"]);

const modelSchema = z
  .object({
    /** Another model name this one stands for; all other fields are then ignored. */
    alias: z.string().optional(),
    engine: z.string().default("compose"),
    family: z.enum(["gpt-image", "dall-e-2", "dall-e-3"]).default("gpt-image"),
    /** What `quality: "auto"` renders as. */
    autoQuality: qualitySchema.optional(),
    /** Handed to the engine as is (for compose: { artDirs }). */
    options: z.record(z.string(), z.unknown()).default({}),
    ownedBy: z.string().default("easel"),
    /** Classify this model's pictures, overriding the server's `moderatePictures`. */
    moderatePictures: z.boolean().optional(),
  })
  .strict();

/** The Responses API's planner: an OpenAI-compatible chat-completions endpoint with tool calling, instead of the built-in rules. */
const plannerSchema = z
  .object({
    /** Base URL of the API, e.g. http://127.0.0.1:11434/v1 (POST {baseUrl}/chat/completions). */
    baseUrl: z.string().url(),
    model: z.string().min(1),
    /** Name of the environment variable that holds its API key (the key itself never sits in the config). */
    apiKeyEnv: z.string().min(1).optional(),
    timeoutMs: z.number().int().min(1).optional(),
  })
  .strict();

const fileSchema = z
  .object({
    host: z.string().optional(),
    port: z.number().int().min(0).max(65535).optional(),
    dataDir: z.string().optional(),
    /** Keys as strings, or with a name, a model allow-list and limits (src/access/keys.ts). */
    apiKeys: z.array(apiKeySchema).optional(),
    concurrency: z.number().int().min(1).optional(),
    queueLimit: z.number().int().min(0).optional(),
    publicUrl: z.string().url().optional(),
    logLevel: z.string().optional(),
    imageUrlTtlSeconds: z.number().int().min(1).optional(),
    maxInputPixels: z.number().int().min(1).optional(),
    maxUploadBytes: z.number().int().min(1).optional(),
    /** Largest file POST /v1/files takes. */
    maxFileBytes: z.number().int().min(1).optional(),
    /** Upload bytes all requests together may hold in memory; multipart parts beyond it are spooled to disk. */
    uploadMemoryBytes: z.number().int().min(1).optional(),
    /** A request body that sends nothing for this long is answered 408 and its connection closed. */
    bodyTimeoutMs: z.number().int().min(1).optional(),
    /** Classify input and output pictures (nsfwjs) besides prompts; default on. */
    moderatePictures: z.boolean().optional(),
    /** Serve GET /metrics on this port alone (no key), instead of on the API's port. */
    metricsPort: z.number().int().min(0).max(65535).optional(),
    /** Let image URLs point at loopback and private addresses (off: guards against SSRF). */
    allowPrivateImageUrls: z.boolean().optional(),
    /** Model used by /v1/images/generations when the request names none and uses no GPT-only field. */
    defaultModel: z.string().optional(),
    /** Model used when the request names none but needs a GPT image model. */
    defaultGptImageModel: z.string().optional(),
    models: z.record(z.string(), modelSchema).optional(),
    planner: plannerSchema.optional(),
    /** The shared mode (several API nodes and workers): both URLs, or neither. */
    redisUrl: z.string().url().optional(),
    databaseUrl: z.string().url().optional(),
    /** Namespaces every Redis key, so several deployments share one Redis. */
    redisPrefix: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).optional(),
    role: z.enum(["api", "worker", "all"]).optional(),
    /** The models a worker loads and takes jobs for; all configured models by default. */
    workerModels: z.array(z.string()).optional(),
    /** Signs picture URLs (hex or base64, at least 32 bytes); the shared store keeps one by default. */
    urlSigningKey: z.string().min(32).optional(),
    /** A worker that stops renewing a job's lock for this long is taken for dead and its job runs elsewhere. */
    jobLockMs: z.number().int().min(500).optional(),
  })
  .strict();

export type Role = "api" | "worker" | "all";

/** Set when EASEL_REDIS_URL and EASEL_DATABASE_URL switch on the shared mode. */
export interface SharedConfig {
  redisUrl: string;
  databaseUrl: string;
  redisPrefix: string;
  /** The models this process serves as a worker. */
  workerModels?: string[];
  jobLockMs: number;
}

export type ModelConfig = z.infer<typeof modelSchema>;
export type PlannerConfig = z.infer<typeof plannerSchema>;

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  apiKeys: ApiKeyEntry[];
  /** The config file read, if any: SIGHUP reads its apiKeys again. */
  configFile?: string;
  concurrency: number;
  queueLimit: number;
  publicUrl?: string;
  logLevel: string;
  imageUrlTtlSeconds: number;
  maxInputPixels: number;
  maxUploadBytes: number;
  maxFileBytes: number;
  uploadMemoryBytes: number;
  bodyTimeoutMs: number;
  metricsPort?: number;
  moderatePictures: boolean;
  allowPrivateImageUrls: boolean;
  defaultModel: string;
  defaultGptImageModel: string;
  models: Record<string, ModelConfig>;
  /** Set to plan Responses with a chat model; the built-in rules otherwise. */
  planner?: PlannerConfig;
  /** What this process does: answer HTTP (api), run jobs (worker), or both (all, the default). */
  role: Role;
  /** The shared mode; unset: the embedded store and the in-process queue. */
  shared?: SharedConfig;
  urlSigningKey?: Buffer;
}

const builtInModels: Record<string, ModelConfig> = {
  "gpt-image-1": { engine: "compose", family: "gpt-image", options: {}, ownedBy: "easel" },
  "gpt-image-1-mini": { engine: "compose", family: "gpt-image", autoQuality: "low", options: {}, ownedBy: "easel" },
  "gpt-image-1.5": { engine: "compose", family: "gpt-image", options: {}, ownedBy: "easel" },
  "dall-e-2": { engine: "compose", family: "dall-e-2", options: {}, ownedBy: "easel" },
  "dall-e-3": { engine: "compose", family: "dall-e-3", options: {}, ownedBy: "easel" },
};

export class ConfigError extends Error {}

function readConfigFile(path: string): z.infer<typeof fileSchema> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError(`Cannot read config file ${path}: ${(error as Error).message}`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid config file ${path}: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = env[name];
  if (value === undefined || value === "") return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new ConfigError(`${name} must be a non-negative integer, got '${value}'`);
  return number;
}

/** EASEL_PLANNER_BASE_URL and EASEL_PLANNER_MODEL (both, or neither) override the file's planner. */
function plannerFromEnv(env: NodeJS.ProcessEnv, file: PlannerConfig | undefined): PlannerConfig | undefined {
  const baseUrl = env.EASEL_PLANNER_BASE_URL || file?.baseUrl;
  const model = env.EASEL_PLANNER_MODEL || file?.model;
  if (!baseUrl && !model) return undefined;
  if (!baseUrl || !model) throw new ConfigError("The planner needs both a base URL (EASEL_PLANNER_BASE_URL) and a model (EASEL_PLANNER_MODEL)");
  const parsed = plannerSchema.safeParse({ ...file, baseUrl, model, apiKeyEnv: env.EASEL_PLANNER_API_KEY_ENV || file?.apiKeyEnv });
  if (!parsed.success) throw new ConfigError(`Invalid planner settings: ${parsed.error.issues[0].path.join(".")}: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

/**
 * Adds the diffusion model folders named on the command line (`NAME=PATH`),
 * replacing any model of that name: `gpt-image-1=/models/sdxl-turbo` makes
 * clients that ask for gpt-image-1 get that model.
 */
export function withModelFolders(config: Config, specs: string[]): Config {
  const models = { ...config.models };
  for (const spec of specs) {
    const at = spec.indexOf("=");
    const name = spec.slice(0, at).trim();
    const path = spec.slice(at + 1).trim();
    if (at <= 0 || !path) throw new ConfigError(`--model takes NAME=PATH (a diffusion model folder, or hf:OWNER/REPO[@REVISION][:SUBFOLDER]), got '${spec}'`);
    if (isHubPath(path)) parseHubReference(path); // a typo fails now, not at the first request
    models[name] = { engine: "diffusion", family: "gpt-image", options: { path: isHubPath(path) ? path : resolve(path) }, ownedBy: "easel" };
  }
  return { ...config, models };
}

/** EASEL_API_KEYS, comma-separated, replaces the config file's keys (empty: as if unset). */
function keysFromEnv(env: NodeJS.ProcessEnv): string[] | undefined {
  const keys = env.EASEL_API_KEYS?.split(",").map((k) => k.trim()).filter(Boolean);
  return keys?.length ? keys : undefined;
}

/** The API keys as they stand now (SIGHUP): the environment's, or the config file's read again. Throws a ConfigError for a bad file. */
export function reloadApiKeys(config: Config, env: NodeJS.ProcessEnv = process.env): ApiKeyEntry[] {
  return keysFromEnv(env) ?? (config.configFile ? (readConfigFile(config.configFile).apiKeys ?? []) : config.apiKeys);
}

/** Builds the Config from defaults, an optional config file and the environment. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const configPath = env.EASEL_CONFIG ?? (existsSync("easel.config.json") ? "easel.config.json" : undefined);
  const configFile = configPath ? resolve(configPath) : undefined;
  const file = configFile ? readConfigFile(configFile) : {};
  const apiKeys = keysFromEnv(env);
  const config: Config = {
    host: env.HOST || file.host || "127.0.0.1",
    port: intFromEnv(env, "PORT") ?? file.port ?? 8080,
    dataDir: resolve(env.EASEL_DATA_DIR || file.dataDir || "data"),
    apiKeys: apiKeys ?? file.apiKeys ?? [],
    configFile,
    concurrency: intFromEnv(env, "EASEL_CONCURRENCY") || file.concurrency || availableParallelism(),
    queueLimit: intFromEnv(env, "EASEL_QUEUE_LIMIT") ?? file.queueLimit ?? 64,
    publicUrl: env.EASEL_PUBLIC_URL || file.publicUrl,
    logLevel: env.EASEL_LOG_LEVEL || file.logLevel || "info",
    imageUrlTtlSeconds: file.imageUrlTtlSeconds ?? 3600,
    maxInputPixels: file.maxInputPixels ?? 40_000_000,
    maxUploadBytes: intFromEnv(env, "EASEL_MAX_UPLOAD_BYTES") ?? file.maxUploadBytes ?? 256 * 1024 * 1024,
    maxFileBytes: intFromEnv(env, "EASEL_MAX_FILE_BYTES") || file.maxFileBytes || 512 * 1024 * 1024,
    uploadMemoryBytes: intFromEnv(env, "EASEL_UPLOAD_MEMORY_BYTES") || file.uploadMemoryBytes || 256 * 1024 * 1024,
    bodyTimeoutMs: intFromEnv(env, "EASEL_BODY_TIMEOUT_MS") || file.bodyTimeoutMs || 30_000,
    metricsPort: intFromEnv(env, "EASEL_METRICS_PORT") ?? file.metricsPort,
    moderatePictures: env.EASEL_MODERATE_PICTURES ? env.EASEL_MODERATE_PICTURES !== "0" : (file.moderatePictures ?? true),
    allowPrivateImageUrls: env.EASEL_ALLOW_PRIVATE_IMAGE_URLS === "1" || (file.allowPrivateImageUrls ?? false),
    defaultModel: env.EASEL_DEFAULT_MODEL || file.defaultModel || "dall-e-2",
    defaultGptImageModel: env.EASEL_DEFAULT_GPT_IMAGE_MODEL || file.defaultGptImageModel || "gpt-image-1.5",
    models: { ...builtInModels, ...file.models },
    planner: plannerFromEnv(env, file.planner),
    role: roleFrom(env.EASEL_ROLE || file.role || "all"),
    shared: sharedFromEnv(env, file),
    urlSigningKey: signingKey(env.EASEL_URL_SIGNING_KEY || file.urlSigningKey),
    ...overrides,
  };
  if (config.role !== "all" && !config.shared) throw new ConfigError(`--role ${config.role} needs the shared mode: set EASEL_REDIS_URL and EASEL_DATABASE_URL`);
  return config;
}

export function roleFrom(value: string): Role {
  if (value === "api" || value === "worker" || value === "all") return value;
  throw new ConfigError(`the role must be api, worker or all, got '${value}'`);
}

function sharedFromEnv(env: NodeJS.ProcessEnv, file: z.infer<typeof fileSchema>): SharedConfig | undefined {
  const redisUrl = env.EASEL_REDIS_URL || file.redisUrl;
  const databaseUrl = env.EASEL_DATABASE_URL || file.databaseUrl;
  if (!redisUrl && !databaseUrl) return undefined;
  if (!redisUrl || !databaseUrl) throw new ConfigError("The shared mode needs both EASEL_REDIS_URL and EASEL_DATABASE_URL");
  if (!/^rediss?:\/\//.test(redisUrl)) throw new ConfigError(`EASEL_REDIS_URL must be a redis:// or rediss:// URL, got '${redisUrl}'`);
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw new ConfigError(`EASEL_DATABASE_URL must be a postgres:// URL, got '${databaseUrl}'`);
  const redisPrefix = env.EASEL_REDIS_PREFIX || file.redisPrefix || "easel";
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(redisPrefix)) throw new ConfigError(`EASEL_REDIS_PREFIX takes letters, digits, '_', '.' and '-' (at most 64), got '${redisPrefix}'`);
  const workerModels = env.EASEL_WORKER_MODELS?.split(",").map((m) => m.trim()).filter(Boolean) ?? file.workerModels;
  const jobLockMs = intFromEnv(env, "EASEL_JOB_LOCK_MS") || file.jobLockMs || 15_000;
  return { redisUrl, databaseUrl, redisPrefix, workerModels: workerModels?.length ? workerModels : undefined, jobLockMs };
}

/** The URL signing key as bytes: hex when it reads as hex, base64 otherwise. */
function signingKey(text: string | undefined): Buffer | undefined {
  if (!text) return undefined;
  const bytes = /^[0-9a-f]+$/i.test(text) && text.length % 2 === 0 ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (bytes.length < 32) throw new ConfigError("EASEL_URL_SIGNING_KEY must hold at least 32 bytes (64 hex digits)");
  return bytes;
}
