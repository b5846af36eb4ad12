// Chat: a conversation through the Responses API with the image_generation
// tool. Each turn continues the last with previous_response_id; pictures,
// revised prompts and the assistant's words appear in the thread, and any
// picture from it can be attached to the next message.
import { useRef, useState } from "preact/hooks";
import { ApiError, call, callJson, fromBase64, streamEvents, type StreamEvent } from "../api";
import { addPicture } from "../gallery-store";
import { BlobImage } from "../components/blob-image";
import { DownloadLink } from "../components/download-link";
import { extensionOf } from "../run";
import { ImageInputs } from "../components/image-inputs";
import { firstUsable, ModelPicker } from "../components/model-picker";
import type { Model } from "../models";

/** The Responses API's own model: Easel plans with its built-in rules whatever the name. */
const CHAT_MODEL = "gpt-5";

interface Picture {
  blob: Blob;
  revisedPrompt?: string;
}

type Turn =
  | { role: "user"; text: string; images: Blob[] }
  | { role: "assistant"; id?: string; text: string; pictures: Picture[]; partial?: Blob; error?: string; tokens?: number };

interface Props {
  models: Model[];
  active: boolean;
  onSaved: () => void;
  onUnauthorized: (message: string) => void;
}

const needs = (model: Model) => (model.easel.family === "gpt-image" && model.easel.endpoints.includes("edits") ? undefined : "not a GPT image model");

interface ToolOptions {
  size: string;
  quality: string;
  output_format: string;
  background: string;
  partial_images: number;
}

/** Uploads a picture for the conversation (purpose "vision"); its file id stands for it in requests. */
async function upload(file: File, signal: AbortSignal): Promise<string> {
  const form = new FormData();
  form.append("purpose", "vision");
  form.append("file", file);
  return (await callJson<{ id: string }>("/files", { form, signal })).id;
}

export function ChatView({ models, active, onSaved, onUnauthorized }: Props) {
  const [turns, setTurns] = useState<Turn[]>([]);
  const [text, setText] = useState("");
  const [attachments, setAttachments] = useState<File[]>([]);
  const [previousId, setPreviousId] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [modelId, setModelId] = useState(() => firstUsable(models, needs, "gpt-image-1"));
  const [tool, setTool] = useState<ToolOptions>({ size: "auto", quality: "auto", output_format: "png", background: "auto", partial_images: 2 });
  const controller = useRef<AbortController | undefined>(undefined);
  const model = models.find((entry) => entry.id === modelId);

  /** Updates the assistant's turn being written (the last one). */
  const updateLast = (change: (turn: Extract<Turn, { role: "assistant" }>) => void) =>
    setTurns((all) => {
      const copy = [...all];
      const last = { ...(copy[copy.length - 1] as Extract<Turn, { role: "assistant" }>) };
      change(last);
      copy[copy.length - 1] = last;
      return copy;
    });

  async function send(event: Event) {
    event.preventDefault();
    if (busy || (text.trim() === "" && attachments.length === 0)) return;
    const sending = attachments;
    setTurns((all) => [...all, { role: "user", text, images: sending }, { role: "assistant", text: "", pictures: [] }]);
    setText("");
    setAttachments([]);
    setBusy(true);
    controller.current = new AbortController();
    const format = tool.output_format;
    try {
      const content: object[] = [];
      if (text.trim()) content.push({ type: "input_text", text });
      // Attached pictures go through the Files API, so the request (and the copy the gallery keeps) stays small.
      for (const file of sending) content.push({ type: "input_image", file_id: await upload(file, controller.current.signal) });
      const body = {
        model: CHAT_MODEL,
        input: [{ role: "user", content }],
        tools: [{ type: "image_generation", model: modelId, ...tool }],
        ...(previousId ? { previous_response_id: previousId } : {}),
        stream: true,
      };
      const response = await call("/responses", { json: body, signal: controller.current.signal });
      const made: Blob[] = [];
      for await (const event of streamEvents(response)) follow(event, format, made);
      for (const picture of made) await addPicture({ created: Date.now(), endpoint: "responses", body, picture });
      if (made.length > 0) onSaved();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) onUnauthorized(error.message);
      const message = controller.current.signal.aborted ? "Stopped." : error instanceof Error ? error.message : String(error);
      updateLast((turn) => (turn.error = message));
    } finally {
      setBusy(false);
    }
  }

  /** Shows one stream event in the thread; the finished pictures are also added to `made`. */
  function follow(event: StreamEvent, format: string, made: Blob[]) {
    const type = `image/${format}`;
    if (event.type === "response.created") {
      updateLast((turn) => (turn.id = (event.response as { id: string }).id));
    } else if (event.type === "response.image_generation_call.partial_image") {
      updateLast((turn) => (turn.partial = new Blob([fromBase64(event.partial_image_b64 as string)], { type })));
    } else if (event.type === "response.output_text.delta") {
      updateLast((turn) => (turn.text += event.delta as string));
    } else if (event.type === "response.output_item.done") {
      const item = event.item as { type: string; result?: string; revised_prompt?: string; output_format?: string };
      if (item.type === "image_generation_call" && item.result) {
        const picture = { blob: new Blob([fromBase64(item.result)], { type: `image/${item.output_format ?? format}` }), revisedPrompt: item.revised_prompt };
        made.push(picture.blob);
        updateLast((turn) => {
          turn.pictures = [...turn.pictures, picture];
          turn.partial = undefined;
        });
      }
    } else if (event.type === "response.completed") {
      const response = event.response as { id: string; usage?: { total_tokens?: number } };
      setPreviousId(response.id);
      updateLast((turn) => (turn.tokens = response.usage?.total_tokens));
    } else if (event.type === "response.failed" || event.type === "response.incomplete") {
      const response = event.response as { error?: { message?: string }; incomplete_details?: { reason?: string } };
      updateLast((turn) => (turn.error = response.error?.message ?? `The response is incomplete (${response.incomplete_details?.reason ?? "no reason given"}).`));
    }
  }

  const attach = (picture: Blob, name: string) => setAttachments((all) => [...all, new File([picture], name, { type: picture.type })].slice(0, 16));
  const select = (name: keyof ToolOptions, label: string, values: string[], reasons: Record<string, string> = {}) => (
    <div class="field">
      <label for={`chat-${name}`}>{label}</label>
      <select id={`chat-${name}`} value={String(tool[name])} onChange={(e) => setTool({ ...tool, [name]: name === "partial_images" ? Number(e.currentTarget.value) : e.currentTarget.value })}>
        {values.map((value) => (
          <option value={value} disabled={value in reasons} title={reasons[value]}>
            {value}
          </option>
        ))}
      </select>
      {Object.values(reasons).map((reason) => (
        <p class="reason">{reason}</p>
      ))}
    </div>
  );

  return (
    <div class="chat">
      <ol class="thread" aria-label="Conversation" aria-live="polite">
        {turns.length === 0 && <li class="hint">Ask for a picture, then ask for changes: each message continues the conversation.</li>}
        {turns.map((turn, index) => (
          <li class={`turn ${turn.role}`}>
            <p class="who">{turn.role === "user" ? "You" : `Easel${turn.id ? ` · ${turn.id}` : ""}`}</p>
            {turn.text && <p class="words">{turn.text}</p>}
            {turn.role === "user" && turn.images.map((image, i) => <BlobImage blob={image} alt={`Attached picture ${i + 1}`} class="attached" />)}
            {turn.role === "assistant" && (
              <>
                {turn.partial && <BlobImage blob={turn.partial} alt="Partial image, still forming" class="partial" data-kind="partial" />}
                {turn.pictures.map((picture, i) => (
                  <figure>
                    <BlobImage blob={picture.blob} alt={picture.revisedPrompt ?? `Picture ${i + 1}`} data-kind="final" />
                    {picture.revisedPrompt && <figcaption>Revised prompt: {picture.revisedPrompt}</figcaption>}
                    <div class="toolbar">
                      <button type="button" class="small" onClick={() => attach(picture.blob, `turn-${index + 1}-picture-${i + 1}.${extensionOf(picture.blob)}`)}>
                        Attach to next message
                      </button>
                      <DownloadLink blob={picture.blob} name={`chat-${index + 1}-${i + 1}.${extensionOf(picture.blob)}`}>
                        Download
                      </DownloadLink>
                    </div>
                  </figure>
                ))}
                {turn.error && (
                  <p class="error" role="alert">
                    {turn.error}
                  </p>
                )}
                {turn.tokens !== undefined && <p class="hint">{turn.tokens} tokens</p>}
                {busy && index === turns.length - 1 && !turn.partial && turn.pictures.length === 0 && !turn.error && <p class="status">Working…</p>}
              </>
            )}
          </li>
        ))}
      </ol>
      <form class="composer" onSubmit={send}>
        <ImageInputs images={attachments} onChange={setAttachments} max={16} active={active} label="Attach pictures" />
        <div class="field">
          <label for="chat-message">Message</label>
          <textarea id="chat-message" rows={2} value={text} onInput={(e) => setText(e.currentTarget.value)} onKeyDown={(e) => (e.ctrlKey || e.metaKey) && e.key === "Enter" && send(e)} />
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || (text.trim() === "" && attachments.length === 0)}>
            Send
          </button>
          {busy && (
            <button type="button" onClick={() => controller.current?.abort()}>
              Stop
            </button>
          )}
          <button type="button" disabled={busy || turns.length === 0} onClick={() => (setTurns([]), setPreviousId(undefined))}>
            New conversation
          </button>
        </div>
        <details class="tool-options">
          <summary>Image tool options</summary>
          <ModelPicker id="chat-model" models={models} needs={needs} value={modelId} onChange={setModelId} />
          {model && select("size", "Size", model.easel.sizes)}
          {model && select("quality", "Quality", model.easel.qualities)}
          {select("output_format", "Format", ["png", "jpeg", "webp"], tool.background === "transparent" ? { jpeg: "A transparent background needs PNG or WebP." } : {})}
          {select("background", "Background", ["auto", "opaque", "transparent"], tool.output_format === "jpeg" ? { transparent: "JPEG has no transparency: choose PNG or WebP." } : {})}
          {select("partial_images", "Partial images", ["0", "1", "2", "3"])}
        </details>
      </form>
    </div>
  );
}
