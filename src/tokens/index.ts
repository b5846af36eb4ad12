// Token counts for usage, off the event loop: texts are counted in a worker
// thread with a time budget (./count.ts is linear in the text, but texts can
// be long: a conversation grows with every turn). A count that runs past
// the budget, or a thread that dies, gives way to an estimate of one token
// per four bytes, so a request never waits long and never fails for it.
import { metrics } from "../metrics.js";
import { SharedPool, siblingModule } from "../threads/pool.js";

/** Enough for about a million characters of the worst text on a slow core. */
const BUDGET_MS = 5_000;

const counting = new SharedPool(siblingModule(import.meta.url, "worker"), { name: "tokens", size: 1, resourceLimits: { maxOldGenerationSizeMb: 512 } });

/** Starts the counting thread (the tokenizer's tables take a moment to build): the server does it before it listens. */
export const loadTokenizer = () => counting.start();

/** Stops the counting thread; a later count starts it again. */
export const closeTokenizer = () => counting.close();

/** o200k_base token counts of each text, in order. */
export async function countTokens(...texts: string[]): Promise<number[]> {
  if (texts.every((text) => text === "")) return texts.map(() => 0);
  try {
    return await counting.get().run<number[]>({ texts }, { timeoutMs: BUDGET_MS });
  } catch {
    metrics.tokenEstimates.inc(texts.length);
    return texts.map(estimateTokens);
  }
}

export function estimateTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text) / 4);
}
