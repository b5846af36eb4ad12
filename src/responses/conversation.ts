// The conversation a planner reads: the current instructions, then every
// earlier turn (the previous_response_id chain, oldest first), then this
// request's input. Images get one numbered list, in the order they appeared,
// whether a user sent them or the image tool drew them.
import type { ResponseItem } from "./types.js";

export type ImageSource = { kind: "base64"; data: string } | { kind: "url"; url: string } | { kind: "file"; fileId: string };

export interface ConversationImage {
  /** Position in Conversation.images. */
  index: number;
  origin: "input" | "generated";
  /** Part of this request's input (as opposed to earlier turns). */
  current: boolean;
  /** The item holding it: a message id, or the image_generation_call's `ig_…` id. */
  itemId: string;
  /** The prompt a generated image was drawn from (its revised_prompt). */
  prompt?: string;
  source: ImageSource;
  /** Where it came from, for error messages (`input[0].content[1]`, or the earlier response). */
  param: string;
}

export interface Turn {
  /** `image` is an image_generation_call: its text is the prompt it was drawn from. */
  role: "user" | "assistant" | "system" | "developer" | "image";
  text: string;
  /** Indexes into Conversation.images. */
  images: number[];
  current: boolean;
}

export interface Conversation {
  /** This request's instructions (earlier responses' instructions are not carried over, as at OpenAI). */
  instructions: string | null;
  turns: Turn[];
  images: ConversationImage[];
}

export interface ItemWithOrigin {
  item: ResponseItem;
  current: boolean;
  /** For error messages. */
  param: string;
}

export function buildConversation(instructions: string | null, items: ItemWithOrigin[]): Conversation {
  const conversation: Conversation = { instructions, turns: [], images: [] };
  const addImage = (image: Omit<ConversationImage, "index">) => {
    conversation.images.push({ ...image, index: conversation.images.length });
    return conversation.images.length - 1;
  };
  for (const { item, current, param } of items) {
    if (item.type === "image_generation_call") {
      if (!item.result) continue;
      const index = addImage({ origin: "generated", current, itemId: item.id, prompt: item.revised_prompt, source: { kind: "base64", data: item.result }, param });
      conversation.turns.push({ role: "image", text: item.revised_prompt ?? "", images: [index], current });
      continue;
    }
    const texts: string[] = [];
    const images: number[] = [];
    item.content.forEach((part, j) => {
      if (part.type === "input_text" || part.type === "output_text") texts.push(part.text);
      else if (part.type === "refusal") texts.push(part.refusal);
      else if (part.type === "input_image") {
        const source: ImageSource = part.file_id ? { kind: "file", fileId: part.file_id } : { kind: "url", url: part.image_url ?? "" };
        images.push(addImage({ origin: "input", current, itemId: item.id, source, param: `${param}.content[${j}]` }));
      }
    });
    conversation.turns.push({ role: item.role, text: texts.join("\n").trim(), images, current });
  }
  return conversation;
}

/** The text of the latest user turn: this request's, or the last one before it. */
export function latestUserText(conversation: Conversation): string {
  const users = conversation.turns.filter((turn) => turn.role === "user");
  const current = users.filter((turn) => turn.current && turn.text);
  if (current.length > 0) return current.map((turn) => turn.text).join("\n");
  return [...users].reverse().find((turn) => turn.text)?.text ?? "";
}

/** All the text the planner reads, for token counting. */
export function conversationText(conversation: Conversation): string {
  return [conversation.instructions ?? "", ...conversation.turns.map((turn) => turn.text)].filter(Boolean).join("\n");
}
