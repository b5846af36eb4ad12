// /v1/models: the names this server answers to, as OpenAI's Model objects.
// In the shared mode, a model whose engine needs weights is listed while some
// live worker serves it; compose and upstream models any worker can run.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { AppParts } from "../app.js";
import { errors } from "../errors.js";
import type { ModelEntry } from "../models/registry.js";

export function modelsRoutes(app: FastifyInstance, { startedAt, queue, config }: AppParts): void {
  const toModel = (entry: ModelEntry) => ({ id: entry.id, object: "model", created: startedAt, owned_by: entry.ownedBy });
  const runsAnywhere = (entry: ModelEntry) => ["compose", "upstream"].includes(engineOf(entry.id));
  const engineOf = (id: string): string => {
    let model = config.models[id];
    while (model?.alias !== undefined) model = config.models[model.alias];
    return model?.engine ?? "";
  };

  /** The caller's models (a key with an allow-list sees its own only) that can run now. */
  async function available(request: FastifyRequest): Promise<ModelEntry[]> {
    const all = request.models.list();
    if (!queue.servedModels) return all;
    const served = await queue.servedModels();
    return all.filter((entry) => served.has(entry.id) || runsAnywhere(entry));
  }

  app.get("/v1/models", async (request) => ({ object: "list", data: (await available(request)).map(toModel) }));

  app.get<{ Params: { model: string } }>("/v1/models/:model", async (request) => {
    const entry = (await available(request)).find((model) => model.id === request.params.model);
    if (!entry) throw errors.modelNotFound(request.params.model, null);
    return toModel(entry);
  });
}
