// The token-counting thread: texts arrive, counts go back (see ./index.ts).
import { serveTasks } from "../threads/serve.js";
import { countTextTokens } from "./count.js";

await serveTasks(
  async () => void countTextTokens("warm up the tokenizer's tables"),
  async (payload) => ({ result: (payload as { texts: string[] }).texts.map(countTextTokens) }),
);
