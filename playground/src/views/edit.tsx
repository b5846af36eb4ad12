// Edit: up to 16 input pictures, a mask painted on the first, a prompt, and
// the edit streamed like a generation. Models that take variations offer them.
import { useEffect, useRef, useState } from "preact/hooks";
import { ImageInputs } from "../components/image-inputs";
import { MaskPainter, type MaskHandle } from "../components/mask-painter";
import { firstUsable, ModelPicker } from "../components/model-picker";
import { OptionsForm } from "../components/options";
import type { EditHandler } from "../components/picture-actions";
import { Results } from "../components/results";
import { useImageRun } from "../image-run";
import { defaultOptions, fitOptions, requestFields, type Endpoint, type Model } from "../models";

/** Pictures handed over from another view (the gallery's "use as input", say). */
export interface EditRequest {
  images: File[];
  mask: boolean;
}

interface Props {
  models: Model[];
  active: boolean;
  request?: EditRequest;
  onSaved: () => void;
  onUnauthorized: (message: string) => void;
  onEdit: EditHandler;
}

const needs = (model: Model) => (model.easel.endpoints.includes("edits") || model.easel.endpoints.includes("variations") ? undefined : "no edits");

export function EditView({ models, active, request, onSaved, onUnauthorized, onEdit }: Props) {
  const [modelId, setModelId] = useState(() => firstUsable(models, needs, "gpt-image-1"));
  const [prompt, setPrompt] = useState("");
  const [images, setImages] = useState<File[]>([]);
  const [useMask, setUseMask] = useState(false);
  const [options, setOptions] = useState(defaultOptions);
  const mask = useRef<MaskHandle>({}).current;
  const { run, start, stop } = useImageRun(onSaved, onUnauthorized);
  const model = models.find((entry) => entry.id === modelId);
  const caps = model?.easel;

  useEffect(() => {
    if (!request) return;
    setImages(request.images);
    setUseMask(request.mask);
  }, [request]);

  const maxImages = Math.max(1, caps?.max_input_images ?? 1);
  const tooMany = images.length > maxImages;
  const canEdit = caps?.endpoints.includes("edits") && images.length > 0 && !tooMany && prompt.trim() !== "";
  const canVary = caps?.endpoints.includes("variations") && images.length === 1;

  async function submit(endpoint: Endpoint) {
    if (!model || run.running) return;
    const fields = requestFields(endpoint, model, prompt, fitOptions(options, model.easel));
    const maskBlob = endpoint === "edits" && useMask ? await mask.current?.() : undefined;
    start(endpoint, fields, { images, mask: maskBlob });
  }

  return (
    <form
      class="workbench"
      onSubmit={(event) => {
        event.preventDefault();
        if (canEdit) submit("edits");
      }}
    >
      <div class="controls">
        <ModelPicker id="edit-model" models={models} needs={needs} value={modelId} onChange={setModelId} />
        <ImageInputs images={images} onChange={setImages} max={16} active={active} label="Choose pictures" />
        {tooMany && (
          <p class="reason" role="alert">
            {modelId} edits {maxImages === 1 ? "one picture" : `at most ${maxImages} pictures`}: remove {images.length - maxImages}.
          </p>
        )}
        {images.length > 0 && caps?.endpoints.includes("edits") && (
          <div class="field check">
            <input id="edit-use-mask" type="checkbox" checked={useMask} onChange={(e) => setUseMask(e.currentTarget.checked)} />
            <label for="edit-use-mask">Paint a mask on the first picture</label>
          </div>
        )}
        {useMask && images[0] && <MaskPainter image={images[0]} handle={mask} />}
        <div class="field">
          <label for="edit-prompt">Prompt</label>
          <textarea id="edit-prompt" rows={3} value={prompt} onInput={(e) => setPrompt(e.currentTarget.value)} />
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={!canEdit || run.running}>
            Edit
          </button>
          {caps?.endpoints.includes("variations") && (
            <button type="button" disabled={!canVary || run.running} onClick={() => submit("variations")} aria-describedby="edit-vary-why">
              Make variations
            </button>
          )}
          {run.running && (
            <button type="button" onClick={stop}>
              Stop
            </button>
          )}
        </div>
        {caps?.endpoints.includes("variations") && !canVary && (
          <p class="hint" id="edit-vary-why">
            Variations take exactly one picture and no prompt.
          </p>
        )}
        {model && <OptionsForm scope="edit" model={model} endpoint="edits" options={options} onChange={setOptions} />}
      </div>
      <Results run={run} name="edit" onEdit={onEdit} />
    </form>
  );
}
