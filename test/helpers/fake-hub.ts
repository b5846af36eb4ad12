// A local stand-in for the Hugging Face Hub that answers the routes @huggingface/hub and
// Easel's downloader call, the way huggingface.co answers them:
//   GET /api/models/OWNER/REPO/revision/REV      model info with `sha` and `gated`
//   GET /api/models/OWNER/REPO/tree/REV[/PATH]   file list (paginated with a Link header)
//   GET /OWNER/REPO/resolve/REV/PATH             small files with their git-sha1 ETag and Range;
//                                                LFS files: 302 to a CDN on another origin
//   GET (CDN) /blobs/SHA256                      the bytes, with Range and an ETag
// Errors carry the Hub's X-Error-Code (RepoNotFound, RevisionNotFound, GatedRepo,
// EntryNotFound). Faults can be injected: a connection cut once after N bytes, bytes
// corrupted, a file listed far larger than it is. Every request is recorded.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, relative, sep } from "node:path";

export interface FakeRepo {
  files: Map<string, Buffer>;
  /** Revision names (branches, tags) besides the commit itself; default ["main"]. */
  revisions?: string[];
  gated?: boolean;
  /** Sizes the file list claims instead of the real ones (a "no space" repository). */
  listedSizes?: Record<string, number>;
}

export interface RecordedRequest {
  server: "hub" | "cdn";
  url: string;
  range?: string;
  authorization?: string;
}

const LFS_ABOVE = 2_048;

export class FakeHub {
  readonly requests: RecordedRequest[] = [];
  readonly repos = new Map<string, FakeRepo & { commit: string }>();
  /** Tokens that may read gated repositories. */
  readonly tokens = new Set<string>();
  /** Cut the connection once, after this many bytes of the file with this sha256. */
  cutOnce?: { sha256: string; after: number };
  /** Serve these sha256 blobs with one byte changed. */
  readonly corrupt = new Set<string>();
  /** Slow CDN: send blobs 1 KB at a time with this pause between (ms). */
  trickleMs = 0;
  /** Blobs by sha256, and each file's hashes, computed once (models can be large in benchmarks). */
  private readonly blobs = new Map<string, Buffer>();
  private readonly hashes = new WeakMap<Buffer, { sha256: string; sha1: string }>();
  private hub!: Server;
  private cdn!: Server;
  url = "";
  cdnUrl = "";

  static async start(): Promise<FakeHub> {
    const hub = new FakeHub();
    hub.hub = createServer((req, res) => hub.answerHub(req, res));
    hub.cdn = createServer((req, res) => hub.answerCdn(req, res));
    hub.url = await listen(hub.hub);
    hub.cdnUrl = await listen(hub.cdn);
    return hub;
  }

  add(name: string, repo: FakeRepo): string {
    const commit = createHash("sha1").update(`${name}:${[...repo.files.keys()].sort().join(",")}:${this.repos.size}`).digest("hex");
    this.repos.set(name, { ...repo, commit });
    for (const bytes of repo.files.values()) this.blobs.set(this.hashOf(bytes).sha256, bytes);
    return commit;
  }

  private hashOf(bytes: Buffer): { sha256: string; sha1: string } {
    let hashes = this.hashes.get(bytes);
    if (!hashes) {
      const sha256 = createHash("sha256");
      const sha1 = createHash("sha1").update(`blob ${bytes.length}\0`);
      // In slices: one update takes at most 2 GB.
      for (let at = 0; at < bytes.length; at += 1 << 30) {
        const slice = bytes.subarray(at, at + (1 << 30));
        sha256.update(slice);
        sha1.update(slice);
      }
      hashes = { sha256: sha256.digest("hex"), sha1: sha1.digest("hex") };
      this.hashes.set(bytes, hashes);
    }
    return hashes;
  }

  /** sha256 of a repository file, as its LFS pointer names it. */
  sha256(name: string, path: string): string {
    return this.hashOf(this.repos.get(name)!.files.get(path)!).sha256;
  }

  resolves(path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.server === "hub" && request.url.includes("/resolve/") && request.url.endsWith(`/${path}`));
  }

  async close(): Promise<void> {
    for (const server of [this.hub, this.cdn]) {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  }

  private record(server: "hub" | "cdn", req: IncomingMessage): void {
    this.requests.push({ server, url: req.url ?? "", range: req.headers.range, authorization: req.headers.authorization });
  }

  private answerHub(req: IncomingMessage, res: ServerResponse): void {
    this.record("hub", req);
    const url = new URL(req.url ?? "/", this.url);
    const api = /^\/api\/models\/([^/]+\/[^/]+)\/(revision|tree)\/([^/]+)(\/.*)?$/.exec(url.pathname);
    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    const name = decodeURIComponent(api?.[1] ?? resolve?.[1] ?? "");
    const repo = this.repos.get(name);
    if (!repo) return error(res, 401, "RepoNotFound", "Repository not found");
    const revision = decodeURIComponent(api?.[3] ?? resolve?.[2] ?? "");
    if (revision !== repo.commit && !(repo.revisions ?? ["main"]).includes(revision) && revision !== "HEAD") {
      return error(res, 404, "RevisionNotFound", `Invalid rev id: ${revision}`);
    }
    if (api?.[2] === "revision") {
      return json(res, 200, {
        _id: `id-${name}`,
        id: name,
        sha: repo.commit,
        private: false,
        gated: repo.gated ? "manual" : false,
        downloads: 0,
        likes: 0,
        lastModified: new Date(0).toISOString(),
        pipeline_tag: "text-to-image",
        siblings: [...repo.files.keys()].map((rfilename) => ({ rfilename })),
      });
    }
    if (api?.[2] === "tree") return this.answerTree(res, url, repo, decodeURIComponent(api[4]?.slice(1) ?? ""));
    if (resolve) return this.answerResolve(req, res, name, repo, decodeURIComponent(resolve[3]));
    error(res, 404, null, "Not found");
  }

  private answerTree(res: ServerResponse, url: URL, repo: FakeRepo & { commit: string }, under: string): void {
    const entries = [...repo.files.entries()]
      .filter(([path]) => !under || path.startsWith(`${under}/`))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([path, bytes]) => {
        const size = repo.listedSizes?.[path] ?? bytes.length;
        const { sha1: oid, sha256 } = this.hashOf(bytes);
        const lfs = bytes.length > LFS_ABOVE || repo.listedSizes?.[path] ? { oid: sha256, size, pointerSize: 134 } : undefined;
        return { type: "file", oid, size, path, ...(lfs ? { lfs } : {}) };
      });
    // Like the Hub: a page at a time, the next page's URL in a Link header.
    const pageSize = 4;
    const cursor = Number(url.searchParams.get("cursor") ?? 0);
    const next = cursor + pageSize < entries.length ? new URL(url) : undefined;
    next?.searchParams.set("cursor", String(cursor + pageSize));
    res.setHeader("Content-Type", "application/json");
    if (next) res.setHeader("Link", `<${next.href}>; rel="next"`);
    res.end(JSON.stringify(entries.slice(cursor, cursor + pageSize)));
  }

  private answerResolve(req: IncomingMessage, res: ServerResponse, name: string, repo: FakeRepo & { commit: string }, path: string): void {
    if (repo.gated) {
      const token = req.headers.authorization?.replace(/^Bearer /, "");
      if (!token || !this.tokens.has(token)) {
        return error(res, token ? 403 : 401, "GatedRepo", `Access to model ${name} is restricted. You must have access to it and be authenticated to access it. Please log in.`);
      }
    }
    const bytes = repo.files.get(path);
    if (!bytes) return error(res, 404, "EntryNotFound", `${path} does not exist on "${repo.commit}"`);
    res.setHeader("X-Repo-Commit", repo.commit);
    if (bytes.length > LFS_ABOVE || repo.listedSizes?.[path]) {
      const { sha256 } = this.hashOf(bytes);
      res.writeHead(302, { Location: `${this.cdnUrl}/blobs/${sha256}`, "X-Linked-Etag": `"${sha256}"`, "X-Linked-Size": String(bytes.length) });
      return void res.end();
    }
    sendBytes(req, res, bytes, this.hashOf(bytes).sha1);
  }

  private answerCdn(req: IncomingMessage, res: ServerResponse): void {
    this.record("cdn", req);
    const sha256 = /^\/blobs\/([0-9a-f]{64})$/.exec(req.url ?? "")?.[1];
    const bytes = sha256 && this.blobs.get(sha256);
    if (!sha256 || !bytes) return error(res, 404, null, "No such blob");
    let body = bytes;
    if (this.corrupt.has(sha256)) {
      body = Buffer.from(bytes);
      body[body.length >> 1] ^= 0xff;
    }
    if (this.cutOnce?.sha256 === sha256) {
      const { after } = this.cutOnce;
      this.cutOnce = undefined;
      res.writeHead(200, { "Content-Length": String(body.length), "Accept-Ranges": "bytes" });
      // A pause before the cut lets the client take the bytes in first (an errored stream drops what it has queued).
      res.write(body.subarray(0, after), () => setTimeout(() => res.socket?.end(), 300));
      return;
    }
    if (this.trickleMs > 0 && !req.headers.range) return trickle(res, body, sha256, this.trickleMs);
    sendBytes(req, res, body, sha256);
  }
}

/** Every file under a folder, by its path with "/" (as a repository lists it). */
export async function filesOf(folder: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files.set(relative(folder, path).split(sep).join("/"), await readFile(path));
    }
  };
  await walk(folder);
  return files;
}

function sendBytes(req: IncomingMessage, res: ServerResponse, bytes: Buffer, etag: string): void {
  res.setHeader("ETag", `"${etag}"`);
  res.setHeader("Accept-Ranges", "bytes");
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
  if (!range) {
    res.writeHead(200, { "Content-Length": String(bytes.length) });
    return void res.end(bytes);
  }
  const start = Number(range[1]);
  const end = range[2] ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
  if (start >= bytes.length) {
    res.writeHead(416, { "Content-Range": `bytes */${bytes.length}` });
    return void res.end();
  }
  res.writeHead(206, { "Content-Range": `bytes ${start}-${end}/${bytes.length}`, "Content-Length": String(end - start + 1) });
  res.end(bytes.subarray(start, end + 1));
}

function trickle(res: ServerResponse, bytes: Buffer, etag: string, pauseMs: number): void {
  res.writeHead(200, { "Content-Length": String(bytes.length), ETag: `"${etag}"` });
  let at = 0;
  const next = () => {
    if (res.destroyed) return;
    if (at >= bytes.length) return void res.end();
    res.write(bytes.subarray(at, (at += 1024)));
    setTimeout(next, pauseMs);
  };
  next();
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

function error(res: ServerResponse, status: number, code: string | null, message: string): void {
  if (code) res.setHeader("X-Error-Code", code);
  json(res, status, { error: message });
}

function listen(server: Server): Promise<string> {
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}
