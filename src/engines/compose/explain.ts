// The plan behind a compose picture, as JSON: every thing found in the prompt
// with what realised it (an art id and its source) or "unrealised", and the
// rest of the reading. `easel explain` and the `explain` request field print it.
import type { PicturePlan } from "./prompt.js";

export function explainPlan(prompt: string, plan: PicturePlan): Record<string, unknown> {
  const extra = plan as PicturePlan & Record<string, unknown>;
  const { things, setting, unmatched, ...rest } = extra;
  return {
    engine: "compose",
    prompt,
    things: things.map((thing) => {
      const { art, colour, ...details } = thing as typeof thing & Record<string, unknown>;
      return {
        ...details,
        colour: colour?.name ?? null,
        realised_by: { source: art.source, id: art.id, name: art.annotation },
      };
    }),
    setting,
    ...rest,
    unrealised: (extra.unrealised as string[] | undefined) ?? unmatched,
  };
}
