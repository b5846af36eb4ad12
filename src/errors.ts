// Every refusal Easel makes comes from this one table, in OpenAI's error shape:
// {"error": {"message", "type", "param", "code"}} with OpenAI's status codes.
// The README's "Errors" section lists the same codes; a test keeps them in step.

export type ErrorType =
  | "invalid_request_error"
  | "image_generation_user_error"
  | "requests"
  | "tokens"
  | "server_error";

/** Messages and params quote what clients sent; these bounds keep a refusal small whatever was sent. */
const MAX_MESSAGE = 2000;
const MAX_PARAM = 256;
const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export class ApiError extends Error {
  readonly param: string | null;

  constructor(
    readonly status: number,
    readonly type: ErrorType,
    message: string,
    param: string | null = null,
    readonly code: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(cut(message, MAX_MESSAGE));
    this.name = "ApiError";
    this.param = param === null ? null : cut(param, MAX_PARAM);
  }

  toJSON() {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

const invalid = (message: string, param: string | null, code: string | null, status = 400) =>
  new ApiError(status, "invalid_request_error", message, param, code);

/** Formats a list as OpenAI does: 'a', 'b', and 'c'. */
function quoteList(values: readonly (string | number)[]): string {
  const quoted = values.map((v) => `'${v}'`);
  if (quoted.length <= 2) return quoted.join(" and ");
  return `${quoted.slice(0, -1).join(", ")}, and ${quoted[quoted.length - 1]}`;
}

/**
 * A client's value as error messages quote it: strings as they are, other
 * JSON as JSON, cut short. Never String(value): an object whose toString is
 * not callable would throw, turning a 400 into a 500.
 */
export function quoteValue(value: unknown, max = 200): string {
  let text: string;
  if (typeof value === "string") text = value;
  else {
    try {
      text = JSON.stringify(value) ?? describeType(value);
    } catch {
      text = describeType(value);
    }
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (Number.isInteger(value)) return "an integer";
  if (typeof value === "number") return "a decimal";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

/** An upstream image server's refusal, as much of OpenAI's error shape as it gave (upstream engine). */
export interface UpstreamRefusal {
  status?: number;
  type?: string | null;
  param?: string | null;
  code?: string | null;
  retryAfter?: string;
}

const errorTypes: readonly string[] = ["invalid_request_error", "image_generation_user_error", "requests", "tokens", "server_error"];

export const errors = {
  invalidJson: () =>
    invalid(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The API expects a JSON payload, but what was sent was not valid JSON.)",
      null,
      null,
    ),
  invalidBody: (why: string) => invalid(`Invalid request body: ${why}`, null, "invalid_body"),
  unsupportedContentType: (contentType: string, expected: string) =>
    invalid(
      `Invalid Content-Type header (${contentType || "none"}), expected ${expected}.`,
      null,
      "unsupported_content_type",
    ),
  missingParam: (param: string) =>
    invalid(`Missing required parameter: '${param}'.`, param, "missing_required_parameter"),
  unknownParam: (param: string) => invalid(`Unknown parameter: '${quoteValue(param)}'.`, param, "unknown_parameter"),
  invalidType: (param: string, expected: string, got: unknown) =>
    invalid(
      `Invalid type for '${param}': expected ${expected}, but got ${describeType(got)} instead.`,
      param,
      "invalid_type",
    ),
  invalidValue: (param: string, value: unknown, supported: readonly (string | number)[]) =>
    invalid(
      `Invalid value: '${quoteValue(value)}'. Supported values are: ${quoteList(supported)}.`,
      param,
      "invalid_value",
    ),
  belowMin: (param: string, min: number, got: number) =>
    invalid(
      `Invalid '${param}': integer below minimum value. Expected a value >= ${min}, but got ${got} instead.`,
      param,
      "integer_below_min_value",
    ),
  aboveMax: (param: string, max: number, got: number) =>
    invalid(
      `Invalid '${param}': integer above maximum value. Expected a value <= ${max}, but got ${got} instead.`,
      param,
      "integer_above_max_value",
    ),
  decimalBelowMin: (param: string, min: number, got: number) =>
    invalid(`Invalid '${param}': decimal below minimum value. Expected a value >= ${min}, but got ${got} instead.`, param, "decimal_below_min_value"),
  decimalAboveMax: (param: string, max: number, got: number) =>
    invalid(`Invalid '${param}': decimal above maximum value. Expected a value <= ${max}, but got ${got} instead.`, param, "decimal_above_max_value"),
  emptyString: (param: string) =>
    invalid(
      `Invalid '${param}': empty string. Expected a string with minimum length 1, but got an empty string instead.`,
      param,
      "empty_string",
    ),
  stringTooLong: (param: string, max: number, got: number) =>
    invalid(
      `Invalid '${param}': string too long. Expected a string with maximum length ${max}, but got a string with length ${got} instead.`,
      param,
      "string_above_max_length",
    ),
  tooManyItems: (param: string, max: number, got: number) =>
    invalid(
      `Invalid '${param}': array too long. Expected an array with maximum length ${max}, but got an array with length ${got} instead.`,
      param,
      "array_above_max_length",
    ),
  unsupportedForModel: (param: string, model: string, why = "") =>
    invalid(
      `The '${param}' parameter is not supported with model '${model}'.${why ? ` ${why}` : ""}`,
      param,
      "unsupported_parameter",
    ),
  unsupportedValue: (param: string, message: string) => invalid(message, param, "unsupported_value"),
  invalidImage: (param: string, message: string) => invalid(message, param, "invalid_image"),
  invalidImageFormat: (param: string, message: string) => invalid(message, param, "invalid_image_format"),
  imageTooLarge: (param: string, message: string) => invalid(message, param, "image_too_large"),
  invalidMask: (message: string) => invalid(message, "mask", "invalid_mask"),
  fileNotFound: (param: string, fileId: string) =>
    invalid(`No such File object: ${quoteValue(fileId)}`, param, "file_not_found", 404),
  moderationBlocked: () =>
    new ApiError(
      400,
      "image_generation_user_error",
      "Your request was rejected as a result of our safety system. Your request may contain content that is not allowed by our safety system.",
      null,
      "moderation_blocked",
    ),
  modelNotFound: (model: string, param: string | null = "model") =>
    invalid(`The model '${quoteValue(model)}' does not exist or you do not have access to it.`, param, "model_not_found", 404),
  unsupportedEndpointForModel: (model: string, endpoint: string) =>
    invalid(`The model '${model}' does not support ${endpoint}.`, "model", "unsupported_model"),
  invalidUrl: (method: string, url: string) => invalid(`Invalid URL (${method} ${quoteValue(url)})`, null, null, 404),
  playgroundNotBuilt: () => invalid("The playground is not built here: run `npm run build` (npm start does) and restart the server.", null, null, 404),
  malformedUrl: (method: string, url: string) =>
    invalid(`Invalid URL (${method} ${quoteValue(url)}): it is not valid percent-encoded UTF-8.`, null, null, 400),
  imageUrlExpired: () => invalid("This image URL has expired or its signature is invalid.", null, "url_expired", 403),
  /** A value the schema allows in general but not here, with its own explanation (Responses API). */
  invalidParam: (param: string, message: string) => invalid(message, param, "invalid_value"),
  responseNotFound: (id: string) => invalid(`Response with id '${quoteValue(id)}' not found.`, null, null, 404),
  previousResponseNotFound: (id: string) =>
    invalid(`Previous response with id '${quoteValue(id)}' not found.`, "previous_response_id", "previous_response_not_found"),
  itemNotFound: (param: string, id: string) => invalid(`Item with id '${quoteValue(id)}' not found.`, param, null, 404),
  cannotCancel: (why: string) => invalid(`Cannot cancel this response: ${why}`, null, null),
  missingApiKey: () =>
    invalid(
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      null,
      "missing_api_key",
      401,
    ),
  invalidApiKey: () => invalid("Incorrect API key provided.", null, "invalid_api_key", 401),
  bodyTooLarge: (limitBytes: number) =>
    invalid(`Request body too large: the limit is ${limitBytes} bytes.`, null, "request_too_large", 413),
  fileTooLarge: (limitBytes: number) =>
    invalid(`File too large: the limit is ${limitBytes} bytes.`, "file", "request_too_large", 413),
  bodyTimeout: (idleMs: number) =>
    new ApiError(408, "invalid_request_error", `The request body stopped arriving: nothing came for ${Math.round(idleMs / 1000)} seconds.`, null, "request_timeout", {
      connection: "close",
    }),
  uploadsBusy: () =>
    new ApiError(
      429,
      "requests",
      "The server is holding as many request bodies in memory as it allows. Please retry after 1 seconds.",
      null,
      "rate_limit_exceeded",
      { "retry-after": "1" },
    ),
  busy: (retryAfterSeconds: number) =>
    new ApiError(
      429,
      "requests",
      `The server is busy: too many image jobs are waiting. Please retry after ${retryAfterSeconds} seconds.`,
      null,
      "rate_limit_exceeded",
      { "retry-after": String(retryAfterSeconds) },
    ),
  /** An upstream server's 4xx, passed through with its status, message, param and code. */
  upstreamRejected: (message: string, refusal: UpstreamRefusal = {}) => {
    const status = typeof refusal.status === "number" && refusal.status >= 400 && refusal.status < 500 ? refusal.status : 400;
    const type = (refusal.type && errorTypes.includes(refusal.type) ? refusal.type : status === 429 ? "requests" : "invalid_request_error") as ErrorType;
    const headers: Record<string, string> = refusal.retryAfter ? { "retry-after": refusal.retryAfter } : {};
    return new ApiError(status, type, message, refusal.param ?? null, refusal.code ?? null, headers);
  },
  upstreamFailed: (why: string) =>
    new ApiError(502, "server_error", `The upstream image server failed: ${why}`, null, "upstream_error"),
  upstreamTimeout: (timeoutMs: number) =>
    new ApiError(504, "server_error", `The upstream image server did not answer within ${timeoutMs} ms.`, null, "upstream_timeout"),
  transparencyUnavailable: (model: string, why: string) =>
    invalid(
      `Model '${model}' cannot draw a transparent background: ${why} Ask for background 'opaque', or use another model.`,
      "background",
      "unsupported_value",
    ),
  shuttingDown: () =>
    new ApiError(503, "server_error", "The server is shutting down and takes no new work.", null, "server_shutting_down", {
      "retry-after": "1",
    }),
  /** The shared mode's Redis or PostgreSQL cannot be reached: retry soon, perhaps through another node. */
  backendUnavailable: (what: string) =>
    new ApiError(503, "server_error", `The server cannot reach its ${what} right now. Please retry after 2 seconds.`, null, "service_unavailable", {
      "retry-after": "2",
    }),
  noWorker: (model: string) =>
    new ApiError(503, "server_error", `No worker is serving the model '${model}' right now. Please retry after 5 seconds.`, null, "model_unavailable", {
      "retry-after": "5",
    }),
  /** A job that failed on every worker that took it. */
  jobFailed: () =>
    new ApiError(500, "server_error", "The server had an error while generating the image: the job failed on every worker that took it.", null, "server_error"),
  internal: (requestId: string) =>
    new ApiError(
      500,
      "server_error",
      `The server had an error while processing your request. Request id: ${requestId}.`,
      null,
      "server_error",
    ),
};
