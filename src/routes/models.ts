// /v1/models: the names this server answers to, as OpenAI's Model objects.
import type { FastifyInstance } from "fastify";
import type { AppParts } from "../app.js";
import { errors } from "../errors.js";
import type { ModelEntry } from "../models/registry.js";

export function modelsRoutes(app: FastifyInstance, { startedAt }: AppParts): void {
  const toModel = (entry: ModelEntry) => ({ id: entry.id, object: "model", created: startedAt, owned_by: entry.ownedBy });

  // A key with an allow-list sees its models only.
  app.get("/v1/models", async (request) => ({ object: "list", data: request.models.list().map(toModel) }));

  app.get<{ Params: { model: string } }>("/v1/models/:model", async (request) => {
    const entry = request.models.get(request.params.model);
    if (!entry) throw errors.modelNotFound(request.params.model, null);
    return toModel(entry);
  });
}
