// One error type for the whole app, thrown where the problem is found and turned into the
// `{"error": {"code", "message"}}` contract in one place (app.onError).
import type { ContentfulStatusCode } from "hono/utils/http-status";

export class AppError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  /** Printed by Composer: its error output shows a top-level `warning` of a JSON error body. */
  readonly composerWarning?: string;
  #body: string | undefined;

  constructor(status: ContentfulStatusCode, code: string, message: string, options: { composerWarning?: string; cause?: unknown } = {}) {
    // An AppError is an answer (a 401, a 404), not a fault: app.onError never shows or logs its
    // stack, and capturing one was the costliest step of a refused request (a tenth of its CPU on Bun).
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message, { cause: options.cause });
    Error.stackTraceLimit = stackTraceLimit;
    this.status = status;
    this.code = code;
    this.composerWarning = options.composerWarning;
  }

  /** The JSON body app.onError answers with, serialized once: a refusal answered again and again is not rebuilt. */
  body(): string {
    return (this.#body ??= JSON.stringify(errorBody(this)));
  }
}

export const badRequest = (message: string, code = "bad_request") => new AppError(400, code, message);
export const notFound = (message = "Not found.") => new AppError(404, "not_found", message, { composerWarning: message });
export const forbidden = (message = "You are not allowed to do that.") => new AppError(403, "forbidden", message);
export const conflict = (message: string, code = "conflict") => new AppError(409, code, message);

/** What c.json() would set: error bodies are serialized once (AppError.body) and sent with c.body(). */
export const JSON_CONTENT: Readonly<Record<string, string>> = Object.freeze({ "Content-Type": "application/json" });

/** Seconds a client is told to wait after a failure on our side (storage down, a fault mid-write). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * What an unexpected error becomes: 503 + Retry-After with a generic message. Every write path is
 * built so that a failure at any step leaves the old state visible and a retry completes it, so
 * "try again shortly" is the truthful answer; internals (messages, stacks) stay in the log.
 */
export function unavailableResponse(): Response {
  const body = { error: { code: "unavailable", message: "Satchel could not complete this request. Try again shortly." } };
  return new Response(JSON.stringify(body), {
    status: 503,
    headers: { "content-type": "application/json; charset=UTF-8", "retry-after": String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
  });
}

export function errorBody(error: AppError): Record<string, unknown> {
  const body: Record<string, unknown> = { error: { code: error.code, message: error.message } };
  if (error.composerWarning) body.warning = error.composerWarning;
  return body;
}
