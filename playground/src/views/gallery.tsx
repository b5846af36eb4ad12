// Gallery: the pictures made from this browser, newest first, each with its
// request: download it, use it as an input, edit it with a mask, or copy the
// request that made it as curl, JavaScript or Python.
import { useEffect, useState } from "preact/hooks";
import { BlobImage } from "../components/blob-image";
import { DownloadLink } from "../components/download-link";
import { PictureActions, type EditHandler } from "../components/picture-actions";
import { SnippetDialog } from "../components/snippet-dialog";
import { deletePicture, listPictures, modelOf, promptOf, type GalleryItem } from "../gallery-store";
import { extensionOf, inputName } from "../run";
import { LANGUAGES, type Language } from "../snippets";

interface Props {
  /** Changes whenever a picture was added, so the list is read again. */
  version: number;
  onEdit: EditHandler;
}

export function GalleryView({ version, onEdit }: Props) {
  const [items, setItems] = useState<GalleryItem[]>();
  const [error, setError] = useState<string>();
  const [showing, setShowing] = useState<{ item: GalleryItem; language: Language }>();
  const reload = () =>
    listPictures()
      .then(setItems)
      .catch((failure: Error) => setError(`This browser's storage cannot be read: ${failure.message}`));
  useEffect(() => void reload(), [version]);

  if (error) return <p class="error" role="alert">{error}</p>;
  if (!items) return <p role="status">Loading…</p>;
  if (items.length === 0) return <p class="hint">Pictures you make here are kept in this browser and listed here.</p>;
  return (
    <>
      <ul class="gallery" aria-label="Gallery">
        {items.map((item) => {
          const name = `easel-${item.id}.${extensionOf(item.picture)}`;
          const prompt = promptOf(item);
          return (
            <li class="card">
              <BlobImage blob={item.picture} alt={prompt} />
              <p class="caption">
                <strong>{prompt}</strong>
                <br />
                <span class="hint">
                  {modelOf(item)} · {item.endpoint === "responses" ? "chat" : item.endpoint} · {new Date(item.created).toLocaleString()}
                </span>
              </p>
              <PictureActions picture={item.picture} name={name} onEdit={onEdit} />
              <div class="toolbar" role="group" aria-labelledby={`copy-${item.id}`}>
                <span class="hint" id={`copy-${item.id}`}>
                  Copy request as
                </span>
                {LANGUAGES.map(({ id, label }) => (
                  <button type="button" class="small" aria-label={`Copy as ${label}`} onClick={() => setShowing({ item, language: id })}>
                    {label}
                  </button>
                ))}
              </div>
              {item.endpoint !== "responses" && item.inputs.length > 0 && (
                <div class="toolbar" role="group" aria-label="Download inputs">
                  <span class="hint">Inputs</span>
                  {item.inputs.map((input, i) => (
                    <DownloadLink blob={input} name={inputName(i, input)}>
                      {inputName(i, input)}
                    </DownloadLink>
                  ))}
                  {item.mask && (
                    <DownloadLink blob={item.mask} name="mask.png">
                      mask.png
                    </DownloadLink>
                  )}
                </div>
              )}
              <button type="button" class="small danger" onClick={() => deletePicture(item.id!).then(reload)}>
                Delete
              </button>
            </li>
          );
        })}
      </ul>
      {showing && <SnippetDialog item={showing.item} language={showing.language} onClose={() => setShowing(undefined)} />}
    </>
  );
}
