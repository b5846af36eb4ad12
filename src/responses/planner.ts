// The planner plays OpenAI's "mainline model": it reads the conversation and
// decides whether to call the image tool, with which prompt, and whether to
// draw anew or edit pictures already in the conversation; it also writes the
// short assistant message. The built-in planner follows the rules below; a
// chat model can take its place (chat-planner.ts), and finalizePlan holds any
// planner to what the request demands.
import { errors } from "../errors.js";
import { latestUserText, type Conversation } from "./conversation.js";
import type { ToolAction } from "./request.js";
import { asksForNewPicture, asksToRedraw, carryForward, describe, styleHints, summary, withStyle } from "./revise.js";

export interface PlannerTool {
  /** The request has the image_generation tool. */
  present: boolean;
  /** The request has the image_generation tool and tool_choice allows it. */
  available: boolean;
  /** tool_choice requires it ("required", {type: "image_generation"}, or allowed_tools in required mode). */
  required: boolean;
  /** The tool's `action`. */
  action: ToolAction;
  /** The tool has an input_image_mask (which edits the first image). */
  hasMask: boolean;
}

export interface PlanRequest {
  /** The model the client named (gpt-5, gpt-4.1…). */
  model: string;
  conversation: Conversation;
  tool: PlannerTool;
}

export interface ImageCall {
  action: "generate" | "edit";
  /** The revised prompt: what the engine draws. */
  prompt: string;
  /** For edits: indexes into conversation.images, first image first (a mask applies to it). */
  images: number[];
}

export interface Plan {
  call: ImageCall | null;
  /** The assistant's message. */
  message: string;
  /** Tokens the planner read and wrote, when it knows them (a chat model reports its own). */
  usage?: { input_tokens: number; output_tokens: number };
}

export interface Planner {
  readonly name: string;
  plan(request: PlanRequest, signal: AbortSignal): Promise<Plan>;
}

/** The most pictures one edit takes (gpt-image models). */
export const MAX_EDIT_IMAGES = 16;

const QUESTION = /\?\s*$/;
const ASKS_FOR_PICTURE = /\b(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:draw|make|create|generate|paint|render|show|sketch|design|illustrate|edit|add|remove|change|turn|give|put|replace)\b|\b(?:image|picture|photo|drawing|painting|illustration|sketch|render)\s+of\b/i;
const SMALL_TALK = /^(?:hi|hello|hey|thanks|thank you|thx|ok|okay|cool|great|nice|good|bye|goodbye|yes|no|sure|wow)\b[\s!.,]*(?:you|there|so much|a lot)?[\s!.]*$/i;

export const MESSAGES = {
  noTool: "I can only make and edit pictures with the image_generation tool, and this request does not include it. Add {\"type\": \"image_generation\"} to 'tools' and ask again.",
  toolOff: "Image generation is turned off for this reply (tool_choice is 'none'), so I made no picture.",
  notAPictureRequest: "I make and edit pictures. Tell me what to draw, or how to change a picture in this conversation.",
};

/**
 * Whether a message asks for a picture, when tool_choice leaves it to the
 * planner: yes, unless it is small talk, empty, or a question that does not
 * ask for a picture ("what is in this image?").
 */
export function wantsPicture(text: string): boolean {
  const clean = text.trim();
  if (!clean || SMALL_TALK.test(clean)) return false;
  if (QUESTION.test(clean) && !ASKS_FOR_PICTURE.test(clean)) return false;
  return true;
}

/** The built-in rules. Pure: the same conversation always gives the same plan. */
export function planTurn({ conversation, tool }: PlanRequest): Plan {
  const text = latestUserText(conversation);
  if (!tool.available) return { call: null, message: tool.present ? MESSAGES.toolOff : MESSAGES.noTool };
  if (!tool.required && !wantsPicture(text)) return { call: null, message: MESSAGES.notAPictureRequest };
  const call = chooseCall(conversation, tool, text);
  return { call, message: messageFor(call) };
}

function chooseCall(conversation: Conversation, tool: PlannerTool, text: string): ImageCall {
  const hints = styleHints(conversation.instructions);
  const { images } = conversation;
  const current = images.filter((image) => image.current).map((image) => image.index).slice(0, MAX_EDIT_IMAGES);
  const latest = images.length > 0 ? images[images.length - 1] : undefined;

  let action: "generate" | "edit";
  let targets: number[] = [];
  if (tool.action === "generate") action = "generate";
  else if (current.length > 0) [action, targets] = ["edit", current];
  else if (latest && (tool.action === "edit" || tool.hasMask)) [action, targets] = ["edit", [latest.index]];
  else if (latest && !asksToRedraw(text) && !asksForNewPicture(text)) [action, targets] = ["edit", [latest.index]];
  else action = "generate";

  // The prompt: an edit of one earlier picture carries that picture's prompt forward.
  const single = targets.length === 1 ? images[targets[0]] : undefined;
  let prompt: string;
  if (single?.prompt) prompt = carryForward(single.prompt, text);
  else if (action === "generate" && latest?.prompt && asksToRedraw(text)) prompt = latest.prompt;
  else if (action === "generate" && current.length === 0 && latest?.prompt && !asksForNewPicture(text) && tool.action === "generate") prompt = carryForward(latest.prompt, text);
  else prompt = describe(text);
  if (!prompt) prompt = latest?.prompt ?? "A picture.";
  return { action, prompt: withStyle(prompt, hints), images: targets };
}

function messageFor(call: ImageCall): string {
  const what = summary(call.prompt);
  return call.action === "edit" ? `Here is the edited image: ${what}.` : `Here is the image: ${what}.`;
}

/** The built-in planner. */
export class RulesPlanner implements Planner {
  readonly name = "rules";
  async plan(request: PlanRequest): Promise<Plan> {
    return planTurn(request);
  }
}

/**
 * Holds any planner's plan to what the request demands: no call when the
 * tool is unavailable, a call when it is required, the tool's `action`, a
 * mask meaning an edit, edits only of pictures that exist.
 */
export function finalizePlan(plan: Plan, request: PlanRequest, toolIndex: number): Plan {
  const { tool, conversation } = request;
  if (!tool.available) return { ...plan, call: null };
  let call = plan.call;
  if (!call && tool.required) call = planTurn(request).call;
  if (!call) return plan;
  const images = conversation.images;
  let targets = [...new Set(call.images.filter((index) => Number.isInteger(index) && index >= 0 && index < images.length))].slice(0, MAX_EDIT_IMAGES);
  let action = call.action;
  if (tool.action === "generate") action = "generate";
  if (tool.action === "edit" || tool.hasMask) action = "edit";
  if (action === "edit" && targets.length === 0) {
    if (images.length > 0) targets = [images.length - 1];
    else if (tool.action === "edit" || tool.hasMask) {
      const param = tool.hasMask && tool.action !== "edit" ? `tools[${toolIndex}].input_image_mask` : `tools[${toolIndex}].action`;
      throw errors.invalidParam(param, `Invalid '${param}': editing needs an image in the conversation (an input_image, or an earlier image_generation_call).`);
    } else action = "generate";
  }
  if (action === "generate") targets = [];
  const prompt = call.prompt.trim() || describe(latestUserText(conversation)) || "A picture.";
  return { ...plan, call: { action, prompt, images: targets } };
}
