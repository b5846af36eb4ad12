// Input pictures: chosen, dropped or pasted, up to the model's limit, in order.
import { useEffect, useId } from "preact/hooks";
import { BlobImage } from "./blob-image";

interface Props {
  images: File[];
  onChange: (images: File[]) => void;
  max: number;
  /** Only the visible view takes pasted pictures. */
  active: boolean;
  label: string;
}

const ACCEPTED = ["image/png", "image/jpeg", "image/webp"];

export function ImageInputs({ images, onChange, max, active, label }: Props) {
  const inputId = useId();
  const add = (files: Iterable<File>) => {
    const pictures = [...files].filter((file) => ACCEPTED.includes(file.type));
    if (pictures.length > 0) onChange([...images, ...pictures].slice(0, max));
  };

  useEffect(() => {
    if (!active) return;
    const onPaste = (event: ClipboardEvent) => {
      const files = [...(event.clipboardData?.files ?? [])];
      if (files.length === 0) return;
      event.preventDefault();
      add(files);
    };
    window.addEventListener("paste", onPaste);
    return () => window.removeEventListener("paste", onPaste);
  });

  return (
    <div class="inputs">
      <div
        class="dropzone"
        onDragOver={(event) => event.preventDefault()}
        onDrop={(event) => {
          event.preventDefault();
          add(event.dataTransfer?.files ?? []);
        }}
      >
        <label for={inputId} class="button">
          {label}
        </label>
        <input
          id={inputId}
          class="visually-hidden"
          type="file"
          multiple={max > 1}
          accept={ACCEPTED.join(",")}
          onChange={(event) => {
            add(event.currentTarget.files ?? []);
            event.currentTarget.value = "";
          }}
        />
        <span>
          or drop or paste {max > 1 ? `up to ${max} pictures` : "a picture"} here ({images.length}/{max})
        </span>
      </div>
      {images.length > 0 && (
        <ul class="thumbs" aria-label="Input pictures">
          {images.map((image, index) => (
            <li>
              <BlobImage blob={image} alt={`Input ${index + 1}: ${image.name}`} />
              <button type="button" class="small" aria-label={`Remove input ${index + 1}`} onClick={() => onChange(images.filter((_, i) => i !== index))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
