// Names of models on the Hugging Face Hub, as users write them: `OWNER/REPO[@REVISION][:SUBFOLDER]`
// for `easel pull`, and the same after `hf:` wherever a model folder's path goes
// (`--model NAME=hf:...`, a config file's `options.path`). And the Hub settings
// that Python's huggingface_hub reads from the environment, read the same way, so
// both share one cache and one login.
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export interface HubReference {
  /** OWNER/REPO. */
  repo: string;
  /** Branch, tag or commit; "main" when not given. */
  revision: string;
  /** Folder inside the repository that holds the model, "" for its top. */
  subfolder: string;
}

export class HubError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HubError";
  }
}

const HF_PREFIX = "hf:";
// The Hub's own rules: letters, digits, '-', '_' and '.', at most 96 characters a name.
const REPO_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}\/[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$/;
const REVISION = /^[A-Za-z0-9_.\-/]{1,200}$/;

export function isHubPath(path: string): boolean {
  return path.startsWith(HF_PREFIX);
}

/** Parses `OWNER/REPO[@REVISION][:SUBFOLDER]`, with or without `hf:` in front. */
export function parseHubReference(text: string): HubReference {
  const spec = isHubPath(text) ? text.slice(HF_PREFIX.length) : text;
  const colon = spec.indexOf(":");
  const [repoAndRevision, subfolder] = colon < 0 ? [spec, ""] : [spec.slice(0, colon), spec.slice(colon + 1).replace(/^\/+|\/+$/g, "")];
  const at = repoAndRevision.indexOf("@");
  const [repo, revision] = at < 0 ? [repoAndRevision, "main"] : [repoAndRevision.slice(0, at), repoAndRevision.slice(at + 1)];
  const usage = "write OWNER/REPO[@REVISION][:SUBFOLDER], e.g. stabilityai/sd-turbo or hf:owner/repo@main:onnx";
  if (!REPO_ID.test(repo)) throw new HubError(`'${text}' is not a Hub model name: ${usage}`);
  if (!REVISION.test(revision) || revision.split("/").includes("..")) throw new HubError(`'${revision}' is not a revision: ${usage}`);
  if (subfolder && (!/^[A-Za-z0-9_.\-/]{1,200}$/.test(subfolder) || subfolder.split("/").some((part) => part === ".." || part === "." || part === ""))) {
    throw new HubError(`'${subfolder}' is not a folder inside the repository: ${usage}`);
  }
  return { repo, revision, subfolder };
}

export function formatHubReference({ repo, revision, subfolder }: HubReference): string {
  return `${repo}${revision === "main" ? "" : `@${revision}`}${subfolder ? `:${subfolder}` : ""}`;
}

export interface HubSettings {
  /** HF_ENDPOINT: the Hub or a mirror of it. */
  endpoint: string;
  /** HF_TOKEN, else the token `huggingface-cli login` saved. */
  token?: string;
  /** HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub. */
  cacheDir: string;
  /** HF_HUB_OFFLINE=1: never touch the network, use what the cache holds. */
  offline: boolean;
}

export function hubSettings(env: NodeJS.ProcessEnv = process.env): HubSettings {
  const home = env.HF_HOME || join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "huggingface");
  const token = env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || readToken(env.HF_TOKEN_PATH || join(home, "token"));
  return {
    endpoint: (env.HF_ENDPOINT || "https://huggingface.co").replace(/\/+$/, ""),
    token,
    cacheDir: env.HF_HUB_CACHE || env.HUGGINGFACE_HUB_CACHE || join(home, "hub"),
    offline: ["1", "true", "yes", "on"].includes((env.HF_HUB_OFFLINE ?? "").toLowerCase()),
  };
}

function readToken(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}
