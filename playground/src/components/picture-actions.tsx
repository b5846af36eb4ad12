// What can be done with a picture the page holds: save it, or take it to the
// Edit view as an input, with or without painting a mask on it.
import { DownloadLink } from "./download-link";

export type EditHandler = (picture: Blob, withMask: boolean) => void;

export function PictureActions({ picture, name, onEdit }: { picture: Blob; name: string; onEdit: EditHandler }) {
  return (
    <div class="toolbar">
      <DownloadLink blob={picture} name={name}>
        Download
      </DownloadLink>
      <button type="button" class="small" onClick={() => onEdit(picture, false)}>
        Use as input
      </button>
      <button type="button" class="small" onClick={() => onEdit(picture, true)}>
        Edit with mask
      </button>
    </div>
  );
}
