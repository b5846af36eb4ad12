// onnxruntime sessions for a model's components: created once when the model
// loads, reused by every job, released when it unloads. Each session also
// tells the pipeline what its graph wants (input names, float16 or float32,
// the timestep's type), read from the graph itself because exports differ.
import { availableParallelism } from "node:os";
import ort from "onnxruntime-node";
import { floatTensor, readFloats, type FloatType } from "./tensors.js";

export interface RuntimeSettings {
  executionProviders: string[];
  /** 0: one thread per core. */
  intraOpThreads: number;
  /** Give activation memory back after every run instead of keeping it in onnxruntime's arena. */
  lowMemory: boolean;
}

/** Seconds spent inside session.run, for the benchmark's overhead figure. */
export const runtimeClock = { sessionSeconds: 0 };

export class Component {
  private constructor(
    readonly name: string,
    private readonly session: ort.InferenceSession,
  ) {}

  static async load(name: string, path: string, settings: RuntimeSettings): Promise<Component> {
    try {
      const session = await ort.InferenceSession.create(path, {
        executionProviders: settings.executionProviders,
        intraOpNumThreads: settings.intraOpThreads || availableParallelism(),
        interOpNumThreads: 1,
        // At "all", the VAE decoder keeps extra, pre-packed copies of its weights (+0.35 GB for SD 1.5);
        // "extended" was no slower there (bench/diffusion.ts), so lowMemory uses it for the VAE.
        graphOptimizationLevel: settings.lowMemory && name.startsWith("vae") ? "extended" : "all",
        // The memory pattern plans one more block the size of all activations on top of the
        // arena (+2.4 GB for SD 1.5 at 512², bench/diffusion.ts) and was never faster.
        enableMemPattern: false,
        enableCpuMemArena: !settings.lowMemory,
        // A flow transformer's pre-packed MatMul weights are a second copy of most of its weights
        // (+3.5 GB for an SD3-medium-sized one, bench/diffusion.ts --family sd3): lowMemory keeps
        // one copy, at about 40 % more time per step.
        ...(settings.lowMemory && name === "transformer" ? { extra: { session: { disable_prepacking: "1" } } } : {}),
      });
      return new Component(name, session);
    } catch (error) {
      throw new Error(`Cannot load ${name} from ${path}: ${(error as Error).message}`);
    }
  }

  has(input: string): boolean {
    return this.session.inputNames.includes(input);
  }

  inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  /** The element type of an input ("float32", "float16", "int64", ...). */
  inputType(input: string): string {
    const meta = this.session.inputMetadata.find((m) => m.name === input);
    if (!meta?.isTensor) throw new Error(`${this.name} has no tensor input '${input}'`);
    return meta.type;
  }

  /** The fixed size of an input's axis, or undefined when the export left it symbolic. */
  inputDim(input: string, axis: number): number | undefined {
    const meta = this.session.inputMetadata.find((m) => m.name === input);
    const dim = meta?.isTensor ? meta.shape[axis] : undefined;
    return typeof dim === "number" && dim > 0 ? dim : undefined;
  }

  /** The number of axes an input has (0 for a scalar). */
  inputRank(input: string): number {
    const meta = this.session.inputMetadata.find((m) => m.name === input);
    return meta?.isTensor ? meta.shape.length : 0;
  }

  /** Float data for `input`, converted to the type the graph declares. */
  float(input: string, data: Float32Array, dims: number[]): ort.Tensor {
    return floatTensor(data, dims, this.inputType(input) as FloatType);
  }

  async run(feeds: Record<string, ort.Tensor>, outputs?: string[]): Promise<Record<string, ort.Tensor>> {
    const started = performance.now();
    try {
      return outputs ? await this.session.run(feeds, outputs) : await this.session.run(feeds);
    } finally {
      runtimeClock.sessionSeconds += (performance.now() - started) / 1000;
    }
  }

  /** Runs and returns one float output as float32. */
  async runFloat(feeds: Record<string, ort.Tensor>, output: string): Promise<Float32Array> {
    const result = await this.run(feeds, [output]);
    return readFloats(result[output]);
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
