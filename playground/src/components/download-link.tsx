// A link that saves a Blob under a name.
import type { ComponentChildren } from "preact";
import { useObjectUrl } from "./blob-image";

export function DownloadLink({ blob, name, children }: { blob: Blob; name: string; children: ComponentChildren }) {
  const url = useObjectUrl(blob);
  return (
    <a class="button small" href={url} download={name}>
      {children}
    </a>
  );
}
