// Image references in JSON bodies ({"image_url": ...} or {"file_id": ...}):
// data URLs are decoded in place; http(s) URLs are fetched with a size limit,
// a timeout and a guard that refuses loopback, private and link-local
// addresses (checked at connect time, so DNS tricks cannot slip past it);
// file ids are read from the store, the caller's own files only.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP } from "node:net";
import { errors } from "../errors.js";
import type { ImageUpload } from "../imaging/decode.js";
import type { FileStore } from "../store/files.js";

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
    const file = files.get(owner, fileId);
    if (!file) return undefined;
    if (file.bytes > maxBytes) throw errors.imageTooLarge(param, `The file '${fileId}' for '${param}' is ${file.bytes} bytes; the limit for images is ${maxBytes} bytes.`);
    return files.read(file);
  };
}

const privateRanges = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16],
  ["172.16.0.0", 12], ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) privateRanges.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8], ["::ffff:0:0", 96]] as const) {
  privateRanges.addSubnet(network, prefix, "ipv6");
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address) === 6 ? "ipv6" : "ipv4";
  return privateRanges.check(address, family);
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
    const bytes = await readFile?.(fileId, param);
    if (!bytes) throw errors.fileNotFound(`${param}.file_id`, fileId);
    return { param, bytes };
  }
  if (typeof url !== "string") throw errors.invalidType(`${param}.image_url`, "a string", url);
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

/** GET with the guard, following up to 3 redirects, each checked again. */
export function fetchImage(url: string, param: string, policy: FetchPolicy, redirects = 3): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const fail = (message: string) => reject(errors.invalidImage(param, `Could not fetch '${param}' (${url.slice(0, 200)}): ${message}.`));
    const target = new URL(url);
    if (isIP(target.hostname.replace(/^\[|\]$/g, "")) && !policy.allowPrivateAddresses && isPrivateAddress(target.hostname.replace(/^\[|\]$/g, ""))) {
      return fail("the address is private or loopback");
    }
    const client = target.protocol === "https:" ? https : http;
    const request = client.get(target, { lookup: guardedLookup(policy.allowPrivateAddresses) as never, timeout: policy.timeoutMs }, (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        if (redirects === 0) return fail("too many redirects");
        return fetchImage(new URL(response.headers.location, target).href, param, policy, redirects - 1).then(resolve, reject);
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
      response.on("error", (error) => fail(error.message));
    });
    request.on("timeout", () => request.destroy(new Error(`timed out after ${policy.timeoutMs} ms`)));
    request.on("error", (error) => fail((error as Error).message));
  });
}
