#!/usr/bin/env node
// The `easel` command: serve the API, or generate and edit pictures in
// process with the same request model, engines and encoders as the server.
import { readFileSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig, roleFrom, withModelFolders, type Config } from "./config.js";
import { engineFactories } from "./engines/index.js";
import { ApiError } from "./errors.js";
import type { Endpoint } from "./models/families.js";
import { ModelRegistry } from "./models/registry.js";
import { createImages, LocalImageQueue } from "./pipeline.js";
import { JobQueue } from "./queue.js";
import { coerceFormFields, prepareImageRequest } from "./request-model.js";
import { serve } from "./server.js";
import { Progress } from "./cli-progress.js";

const USAGE = `Usage:
  easel serve [--host HOST] [--port PORT] [--config FILE] [--model NAME=PATH]... [--role api|worker|all]
  easel generate "PROMPT" [options]
  easel edit IMAGE... --prompt "PROMPT" [--mask MASK.png] [options]
  easel explain "PROMPT" [options]   print, as JSON, how the model would draw it

  --model NAME=PATH     (serve) serve the diffusion model in folder PATH as NAME;
                        NAME may be an existing name such as gpt-image-1
  --role R              (serve, shared mode) api: answer HTTP only; worker: take
                        jobs only; all (default): both. Env EASEL_ROLE

Options for generate and edit:
  --model NAME          model name (default gpt-image-1); NAME=PATH runs the
                        diffusion model in folder PATH
  --size WxH|auto       e.g. 1024x1024, 1536x1024, 1024x1536
  --quality Q           low, medium, high or auto
  --format F            png, jpeg or webp
  --background B        transparent, opaque or auto
  --compression N       0-100, jpeg and webp only
  --n N                 number of pictures (1-10)
  --seed N              make the result reproducible
  --input-fidelity F    low or high (edit only)
  --negative-prompt T   what to steer away from (diffusion models)
  --guidance-scale G    classifier-free guidance, 0-50 (diffusion models)
  --strength S          0.01-1: how far an edit departs from the input (diffusion models)
  --steps N             denoising steps, 1-200, instead of the quality's (diffusion models)
  -o, --output FILE     where to write (several pictures: FILE-1.png, FILE-2.png, ...)
`;

const imageOptions = {
  model: { type: "string" },
  size: { type: "string" },
  quality: { type: "string" },
  format: { type: "string" },
  background: { type: "string" },
  compression: { type: "string" },
  n: { type: "string" },
  seed: { type: "string" },
  prompt: { type: "string" },
  mask: { type: "string" },
  "input-fidelity": { type: "string" },
  "negative-prompt": { type: "string" },
  "guidance-scale": { type: "string" },
  strength: { type: "string" },
  steps: { type: "string" },
  output: { type: "string", short: "o" },
  config: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "help" || command === "--help" || command === "-h") {
    process.stdout.write(USAGE);
    return command ? 0 : 1;
  }
  if (command === "serve") {
    const serveOptions = { host: { type: "string" }, port: { type: "string" }, config: { type: "string" }, model: { type: "string", multiple: true }, role: { type: "string" } } as const;
    const { values } = parseArgs({ args: rest, options: serveOptions });
    const env = {
      ...process.env,
      ...(values.config ? { EASEL_CONFIG: values.config } : {}),
      ...(values.port ? { PORT: values.port } : {}),
      ...(values.host ? { HOST: values.host } : {}),
      ...(values.role ? { EASEL_ROLE: roleFrom(values.role) } : {}),
    };
    await serve(withModelFolders(loadConfig(env), values.model ?? []));
    return -1; // keeps running
  }
  if (command === "generate" || command === "edit" || command === "explain") {
    const { values, positionals } = parseArgs({ args: rest, options: imageOptions, allowPositionals: true });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    const folder = values.model?.includes("=") ? [values.model] : [];
    const config = withModelFolders(loadConfig(values.config ? { ...process.env, EASEL_CONFIG: values.config } : process.env), folder);
    if (folder.length) values.model = values.model!.split("=")[0];
    if (command === "explain") return explainCommand(values, positionals, config);
    return runImageCommand(command === "generate" ? "generations" : "edits", values, positionals, config);
  }
  process.stderr.write(`easel: unknown command '${command}'\n\n${USAGE}`);
  return 1;
}

type ImageFlags = { [K in keyof typeof imageOptions]?: (typeof imageOptions)[K]["type"] extends "string" ? string : boolean };

async function runImageCommand(endpoint: Endpoint, flags: ImageFlags, positionals: string[], config: Config): Promise<number> {
  const prompt = endpoint === "generations" ? positionals.join(" ") : flags.prompt;
  const imagePaths = endpoint === "edits" ? positionals : [];
  const fields = requestFields(flags, prompt);

  if (endpoint === "edits" && imagePaths.length === 0) throw new UsageError("easel edit needs at least one IMAGE");
  const uploads = {
    images: imagePaths.map((path, i) => ({ param: imagePaths.length > 1 ? `image[${i}]` : "image", bytes: readFileSync(path) })),
    mask: flags.mask ? { param: "mask", bytes: readFileSync(flags.mask) } : undefined,
  };
  const registry = new ModelRegistry(config.models, engineFactories, { cacheDir: join(config.dataDir, "cache"), threads: config.concurrency });
  const request = await prepareImageRequest(endpoint, coerceFormFields(fields), uploads, registry, config);

  const progress = new Progress(process.stderr, `${request.job.width}x${request.job.height} ${request.job.quality} ${request.outputFormat}`);
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  try {
    const result = await createImages(request, new LocalImageQueue(new JobQueue(1, 0)), controller.signal);
    progress.done();
    const paths = result.images.map((bytes, i) => {
      const path = outputPath(flags.output, prompt ?? "image", request.outputFormat, i, result.images.length);
      writeFileSync(path, bytes);
      return path;
    });
    process.stdout.write(`${JSON.stringify({ files: paths, size: `${request.job.width}x${request.job.height}`, quality: request.job.quality, background: request.job.background, seed: request.job.seed, usage: result.usage }, null, 2)}\n`);
    return 0;
  } finally {
    progress.stop();
    await registry.dispose();
  }
}

/** The CLI speaks the API's field names, so one request model checks both. */
function requestFields(flags: ImageFlags, prompt: string | undefined): Record<string, string> {
  const fields: Record<string, string> = {};
  const set = (name: string, value: string | undefined) => value !== undefined && (fields[name] = value);
  set("prompt", prompt);
  set("model", flags.model ?? "gpt-image-1");
  set("size", flags.size);
  set("quality", flags.quality);
  set("output_format", flags.format ?? formatFromPath(flags.output));
  set("background", flags.background);
  set("output_compression", flags.compression);
  set("n", flags.n);
  set("seed", flags.seed);
  set("input_fidelity", flags["input-fidelity"]);
  set("negative_prompt", flags["negative-prompt"]);
  set("guidance_scale", flags["guidance-scale"]);
  set("strength", flags.strength);
  set("steps", flags.steps);
  return fields;
}

/** Prints the engine's plan for a generation without drawing it. */
async function explainCommand(flags: ImageFlags, positionals: string[], config: Config): Promise<number> {
  const registry = new ModelRegistry(config.models, engineFactories, { cacheDir: join(config.dataDir, "cache"), threads: config.concurrency });
  try {
    const request = await prepareImageRequest("generations", coerceFormFields(requestFields(flags, positionals.join(" "))), { images: [] }, registry, config);
    const plan = await request.model.engine().explain?.(request.job);
    process.stdout.write(`${JSON.stringify(plan ?? { engine: request.model.engine().name, note: "this engine does not explain its pictures" }, null, 2)}\n`);
    return 0;
  } finally {
    await registry.dispose();
  }
}

class UsageError extends Error {}

function formatFromPath(path: string | undefined): string | undefined {
  const extension = path ? extname(path).slice(1).toLowerCase() : "";
  return extension === "jpg" ? "jpeg" : ["png", "jpeg", "webp"].includes(extension) ? extension : undefined;
}

function outputPath(output: string | undefined, prompt: string, format: string, index: number, count: number): string {
  const extension = format === "jpeg" ? "jpg" : format;
  const base = output ?? `${prompt.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40) || "image"}.${extension}`;
  if (count === 1) return base;
  const dot = base.lastIndexOf(".");
  return dot > 0 ? `${base.slice(0, dot)}-${index + 1}${base.slice(dot)}` : `${base}-${index + 1}`;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ApiError) process.stderr.write(`easel: ${error.message}${error.param ? ` (param: ${error.param})` : ""}\n`);
    else if (error instanceof ConfigError || error instanceof UsageError) process.stderr.write(`easel: ${error.message}\n`);
    else if ((error as { code?: string }).code === "ENOENT") process.stderr.write(`easel: ${(error as Error).message}\n`);
    else if ((error as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" || (error as { code?: string }).code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") process.stderr.write(`easel: ${(error as Error).message}\n\n${USAGE}`);
    else process.stderr.write(`easel: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
