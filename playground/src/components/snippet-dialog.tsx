// Shows a gallery picture's request as curl, JavaScript or Python, with a
// button that copies it.
import { useEffect, useRef, useState } from "preact/hooks";
import type { GalleryItem } from "../gallery-store";
import { LANGUAGES, snippet, type Language } from "../snippets";

export function SnippetDialog({ item, language: initial, onClose }: { item: GalleryItem; language: Language; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [language, setLanguage] = useState(initial);
  const [copied, setCopied] = useState("");
  const code = snippet(item, language);
  useEffect(() => dialog.current?.showModal(), []);
  return (
    <dialog ref={dialog} class="snippet" aria-labelledby="snippet-title" onClose={onClose}>
      <h2 id="snippet-title">Copy request</h2>
      <div role="group" aria-label="Language" class="toolbar">
        {LANGUAGES.map((entry) => (
          <button type="button" aria-pressed={language === entry.id} onClick={() => setLanguage(entry.id)}>
            {entry.label}
          </button>
        ))}
      </div>
      <pre>
        <code data-language={language}>{code}</code>
      </pre>
      {item.endpoint !== "responses" && item.inputs.length > 0 && <p class="hint">Save the inputs beside it first (the gallery's "Download inputs").</p>}
      <div class="toolbar">
        <button
          type="button"
          class="primary"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(code);
              setCopied("Copied.");
            } catch {
              setCopied("The browser refused the clipboard: select the text and copy it.");
            }
          }}
        >
          Copy
        </button>
        <button type="button" onClick={() => dialog.current?.close()}>
          Close
        </button>
        <span role="status">{copied}</span>
      </div>
    </dialog>
  );
}
