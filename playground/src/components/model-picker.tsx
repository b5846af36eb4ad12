// The model picker: the server's models (GET /v1/models); those that cannot
// do this view's work stay listed, disabled, with the reason.
import type { Endpoint, Model } from "../models";

interface Props {
  models: Model[];
  /** Why a model cannot be picked here (it is then listed, disabled), or none. */
  needs: (model: Model) => string | undefined;
  value: string;
  onChange: (id: string) => void;
  id: string;
}

export function ModelPicker({ models, needs, value, onChange, id }: Props) {
  return (
    <div class="field">
      <label for={id}>Model</label>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {models.map((model) => {
          const why = needs(model);
          return (
            <option value={model.id} disabled={why !== undefined}>
              {model.id} ({model.easel.engine}){why ? ` — ${why}` : ""}
            </option>
          );
        })}
      </select>
    </div>
  );
}

/** A reason a model cannot serve `endpoint`, or none. */
export const needsEndpoint = (endpoint: Endpoint) => (model: Model) =>
  model.easel.endpoints.includes(endpoint) ? undefined : `no image ${endpoint}`;

/** The first model that serves the view, preferring `preferred`. */
export function firstUsable(models: Model[], needs: (model: Model) => string | undefined, preferred: string): string {
  const usable = models.filter((model) => needs(model) === undefined);
  return (usable.find((model) => model.id === preferred) ?? usable[0])?.id ?? "";
}
