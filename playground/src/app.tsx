// The page: asks for a key when the server wants one, loads the models, and
// shows four views as tabs. Views stay mounted, so switching keeps their work.
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, apiKey } from "./api";
import { KeyForm } from "./components/key-form";
import { listModels, type Model } from "./models";
import { extensionOf } from "./run";
import { ChatView } from "./views/chat";
import { EditView, type EditRequest } from "./views/edit";
import { GalleryView } from "./views/gallery";
import { GenerateView } from "./views/generate";

const TABS = [
  { id: "generate", label: "Generate" },
  { id: "edit", label: "Edit" },
  { id: "chat", label: "Chat" },
  { id: "gallery", label: "Gallery" },
] as const;
type Tab = (typeof TABS)[number]["id"];

const tabFromHash = (): Tab => TABS.find((tab) => `#${tab.id}` === location.hash)?.id ?? "generate";

export function App() {
  const [models, setModels] = useState<Model[]>();
  const [keyNeeded, setKeyNeeded] = useState<{ error?: string }>();
  const [loadError, setLoadError] = useState<string>();
  const [tab, setTab] = useState<Tab>(tabFromHash);
  const [editRequest, setEditRequest] = useState<EditRequest>();
  const [galleryVersion, setGalleryVersion] = useState(0);
  const tabRefs = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});

  const load = () =>
    listModels().then(
      (list) => {
        setModels(list);
        setKeyNeeded(undefined);
        setLoadError(undefined);
      },
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 401) return unauthorized(apiKey.get() ? error.message : undefined);
        setLoadError(error instanceof Error ? error.message : String(error));
      },
    );
  useEffect(() => void load(), []);
  useEffect(() => {
    const onHash = () => setTab(tabFromHash());
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  /** The server refused the key (or wants one): a refused key is forgotten, and the form asks again. */
  function unauthorized(message?: string) {
    apiKey.clear();
    setModels(undefined);
    setKeyNeeded({ error: message });
  }

  const show = (next: Tab, focus = false) => {
    setTab(next);
    history.replaceState(null, "", `#${next}`);
    if (focus) tabRefs.current[next]?.focus();
  };

  const editPicture = (picture: Blob, mask: boolean) => {
    const file = new File([picture], `picture.${extensionOf(picture)}`, { type: picture.type });
    setEditRequest({ images: [file], mask });
    show("edit");
  };

  /** Arrow keys, Home and End move between tabs, as the ARIA tabs pattern has it. */
  const onTabKey = (event: KeyboardEvent) => {
    const index = TABS.findIndex((entry) => entry.id === tab);
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: TABS.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    show(TABS[(moves[event.key] + TABS.length) % TABS.length].id, true);
  };

  const saved = () => setGalleryVersion((version) => version + 1);

  return (
    <>
      <header class="top">
        <h1>Easel playground</h1>
        {models && (
          <nav role="tablist" aria-label="Views" onKeyDown={onTabKey}>
            {TABS.map((entry) => (
              <button
                type="button"
                role="tab"
                id={`tab-${entry.id}`}
                aria-controls={`panel-${entry.id}`}
                aria-selected={tab === entry.id}
                tabIndex={tab === entry.id ? 0 : -1}
                ref={(element) => void (tabRefs.current[entry.id] = element)}
                onClick={() => show(entry.id)}
              >
                {entry.label}
              </button>
            ))}
          </nav>
        )}
        {apiKey.get() && !keyNeeded && (
          <button
            type="button"
            class="small"
            onClick={() => unauthorized()}
          >
            Change API key
          </button>
        )}
      </header>
      <main>
        {keyNeeded && (
          <KeyForm
            error={keyNeeded.error}
            onSubmit={(key) => {
              apiKey.set(key);
              load();
            }}
          />
        )}
        {loadError && (
          <p class="error" role="alert">
            {loadError}{" "}
            <button type="button" class="small" onClick={load}>
              Try again
            </button>
          </p>
        )}
        {!models && !keyNeeded && !loadError && <p role="status">Loading models…</p>}
        {models && models.length === 0 && <p class="error">This key may use no image models.</p>}
        {models && models.length > 0 && (
          <>
            <section id="panel-generate" role="tabpanel" aria-labelledby="tab-generate" hidden={tab !== "generate"}>
              <GenerateView models={models} onSaved={saved} onUnauthorized={unauthorized} onEdit={editPicture} />
            </section>
            <section id="panel-edit" role="tabpanel" aria-labelledby="tab-edit" hidden={tab !== "edit"}>
              <EditView models={models} active={tab === "edit"} request={editRequest} onSaved={saved} onUnauthorized={unauthorized} onEdit={editPicture} />
            </section>
            <section id="panel-chat" role="tabpanel" aria-labelledby="tab-chat" hidden={tab !== "chat"}>
              <ChatView models={models} active={tab === "chat"} onSaved={saved} onUnauthorized={unauthorized} />
            </section>
            <section id="panel-gallery" role="tabpanel" aria-labelledby="tab-gallery" hidden={tab !== "gallery"}>
              <GalleryView version={galleryVersion} onEdit={editPicture} />
            </section>
          </>
        )}
      </main>
    </>
  );
}
