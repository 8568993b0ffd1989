// Reading and checking JSON request bodies at the edge of the system: every field is checked
// for type and size before it is used, and a bad one gets a 400 that names it.
import type { Context } from "hono";
import { readRequestBytes } from "./bounded-body.ts";
import { badRequest } from "./errors.ts";

export type JsonObject = Record<string, unknown>;

/** Bodies of the JSON API: 256 KB unless a route needs more (or less, before sign-in). */
export const JSON_BODY_LIMIT = 256 * 1024;

/** The body as a JSON object; 413 as soon as it passes `maxBytes` (counted while streaming). */
export async function readJsonObject(c: Context, maxBytes = JSON_BODY_LIMIT): Promise<JsonObject> {
  const text = new TextDecoder().decode(await readRequestBytes(c, maxBytes));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('The request body must be a JSON object such as {"field": "value"} (the content type does not matter); this one is not valid JSON.', "invalid_json");
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw badRequest("The request body must be a JSON object.", "invalid_json");
  return value as JsonObject;
}

export function requiredString(body: JsonObject, field: string, maxLength = 255): string {
  const value = body[field];
  if (typeof value !== "string" || value.trim() === "") throw badRequest(`"${field}" is required and must be a non-empty string.`);
  if (value.length > maxLength) throw badRequest(`"${field}" is longer than ${maxLength} characters.`);
  return value.trim();
}

export function optionalString(body: JsonObject, field: string, maxLength = 1024): string | null | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== "string") throw badRequest(`"${field}" must be a string.`);
  if (value.length > maxLength) throw badRequest(`"${field}" is longer than ${maxLength} characters.`);
  return value.trim();
}

export function optionalBoolean(body: JsonObject, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") throw badRequest(`"${field}" must be true or false.`);
  return value;
}

/** ISO-8601 date or date-time -> ms; null clears. */
export function optionalDate(body: JsonObject, field: string): number | null | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (value === null || value === "") return null;
  const parsed = typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(parsed)) throw badRequest(`"${field}" must be an ISO-8601 date such as 2027-01-31 or 2027-01-31T12:00:00Z.`);
  return parsed;
}

export function optionalIdList(body: JsonObject, field: string): number[] | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length > 1000 || !value.every((id) => Number.isSafeInteger(id) && id > 0)) {
    throw badRequest(`"${field}" must be a list of ids.`);
  }
  return [...new Set(value as number[])];
}

export function routeId(raw: string | undefined): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw badRequest("Invalid id.");
  return id;
}

export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
