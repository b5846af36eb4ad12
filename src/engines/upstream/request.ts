// The upstream's dialect: which of OpenAI's request fields one call sends.
// By default OpenAI's exact fields for the upstream's family; the options
// describe the common deviations (no output_format, no background, only url
// answers, seed taken, fields to leave out or add).
import type { ImageJob } from "../engine.js";
import type { FieldValue } from "./client.js";
import type { UpstreamOptions } from "./options.js";

/** One call of a job: `count` pictures, the first of them picture `offset` of the job. */
export interface CallPlan {
  count: number;
  offset: number;
  size: { width: number; height: number };
  /** Ask the upstream to stream partial images. */
  stream: boolean;
}

/** Splits n pictures into calls of at most `perCall`. */
export function splitCalls(n: number, perCall: number): { count: number; offset: number }[] {
  const calls: { count: number; offset: number }[] = [];
  for (let offset = 0; offset < n; offset += perCall) calls.push({ count: Math.min(perCall, n - offset), offset });
  return calls;
}

export function requestFields(job: ImageJob, options: UpstreamOptions, plan: CallPlan): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = { model: options.model ?? job.model };
  if (job.mode !== "variation") fields.prompt = job.prompt;
  fields.n = plan.count;
  fields.size = `${plan.size.width}x${plan.size.height}`;
  const dallE = options.family !== "gpt-image";
  if (job.mode !== "variation") {
    if (options.family === "gpt-image") fields.quality = job.quality;
    if (options.family === "dall-e-3") fields.quality = job.quality === "high" ? "hd" : "standard";
    if (options.family === "dall-e-3" && job.style) fields.style = job.style;
    if (options.transparency) fields.background = job.background;
    if (options.outputFormat) fields.output_format = "png";
    // Defaults are left out, so upstreams that lack these fields are not troubled by them.
    if (options.family === "gpt-image" && job.moderation === "low") fields.moderation = "low";
    if (options.family === "gpt-image" && job.mode === "edit" && job.inputFidelity === "high") fields.input_fidelity = "high";
  }
  // GPT image models always answer b64_json and refuse the field; DALL·E models take it.
  if (dallE || options.responseFormat === "url") fields.response_format = options.responseFormat;
  if (plan.stream) {
    fields.stream = true;
    fields.partial_images = job.partialImages;
  }
  // Picture i of a job uses seed + i, so a call starting at picture `offset` starts at seed + offset.
  if (options.seed) fields.seed = (job.seed + plan.offset) % 2 ** 32;
  for (const name of options.omitFields) delete fields[name];
  return { ...fields, ...options.extraFields };
}
