// Validation of upstream documents (POST/PUT /api/upstreams) and approval patterns. Secrets
// (password, bearer) are write-only: sealed here, never shown again.
import { isPackagePattern } from "../composer-rules/package-name.ts";
import { SecretBox } from "../credentials/secret-box.ts";
import type { UpstreamInsert } from "./proxy-store.ts";
import { badRequest } from "../http/errors.ts";
import { optionalBoolean, optionalString, type JsonObject } from "../http/json-body.ts";

export type UpstreamValues = Partial<UpstreamInsert>;


/** `https://repo.packagist.org/` or `.../packages.json` -> `https://repo.packagist.org`. */
export function normalizeUpstreamUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw badRequest('"url" must be an absolute http(s) URL such as https://repo.packagist.org.', "invalid_url");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw badRequest('"url" must be an http(s) URL.', "invalid_url");
  if (url.username || url.password) throw badRequest('Put credentials in "username"/"password" or "bearer", not in the URL.', "invalid_url");
  if (url.search || url.hash) throw badRequest('"url" must not have a query or a fragment.', "invalid_url");
  return `${url.origin}${url.pathname.replace(/\/packages\.json$/, "").replace(/\/+$/, "")}`;
}

export async function readUpstreamInput(body: JsonObject, creating: boolean, encryptionKey: string): Promise<UpstreamValues> {
  const values: UpstreamValues = {};
  const name = optionalString(body, "name", 100);
  if (name) values.name = name;
  else if (creating || name !== undefined) throw badRequest('"name" is required.');
  const url = optionalString(body, "url", 2048);
  if (url) values.url = normalizeUpstreamUrl(url);
  else if (creating || url !== undefined) throw badRequest('"url" is required.', "invalid_url");
  if (body.priority !== undefined) {
    if (!Number.isSafeInteger(body.priority) || Math.abs(body.priority as number) > 1_000_000) throw badRequest('"priority" must be an integer (lower numbers are asked first).');
    values.priority = body.priority as number;
  }
  const cacheDists = optionalBoolean(body, "cacheDists");
  if (cacheDists !== undefined) values.cacheDists = cacheDists;
  const strict = optionalBoolean(body, "strict");
  if (strict !== undefined) values.strict = strict;
  const box = new SecretBox(encryptionKey);
  const username = optionalString(body, "username", 255);
  if (username !== undefined) values.username = username || null;
  for (const [field, column] of [["password", "passwordEnc"], ["bearer", "bearerEnc"]] as const) {
    const secret = body[field];
    if (secret === undefined) continue;
    if (secret !== null && (typeof secret !== "string" || secret.length > 4096)) throw badRequest(`"${field}" must be a string (at most 4 KB) or null.`);
    values[column] = secret ? await box.seal(secret) : null;
  }
  return values;
}

export function readApprovalPattern(body: JsonObject): string {
  const pattern = typeof body.pattern === "string" ? body.pattern.trim().toLowerCase() : "";
  if (!isPackagePattern(pattern)) {
    throw badRequest('"pattern" must be a package name (vendor/name) or a vendor wildcard (vendor/*).', "invalid_pattern");
  }
  return pattern;
}
