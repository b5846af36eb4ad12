// The picture classifier's thread: nsfwjs's MobileNetV2 (weights inside its
// npm package) on TensorFlow.js's WebAssembly backend, which needs no native
// download. Pictures arrive as 224x224 RGB; their five class scores go back.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import * as nsfwjs from "nsfwjs";
import { serveTasks } from "../threads/serve.js";
import { SIZE, type Scores } from "./verdict.js";

let classifier: nsfwjs.NSFWJS;

/** tfjs and nsfwjs greet on the console when they load; the server's output is JSON log lines. */
async function quietly<T>(load: () => Promise<T>): Promise<T> {
  const { log, info, warn } = console;
  console.log = console.info = console.warn = () => {};
  try {
    return await load();
  } finally {
    Object.assign(console, { log, info, warn });
  }
}

await serveTasks(
  async () => {
    classifier = await quietly(async () => {
      await tf.setBackend("wasm");
      await tf.ready();
      return nsfwjs.load("MobileNetV2");
    });
  },
  async (payload) => {
    const scores: Scores[] = [];
    for (const pixels of (payload as { pictures: Uint8Array[] }).pictures) {
      const input = tf.tensor3d(pixels, [SIZE, SIZE, 3], "int32");
      try {
        const classes = await classifier.classify(input, 5);
        scores.push(Object.fromEntries(classes.map(({ className, probability }) => [className.toLowerCase(), probability])) as unknown as Scores);
      } finally {
        input.dispose();
      }
    }
    return { result: scores };
  },
);
