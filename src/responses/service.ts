// The Responses API's work, apart from HTTP: a request is first prepared
// (checked, its conversation gathered, planned, and its image job built with
// the one request model) so that every refusal is a plain 4xx before any
// work starts; then it runs through the image pipeline, reporting OpenAI's
// stream events as it goes, and is stored.
import type { Logger } from "pino";
import type { Config } from "../config.js";
import { ApiError, errors } from "../errors.js";
import { checkMask, decodeImage } from "../imaging/decode.js";
import { families } from "../models/families.js";
import type { ModelCatalog } from "../models/registry.js";
import { metrics } from "../metrics.js";
import { moderatePrompt } from "../moderation/prompt.js";
import { createImages, type ImageQueue, type ImagesResult } from "../pipeline.js";
import { buildImageRequest, chooseModel, parseImageParams, type ImageRequest } from "../request-model.js";
import { countTokens } from "../tokens/index.js";
import type { ImagesUsage } from "../usage.js";
import { buildConversation, conversationText, type Conversation, type ItemWithOrigin } from "./conversation.js";
import { ConversationImages, type ResolveRef } from "./images.js";
import { finalizePlan, type Plan, type Planner, type PlanRequest } from "./planner.js";
import { parseResponseRequest, type ImageTool, type InputEntry, type ResponseRequest } from "./request.js";
import type { ResponsesStore, StoredResponse } from "./store.js";
import {
  newId,
  unixNow,
  type ImageGenerationCallItem,
  type InputMessageItem,
  type OutputMessageItem,
  type ResponseItem,
  type ResponseObject,
  type ResponseUsage,
} from "./types.js";

export interface ResponsesDeps {
  config: Config;
  queue: ImageQueue;
  store: ResponsesStore;
  planner: Planner;
  logger: Logger;
}

/** Who is asking, the models they may use, and how their image references resolve. */
export interface Caller {
  owner: string;
  models: ModelCatalog;
  resolveRef: ResolveRef;
}

/** A response that passed every check, ready to run. */
export interface PreparedResponse {
  request: ResponseRequest;
  owner: string;
  response: ResponseObject;
  inputItems: ResponseItem[];
  plan: Plan;
  imageRequest?: ImageRequest;
  plannerUsage: { input_tokens: number; output_tokens: number };
}

/** One stream event, as OpenAI's Response*Event schemas describe it. */
export type ResponseEvent = { type: string; sequence_number: number } & Record<string, unknown>;
export type EventSink = (event: ResponseEvent) => Promise<void> | void;

/** The model the tool uses when it names none (ImageGenTool's default). */
export const DEFAULT_TOOL_MODEL = "gpt-image-1";
/** Tool fields that are also Image API fields: their errors are renamed `tools[i].<field>`. */
const TOOL_FIELDS = new Set(["model", "size", "quality", "output_format", "output_compression", "background", "moderation", "partial_images", "input_fidelity", "seed"]);

/** Re-labels an Image API error so it names the Responses field it came from. */
function relabel(error: unknown, toolIndex: number): unknown {
  if (!(error instanceof ApiError) || !error.param) return error;
  let param: string | undefined;
  if (TOOL_FIELDS.has(error.param)) param = `tools[${toolIndex}].${error.param}`;
  else if (error.param === "mask") param = `tools[${toolIndex}].input_image_mask`;
  else if (error.param === "prompt") param = "input";
  if (!param) return error;
  const message = error.message.replaceAll(`'${error.param}'`, `'${param}'`);
  return new ApiError(error.status, error.type, message, param, error.code, error.headers);
}

/** The wire fields of the Image API request the tool call stands for. */
function imageFields(tool: ImageTool, prompt: string, edit: boolean, stream: boolean): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    prompt,
    model: tool.model ?? DEFAULT_TOOL_MODEL,
    size: tool.size,
    quality: tool.quality,
    output_format: tool.output_format,
    output_compression: tool.output_compression,
    background: tool.background,
    moderation: tool.moderation,
    partial_images: tool.partial_images,
    seed: tool.seed,
    stream: stream || undefined,
    input_fidelity: edit ? tool.input_fidelity : undefined,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== null));
}

export class ResponsesService {
  constructor(private readonly deps: ResponsesDeps) {}

  /** Checks the tool's options against the model's rules up front, as an edit would use them all. */
  private checkTool(tool: { options: ImageTool; index: number }, models: ModelCatalog): void {
    const { config } = this.deps;
    const name = tool.options.model ?? DEFAULT_TOOL_MODEL;
    const model = models.get(name);
    if (!model) throw errors.modelNotFound(name, `tools[${tool.index}].model`);
    if (model.family.name !== "gpt-image") {
      throw relabel(errors.unsupportedEndpointForModel(name, "the image_generation tool, which takes GPT image models"), tool.index);
    }
    try {
      const params = parseImageParams("edits", imageFields(tool.options, "x", true, false));
      chooseModel("edits", params, models, config);
    } catch (error) {
      throw relabel(error, tool.index);
    }
  }

  /** The earlier turns: the previous_response_id chain, oldest first. */
  private async history(request: ResponseRequest, owner: string): Promise<ItemWithOrigin[]> {
    if (!request.previousResponseId) return [];
    const chain: StoredResponse[] = [];
    const seen = new Set<string>();
    let id: string | null = request.previousResponseId;
    while (id && !seen.has(id)) {
      seen.add(id);
      const record = await this.deps.store.get(id, owner);
      if (!record) {
        if (chain.length === 0) throw errors.previousResponseNotFound(id);
        break; // an ancestor was deleted: the conversation starts after it
      }
      chain.push(record);
      id = record.response.previous_response_id;
    }
    return chain.reverse().flatMap((record) =>
      [...record.inputItems, ...record.response.output].map((item) => ({ item, current: false, param: "previous_response_id" })),
    );
  }

  /** This request's input as stored items, references resolved from the owner's stored responses. */
  private async currentItems(entries: InputEntry[], owner: string): Promise<ItemWithOrigin[]> {
    const items: ItemWithOrigin[] = [];
    for (const entry of entries) {
      if (entry.kind === "reference") {
        const found = await this.deps.store.findItem(entry.id, owner);
        if (!found || (entry.expect && found.type !== entry.expect)) throw errors.itemNotFound(`${entry.param}.id`, entry.id);
        items.push({ item: found, current: true, param: entry.param });
      } else if (entry.kind === "image_call") {
        const { id, result, revised_prompt, status, ...rest } = entry.item;
        const item: ImageGenerationCallItem = {
          ...(rest as Partial<ImageGenerationCallItem>),
          id,
          type: "image_generation_call",
          status: "completed",
          result,
          ...(typeof revised_prompt === "string" ? { revised_prompt } : {}),
        };
        items.push({ item, current: true, param: entry.param });
      } else if (entry.role === "assistant") {
        const item: OutputMessageItem = {
          id: entry.id ?? newId("msg"),
          type: "message",
          role: "assistant",
          status: "completed",
          content: entry.content.map((part) =>
            part.type === "refusal" ? part : { type: "output_text" as const, text: part.type === "output_text" ? part.text : "", annotations: [] },
          ),
        };
        items.push({ item, current: true, param: entry.param });
      } else {
        const item: InputMessageItem = {
          id: entry.id ?? newId("msg"),
          type: "message",
          role: entry.role,
          status: "completed",
          content: entry.content.filter((part) => part.type === "input_text" || part.type === "input_image") as InputMessageItem["content"],
        };
        items.push({ item, current: true, param: entry.param });
      }
    }
    return items;
  }

  /** Everything that can refuse the request, before any work starts. */
  async prepare(body: Record<string, unknown>, caller: Caller, signal: AbortSignal): Promise<PreparedResponse> {
    const { config, planner } = this.deps;
    const request = parseResponseRequest(body);
    if (request.tool) this.checkTool(request.tool, caller.models);

    const history = await this.history(request, caller.owner);
    const current = await this.currentItems(request.input, caller.owner);
    const conversation = buildConversation(request.instructions, [...history, ...current]);

    const toolModel = request.tool ? caller.models.get(request.tool.options.model ?? DEFAULT_TOOL_MODEL)! : undefined;
    const images = new ConversationImages(conversation.images, caller.resolveRef, toolModel?.family ?? families["gpt-image"], config.maxInputPixels);
    await images.checkCurrent();

    const toolIndex = request.tool?.index ?? 0;
    const planRequest: PlanRequest = {
      model: request.model,
      conversation,
      tool: {
        present: request.tool !== null,
        available: request.tool !== null && request.toolChoice.allowed,
        required: request.tool !== null && request.toolChoice.required,
        action: request.tool?.options.action ?? "auto",
        hasMask: request.tool?.options.input_image_mask != null,
      },
    };
    const plan = finalizePlan(await planner.plan(planRequest, signal), planRequest, toolIndex);

    let imageRequest: ImageRequest | undefined;
    if (plan.call && request.tool) imageRequest = await this.imageRequest(request, request.tool, plan, images, caller);

    return {
      request,
      owner: caller.owner,
      response: this.responseObject(request, request.background ? "queued" : "in_progress"),
      inputItems: current.map(({ item }) => item),
      plan,
      imageRequest,
      plannerUsage: plan.usage ?? (await plannerTokens(conversation, plan)),
    };
  }

  /** The tool call as the same ImageRequest the Image API would build, inputs decoded and checked. */
  private async imageRequest(request: ResponseRequest, tool: { options: ImageTool; index: number }, plan: Plan, images: ConversationImages, caller: Caller): Promise<ImageRequest> {
    const call = plan.call!;
    const edit = call.action === "edit";
    try {
      const decoded = edit ? await Promise.all(call.images.map((index) => images.decode(index))) : [];
      let mask;
      const maskRef = tool.options.input_image_mask;
      if (edit && maskRef) {
        const param = `tools[${tool.index}].input_image_mask`;
        const { image_url: url, file_id: fileId } = maskRef;
        if ((url == null) === (fileId == null)) throw errors.invalidParam(param, `Invalid '${param}': give exactly one of 'image_url' or 'file_id'.`);
        const upload = await caller.resolveRef(url != null ? { image_url: url } : { file_id: fileId! }, param);
        const model = caller.models.get(tool.options.model ?? DEFAULT_TOOL_MODEL)!;
        mask = await decodeImage(upload, model.family, this.deps.config.maxInputPixels);
        checkMask(mask, decoded[0]);
      }
      const endpoint = edit ? "edits" : "generations";
      const params = parseImageParams(endpoint, imageFields(tool.options, call.prompt, edit, request.stream));
      const model = chooseModel(endpoint, params, caller.models, this.deps.config);
      const imageRequest = buildImageRequest(endpoint, params, model, { images: decoded, mask }, this.deps.config.moderatePictures);
      // Moderation runs again in the pipeline; here it refuses before a stream or a background job starts.
      if (moderatePrompt(imageRequest.job.prompt, imageRequest.moderation).flagged) {
        metrics.moderationBlocked.inc({ stage: "prompt" });
        throw errors.moderationBlocked();
      }
      return imageRequest;
    } catch (error) {
      throw relabel(error, tool.index);
    }
  }

  private responseObject(request: ResponseRequest, status: "queued" | "in_progress"): ResponseObject {
    const { echo } = request;
    return {
      id: newId("resp"),
      object: "response",
      created_at: unixNow(),
      status,
      background: request.background,
      completed_at: null,
      error: null,
      incomplete_details: null,
      instructions: request.instructions,
      max_output_tokens: echo.max_output_tokens,
      max_tool_calls: echo.max_tool_calls,
      model: request.model,
      output: [],
      parallel_tool_calls: echo.parallel_tool_calls,
      previous_response_id: request.previousResponseId,
      prompt_cache_key: echo.prompt_cache_key,
      reasoning: echo.reasoning,
      safety_identifier: echo.safety_identifier,
      service_tier: echo.service_tier,
      store: request.store,
      temperature: echo.temperature,
      text: echo.text,
      tool_choice: echo.tool_choice,
      tools: echo.tools,
      top_logprobs: echo.top_logprobs,
      top_p: echo.top_p,
      truncation: echo.truncation,
      ...(echo.user !== null ? { user: echo.user } : {}),
      metadata: echo.metadata,
    };
  }

  /** Saves a prepared response (when `store` is true) before it runs, so it can be retrieved and cancelled. */
  async save(prepared: PreparedResponse): Promise<void> {
    if (!prepared.request.store) return;
    await this.deps.store.insert({ owner: prepared.owner, response: prepared.response, inputItems: prepared.inputItems });
  }

  /** Stores a response that was stopped before it ran as cancelled. */
  async markCancelled(record: StoredResponse): Promise<void> {
    await this.deps.store.update(record.owner, { ...record.response, status: "cancelled" });
  }

  /** Stores a response that could not run (its job could not be queued, or its inputs were gone) as failed. */
  async markFailed(record: StoredResponse, error: unknown): Promise<void> {
    await this.deps.store.update(record.owner, { ...record.response, status: "failed", error: failureOf(error) });
  }

  /** Writes the response's current state (when stored). */
  async persist(prepared: PreparedResponse): Promise<void> {
    if (!prepared.request.store) return;
    await this.deps.store.update(prepared.owner, prepared.response);
  }

  /**
   * Runs a prepared response to the end, sending OpenAI's events to `sink` in
   * order. Resolves with the completed response; on failure or cancellation
   * the response is marked so (and stored), and the error is rethrown.
   */
  async run(prepared: PreparedResponse, sink: EventSink, signal: AbortSignal): Promise<ResponseObject> {
    const { response, plan, imageRequest } = prepared;
    let sequence = 0;
    const emit = (type: string, fields: Record<string, unknown>) => sink({ type, ...fields, sequence_number: sequence++ });
    const snapshot = () => structuredClone(response);
    let imageItem: ImageGenerationCallItem | undefined;
    try {
      await emit("response.created", { response: snapshot() });
      if (response.status === "queued") {
        await emit("response.queued", { response: snapshot() });
        response.status = "in_progress";
        await this.persist(prepared);
      }
      await emit("response.in_progress", { response: snapshot() });

      let toolUsage: ImagesUsage | undefined;
      if (plan.call && imageRequest) {
        const item: ImageGenerationCallItem = { id: newId("ig"), type: "image_generation_call", status: "in_progress", result: null };
        imageItem = item;
        const output_index = response.output.push(item) - 1;
        const item_id = item.id;
        await emit("response.output_item.added", { output_index, item: { ...item } });
        await emit("response.image_generation_call.in_progress", { output_index, item_id });
        item.status = "generating";
        await emit("response.image_generation_call.generating", { output_index, item_id });
        const settings = settingsOf(imageRequest);
        const result: ImagesResult = await createImages(imageRequest, this.deps.queue, signal, (bytes, partial_image_index) =>
          emit("response.image_generation_call.partial_image", {
            output_index, item_id, partial_image_index, partial_image_b64: bytes.toString("base64"), ...settings,
          }),
        );
        Object.assign(item, {
          status: "completed",
          action: plan.call.action,
          ...settings,
          result: result.images[0].toString("base64"),
          revised_prompt: imageRequest.job.prompt,
        });
        toolUsage = result.usage;
        await emit("response.image_generation_call.completed", { output_index, item_id });
        await emit("response.output_item.done", { output_index, item: { ...item } });
      }

      if (signal.aborted) throw abortError();
      const message: OutputMessageItem = { id: newId("msg"), type: "message", role: "assistant", status: "in_progress", content: [] };
      const output_index = response.output.push(message) - 1;
      const item_id = message.id;
      await emit("response.output_item.added", { output_index, item: structuredClone(message) });
      const part = { type: "output_text" as const, text: "", annotations: [], logprobs: [] };
      message.content.push(part);
      await emit("response.content_part.added", { item_id, output_index, content_index: 0, part: { ...part } });
      for (const delta of textDeltas(plan.message)) {
        part.text += delta;
        await emit("response.output_text.delta", { item_id, output_index, content_index: 0, delta, logprobs: [] });
      }
      await emit("response.output_text.done", { item_id, output_index, content_index: 0, text: part.text, logprobs: [] });
      await emit("response.content_part.done", { item_id, output_index, content_index: 0, part: { ...part } });
      message.status = "completed";
      await emit("response.output_item.done", { output_index, item: structuredClone(message) });

      response.status = "completed";
      response.completed_at = unixNow();
      response.usage = responseUsage(prepared.plannerUsage, toolUsage);
      await this.persist(prepared);
      await emit("response.completed", { response: snapshot() });
      return response;
    } catch (error) {
      const cancelled = signal.aborted;
      if (imageItem && imageItem.status !== "completed") imageItem.status = "failed";
      response.status = cancelled ? "cancelled" : "failed";
      if (!cancelled) response.error = failureOf(error);
      try {
        await this.persist(prepared);
      } catch (storeError) {
        this.deps.logger.error({ err: storeError, response_id: response.id }, "responses: could not store a failed response");
      }
      if (!cancelled) await Promise.resolve(emit("response.failed", { response: snapshot() })).catch(() => undefined);
      throw error;
    }
  }
}

/** The settings OpenAI reports on the call, `auto` resolved. */
function settingsOf({ job, outputFormat }: ImageRequest) {
  return { background: job.background, output_format: outputFormat, quality: job.quality, size: `${job.width}x${job.height}` };
}

/** The text in word-sized pieces, as a model streams it. */
function textDeltas(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** A failure as the Response object's `error` (ResponseErrorCode's values). */
function failureOf(error: unknown): { code: string; message: string } {
  if (error instanceof ApiError) {
    if (error.code === "rate_limit_exceeded") return { code: "rate_limit_exceeded", message: error.message };
    if (error.code === "moderation_blocked") return { code: "image_content_policy_violation", message: error.message };
    if (error.status < 500) return { code: error.code === "invalid_image" ? "invalid_image" : "invalid_prompt", message: error.message };
    return { code: "server_error", message: error.message };
  }
  return { code: "server_error", message: "The server had an error while generating the response." };
}

function abortError(): Error {
  const error = new Error("The response was cancelled.");
  error.name = "AbortError";
  return error;
}

/**
 * Usage as ResponseUsage: the planner's text tokens (the conversation it read;
 * the revised prompt and message it wrote) plus the image tool's own usage
 * (prompt and input image tokens in, image tokens out), both counted as the
 * Image API counts them.
 */
export function responseUsage(planner: { input_tokens: number; output_tokens: number }, tool?: ImagesUsage): ResponseUsage {
  const input = planner.input_tokens + (tool?.input_tokens ?? 0);
  const output = planner.output_tokens + (tool?.output_tokens ?? 0);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
  };
}

/** The built-in planner's tokens, counted with o200k_base like every other text. */
async function plannerTokens(conversation: Conversation, plan: Plan): Promise<{ input_tokens: number; output_tokens: number }> {
  const written = [plan.call?.prompt ?? "", plan.message].filter(Boolean).join("\n");
  const [input_tokens, output_tokens] = await countTokens(conversationText(conversation), written);
  return { input_tokens, output_tokens };
}
