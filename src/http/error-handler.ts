// The one place an error becomes a response: AppError -> its status and `{"error": ...}` body,
// anything else -> a logged 500 that says nothing about the cause.
import type { Context } from "hono";
import type { Services } from "../services.ts";
import { AppError, errorBody } from "./errors.ts";

export function errorHandler(services: Services) {
  return function handleError(error: Error, c: Context): Response {
    if (error instanceof AppError) return c.json(errorBody(error), error.status);
    services.log.error("unhandled error", { path: new URL(c.req.url).pathname, error: error.message });
    return c.json({ error: { code: "internal_error", message: "Something went wrong on our side." } }, 500);
  };
}
