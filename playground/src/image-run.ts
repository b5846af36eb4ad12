// The Generate and Edit views' shared run: send the request, follow its
// progress, time it, keep its pictures in the gallery, and stop on request.
import { useRef, useState } from "preact/hooks";
import { ApiError } from "./api";
import type { RunView } from "./components/results";
import { addPicture } from "./gallery-store";
import type { Endpoint } from "./models";
import { runImages, type Inputs } from "./run";

export function useImageRun(onSaved: () => void, onUnauthorized: (message: string) => void) {
  const [run, setRun] = useState<RunView>({ running: false });
  const controller = useRef<AbortController | undefined>(undefined);

  async function start(endpoint: Endpoint, fields: Record<string, string | number | boolean>, inputs: Inputs) {
    controller.current = new AbortController();
    const started = performance.now();
    setRun({ running: true });
    try {
      const done = await runImages(endpoint, fields, inputs, (progress) => setRun({ running: true, progress }), controller.current.signal);
      setRun({ running: false, progress: done, elapsedMs: performance.now() - started });
      for (const picture of done.pictures) await addPicture({ created: Date.now(), endpoint, fields, inputs: inputs.images, mask: inputs.mask, picture });
      onSaved();
    } catch (error) {
      const stopped = controller.current.signal.aborted;
      if (error instanceof ApiError && error.status === 401) onUnauthorized(error.message);
      setRun((previous) => ({ running: false, progress: previous.progress, error: stopped ? "Stopped." : error instanceof Error ? error.message : String(error) }));
    }
  }

  return { run, start, stop: () => controller.current?.abort() };
}
