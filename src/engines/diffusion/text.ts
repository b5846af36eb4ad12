// Prompt → the UNet's text conditioning, as diffusers' pipelines compute it.
// SD 1.x/2.x: the text encoder's last hidden state. SDXL: the penultimate
// hidden states of both encoders side by side, plus the second encoder's
// pooled, projected embedding.
import ort from "onnxruntime-node";
import type { Component } from "./runtime.js";
import { readFloats } from "./tensors.js";
import type { ClipTokenizer } from "./tokenizer.js";

export interface TextEncoder {
  tokenizer: ClipTokenizer;
  encoder: Component;
}

/** Conditioning for a batch of prompts: `hidden` is [batch, 77, width]; `pooled` [batch, poolWidth] for SDXL. */
export interface TextConditioning {
  hidden: Float32Array;
  width: number;
  pooled?: Float32Array;
  poolWidth?: number;
}

/** Encodes prompts in one batch; SDXL when `second` is given. */
export async function encodeText(prompts: string[], first: TextEncoder, second?: TextEncoder): Promise<TextConditioning> {
  if (!second) {
    const { data, width } = await runEncoder(first, prompts, "last_hidden_state");
    return { hidden: data, width };
  }
  const a = await runEncoder(first, prompts, penultimate(first.encoder));
  const b = await runEncoder(second, prompts, penultimate(second.encoder), "text_embeds");
  return {
    hidden: joinLastAxis(a.data, a.width, b.data, b.width),
    width: a.width + b.width,
    pooled: b.pooled,
    poolWidth: b.pooled ? b.pooled.length / prompts.length : undefined,
  };
}

/** Zero conditioning of the same shape: SDXL's unconditional input for an empty negative prompt. */
export function zerosLike(conditioning: TextConditioning): TextConditioning {
  return {
    ...conditioning,
    hidden: new Float32Array(conditioning.hidden.length),
    pooled: conditioning.pooled && new Float32Array(conditioning.pooled.length),
  };
}

/** Runs one encoder on a batch of prompts: the named hidden output [batch, length, width], and a pooled output if named. */
export async function runEncoder(
  { tokenizer, encoder }: TextEncoder,
  prompts: string[],
  hiddenOutput: string,
  pooledOutput?: string,
): Promise<{ data: Float32Array; width: number; pooled?: Float32Array }> {
  const length = tokenizer.maxLength;
  const ids = new Int32Array(prompts.length * length);
  prompts.forEach((prompt, i) => ids.set(tokenizer.encode(prompt), i * length));
  const idsType = encoder.inputType("input_ids");
  const feed =
    idsType === "int64"
      ? new ort.Tensor("int64", BigInt64Array.from(ids, (id) => BigInt(id)), [prompts.length, length])
      : new ort.Tensor("int32", ids, [prompts.length, length]);
  const outputs = await encoder.run({ input_ids: feed }, pooledOutput ? [hiddenOutput, pooledOutput] : [hiddenOutput]);
  const hidden = outputs[hiddenOutput];
  const width = Number(hidden.dims[2]);
  const data = readFloats(hidden);
  return { data, width, pooled: pooledOutput ? readFloats(outputs[pooledOutput]) : undefined };
}

/** SDXL and SD3 condition on hidden_states[-2]; exports name them hidden_states.0 … hidden_states.L. */
export function penultimate(encoder: Component): string {
  const layers = encoder
    .outputNames()
    .filter((name) => /^hidden_states\.\d+$/.test(name))
    .sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1]));
  if (layers.length < 2) throw new Error(`${encoder.name} does not output its hidden states (hidden_states.N), which SDXL and SD3 need`);
  return layers[layers.length - 2];
}

function joinLastAxis(a: Float32Array, aWidth: number, b: Float32Array, bWidth: number): Float32Array {
  const rows = a.length / aWidth;
  const out = new Float32Array(rows * (aWidth + bWidth));
  for (let row = 0; row < rows; row++) {
    out.set(a.subarray(row * aWidth, (row + 1) * aWidth), row * (aWidth + bWidth));
    out.set(b.subarray(row * bWidth, (row + 1) * bWidth), row * (aWidth + bWidth) + aWidth);
  }
  return out;
}
