// An ImageRequest as BullMQ job data, and back. The input pictures and mask
// travel as references to blobs in the shared store (never as megabytes of
// base64 in Redis); the model travels by name and each worker finds it in its
// own registry.
import type { ImageJob, RawImage } from "../engines/engine.js";
import { errors } from "../errors.js";
import type { ModelCatalog } from "../models/registry.js";
import type { ImageRequest } from "../request-model.js";
import type { JobBlobs } from "../store/store.js";

/** How long a job's input pictures stay in the store if nobody deletes them (the API node does, once answered). */
const INPUT_TTL_SECONDS = 24 * 3600;

interface PictureRef {
  blob: string;
  width: number;
  height: number;
  credits?: string;
  plan?: RawImage["plan"];
}

export interface ImageJobData {
  model: string;
  job: Omit<ImageJob, "images" | "mask"> & { images: PictureRef[]; mask?: PictureRef };
  outputFormat: ImageRequest["outputFormat"];
  compression: number;
  moderation: ImageRequest["moderation"];
  moderatePictures: boolean;
  explain: boolean;
  /** Whether the client waits for partial images. */
  partials: boolean;
}

export async function toJobData(request: ImageRequest, blobs: JobBlobs, partials: boolean): Promise<{ data: ImageJobData; blobs: string[] }> {
  const written: string[] = [];
  const store = async (image: RawImage): Promise<PictureRef> => {
    const blob = await blobs.put(image.data, INPUT_TTL_SECONDS);
    written.push(blob);
    return { blob, width: image.width, height: image.height, ...(image.credits ? { credits: image.credits } : {}), ...(image.plan ? { plan: image.plan } : {}) };
  };
  try {
    const { images, mask, ...job } = request.job;
    const data: ImageJobData = {
      model: request.model.id,
      job: { ...job, images: await Promise.all(images.map(store)), ...(mask ? { mask: await store(mask) } : {}) },
      outputFormat: request.outputFormat,
      compression: request.compression,
      moderation: request.moderation,
      moderatePictures: request.moderatePictures,
      explain: request.explain,
      partials,
    };
    return { data, blobs: written };
  } catch (error) {
    await blobs.delete(written).catch(() => undefined);
    throw error;
  }
}

/** The request again, on a worker: its model from the worker's registry, its pictures from the store. */
export async function fromJobData(data: ImageJobData, models: ModelCatalog, blobs: JobBlobs): Promise<ImageRequest> {
  const model = models.get(data.model);
  if (!model) throw errors.modelNotFound(data.model);
  const load = async (ref: PictureRef): Promise<RawImage> => {
    const bytes = await blobs.get(ref.blob);
    if (!bytes) throw new Error(`the job's input picture ${ref.blob} is gone from the store`);
    return { data: bytes, width: ref.width, height: ref.height, ...(ref.credits ? { credits: ref.credits } : {}), ...(ref.plan ? { plan: ref.plan } : {}) };
  };
  const { images, mask, ...job } = data.job;
  return {
    endpoint: images.length === 0 ? "generations" : job.mode === "variation" ? "variations" : "edits",
    model,
    job: { ...job, images: await Promise.all(images.map(load)), ...(mask ? { mask: await load(mask) } : {}) },
    outputFormat: data.outputFormat,
    compression: data.compression,
    responseFormat: "b64_json",
    stream: data.partials,
    moderation: data.moderation,
    moderatePictures: data.moderatePictures,
    explain: data.explain,
  };
}
