// A cluster of Easel processes for tests of the shared mode: a Redis server
// of its own (so a test may stop and restart it), a PostgreSQL database of
// its own, and API nodes and workers started from the built CLI as child
// processes, each on a free port with its own data dir.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { cli, ensureBuilt, freePort, untilHealthy } from "./child-server.js";
import { sharedServices, type SharedServices } from "./shared-services.js";

export interface Node {
  role: "api" | "worker" | "all";
  base: string;
  client: OpenAI;
  child: ChildProcess;
  /** What the process wrote to stderr and stdout (its log), for failure messages. */
  log: () => string;
  exited: Promise<number | null>;
}

/** A redis-server child on a free port, keeping nothing on disk (as this machine's Redis). */
export class RedisServer {
  private child?: ChildProcess;

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  async start(): Promise<void> {
    const child = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    this.child = child;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      const up = await fetch(`http://127.0.0.1:${this.port}`).then(() => true, (error) => (error as { cause?: { code?: string } }).cause?.code !== "ECONNREFUSED");
      if (up) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("redis-server did not start");
  }

  /** Kills it at once, as a crash would. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await gone;
  }
}

export class Cluster {
  readonly nodes: Node[] = [];
  private readonly dirs: string[] = [];

  private constructor(readonly redis: RedisServer, readonly services: SharedServices, private readonly configFile: string) {}

  /** `models`: the config file's models (beside the built-in ones). */
  static async start(models: Record<string, unknown> = {}): Promise<Cluster> {
    ensureBuilt();
    const redis = await RedisServer.start();
    const services = await sharedServices();
    const dir = mkdtempSync(join(tmpdir(), "easel-cluster-"));
    const configFile = join(dir, "easel.config.json");
    writeFileSync(configFile, JSON.stringify({ models }));
    const cluster = new Cluster(redis, services, configFile);
    cluster.dirs.push(dir);
    return cluster;
  }

  /** Starts a node and waits until it answers /health. */
  async start(role: Node["role"], env: Record<string, string> = {}): Promise<Node> {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), `easel-${role}-`));
    this.dirs.push(dataDir);
    const child = spawn(process.execPath, [cli, "serve", "--role", role, "--port", String(port)], {
      env: {
        ...process.env,
        EASEL_CONFIG: this.configFile,
        EASEL_DATA_DIR: dataDir,
        EASEL_REDIS_URL: this.redis.url,
        EASEL_DATABASE_URL: this.services.databaseUrl,
        EASEL_REDIS_PREFIX: "cluster",
        EASEL_CONCURRENCY: "1",
        EASEL_JOB_LOCK_MS: "1500",
        EASEL_MODERATE_PICTURES: "0",
        EASEL_LOG_LEVEL: "info",
        EASEL_API_KEYS: "",
        HOST: "127.0.0.1",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (chunk) => (output = (output + chunk).slice(-20_000)));
    child.stderr!.on("data", (chunk) => (output = (output + chunk).slice(-20_000)));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const base = `http://127.0.0.1:${port}`;
    await untilHealthy(base, child, () => output.slice(-2000), 60_000);
    const node: Node = { role, base, child, exited, log: () => output, client: new OpenAI({ baseURL: `${base}/v1`, apiKey: "unused", maxRetries: 0, timeout: 60_000 }) };
    this.nodes.push(node);
    return node;
  }

  async health(node: Node): Promise<{ status: number; body: Record<string, any> }> {
    const response = await fetch(`${node.base}/health`);
    return { status: response.status, body: await response.json() };
  }

  /** The worker among `workers` that is running a job (polled until one is). */
  async busyWorker(workers: Node[]): Promise<Node> {
    for (;;) {
      for (const worker of workers) if ((await this.health(worker)).body.worker.running > 0) return worker;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close(): Promise<void> {
    for (const node of this.nodes) if (node.child.exitCode === null) node.child.kill("SIGKILL");
    await Promise.all(this.nodes.map((node) => node.exited));
    await this.redis.stop();
    await this.services.drop();
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }
}
