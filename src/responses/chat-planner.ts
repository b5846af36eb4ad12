// An optional planner: an OpenAI-compatible chat-completions endpoint with
// tool calling makes the decisions the built-in rules make otherwise. It sees
// the conversation as text (pictures appear as numbered "[image N]" markers
// with the prompts they were drawn from) and one function, `image_generation`,
// whose arguments are the revised prompt, generate or edit, and which
// pictures to edit. If the endpoint fails or answers nonsense, the built-in
// rules plan the turn instead (and a warning is logged), so a flaky planner
// never fails a request. finalizePlan still holds its plan to the request.
import type { Logger } from "pino";
import type { Config, PlannerConfig } from "../config.js";
import type { Conversation } from "./conversation.js";
import { planTurn, RulesPlanner, type ImageCall, type Plan, type Planner, type PlanRequest } from "./planner.js";

const DEFAULT_TIMEOUT_MS = 30_000;

const SYSTEM_PROMPT = `You decide how an image server answers a conversation. Pictures in the conversation are numbered [image N].
When the user asks for a picture, or to change one, call the image_generation function:
- "prompt": a complete, self-contained description of the picture to draw. When the user refers to an earlier picture ("make it realistic"), carry its subject and details forward into the new prompt.
- "action": "edit" to change pictures from the conversation, "generate" for a new picture.
- "images": for edits, the numbers of the pictures to change, the main one first.
Always also answer the user in one or two short sentences.`;

const TOOL = {
  type: "function",
  function: {
    name: "image_generation",
    description: "Draws a new picture, or edits pictures from the conversation.",
    parameters: {
      type: "object",
      properties: {
        prompt: { type: "string", description: "The full description of the picture to draw." },
        action: { type: "string", enum: ["generate", "edit"] },
        images: { type: "array", items: { type: "integer" }, description: "For edits: the [image N] numbers to change, the main one first." },
      },
      required: ["prompt", "action"],
    },
  },
};

interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** The conversation as chat messages, pictures as numbered markers. */
export function chatMessages(conversation: Conversation): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: "system", content: SYSTEM_PROMPT }];
  if (conversation.instructions) messages.push({ role: "system", content: conversation.instructions });
  for (const turn of conversation.turns) {
    const markers = turn.images.map((index) => `[image ${index}]`).join(" ");
    if (turn.role === "image") {
      messages.push({ role: "assistant", content: `${markers} (drawn by the image tool from the prompt: ${turn.text || "unknown"})` });
    } else {
      const content = [turn.text, markers].filter(Boolean).join("\n");
      if (!content) continue;
      messages.push({ role: turn.role === "assistant" ? "assistant" : turn.role === "user" ? "user" : "system", content });
    }
  }
  return messages;
}

interface ChatCompletion {
  choices?: { message?: { content?: unknown; tool_calls?: { function?: { name?: unknown; arguments?: unknown } }[] } }[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
}

/** Reads the chat model's answer into a plan; throws when it cannot. */
export function planFromCompletion(completion: ChatCompletion, request: PlanRequest): Plan {
  const message = completion.choices?.[0]?.message;
  if (!message) throw new Error("the answer has no choices[0].message");
  const content = typeof message.content === "string" ? message.content.trim() : "";
  const toolCall = message.tool_calls?.find((candidate) => candidate.function?.name === "image_generation");
  let call: ImageCall | null = null;
  if (toolCall) {
    const raw = toolCall.function?.arguments;
    const args = (typeof raw === "string" ? JSON.parse(raw) : raw) as { prompt?: unknown; action?: unknown; images?: unknown };
    if (typeof args?.prompt !== "string" || !args.prompt.trim()) throw new Error("the image_generation call has no prompt");
    call = {
      action: args.action === "edit" ? "edit" : "generate",
      prompt: args.prompt.trim(),
      images: Array.isArray(args.images) ? args.images.filter((n): n is number => Number.isInteger(n)) : [],
    };
  }
  const fallback = planTurn(request);
  const usage =
    typeof completion.usage?.prompt_tokens === "number" && typeof completion.usage?.completion_tokens === "number"
      ? { input_tokens: completion.usage.prompt_tokens, output_tokens: completion.usage.completion_tokens }
      : undefined;
  const text = content || (call ? (call.action === "edit" ? "Here is the edited image." : "Here is the image.") : fallback.message);
  return { call, message: text, ...(usage ? { usage } : {}) };
}

export class ChatPlanner implements Planner {
  readonly name = "chat";
  private readonly fallback = new RulesPlanner();

  constructor(
    private readonly settings: PlannerConfig,
    private readonly logger: Logger,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async plan(request: PlanRequest, signal: AbortSignal): Promise<Plan> {
    try {
      return planFromCompletion(await this.complete(request, signal), request);
    } catch (error) {
      if (signal.aborted) throw error;
      this.logger.warn({ err: error, planner: this.settings.baseUrl }, "chat planner failed; planning with the built-in rules");
      return this.fallback.plan(request);
    }
  }

  private async complete(request: PlanRequest, signal: AbortSignal): Promise<ChatCompletion> {
    const { tool } = request;
    const body: Record<string, unknown> = { model: this.settings.model, messages: chatMessages(request.conversation) };
    if (tool.available) {
      body.tools = [TOOL];
      body.tool_choice = tool.required ? { type: "function", function: { name: "image_generation" } } : "auto";
    }
    const headers: Record<string, string> = { "content-type": "application/json" };
    const key = this.settings.apiKeyEnv ? this.env[this.settings.apiKeyEnv] : undefined;
    if (key) headers.authorization = `Bearer ${key}`;
    const timeout = AbortSignal.timeout(this.settings.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const url = `${this.settings.baseUrl.replace(/\/+$/, "")}/chat/completions`;
    const answer = await fetch(url, { method: "POST", headers, body: JSON.stringify(body), signal: AbortSignal.any([signal, timeout]) });
    if (!answer.ok) throw new Error(`${url} answered ${answer.status}: ${(await answer.text()).slice(0, 200)}`);
    return (await answer.json()) as ChatCompletion;
  }
}

/** The chat planner when the config names one, the built-in rules otherwise. */
export function createPlanner(config: Config, logger: Logger): Planner {
  return config.planner ? new ChatPlanner(config.planner, logger) : new RulesPlanner();
}
