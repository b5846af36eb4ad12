// The engine's plan (the `explain` extension) as a readable list: the things
// found in the prompt and the art that drew each, the setting and style, and
// what stayed unrealised. Other engines' plans are listed field by field.
interface Thing {
  name: string;
  phrase?: string;
  count?: number;
  colour?: string | null;
  realised_by?: { source: string; id: string; name?: string };
}

const text = (value: unknown): string => (value === null || value === undefined ? "none" : typeof value === "object" ? JSON.stringify(value) : String(value));

export function ExplainPlan({ plan }: { plan: Record<string, unknown> | null | undefined }) {
  if (!plan) return <p class="plan">This model's engine does not explain its pictures.</p>;
  const things = Array.isArray(plan.things) ? (plan.things as Thing[]) : undefined;
  const unrealised = Array.isArray(plan.unrealised) ? (plan.unrealised as string[]) : [];
  const setting = plan.setting as { phrase?: string; place?: string; time?: string } | null | undefined;
  const style = plan.style as { name?: string } | null | undefined;
  const relations = Array.isArray(plan.relations) ? (plan.relations as { subject: number; relation: string; object: number }[]) : [];
  const named = (id: number) => things?.[id]?.phrase ?? things?.[id]?.name ?? `thing ${id}`;
  const shown = ["things", "unrealised", "setting", "style", "prompt", "engine", "relations", "mode"];
  const isEmpty = (value: unknown) => value === null || (Array.isArray(value) && value.length === 0);
  const rest = Object.entries(plan).filter(([key, value]) => !shown.includes(key) && !isEmpty(value));
  return (
    <details class="plan" open>
      <summary>Plan ({text(plan.engine)})</summary>
      {things && (
        <>
          <h3>Things</h3>
          <ul>
            {things.map((thing) => (
              <li>
                <strong>
                  {thing.count && thing.count > 1 ? `${thing.count} × ` : ""}
                  {thing.phrase ?? thing.name}
                </strong>
                {thing.colour ? ` (${thing.colour})` : ""}
                {thing.realised_by ? ` — drawn with ${thing.realised_by.source} “${thing.realised_by.name ?? thing.realised_by.id}”` : ""}
              </li>
            ))}
          </ul>
        </>
      )}
      {relations.length > 0 && (
        <p>
          <strong>Relations:</strong> {relations.map((relation) => `${named(relation.subject)} ${relation.relation} ${named(relation.object)}`).join("; ")}
        </p>
      )}
      {setting !== undefined && (
        <p>
          <strong>Setting:</strong> {setting ? (setting.phrase ?? setting.place) : "none"}
          {setting?.time ? `, ${setting.time}` : ""}
        </p>
      )}
      {style !== undefined && (
        <p>
          <strong>Style:</strong> {style?.name ?? "plain"}
        </p>
      )}
      {things && (
        <p>
          <strong>Unrealised:</strong> {unrealised.length > 0 ? unrealised.join(", ") : "nothing"}
        </p>
      )}
      <dl>
        {rest.map(([key, value]) => (
          <>
            <dt>{key}</dt>
            <dd>{text(value)}</dd>
          </>
        ))}
      </dl>
    </details>
  );
}
