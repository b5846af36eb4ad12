// The "upstream" engine: another OpenAI-compatible image server behind Easel.
// Each job becomes one or more calls in the upstream's dialect (request.ts);
// the answers come back as RGBA of exactly the requested size (pictures.ts);
// partial images are relayed when the upstream really streams them; usage is
// reported when the upstream reports it. HTTP, retries, the concurrency limit
// and logging live in client.ts.
import { errors } from "../../errors.js";
import type { EngineContext } from "../../models/registry.js";
import type { Engine, ImageJob, RawImage, ReportedUsage, RunOptions } from "../engine.js";
import { UpstreamClient, type UpstreamFile, type UpstreamItem } from "./client.js";
import { parseUpstreamOptions, type UpstreamOptions } from "./options.js";
import { decodeAnswer, encodePng, isOpaque, pickSize } from "./pictures.js";
import { requestFields, splitCalls } from "./request.js";

export { parseUpstreamOptions, type UpstreamOptions } from "./options.js";

const ENDPOINTS = { generate: "generations", edit: "edits", variation: "variations" } as const;

export interface UpstreamEngine extends Engine {
  readonly options: UpstreamOptions;
}

/** Creates the engine from a model's `options`; throws a ConfigError naming any bad option. */
export function createUpstreamEngine(raw: Record<string, unknown>, context: EngineContext): UpstreamEngine {
  const options = parseUpstreamOptions(raw, context.family, context.model);
  const client = new UpstreamClient(options, context.logger);
  return {
    name: "upstream",
    transparency: options.transparency,
    options,
    run: (job, run) => runJob(job, run, options, client),
  };
}

async function runJob(job: ImageJob, { signal, onPartial, onUsage }: RunOptions, options: UpstreamOptions, client: UpstreamClient): Promise<RawImage[]> {
  // What the upstream cannot do is refused before calling it, never faked.
  if (job.background === "transparent" && !options.transparency) {
    throw errors.transparencyUnavailable(job.model, "its upstream server cannot draw on transparency (option transparency: false).");
  }
  if (job.images.length > options.maxInputImages) throw errors.tooManyItems("image", options.maxInputImages, job.images.length);

  const files = await inputFiles(job);
  const size = pickSize(job.width, job.height, options.sizes);
  const target = { width: job.width, height: job.height, background: job.background };
  const relayPartials = onPartial !== undefined && job.partialImages > 0;
  let partialIndex = 0;
  const relay = async (bytes: Buffer) => {
    if (partialIndex >= job.partialImages) return;
    const { frame } = await decodeAnswer(bytes, target);
    if (!signal.aborted) onPartial!(frame, partialIndex++);
  };

  // One failed call stops its siblings: the job fails as a whole.
  const failed = new AbortController();
  const callSignal = AbortSignal.any([signal, failed.signal]);
  const calls = splitCalls(job.n, options.maxImagesPerCall).map(async (plan, i) => {
    try {
      const stream = i === 0 && relayPartials && options.streaming;
      const fields = requestFields(job, options, { ...plan, size, stream });
      const answer = await client.post(ENDPOINTS[job.mode], { fields, files }, { signal: callSignal, onPartial: i === 0 && relayPartials ? relay : undefined });
      if (answer.items.length < plan.count) {
        throw errors.upstreamFailed(`it answered with ${answer.items.length} picture(s) when asked for ${plan.count}.`);
      }
      const frames = await Promise.all(answer.items.slice(0, plan.count).map((item) => picture(item, job, target, client, callSignal)));
      return { frames, usage: answer.usage };
    } catch (error) {
      failed.abort();
      throw error;
    }
  });
  const results = await Promise.all(calls);

  const usages = results.map((result) => result.usage);
  if (onUsage && usages.every((usage) => usage !== undefined)) onUsage(sumUsage(usages as ReportedUsage[]));
  return results.flatMap((result) => result.frames);
}

async function picture(item: UpstreamItem, job: ImageJob, target: Parameters<typeof decodeAnswer>[1], client: UpstreamClient, signal: AbortSignal): Promise<RawImage> {
  let bytes: Buffer;
  if (item.b64_json !== undefined) bytes = Buffer.from(item.b64_json, "base64");
  else if (item.url !== undefined) bytes = await client.download(item.url, signal);
  else throw errors.upstreamFailed("a picture of its answer has neither b64_json nor url.");
  const answered = await decodeAnswer(bytes, target);
  if (job.background === "transparent" && !answered.seeThrough) {
    throw errors.transparencyUnavailable(job.model, "its upstream server answered with an opaque picture.");
  }
  return answered.frame;
}

/** The job's pictures (and mask) as PNG files: `image` for one, `image[]` for several, as OpenAI's clients send them. */
async function inputFiles(job: ImageJob): Promise<UpstreamFile[] | undefined> {
  if (job.mode === "generate") return undefined;
  const field = job.images.length > 1 ? "image[]" : "image";
  const files: UpstreamFile[] = await Promise.all(
    job.images.map(async (image, i) => ({ field, filename: `image-${i + 1}.png`, type: "image/png", bytes: await encodePng(image, !isOpaque(image)) })),
  );
  if (job.mode === "edit" && job.mask) files.push({ field: "mask", filename: "mask.png", type: "image/png", bytes: await encodePng(job.mask, true) });
  return files;
}

/** Several calls of one job: what the upstream counted for each, added up. */
function sumUsage(usages: ReportedUsage[]): ReportedUsage {
  const withDetails = usages.every((usage) => usage.input_tokens_details);
  const total: ReportedUsage = { input_tokens: 0, output_tokens: 0, total_tokens: 0 };
  if (withDetails) total.input_tokens_details = { text_tokens: 0, image_tokens: 0 };
  for (const usage of usages) {
    total.input_tokens += usage.input_tokens;
    total.output_tokens += usage.output_tokens;
    total.total_tokens += usage.total_tokens;
    if (total.input_tokens_details && usage.input_tokens_details) {
      total.input_tokens_details.text_tokens += usage.input_tokens_details.text_tokens;
      total.input_tokens_details.image_tokens += usage.input_tokens_details.image_tokens;
    }
  }
  return total;
}
