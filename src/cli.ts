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
import { RepoCache } from "./hub/cache.js";
import { cachedModels, folderModel } from "./hub/local-models.js";
import { JsonProgress, TerminalProgress } from "./hub/progress.js";
import { formatBytes, pullModel } from "./hub/pull.js";
import { formatHubReference, HubError, hubSettings, isHubPath, parseHubReference } from "./hub/reference.js";

const USAGE = `Usage:
  easel serve [--host HOST] [--port PORT] [--config FILE] [--model NAME=PATH]... [--role api|worker|all]
  easel generate "PROMPT" [options]
  easel edit IMAGE... --prompt "PROMPT" [--mask MASK.png] [options]
  easel explain "PROMPT" [options]   print, as JSON, how the model would draw it
  easel pull OWNER/REPO[@REVISION][:SUBFOLDER]
                        download a model from the Hugging Face Hub into its cache
                        (HF_HOME/HF_HUB_CACHE, HF_TOKEN, HF_ENDPOINT, HF_HUB_OFFLINE)
  easel models [--json] list the diffusion models on this machine

  --model NAME=PATH     (serve) serve the diffusion model in folder PATH as NAME;
                        NAME may be an existing name such as gpt-image-1; PATH may be
                        hf:OWNER/REPO[@REVISION][:SUBFOLDER], pulled on first use
  --role R              (serve, shared mode) api: answer HTTP only; worker: take
                        jobs only; all (default): both. Env EASEL_ROLE

Options for generate and edit:
  --model NAME          model name (default gpt-image-1); NAME=PATH runs the
                        diffusion model in folder PATH (or hf:OWNER/REPO...)
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
  if (command === "pull") {
    const { positionals } = parseArgs({ args: rest, options: {}, allowPositionals: true });
    if (positionals.length !== 1) throw new UsageError("easel pull takes one OWNER/REPO[@REVISION][:SUBFOLDER]");
    return pullCommand(positionals[0]);
  }
  if (command === "models") {
    const { values } = parseArgs({ args: rest, options: { json: { type: "boolean" }, config: { type: "string" } } });
    return modelsCommand(loadConfig(values.config ? { ...process.env, EASEL_CONFIG: values.config } : process.env), Boolean(values.json));
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

/** Downloads a model into the Hub cache, showing progress on stderr; prints where it is as JSON. */
async function pullCommand(spec: string): Promise<number> {
  const reference = parseHubReference(spec);
  const name = `hf:${formatHubReference(reference)}`;
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  const progress = process.stderr.isTTY ? new TerminalProgress(process.stderr) : JsonProgress.lines(process.stderr, name);
  try {
    const pulled = await pullModel(reference, { settings: hubSettings(), progress, signal: controller.signal, warn: (message) => process.stderr.write(`easel: ${message}\n`) });
    process.stdout.write(`${JSON.stringify({ model: name, family: pulled.folder.family, commit: pulled.commit, path: pulled.path, downloaded_bytes: pulled.downloaded }, null, 2)}\n`);
    process.stderr.write(`serve it with: easel serve --model NAME=${name}\n`);
    return 0;
  } catch (error) {
    if (controller.signal.aborted) throw new UsageError(`interrupted; run \`easel pull ${spec}\` again to resume`);
    throw error;
  }
}

/** The diffusion models here: the configuration's, then the Hub cache's. */
async function modelsCommand(config: Config, json: boolean): Promise<number> {
  const settings = hubSettings();
  const configured = await Promise.all(
    Object.entries(config.models)
      .filter(([, model]) => model.engine === "diffusion" && typeof model.options.path === "string")
      .map(async ([name, model]) => {
        const path = String(model.options.path);
        if (!isHubPath(path)) return folderModel(name, path);
        const reference = parseHubReference(path);
        const cache = new RepoCache(settings.cacheDir, reference.repo);
        const commit = await cache.commitOf(reference.revision);
        const pulled = commit ? await folderModel(name, join(cache.snapshot(commit), reference.subfolder)) : undefined;
        return pulled ?? { name, family: `not pulled yet (${path})`, usable: false, bytes: 0, path: cache.folder };
      }),
  );
  const models = [...configured, ...(await cachedModels(settings.cacheDir))];
  if (json) {
    process.stdout.write(`${JSON.stringify({ cache: settings.cacheDir, models }, null, 2)}\n`);
    return 0;
  }
  const rows = [["NAME", "FAMILY", "SIZE", "WHERE"], ...models.map((model) => [model.name, model.family, formatBytes(model.bytes), model.path])];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows) process.stdout.write(`${row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]) : cell)).join("  ")}\n`);
  if (models.length === 0) process.stdout.write(`(none yet: \`easel pull OWNER/REPO\` brings one into ${settings.cacheDir})\n`);
  return 0;
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
    else if (error instanceof ConfigError || error instanceof UsageError || error instanceof HubError) process.stderr.write(`easel: ${error.message}\n`);
    else if ((error as { code?: string }).code === "ENOENT") process.stderr.write(`easel: ${(error as Error).message}\n`);
    else if ((error as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" || (error as { code?: string }).code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") process.stderr.write(`easel: ${(error as Error).message}\n\n${USAGE}`);
    else process.stderr.write(`easel: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
