// What a request has produced so far: the newest partial image while it
// streams, then the pictures in a grid, with usage, time and the plan.
import { extensionOf, type Progress } from "../run";
import { BlobImage } from "./blob-image";
import { ExplainPlan } from "./explain-plan";
import { PictureActions, type EditHandler } from "./picture-actions";

export interface RunView {
  running: boolean;
  progress?: Progress;
  error?: string;
  elapsedMs?: number;
}

/** `name`: what downloaded pictures are called, before their number. */
export function Results({ run, name, onEdit }: { run: RunView; name: string; onEdit: EditHandler }) {
  const { progress } = run;
  return (
    <section class="results" aria-label="Results" aria-busy={run.running}>
      {run.error && (
        <p class="error" role="alert">
          {run.error}
        </p>
      )}
      <p class="status" role="status">
        {run.running ? (progress?.partial ? `Partial image ${(progress.partialIndex ?? 0) + 1}…` : "Working…") : ""}
        {!run.running && run.elapsedMs !== undefined && !run.error && <RunSummary run={run} />}
      </p>
      {progress?.partial && (
        <figure class="partial">
          <BlobImage blob={progress.partial} alt="Partial image, still forming" data-kind="partial" />
        </figure>
      )}
      {progress && progress.pictures.length > 0 && (
        <ul class="grid" aria-label="Pictures">
          {progress.pictures.map((picture, index) => (
            <li>
              <BlobImage blob={picture} alt={`Picture ${index + 1}`} data-kind="final" />
              <PictureActions picture={picture} name={`${name}-${index + 1}.${extensionOf(picture)}`} onEdit={onEdit} />
            </li>
          ))}
        </ul>
      )}
      {progress?.revisedPrompt && <p class="revised">Revised prompt: {progress.revisedPrompt}</p>}
      {progress?.explain !== undefined && <ExplainPlan plan={progress.explain} />}
    </section>
  );
}

function RunSummary({ run }: { run: RunView }) {
  const usage = run.progress?.usage;
  const seconds = ((run.elapsedMs ?? 0) / 1000).toFixed(1);
  return (
    <span class="summary">
      {run.progress?.pictures.length ?? 0} picture(s) in {seconds} s
      {usage && ` · ${usage.input_tokens ?? 0} input + ${usage.output_tokens ?? 0} output = ${usage.total_tokens ?? 0} tokens`}
    </span>
  );
}
