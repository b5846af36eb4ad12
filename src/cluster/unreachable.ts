// Whether an error means the shared mode's PostgreSQL or Redis could not be
// reached (refused, reset, timed out, restarting): the answer is then a 503
// to retry, in OpenAI's shape, rather than a 500.
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
/** PostgreSQL's SQLSTATEs for a connection lost or a server shutting down or starting. */
const POSTGRES_STATES = /^(08...|57P0[1-3])$/;
const MESSAGES = /Connection terminated|timeout exceeded when trying to connect|not queryable|Connection is closed|enableOfflineQueue|MaxRetriesPerRequest|Command timed out/i;

export function isUnreachable(error: unknown): "database" | "job queue (Redis)" | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, message, name } = error as { code?: unknown; message?: unknown; name?: unknown };
  const text = `${String(name ?? "")} ${String(message ?? "")}`;
  const redis = /redis|offline ?queue|MaxRetriesPerRequest|Command timed out|Connection is closed/i.test(text);
  if (typeof code === "string" && POSTGRES_STATES.test(code)) return "database";
  if ((typeof code === "string" && SOCKET_CODES.has(code)) || MESSAGES.test(text)) return redis ? "job queue (Redis)" : "database";
  return undefined;
}
