// The upstream engine's options, as a model's `options` in the config file:
// where the upstream is, how to reach it, and its dialect (the ways it
// departs from OpenAI's Image API). Checked once, when the engine is created
// (at startup), and every mistake is a ConfigError naming the option.
import { z } from "zod";
import { ConfigError } from "../../config.js";
import type { FamilyName } from "../../models/families.js";

const MB = 1024 * 1024;

const schema = z.strictObject({
  /** The upstream's API root, with its version: `http://127.0.0.1:7860/v1`. */
  baseUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as http://127.0.0.1:7860/v1" }),
  /** Name of the environment variable that holds the upstream's API key (sent as a Bearer token). */
  apiKeyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name").optional(),
  /** The model name sent upstream; default: the model name the client used. */
  model: z.string().min(1).optional(),
  /** Whose fields the upstream takes (gpt-image, dall-e-2, dall-e-3); default: the Easel model's family. */
  family: z.enum(["gpt-image", "dall-e-2", "dall-e-3"]).optional(),
  /** One upstream call, from sending the request to the last byte of the answer. */
  timeoutMs: z.int().min(1).default(120_000),
  /** Upstream calls in flight at once, across every job of this engine. */
  concurrency: z.int().min(1).max(256).default(4),
  /** Retries of a call that failed in a way that is safe to retry. */
  retries: z.int().min(0).max(10).default(2),
  /** First retry delay; each further retry doubles it. */
  retryBaseMs: z.int().min(0).max(60_000).default(500),
  /** A 429's Retry-After longer than this is not waited for: the 429 goes to the client. */
  maxRetryAfterMs: z.int().min(0).default(30_000),
  /** What the upstream answers with: `b64_json` (asked for where the family has the field) or only `url`. */
  responseFormat: z.enum(["b64_json", "url"]).default("b64_json"),
  /** The upstream takes `output_format` (Easel then asks for png); default: for gpt-image upstreams. */
  outputFormat: z.boolean().optional(),
  /** The upstream takes `background` and can draw on transparency; default: for gpt-image upstreams. */
  transparency: z.boolean().optional(),
  /** Most input images one edit may send; more are refused with a 400. */
  maxInputImages: z.int().min(1).max(16).default(16),
  /** Most pictures one call returns; Easel makes several calls for larger n. Default: 10 (1 for dall-e-3 upstreams). */
  maxImagesPerCall: z.int().min(1).max(10).optional(),
  /** Forward Easel's `seed` extension (the upstream takes it, as another Easel does). */
  seed: z.boolean().default(false),
  /** The upstream streams partial images: ask it to when the client wants them, and relay them. */
  streaming: z.boolean().default(false),
  /** Sizes the upstream can render; Easel asks for the closest shape and resizes. Default: the requested size. */
  sizes: z.array(z.string().regex(/^[1-9]\d*x[1-9]\d*$/, "must be sizes such as 512x512")).min(1).optional(),
  /** Largest picture downloaded from an upstream that answers with URLs. */
  maxDownloadBytes: z.int().min(1).default(50 * MB),
  /** Time allowed for downloading one picture from a URL the upstream answered with. */
  downloadTimeoutMs: z.int().min(1).default(30_000),
  /** Extra HTTP headers for every upstream call. */
  headers: z.record(z.string(), z.string()).default({}),
  /** Request fields never sent (for upstreams that refuse fields they do not know). */
  omitFields: z.array(z.string()).default([]),
  /** Fields added to every request body (upstream-specific extensions such as steps), overriding Easel's. */
  extraFields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
});

export interface UpstreamOptions extends Omit<z.infer<typeof schema>, "apiKeyEnv" | "family" | "outputFormat" | "transparency" | "sizes" | "maxImagesPerCall"> {
  family: FamilyName;
  maxImagesPerCall: number;
  outputFormat: boolean;
  transparency: boolean;
  sizes?: { width: number; height: number }[];
  /** The key read from apiKeyEnv; never logged. */
  apiKey?: string;
  /** baseUrl without a trailing slash (and without a fragment): what calls append their path to, and what logs show. */
  root: string;
}

/**
 * Checks a model's options for the upstream engine. `family` is the Easel
 * model's family (the default dialect); `model` names the model in messages.
 */
export function parseUpstreamOptions(raw: Record<string, unknown>, family: FamilyName, model: string, env: NodeJS.ProcessEnv = process.env): UpstreamOptions {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.length > 0 ? `options.${issue.path.join(".")}` : "options";
    throw new ConfigError(`Model '${model}' (engine upstream): ${path}: ${issue.message}`);
  }
  const { apiKeyEnv, sizes, ...options } = parsed.data;
  let apiKey: string | undefined;
  if (apiKeyEnv !== undefined) {
    apiKey = env[apiKeyEnv];
    if (!apiKey) throw new ConfigError(`Model '${model}' (engine upstream): options.apiKeyEnv: the environment variable ${apiKeyEnv} is not set`);
  }
  const upstreamFamily = options.family ?? family;
  const url = new URL(options.baseUrl);
  if (url.username || url.password) {
    throw new ConfigError(`Model '${model}' (engine upstream): options.baseUrl: keep credentials out of the URL; name the key's environment variable in options.apiKeyEnv`);
  }
  if (url.search) throw new ConfigError(`Model '${model}' (engine upstream): options.baseUrl: must not have a query string`);
  return {
    ...options,
    family: upstreamFamily,
    maxImagesPerCall: options.maxImagesPerCall ?? (upstreamFamily === "dall-e-3" ? 1 : 10),
    outputFormat: options.outputFormat ?? upstreamFamily === "gpt-image",
    transparency: options.transparency ?? upstreamFamily === "gpt-image",
    sizes: sizes?.map((size) => {
      const [width, height] = size.split("x").map(Number);
      return { width, height };
    }),
    apiKey,
    root: `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`,
  };
}
