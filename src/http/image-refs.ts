// Image references in JSON bodies ({"image_url": ...} or {"file_id": ...}):
// data URLs are decoded in place; http(s) URLs are fetched with a size limit,
// a timeout and a guard that refuses loopback, private and link-local
// addresses (checked at connect time, so DNS tricks cannot slip past it);
// file ids are read from the store, the caller's own files only.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { errors } from "../errors.js";
import { MAX_IMAGE_URL, MAX_NAME, withinLength } from "../limits.js";
import type { ImageUpload } from "../imaging/decode.js";
import type { FileStore } from "../store/store.js";
import { isPrivateAddress } from "./private-addresses.js";

export interface ImageRef {
  image_url?: unknown;
  file_id?: unknown;
}

export interface FetchPolicy {
  maxBytes: number;
  timeoutMs: number;
  allowPrivateAddresses: boolean;
}

/** Reads a stored file's bytes for a `file_id` reference; undefined when the caller has no such file. */
export type FileReader = (fileId: string, param: string) => Promise<Buffer | undefined>;

/** A FileReader over the store: `owner`'s live files, refusing any larger than `maxBytes` before reading it. */
export function storedFiles(files: FileStore, owner: string, maxBytes: number): FileReader {
  return async (fileId, param) => {
    const file = await files.get(owner, fileId);
    if (!file) return undefined;
    if (file.bytes > maxBytes) throw errors.imageTooLarge(param, `The file '${fileId}' for '${param}' is ${file.bytes} bytes; the limit for images is ${maxBytes} bytes.`);
    return files.read(file);
  };
}

/** Turns one reference into bytes, or throws a 4xx naming `param`. Without `readFile`, no file id resolves. */
export async function resolveImageRef(ref: unknown, param: string, policy: FetchPolicy, readFile?: FileReader): Promise<ImageUpload> {
  if (typeof ref !== "object" || ref === null || Array.isArray(ref)) throw errors.invalidType(param, "an object", ref);
  const { image_url: url, file_id: fileId, ...rest } = ref as ImageRef & Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra) throw errors.unknownParam(`${param}.${extra}`);
  if ((url === undefined) === (fileId === undefined)) {
    throw errors.invalidBody(`'${param}' must have exactly one of 'image_url' or 'file_id'.`);
  }
  if (fileId !== undefined) {
    if (typeof fileId !== "string") throw errors.invalidType(`${param}.file_id`, "a string", fileId);
    withinLength(fileId, `${param}.file_id`, MAX_NAME);
    const bytes = await readFile?.(fileId, param);
    if (!bytes) throw errors.fileNotFound(`${param}.file_id`, fileId);
    return { param, bytes };
  }
  if (typeof url !== "string") throw errors.invalidType(`${param}.image_url`, "a string", url);
  withinLength(url, `${param}.image_url`, MAX_IMAGE_URL);
  if (url.startsWith("data:")) return { param, bytes: decodeDataUrl(url, `${param}.image_url`) };
  if (/^https?:\/\//i.test(url)) return { param, bytes: await fetchImage(url, `${param}.image_url`, policy) };
  throw errors.invalidValue(`${param}.image_url`, url.slice(0, 64), ["a data URL", "an http(s) URL"]);
}

function decodeDataUrl(url: string, param: string): Buffer {
  const match = /^data:([\w.+-]+\/[\w.+-]+)?(;[^,]*)?,(.*)$/s.exec(url);
  if (!match || !(match[2] ?? "").includes(";base64")) {
    throw errors.invalidImage(param, `Invalid data URL for '${param}': expected data:<type>;base64,<data>.`);
  }
  return Buffer.from(match[3], "base64");
}

function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: object, callback: (...args: any[]) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error);
      const blocked = !allowPrivate && addresses.some((entry) => isPrivateAddress(entry.address));
      if (blocked) return callback(Object.assign(new Error(`refusing to connect to a private address for ${hostname}`), { code: "EPRIVATE" }));
      const { all } = options as { all?: boolean };
      if (all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

const PRIVATE = "the address is private or loopback";

function plainReason(error: NodeJS.ErrnoException, timeoutMs: number): string {
  if (error.code === "EPRIVATE") return PRIVATE;
  if (error.code === "ETIMEDOUT") return `it did not answer within ${Math.round(timeoutMs / 1000)} seconds`;
  if (error.code === "ENOTFOUND" || error.code === "EAI_AGAIN") return "its host name could not be resolved";
  return "its server could not be reached";
}

/** GET with the guard, following up to 3 redirects, each checked again. */
export function fetchImage(url: string, param: string, policy: FetchPolicy, redirects = 3): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const fail = (message: string) => reject(errors.invalidImage(param, `Could not fetch '${param}' (${url.slice(0, 200)}): ${message}.`));
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return fail("it is not a valid URL");
    }
    if (target.protocol !== "http:" && target.protocol !== "https:") return fail("only http and https URLs can be fetched");
    const host = target.hostname.replace(/^\[|\]$/g, "");
    if (isIP(host) && !policy.allowPrivateAddresses && isPrivateAddress(host)) return fail(PRIVATE);
    const client = target.protocol === "https:" ? https : http;
    const request = client.get(target, { lookup: guardedLookup(policy.allowPrivateAddresses) as never, timeout: policy.timeoutMs }, (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        if (redirects === 0) return fail("too many redirects");
        let next: string;
        try {
          next = new URL(response.headers.location, target).href;
        } catch {
          return fail("it redirected to an invalid URL");
        }
        return fetchImage(next, param, policy, redirects - 1).then(resolve, reject);
      }
      if (status !== 200) {
        response.resume();
        return fail(`the server answered ${status}`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > policy.maxBytes) {
          request.destroy();
          reject(errors.imageTooLarge(param, `The image at '${param}' is larger than ${policy.maxBytes} bytes.`));
        } else chunks.push(chunk);
      });
      response.on("end", () => resolve(Buffer.concat(chunks)));
      response.on("error", () => fail("the download was cut off"));
    });
    request.on("timeout", () => request.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
    // The socket's own words (addresses, errno names) stay on the server: the client gets a plain reason.
    request.on("error", (error) => fail(plainReason(error as NodeJS.ErrnoException, policy.timeoutMs)));
  });
}
