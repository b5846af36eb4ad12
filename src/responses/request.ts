// POST /v1/responses bodies: OpenAI's CreateResponse fields, checked and
// normalised. Every field of the schema is known (an unknown one is
// `unknown_parameter`); the ones Easel cannot honour are refused by name
// rather than ignored. Input items are only checked for shape here; ids are
// resolved against the store later (conversation.ts).
import { z } from "zod";
import { ApiError, errors, quoteValue } from "../errors.js";
import { MAX_IMAGE_URL, MAX_NAME, MAX_TEXT, withinLength } from "../limits.js";

export type ToolAction = "auto" | "generate" | "edit";

/** OpenAI's ImageGenTool, plus Easel's `seed` extension. */
const imageToolSchema = z.strictObject({
  type: z.literal("image_generation"),
  model: z.string().max(MAX_NAME).nullish(),
  quality: z.enum(["low", "medium", "high", "auto"]).nullish(),
  size: z.string().max(MAX_NAME).nullish(),
  output_format: z.enum(["png", "webp", "jpeg"]).nullish(),
  output_compression: z.int().min(0).max(100).nullish(),
  moderation: z.enum(["auto", "low"]).nullish(),
  background: z.enum(["transparent", "opaque", "auto"]).nullish(),
  input_fidelity: z.enum(["high", "low"]).nullish(),
  input_image_mask: z.strictObject({ image_url: z.string().max(MAX_IMAGE_URL).nullish(), file_id: z.string().max(MAX_NAME).nullish() }).nullish(),
  partial_images: z.int().min(0).max(3).nullish(),
  action: z.enum(["generate", "edit", "auto"]).nullish(),
  seed: z.int().min(0).max(2 ** 32 - 1).nullish(),
});

export type ImageTool = z.infer<typeof imageToolSchema>;

const nullish = <T extends z.ZodType>(schema: T) => schema.nullish();

/** The top-level fields of CreateResponse (tools, tool_choice and input are checked by hand below). */
const bodySchema = z.strictObject({
  model: z.string().max(MAX_NAME),
  input: z.unknown().optional(),
  instructions: nullish(z.string().max(MAX_TEXT)),
  previous_response_id: nullish(z.string().max(MAX_NAME)),
  tools: nullish(z.array(z.unknown())),
  tool_choice: z.unknown().optional(),
  store: nullish(z.boolean()),
  stream: nullish(z.boolean()),
  stream_options: nullish(z.strictObject({ include_obfuscation: nullish(z.boolean()) })),
  background: nullish(z.boolean()),
  metadata: nullish(z.record(z.string(), z.string())),
  temperature: nullish(z.number().min(0).max(2)),
  top_p: nullish(z.number().min(0).max(1)),
  top_logprobs: nullish(z.int().min(0).max(20)),
  max_output_tokens: nullish(z.int().min(16)),
  max_tool_calls: nullish(z.int().min(0)),
  parallel_tool_calls: nullish(z.boolean()),
  truncation: nullish(z.enum(["auto", "disabled"])),
  service_tier: nullish(z.enum(["auto", "default", "flex", "scale", "priority", "fast", "ultrafast"])),
  text: nullish(
    z.strictObject({
      format: nullish(z.looseObject({ type: z.enum(["text", "json_schema", "json_object"]) })),
      verbosity: nullish(z.enum(["low", "medium", "high"])),
    }),
  ),
  reasoning: nullish(
    z.strictObject({
      effort: nullish(z.enum(["none", "minimal", "low", "medium", "high", "xhigh"])),
      summary: nullish(z.enum(["auto", "concise", "detailed"])),
      generate_summary: nullish(z.enum(["auto", "concise", "detailed"])),
      mode: z.unknown().optional(),
      context: nullish(z.enum(["auto", "current_turn", "all_turns"])),
    }),
  ),
  include: nullish(
    z.array(
      z.enum([
        "file_search_call.results", "web_search_call.results", "web_search_call.action.sources", "message.input_image.image_url",
        "computer_call_output.output.image_url", "code_interpreter_call.outputs", "reasoning.encrypted_content", "message.output_text.logprobs",
      ]),
    ),
  ),
  user: nullish(z.string().max(MAX_NAME)),
  safety_identifier: nullish(z.string().max(64)),
  prompt_cache_key: nullish(z.string().max(MAX_NAME)),
  prompt_cache_retention: nullish(z.enum(["in_memory", "24h"])),
  prompt_cache_options: z.unknown().optional(),
  // Known to OpenAI, not offered by Easel: refused by name when set.
  conversation: z.unknown().optional(),
  prompt: z.unknown().optional(),
  context_management: z.unknown().optional(),
  moderation: z.unknown().optional(),
});

const UNSUPPORTED_FIELDS: Record<string, string> = {
  conversation: "Easel keeps conversation state with 'previous_response_id'; the Conversations API is not available.",
  prompt: "Easel has no stored prompt templates.",
  context_management: "Easel does not compact conversations.",
  moderation: "Easel moderates image prompts through the image_generation tool's 'moderation' option.",
};

/** Input content parts, as the client sent them (ids are assigned later). */
export type InputPart =
  | { type: "input_text"; text: string }
  | { type: "input_image"; image_url?: string; file_id?: string; detail: "low" | "high" | "auto" | "original" }
  | { type: "output_text"; text: string }
  | { type: "refusal"; refusal: string };

export type InputEntry =
  | { kind: "message"; param: string; id?: string; role: "user" | "assistant" | "system" | "developer"; content: InputPart[] }
  /** An earlier image_generation_call given in full (with its result). */
  | { kind: "image_call"; param: string; item: Record<string, unknown> & { id: string; result: string } }
  /** An item named by id alone: `{type: "item_reference", id}` or `{type: "image_generation_call", id}`. */
  | { kind: "reference"; param: string; id: string; expect?: "image_generation_call" };

export interface ToolChoice {
  /** Whether the image tool may be called at all. */
  allowed: boolean;
  /** Whether it must be called. */
  required: boolean;
}

export interface ResponseRequest {
  model: string;
  input: InputEntry[];
  instructions: string | null;
  previousResponseId: string | null;
  /** The image_generation tool, if the request has one, with its index in `tools` for error params. */
  tool: { options: ImageTool; index: number } | null;
  toolChoice: ToolChoice;
  store: boolean;
  stream: boolean;
  background: boolean;
  /** The fields echoed into the Response object. */
  echo: {
    tools: Record<string, unknown>[];
    tool_choice: unknown;
    metadata: Record<string, string>;
    temperature: number;
    top_p: number;
    top_logprobs: number;
    max_output_tokens: number | null;
    max_tool_calls: number | null;
    parallel_tool_calls: boolean;
    truncation: "auto" | "disabled";
    service_tier: string;
    text: { format: { type: string; [key: string]: unknown }; verbosity: string };
    reasoning: { effort: string | null; summary: string | null };
    user: string | null;
    safety_identifier: string | null;
    prompt_cache_key: string | null;
  };
}

/** Formats a path as OpenAI writes params: `tools[0].size`, `input[1].content[0].image_url`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "");
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) value = value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/** OpenAI's limit on tools; Easel's on input items and a message's content parts. */
const MAX_TOOLS = 128;
const MAX_ITEMS = 10_000;
const MAX_PARTS = 1_000;

/** Fields that take decimals: OpenAI calls their range errors decimal_…_value. */
const DECIMAL_FIELDS = new Set(["temperature", "top_p"]);

/** A zod issue as OpenAI's error, its param prefixed with where the checked object sits. */
export function issueToError(issue: z.core.$ZodIssue, root: unknown, prefix: readonly PropertyKey[] = []): ApiError {
  const path = [...prefix, ...issue.path];
  const param = formatPath(path);
  const value = valueAt(root, issue.path);
  switch (issue.code) {
    case "unrecognized_keys":
      return errors.unknownParam(formatPath([...path, issue.keys[0]]));
    case "invalid_type":
      if (value === undefined) return errors.missingParam(param);
      return errors.invalidType(param, issue.expected === "int" ? "an integer" : issue.expected === "record" ? "an object" : `a ${issue.expected}`, value);
    case "invalid_value":
      return errors.invalidValue(param, value, issue.values.map(String));
    case "too_small":
      if (typeof value !== "number") return errors.invalidParam(param, `Invalid '${param}': expected at least ${String(issue.minimum)}.`);
      if (DECIMAL_FIELDS.has(param)) return errors.decimalBelowMin(param, Number(issue.minimum), value);
      return errors.belowMin(param, Number(issue.minimum), value);
    case "too_big":
      if (typeof value === "string") return errors.stringTooLong(param, Number(issue.maximum), value.length);
      if (typeof value !== "number") return errors.invalidParam(param, `Invalid '${param}': expected at most ${String(issue.maximum)}.`);
      if (DECIMAL_FIELDS.has(param)) return errors.decimalAboveMax(param, Number(issue.maximum), value);
      return errors.aboveMax(param, Number(issue.maximum), value);
    default:
      return errors.invalidType(param, "a valid value", value);
  }
}

function parse<T extends z.ZodType>(schema: T, value: unknown, prefix: readonly PropertyKey[] = []): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw issueToError(parsed.error.issues[0], value, prefix);
  return parsed.data;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Item types of OpenAI's schema that Easel cannot take as input (it has no other tools and no reasoning items). */
const FOREIGN_ITEM_TYPES = new Set([
  "file_search_call", "computer_call", "computer_call_output", "web_search_call", "function_call", "function_call_output",
  "reasoning", "code_interpreter_call", "local_shell_call", "local_shell_call_output", "mcp_list_tools", "mcp_approval_request",
  "mcp_approval_response", "mcp_call", "custom_tool_call", "custom_tool_call_output", "compaction", "shell_call", "shell_call_output",
  "apply_patch_call", "apply_patch_call_output", "tool_search_call", "tool_search_output", "additional_tools", "program", "program_output",
]);

function parseContentPart(part: unknown, role: string, param: string): InputPart {
  if (!isObject(part)) throw errors.invalidType(param, "an object", part);
  const { type } = part;
  if (type === undefined) throw errors.missingParam(`${param}.type`);
  const allowKeys = (keys: string[]) => {
    const extra = Object.keys(part).find((key) => !keys.includes(key));
    if (extra) throw errors.unknownParam(`${param}.${extra}`);
  };
  const text = (field: string): string => {
    const value = part[field];
    if (value === undefined) throw errors.missingParam(`${param}.${field}`);
    if (typeof value !== "string") throw errors.invalidType(`${param}.${field}`, "a string", value);
    return withinLength(value, `${param}.${field}`, MAX_TEXT);
  };
  const assistant = role === "assistant";
  switch (type) {
    case "input_text":
      if (assistant) throw errors.invalidValue(`${param}.type`, type, ["output_text", "refusal"]);
      allowKeys(["type", "text", "prompt_cache_breakpoint"]);
      return { type: "input_text", text: text("text") };
    case "input_image": {
      if (assistant) throw errors.invalidValue(`${param}.type`, type, ["output_text", "refusal"]);
      allowKeys(["type", "image_url", "file_id", "detail", "prompt_cache_breakpoint"]);
      const url = part.image_url ?? undefined;
      const fileId = part.file_id ?? undefined;
      if (url !== undefined && typeof url !== "string") throw errors.invalidType(`${param}.image_url`, "a string", url);
      if (fileId !== undefined && typeof fileId !== "string") throw errors.invalidType(`${param}.file_id`, "a string", fileId);
      if (typeof url === "string") withinLength(url, `${param}.image_url`, MAX_IMAGE_URL);
      if (typeof fileId === "string") withinLength(fileId, `${param}.file_id`, MAX_NAME);
      if (url === undefined && fileId === undefined) throw errors.missingParam(`${param}.image_url`);
      if (url !== undefined && fileId !== undefined) {
        throw errors.invalidParam(`${param}`, `Invalid '${param}': give either 'image_url' or 'file_id', not both.`);
      }
      const detail = part.detail ?? "auto";
      if (detail !== "low" && detail !== "high" && detail !== "auto" && detail !== "original") {
        throw errors.invalidValue(`${param}.detail`, detail, ["low", "high", "auto", "original"]);
      }
      return url !== undefined ? { type: "input_image", image_url: url as string, detail } : { type: "input_image", file_id: fileId as string, detail };
    }
    case "output_text":
      if (!assistant) throw errors.invalidValue(`${param}.type`, type, ["input_text", "input_image"]);
      allowKeys(["type", "text", "annotations", "logprobs"]);
      return { type: "output_text", text: text("text") };
    case "refusal":
      if (!assistant) throw errors.invalidValue(`${param}.type`, type, ["input_text", "input_image"]);
      allowKeys(["type", "refusal"]);
      return { type: "refusal", refusal: text("refusal") };
    case "input_file":
    case "input_audio":
      throw errors.unsupportedValue(`${param}.type`, `Content of type '${type}' is not supported by Easel: messages may hold text and images.`);
    default:
      throw errors.invalidValue(`${param}.type`, type, assistant ? ["output_text", "refusal"] : ["input_text", "input_image"]);
  }
}

function parseMessage(item: Record<string, unknown>, param: string): InputEntry {
  const extra = Object.keys(item).find((key) => !["type", "role", "content", "id", "status", "phase"].includes(key));
  if (extra) throw errors.unknownParam(`${param}.${extra}`);
  const { role, content, id } = item;
  if (role === undefined) throw errors.missingParam(`${param}.role`);
  if (role !== "user" && role !== "assistant" && role !== "system" && role !== "developer") {
    throw errors.invalidValue(`${param}.role`, role, ["user", "assistant", "system", "developer"]);
  }
  if (id !== undefined && typeof id !== "string") throw errors.invalidType(`${param}.id`, "a string", id);
  if (typeof id === "string") withinLength(id, `${param}.id`, MAX_NAME);
  if (content === undefined) throw errors.missingParam(`${param}.content`);
  let parts: InputPart[];
  if (typeof content === "string") withinLength(content, `${param}.content`, MAX_TEXT);
  if (Array.isArray(content) && content.length > MAX_PARTS) throw errors.tooManyItems(`${param}.content`, MAX_PARTS, content.length);
  if (typeof content === "string") parts = [role === "assistant" ? { type: "output_text", text: content } : { type: "input_text", text: content }];
  else if (Array.isArray(content)) parts = content.map((part, j) => parseContentPart(part, role, `${param}.content[${j}]`));
  else throw errors.invalidType(`${param}.content`, "a string or an array", content);
  return { kind: "message", param, id: id as string | undefined, role, content: parts };
}

function parseInputItem(item: unknown, param: string): InputEntry {
  if (!isObject(item)) throw errors.invalidType(param, "an object", item);
  const { type } = item;
  if (type === undefined || type === null) {
    if (item.role !== undefined) return parseMessage(item, param);
    if (typeof item.id === "string") return reference(item, param);
    throw errors.missingParam(`${param}.type`);
  }
  if (type === "message") return parseMessage(item, param);
  if (type === "item_reference") return reference(item, param);
  if (type === "image_generation_call") {
    if (typeof item.id !== "string") throw item.id === undefined ? errors.missingParam(`${param}.id`) : errors.invalidType(`${param}.id`, "a string", item.id);
    withinLength(item.id, `${param}.id`, MAX_NAME);
    const extra = Object.keys(item).find((key) => !["type", "id", "status", "result", "revised_prompt", "action", "background", "output_format", "quality", "size"].includes(key));
    if (extra) throw errors.unknownParam(`${param}.${extra}`);
    if (typeof item.result === "string" && item.result.length > 0) return { kind: "image_call", param, item: item as Record<string, unknown> & { id: string; result: string } };
    return { kind: "reference", param, id: item.id, expect: "image_generation_call" };
  }
  if (typeof type === "string" && FOREIGN_ITEM_TYPES.has(type)) {
    throw errors.unsupportedValue(`${param}.type`, `Input items of type '${type}' are not supported by Easel: it takes messages and image_generation_call items.`);
  }
  throw errors.invalidValue(`${param}.type`, type, ["message", "image_generation_call", "item_reference"]);
}

function reference(item: Record<string, unknown>, param: string): InputEntry {
  const extra = Object.keys(item).find((key) => key !== "type" && key !== "id");
  if (extra) throw errors.unknownParam(`${param}.${extra}`);
  if (typeof item.id !== "string") throw item.id === undefined ? errors.missingParam(`${param}.id`) : errors.invalidType(`${param}.id`, "a string", item.id);
  withinLength(item.id, `${param}.id`, MAX_NAME);
  return { kind: "reference", param, id: item.id };
}

/** Tool types of OpenAI's schema; Easel has only image_generation. */
const KNOWN_TOOL_TYPES = [
  "function", "file_search", "computer", "computer_use_preview", "computer_use", "web_search", "web_search_2025_08_26", "web_search_preview",
  "web_search_preview_2025_03_11", "mcp", "code_interpreter", "image_generation", "local_shell", "shell", "custom", "namespace", "tool_search",
  "apply_patch", "programmatic_tool_calling",
];

function parseTools(tools: unknown[]): { tool: ResponseRequest["tool"]; echo: Record<string, unknown>[] } {
  let tool: ResponseRequest["tool"] = null;
  const echo: Record<string, unknown>[] = [];
  tools.forEach((raw, index) => {
    const param = `tools[${index}]`;
    if (!isObject(raw)) throw errors.invalidType(param, "an object", raw);
    if (raw.type === undefined) throw errors.missingParam(`${param}.type`);
    if (raw.type !== "image_generation") {
      if (typeof raw.type === "string" && KNOWN_TOOL_TYPES.includes(raw.type)) {
        throw errors.unsupportedValue(`${param}.type`, `Tools of type '${raw.type}' are not supported by Easel: it offers the 'image_generation' tool.`);
      }
      throw errors.invalidValue(`${param}.type`, raw.type, KNOWN_TOOL_TYPES);
    }
    if (tool) throw errors.invalidParam(param, `Invalid '${param}': only one 'image_generation' tool may be given.`);
    const options = parse(imageToolSchema, raw, ["tools", index]);
    tool = { options, index };
    echo.push(echoTool(options));
  });
  return { tool, echo };
}

/** The tool as OpenAI echoes it: its defaults filled in, the options given kept. */
function echoTool(options: ImageTool): Record<string, unknown> {
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined && value !== null));
  return {
    type: "image_generation",
    background: "auto",
    model: "gpt-image-1",
    moderation: "auto",
    output_compression: 100,
    output_format: "png",
    quality: "auto",
    size: "auto",
    ...given,
  };
}

function parseToolChoice(choice: unknown, tool: ResponseRequest["tool"], toolCount: number): ToolChoice {
  const notInTools = (name: string) =>
    errors.invalidParam("tool_choice", `Tool choice '${name}' not found in 'tools' parameter.`);
  if (choice === undefined || choice === null || choice === "auto") return { allowed: tool !== null, required: false };
  if (choice === "none") return { allowed: false, required: false };
  if (choice === "required") {
    if (toolCount === 0) throw errors.invalidParam("tool_choice", "Tool choice 'required' must be used with at least one tool in 'tools'.");
    return { allowed: true, required: true };
  }
  if (typeof choice === "string") throw errors.invalidValue("tool_choice", choice, ["none", "auto", "required"]);
  if (!isObject(choice)) throw errors.invalidType("tool_choice", "a string or an object", choice);
  if (choice.type === "image_generation") {
    const extra = Object.keys(choice).find((key) => key !== "type");
    if (extra) throw errors.unknownParam(`tool_choice.${extra}`);
    if (!tool) throw notInTools("image_generation");
    return { allowed: true, required: true };
  }
  if (choice.type === "allowed_tools") {
    const { mode, tools } = choice;
    if (mode !== "auto" && mode !== "required") throw errors.invalidValue("tool_choice.mode", mode, ["auto", "required"]);
    if (!Array.isArray(tools)) throw errors.invalidType("tool_choice.tools", "an array", tools);
    tools.forEach((entry, i) => {
      if (!isObject(entry)) throw errors.invalidType(`tool_choice.tools[${i}]`, "an object", entry);
      if (entry.type !== "image_generation" || !tool) throw notInTools(quoteValue(entry.type ?? entry.name ?? "?"));
    });
    const allowed = tools.length > 0;
    if (mode === "required" && !allowed) throw errors.invalidParam("tool_choice", "Tool choice 'allowed_tools' with mode 'required' needs at least one tool.");
    return { allowed, required: mode === "required" };
  }
  if (typeof choice.type === "string") {
    const name = typeof choice.name === "string" ? choice.name : choice.type;
    throw notInTools(name);
  }
  throw errors.missingParam("tool_choice.type");
}

/** Checks a CreateResponse body; every problem becomes OpenAI's 400. */
export function parseResponseRequest(body: Record<string, unknown>): ResponseRequest {
  const fields = parse(bodySchema, body);
  for (const [name, why] of Object.entries(UNSUPPORTED_FIELDS)) {
    if (fields[name as keyof typeof fields] != null) throw errors.unsupportedForModel(name, fields.model, why);
  }
  if (fields.model.trim() === "") throw errors.emptyString("model");
  if (fields.metadata) checkMetadata(fields.metadata);
  if (fields.text?.format && fields.text.format.type !== "text") {
    throw errors.unsupportedValue("text.format.type", `Easel's planner answers in plain text; text.format '${fields.text.format.type}' is not supported.`);
  }

  let input: InputEntry[];
  if (fields.input === undefined || fields.input === null) {
    if (!fields.previous_response_id) throw errors.missingParam("input");
    input = [];
  } else if (typeof fields.input === "string") {
    withinLength(fields.input, "input", MAX_TEXT);
    input = [{ kind: "message", param: "input", role: "user", content: [{ type: "input_text", text: fields.input }] }];
  } else if (Array.isArray(fields.input)) {
    if (fields.input.length > MAX_ITEMS) throw errors.tooManyItems("input", MAX_ITEMS, fields.input.length);
    input = fields.input.map((item, i) => parseInputItem(item, `input[${i}]`));
  } else {
    throw errors.invalidType("input", "a string or an array", fields.input);
  }

  if ((fields.tools ?? []).length > MAX_TOOLS) throw errors.tooManyItems("tools", MAX_TOOLS, fields.tools!.length);
  const { tool, echo: tools } = parseTools(fields.tools ?? []);
  const toolChoice = parseToolChoice(fields.tool_choice, tool, (fields.tools ?? []).length);
  const store = fields.store ?? true;
  const background = fields.background ?? false;
  if (background && !store) throw errors.unsupportedValue("background", "Background responses must be stored: 'background' needs 'store' to be true.");
  if (fields.stream_options != null && !fields.stream) throw errors.invalidParam("stream_options", "Invalid 'stream_options': only allowed when 'stream' is true.");

  return {
    model: fields.model,
    input,
    instructions: fields.instructions ?? null,
    previousResponseId: fields.previous_response_id ?? null,
    tool,
    toolChoice,
    store,
    stream: fields.stream ?? false,
    background,
    echo: {
      tools,
      tool_choice: fields.tool_choice ?? "auto",
      metadata: fields.metadata ?? {},
      temperature: fields.temperature ?? 1,
      top_p: fields.top_p ?? 1,
      top_logprobs: fields.top_logprobs ?? 0,
      max_output_tokens: fields.max_output_tokens ?? null,
      max_tool_calls: fields.max_tool_calls ?? null,
      parallel_tool_calls: fields.parallel_tool_calls ?? true,
      truncation: fields.truncation ?? "disabled",
      service_tier: fields.service_tier && fields.service_tier !== "auto" ? fields.service_tier : "default",
      text: { format: (fields.text?.format as { type: string }) ?? { type: "text" }, verbosity: fields.text?.verbosity ?? "medium" },
      reasoning: { effort: fields.reasoning?.effort ?? null, summary: fields.reasoning?.summary ?? null },
      user: fields.user ?? null,
      safety_identifier: fields.safety_identifier ?? null,
      prompt_cache_key: fields.prompt_cache_key ?? null,
    },
  };
}

/** OpenAI's limits: 16 pairs, keys up to 64 characters, values up to 512. */
function checkMetadata(metadata: Record<string, string>): void {
  const entries = Object.entries(metadata);
  if (entries.length > 16) throw errors.invalidParam("metadata", `Invalid 'metadata': too many properties. Expected an object with at most 16 properties, but got an object with ${entries.length} properties instead.`);
  for (const [key, value] of entries) {
    if (key.length > 64) throw errors.stringTooLong(`metadata.${key.slice(0, 16)}…`, 64, key.length);
    if (value.length > 512) throw errors.stringTooLong(`metadata.${key}`, 512, value.length);
  }
}
