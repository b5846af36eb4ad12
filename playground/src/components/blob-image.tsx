// A picture held as a Blob, shown through an object URL that is let go with
// it. The URL is made while rendering, so a partial image that is replaced a
// moment later is still drawn in the render that holds it.
import { useEffect, useMemo } from "preact/hooks";

export function useObjectUrl(blob: Blob): string {
  const url = useMemo(() => URL.createObjectURL(blob), [blob]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return url;
}

export function BlobImage(props: { blob: Blob; alt: string; class?: string; "data-kind"?: string }) {
  const url = useObjectUrl(props.blob);
  return <img src={url} alt={props.alt} class={props.class} data-kind={props["data-kind"]} />;
}
