// Validates objects against the schemas of OpenAI's OpenAPI document
// (../shared/openai-openapi/openapi.json) with ajv, $refs resolved from the
// document. OpenAPI 3.1 schemas are JSON Schema 2020-12; OpenAI's own
// keywords (x-stainless-*, discriminator, example…) are ignored.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv";

const DOCUMENT = join(import.meta.dirname, "..", "..", "..", "shared", "openai-openapi", "openapi.json");

/** Whether the document is here to validate against. */
export const haveOpenApi = existsSync(DOCUMENT);

let ajv: InstanceType<typeof Ajv2020.default> | undefined;
const validators = new Map<string, ValidateFunction>();

function schema(name: string): ValidateFunction {
  let validate = validators.get(name);
  if (validate) return validate;
  if (!ajv) {
    const doc = JSON.parse(readFileSync(DOCUMENT, "utf8")) as { components: unknown };
    ajv = new Ajv2020.default({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema({ $id: "openapi", components: doc.components });
  }
  validate = ajv.getSchema(`openapi#/components/schemas/${name}`);
  if (!validate) throw new Error(`no schema ${name} in the OpenAPI document`);
  validators.set(name, validate);
  return validate;
}

/** The schema errors of `value` against components.schemas[name], as readable lines (empty when it is valid). */
export function schemaErrors(name: string, value: unknown): string[] {
  const validate = schema(name);
  if (validate(value)) return [];
  return (validate.errors ?? []).slice(0, 10).map((error) => `${name}${error.instancePath}: ${error.message} ${JSON.stringify(error.params)}`);
}

/** The stream event schema for each Responses event type. */
export const RESPONSE_EVENT_SCHEMAS: Record<string, string> = {
  "response.created": "ResponseCreatedEvent",
  "response.queued": "ResponseQueuedEvent",
  "response.in_progress": "ResponseInProgressEvent",
  "response.output_item.added": "ResponseOutputItemAddedEvent",
  "response.output_item.done": "ResponseOutputItemDoneEvent",
  "response.image_generation_call.in_progress": "ResponseImageGenCallInProgressEvent",
  "response.image_generation_call.generating": "ResponseImageGenCallGeneratingEvent",
  "response.image_generation_call.partial_image": "ResponseImageGenCallPartialImageEvent",
  "response.image_generation_call.completed": "ResponseImageGenCallCompletedEvent",
  "response.content_part.added": "ResponseContentPartAddedEvent",
  "response.content_part.done": "ResponseContentPartDoneEvent",
  "response.output_text.delta": "ResponseTextDeltaEvent",
  "response.output_text.done": "ResponseTextDoneEvent",
  "response.completed": "ResponseCompletedEvent",
  "response.failed": "ResponseFailedEvent",
  "response.incomplete": "ResponseIncompleteEvent",
  error: "ResponseErrorEvent",
};
