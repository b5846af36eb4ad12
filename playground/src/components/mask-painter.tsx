// Paints the mask on the first input picture. The painted layer has the
// picture's own size; the mask sent is a PNG of that size, opaque everywhere
// except where painted (alpha 0), which is what the API edits.
import { useEffect, useRef, useState } from "preact/hooks";

export interface MaskHandle {
  /** The mask to send, or none when nothing is painted. */
  current?: () => Promise<Blob | undefined>;
}

interface Props {
  image: Blob;
  handle: MaskHandle;
}

const UNDO_STEPS = 10;
const PAINT = "#e0245e";

/** A canvas of `painted`'s size, filled with `fill` except where `painted` has paint. */
function cutOut(painted: HTMLCanvasElement, fill: string): HTMLCanvasElement {
  const result = document.createElement("canvas");
  Object.assign(result, { width: painted.width, height: painted.height });
  const context = result.getContext("2d")!;
  context.fillStyle = fill;
  context.fillRect(0, 0, result.width, result.height);
  context.globalCompositeOperation = "destination-out";
  context.drawImage(painted, 0, 0);
  return result;
}

export function MaskPainter({ image, handle }: Props) {
  const pictureRef = useRef<HTMLCanvasElement>(null);
  const paintRef = useRef<HTMLCanvasElement>(null);
  const undo = useRef<ImageData[]>([]);
  const [size, setSize] = useState<{ width: number; height: number }>();
  const [brush, setBrush] = useState(48);
  const [erasing, setErasing] = useState(false);
  const [painted, setPainted] = useState(false);
  const [undoCount, setUndoCount] = useState(0);

  useEffect(() => {
    let cancelled = false;
    createImageBitmap(image).then((bitmap) => {
      if (cancelled) return;
      const { width, height } = bitmap;
      for (const canvas of [pictureRef.current!, paintRef.current!]) Object.assign(canvas, { width, height });
      pictureRef.current!.getContext("2d")!.drawImage(bitmap, 0, 0);
      undo.current = [];
      setUndoCount(0);
      setPainted(false);
      setSize({ width, height });
      setBrush(Math.max(8, Math.round(Math.min(width, height) / 16)));
    });
    return () => {
      cancelled = true;
    };
  }, [image]);

  const layer = () => paintRef.current!.getContext("2d", { willReadFrequently: true })!;

  const remember = () => {
    const canvas = paintRef.current!;
    undo.current = [...undo.current.slice(-(UNDO_STEPS - 1)), layer().getImageData(0, 0, canvas.width, canvas.height)];
    setUndoCount(undo.current.length);
  };

  const change = (draw: (context: CanvasRenderingContext2D, canvas: HTMLCanvasElement) => void, nowPainted: boolean) => {
    remember();
    const canvas = paintRef.current!;
    const context = layer();
    context.save();
    draw(context, canvas);
    context.restore();
    setPainted(nowPainted);
  };

  handle.current = async () => {
    const canvas = paintRef.current;
    if (!canvas || !size) return undefined;
    const alpha = layer().getImageData(0, 0, canvas.width, canvas.height).data;
    if (!alpha.some((value, i) => i % 4 === 3 && value > 0)) return undefined;
    // Alpha 0 where painted, 255 elsewhere.
    const mask = cutOut(canvas, "#fff");
    return new Promise((resolve) => mask.toBlob((blob) => resolve(blob ?? undefined), "image/png"));
  };

  // Pointer painting, in the picture's pixels whatever size it is shown at.
  const last = useRef<{ x: number; y: number } | undefined>(undefined);
  const at = (event: PointerEvent) => {
    const canvas = paintRef.current!;
    const box = canvas.getBoundingClientRect();
    return { x: ((event.clientX - box.left) * canvas.width) / box.width, y: ((event.clientY - box.top) * canvas.height) / box.height };
  };
  const stroke = (to: { x: number; y: number }) => {
    const context = layer();
    const from = last.current ?? to;
    context.globalCompositeOperation = erasing ? "destination-out" : "source-over";
    context.strokeStyle = PAINT;
    context.lineWidth = brush;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.beginPath();
    context.moveTo(from.x, from.y);
    context.lineTo(to.x + 0.01, to.y);
    context.stroke();
    last.current = to;
  };

  return (
    <div class="mask-painter">
      <div class="toolbar" role="toolbar" aria-label="Mask tools">
        <div class="brush-size">
          <label for="mask-brush">Brush size</label>
          <input id="mask-brush" type="range" min={4} max={256} value={brush} aria-valuetext={`${brush} pixels`} onInput={(e) => setBrush(Number(e.currentTarget.value))} />
          <output for="mask-brush">{brush} px</output>
        </div>
        <button type="button" aria-pressed={!erasing} onClick={() => setErasing(false)}>
          Brush
        </button>
        <button type="button" aria-pressed={erasing} onClick={() => setErasing(true)}>
          Eraser
        </button>
        <button
          type="button"
          onClick={() =>
            change((context, canvas) => {
              // What was painted becomes clear and the rest painted.
              const inverse = cutOut(canvas, PAINT);
              context.clearRect(0, 0, canvas.width, canvas.height);
              context.drawImage(inverse, 0, 0);
            }, true)
          }
        >
          Invert
        </button>
        <button type="button" onClick={() => change((context, canvas) => context.clearRect(0, 0, canvas.width, canvas.height), false)}>
          Clear
        </button>
        <button
          type="button"
          disabled={undoCount === 0}
          onClick={() => {
            const previous = undo.current.pop();
            setUndoCount(undo.current.length);
            if (previous) layer().putImageData(previous, 0, 0);
            setPainted(previous ? previous.data.some((value, i) => i % 4 === 3 && value > 0) : false);
          }}
        >
          Undo
        </button>
      </div>
      <div class="mask-stage" style={size ? { aspectRatio: `${size.width} / ${size.height}` } : undefined}>
        <canvas ref={pictureRef} aria-hidden="true" />
        <canvas
          ref={paintRef}
          class="paint"
          role="img"
          aria-label={`Mask over the first input picture${painted ? ": painted areas will be edited" : ": nothing painted, the whole picture may change"}`}
          onPointerDown={(event) => {
            event.currentTarget.setPointerCapture(event.pointerId);
            remember();
            last.current = undefined;
            stroke(at(event));
            setPainted(true);
          }}
          onPointerMove={(event) => {
            if (event.currentTarget.hasPointerCapture(event.pointerId)) stroke(at(event));
          }}
          onPointerUp={() => (last.current = undefined)}
        />
      </div>
      <p class="hint">Paint where the picture should change. {painted ? "" : "With nothing painted, no mask is sent."}</p>
    </div>
  );
}
