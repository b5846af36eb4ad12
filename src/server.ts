// Runs the HTTP server until SIGTERM/SIGINT: then it stops taking new work,
// lets running and queued jobs finish, and exits. SIGHUP reloads the API keys.
import { assembleParts, closeApp, createApp } from "./app.js";
import { reloadApiKeys, type Config } from "./config.js";
import { closePictureModeration, loadPictureModeration } from "./moderation/picture.js";
import { startMetricsServer } from "./routes/metrics.js";
import { closeTokenizer, loadTokenizer } from "./tokens/index.js";

export async function serve(config: Config): Promise<void> {
  const parts = assembleParts(config);
  const app = createApp(parts);
  parts.urls.startSweeping();
  // Listen only once every engine, the tokenizer and the picture classifier are loaded: /health answering means ready.
  await parts.registry.load();
  await loadTokenizer();
  if (config.moderatePictures) await loadPictureModeration();
  await app.listen({ host: config.host, port: config.port });
  const metricsServer = config.metricsPort === undefined ? undefined : await startMetricsServer(config.host, config.metricsPort);
  parts.logger.info({ host: config.host, port: config.port, models: parts.registry.list().map((m) => m.id), concurrency: config.concurrency }, "easel is ready");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    parts.state.closing = true;
    parts.logger.info({ signal, queue: parts.queue.stats }, "shutting down: finishing running jobs");
    await closeApp(app);
    metricsServer?.close();
    await parts.queue.close();
    await parts.registry.dispose();
    parts.urls.stop();
    await closeTokenizer();
    await closePictureModeration();
    // Last: every request that could write to the store has finished.
    parts.store.close();
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
