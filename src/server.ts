// Runs the HTTP server until SIGTERM/SIGINT: then it stops taking new work,
// lets running and queued jobs finish, and exits. SIGHUP reloads the API keys.
// In the shared mode, `role` picks what the process does: answer the API
// (api), take jobs (worker, which answers /health and /metrics only), or both.
import { assembleParts, closeApp, createApp, releaseParts } from "./app.js";
import { reloadApiKeys, type Config } from "./config.js";
import { closePictureModeration, loadPictureModeration } from "./moderation/picture.js";
import { startMetricsServer } from "./routes/metrics.js";
import { closeTokenizer, loadTokenizer } from "./tokens/index.js";

export async function serve(config: Config): Promise<void> {
  const parts = await assembleParts(config);
  const app = createApp(parts);
  const runsJobs = config.role !== "api";
  // Listen only once every engine, the tokenizer and the picture classifier are loaded: /health answering means ready.
  await loadTokenizer();
  if (runsJobs && config.moderatePictures) await loadPictureModeration();
  if (parts.worker) await parts.worker.start();
  else if (runsJobs) await parts.registry.load();
  await app.listen({ host: config.host, port: config.port });
  const metricsServer = config.metricsPort === undefined ? undefined : await startMetricsServer(config.host, config.metricsPort);
  parts.logger.info(
    { host: config.host, port: config.port, role: config.role, shared: config.shared !== undefined, models: parts.registry.list().map((m) => m.id), concurrency: config.concurrency },
    "easel is ready",
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    parts.state.closing = true;
    parts.logger.info({ signal }, "shutting down: finishing running jobs");
    await closeApp(app);
    metricsServer?.close();
    // Last: every request that could write to the store has finished, and the worker's jobs too.
    await releaseParts(parts);
    await closeTokenizer();
    await closePictureModeration();
    parts.logger.info("stopped");
    process.exit(0);
  };
  // SIGHUP reads the API keys again (names, model allow-lists, limits); what each key has used is kept.
  process.on("SIGHUP", () => {
    try {
      const keys = reloadApiKeys(config);
      parts.keys.replace(keys);
      parts.logger.info({ keys: keys.length }, "API keys reloaded");
    } catch (error) {
      parts.logger.error({ err: error }, "API keys not reloaded: the config file is invalid; the previous keys stay");
    }
  });
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}
