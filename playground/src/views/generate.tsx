// Generate: a prompt, the model's options, and the pictures as they form.
import { useState } from "preact/hooks";
import { firstUsable, ModelPicker, needsEndpoint } from "../components/model-picker";
import { OptionsForm } from "../components/options";
import type { EditHandler } from "../components/picture-actions";
import { Results } from "../components/results";
import { useImageRun } from "../image-run";
import { defaultOptions, fitOptions, requestFields, type Model } from "../models";

interface Props {
  models: Model[];
  onSaved: () => void;
  onUnauthorized: (message: string) => void;
  onEdit: EditHandler;
}

const needs = needsEndpoint("generations");

export function GenerateView({ models, onSaved, onUnauthorized, onEdit }: Props) {
  const [modelId, setModelId] = useState(() => firstUsable(models, needs, "gpt-image-1"));
  const [prompt, setPrompt] = useState("");
  const [options, setOptions] = useState(defaultOptions);
  const { run, start, stop } = useImageRun(onSaved, onUnauthorized);
  const model = models.find((entry) => entry.id === modelId);
  const tooLong = model && prompt.length > model.easel.max_prompt_length;

  const submit = (event: Event) => {
    event.preventDefault();
    if (!model || run.running || prompt.trim() === "" || tooLong) return;
    start("generations", requestFields("generations", model, prompt, fitOptions(options, model.easel)), { images: [] });
  };

  return (
    <form class="workbench" onSubmit={submit}>
      <div class="controls">
        <ModelPicker id="generate-model" models={models} needs={needs} value={modelId} onChange={setModelId} />
        <div class="field">
          <label for="generate-prompt">Prompt</label>
          <textarea
            id="generate-prompt"
            rows={4}
            value={prompt}
            aria-describedby="generate-prompt-count"
            onInput={(e) => setPrompt(e.currentTarget.value)}
            onKeyDown={(e) => (e.ctrlKey || e.metaKey) && e.key === "Enter" && submit(e)}
          />
          <p id="generate-prompt-count" class={tooLong ? "error" : "hint"}>
            {prompt.length} / {model?.easel.max_prompt_length ?? "…"} characters{tooLong ? ": too long for this model" : ""} · Ctrl+Enter generates
          </p>
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={!model || run.running || prompt.trim() === "" || tooLong}>
            Generate
          </button>
          {run.running && (
            <button type="button" onClick={stop}>
              Stop
            </button>
          )}
        </div>
        {model && <OptionsForm scope="generate" model={model} endpoint="generations" options={options} onChange={setOptions} />}
      </div>
      <Results run={run} name="picture" onEdit={onEdit} />
    </form>
  );
}
