// /v1/models: the names this server answers to, as OpenAI's Model objects,
// each with an `easel` field (an extension) saying what requests it takes, so
// that clients such as the playground offer exactly the options that apply.
// In the shared mode, a model whose engine needs weights is listed while some
// live worker serves it; compose and upstream models any worker can run.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { AppParts } from "../app.js";
import { engineExtensions } from "../engines/index.js";
import { errors } from "../errors.js";
import type { ModelEntry } from "../models/registry.js";
import { takesInputFidelity } from "../request-model.js";

export function modelsRoutes(app: FastifyInstance, { startedAt, queue }: AppParts): void {
  const toModel = (entry: ModelEntry) => ({ id: entry.id, object: "model", created: startedAt, owned_by: entry.ownedBy, easel: capabilitiesOf(entry) });
  const runsAnywhere = (entry: ModelEntry) => ["compose", "upstream"].includes(entry.engineName);

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

/** The model's family rules and engine, in the API's snake_case. */
function capabilitiesOf(entry: ModelEntry) {
  const { family } = entry;
  return {
    engine: entry.engineName,
    family: family.name,
    endpoints: family.endpoints,
    sizes: family.sizes,
    qualities: family.qualities,
    max_n: family.maxN,
    max_prompt_length: family.maxPromptLength,
    max_input_images: family.maxEditImages,
    input_formats: family.inputFormats,
    square_inputs: family.squareInputs,
    response_formats: family.responseFormats,
    gpt_image_options: family.gptImageOptions,
    input_fidelity: takesInputFidelity(entry),
    style: family.style,
    usage: family.usage,
    extensions: engineExtensions(entry.engineName, entry.engineOptions),
  };
}
