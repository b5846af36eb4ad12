// The Responses API's wire objects, as OpenAI's schema (`Response`,
// `OutputMessage`, `InputMessageResource`, `ImageGenToolCall`, `ResponseUsage`)
// describes them. Everything here is plain JSON: it is what the store keeps
// and what the routes send.
import { randomBytes } from "node:crypto";

export interface InputTextPart {
  type: "input_text";
  text: string;
}

export interface InputImagePart {
  type: "input_image";
  image_url?: string | null;
  file_id?: string | null;
  detail: "low" | "high" | "auto" | "original";
}

export interface OutputTextPart {
  type: "output_text";
  text: string;
  annotations: unknown[];
  logprobs?: unknown[];
}

export interface RefusalPart {
  type: "refusal";
  refusal: string;
}

/** A user, system or developer message, as listed by input_items. */
export interface InputMessageItem {
  id: string;
  type: "message";
  role: "user" | "system" | "developer";
  status: "completed";
  content: (InputTextPart | InputImagePart)[];
}

/** An assistant message: in a response's output, or passed back as input. */
export interface OutputMessageItem {
  id: string;
  type: "message";
  role: "assistant";
  status: "in_progress" | "completed" | "incomplete";
  content: (OutputTextPart | RefusalPart)[];
}

/** The image tool's call: OpenAI's ImageGenToolCall plus the settings it reports. */
export interface ImageGenerationCallItem {
  id: string;
  type: "image_generation_call";
  status: "in_progress" | "generating" | "completed" | "failed";
  action?: "generate" | "edit";
  background?: string;
  output_format?: string;
  quality?: string;
  size?: string;
  result: string | null;
  revised_prompt?: string;
}

export type ResponseItem = InputMessageItem | OutputMessageItem | ImageGenerationCallItem;
export type OutputItem = OutputMessageItem | ImageGenerationCallItem;

export type ResponseStatus = "completed" | "failed" | "in_progress" | "cancelled" | "queued" | "incomplete";

export interface ResponseUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

/** OpenAI's `Response` object. */
export interface ResponseObject {
  id: string;
  object: "response";
  created_at: number;
  status: ResponseStatus;
  background: boolean;
  completed_at: number | null;
  error: { code: string; message: string } | null;
  incomplete_details: { reason: string } | null;
  instructions: string | null;
  max_output_tokens: number | null;
  max_tool_calls: number | null;
  model: string;
  output: OutputItem[];
  parallel_tool_calls: boolean;
  previous_response_id: string | null;
  prompt_cache_key: string | null;
  reasoning: { effort: string | null; summary: string | null };
  safety_identifier: string | null;
  service_tier: string;
  store: boolean;
  temperature: number;
  text: { format: { type: string; [key: string]: unknown }; verbosity?: string };
  tool_choice: unknown;
  tools: Record<string, unknown>[];
  top_logprobs: number;
  top_p: number;
  truncation: "auto" | "disabled";
  /** Set when the response completes (OpenAI's schema has no null usage). */
  usage?: ResponseUsage | null;
  /** Easel sets it only when the request did (OpenAI's schema has it as a string, not null). */
  user?: string | null;
  metadata: Record<string, string>;
}

/** OpenAI-style ids: a prefix and 48 hex digits (`resp_…`, `msg_…`, `ig_…`). */
export function newId(prefix: "resp" | "msg" | "ig"): string {
  return `${prefix}_${randomBytes(24).toString("hex")}`;
}

export const unixNow = () => Math.floor(Date.now() / 1000);
