// Every option the chosen model takes for this endpoint; a choice the API
// would refuse with the others is disabled, and the reason shown beside it.
import type { ComponentChildren } from "preact";
import { fitOptions, inactive, refusals, type Endpoint, type ImageOptions, type Model } from "../models";

interface Props {
  model: Model;
  endpoint: Endpoint;
  options: ImageOptions;
  onChange: (options: ImageOptions) => void;
  /** Keeps element ids unique between the views that each show a form. */
  scope: string;
}

/** Options kept as numbers; the others are text, where "" leaves them out of the request. */
const NUMBERS = new Set<keyof ImageOptions>(["n", "output_compression", "partial_images"]);

function Field(props: { label: string; id: string; reason?: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.reason && (
        <p class="reason" id={`${props.id}-why`}>
          {props.reason}
        </p>
      )}
    </div>
  );
}

export function OptionsForm({ model, endpoint, options, onChange, scope }: Props) {
  const caps = model.easel;
  const fitted = fitOptions(options, caps);
  const refused = refusals(fitted, caps);
  const off = inactive(fitted, caps);
  const set = (change: Partial<ImageOptions>) => onChange({ ...fitted, ...change });
  const id = (name: string) => `${scope}-${name}`;
  const has = (extension: string) => caps.extensions.includes(extension);

  /** A select of `values`; refused ones stay visible, disabled, with the reason below. */
  const choice = <K extends keyof ImageOptions>(name: K, label: string, values: readonly string[]) => {
    const why = refused[name] ?? {};
    const reasons = Object.entries(why).filter(([value]) => values.includes(value));
    return (
      <Field label={label} id={id(name)} reason={reasons.map(([, text]) => text).join(" ") || undefined}>
        <select id={id(name)} value={String(fitted[name])} aria-describedby={reasons.length ? `${id(name)}-why` : undefined} onChange={(e) => set({ [name]: e.currentTarget.value } as Partial<ImageOptions>)}>
          {values.map((value) => (
            <option value={value} disabled={value in why}>
              {value}
            </option>
          ))}
        </select>
      </Field>
    );
  };

  const number = (name: keyof ImageOptions, label: string, attrs: { min: number; max: number; step?: number; placeholder?: string }) => (
    <Field label={label} id={id(name)} reason={off[name]}>
      <input
        id={id(name)}
        type="number"
        inputMode="decimal"
        {...attrs}
        value={String(fitted[name])}
        disabled={off[name] !== undefined}
        aria-describedby={off[name] ? `${id(name)}-why` : undefined}
        onInput={(e) => {
          const text = e.currentTarget.value;
          set({ [name]: NUMBERS.has(name) ? Number(text || attrs.min) : text } as Partial<ImageOptions>);
        }}
      />
    </Field>
  );

  return (
    <fieldset class="options">
      <legend>Options for {model.id}</legend>
      {choice("size", "Size", caps.sizes)}
      {endpoint !== "variations" && choice("quality", "Quality", caps.qualities)}
      {number("n", "Pictures (n)", { min: 1, max: caps.max_n })}
      {caps.gpt_image_options && (
        <>
          {choice("output_format", "Format", ["png", "jpeg", "webp"])}
          {number("output_compression", "Compression (%)", { min: 0, max: 100 })}
          {choice("background", "Background", ["auto", "opaque", "transparent"])}
          {choice("moderation", "Moderation", ["auto", "low"])}
          {endpoint === "edits" && caps.input_fidelity && choice("input_fidelity", "Input fidelity", ["low", "high"])}
          <div class="field check">
            <input id={id("stream")} type="checkbox" checked={fitted.stream} onChange={(e) => set({ stream: e.currentTarget.checked })} />
            <label for={id("stream")}>Stream partial images</label>
          </div>
          {number("partial_images", "Partial images", { min: 0, max: 3 })}
        </>
      )}
      {caps.response_formats && choice("response_format", "Response format", ["url", "b64_json"])}
      {caps.style && endpoint === "generations" && choice("style", "Style", ["vivid", "natural"])}
      {has("seed") && number("seed", "Seed", { min: 0, max: 4294967295, placeholder: "random" })}
      {endpoint !== "variations" && has("negative_prompt") && (
        <Field label="Negative prompt" id={id("negative_prompt")}>
          <input id={id("negative_prompt")} type="text" value={fitted.negative_prompt} onInput={(e) => set({ negative_prompt: e.currentTarget.value })} />
        </Field>
      )}
      {endpoint !== "variations" && has("guidance_scale") && number("guidance_scale", "Guidance scale", { min: 0, max: 50, step: 0.5, placeholder: "model default" })}
      {has("steps") && number("steps", "Steps", { min: 1, max: 200, placeholder: "by quality" })}
      {endpoint !== "generations" && has("strength") && number("strength", "Strength", { min: 0.01, max: 1, step: 0.05, placeholder: "model default" })}
      {endpoint !== "variations" && has("explain") && (
        <div class="field check">
          <input id={id("explain")} type="checkbox" checked={fitted.explain} onChange={(e) => set({ explain: e.currentTarget.checked })} />
          <label for={id("explain")}>Explain the plan</label>
        </div>
      )}
    </fieldset>
  );
}
