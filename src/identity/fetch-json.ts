// JSON documents from identity providers (OIDC metadata, JWKS, token responses): bounded in
// time and size, no redirects followed; a failure is a sentence, not an exception.
import { readBoundedBytes } from "../http/bounded-body.ts";

export interface IssuerAccess {
  fetch: typeof fetch;
  now: () => number;
  allowInsecure: boolean;
}

const MAX_DOCUMENT_BYTES = 256 * 1024;
const TIMEOUT_MS = 5000;

export async function fetchJson(access: Pick<IssuerAccess, "fetch">, url: string, init: RequestInit = {}): Promise<Record<string, unknown> | string> {
  const fetched = await fetchJsonValue(access, url, init);
  if (typeof fetched === "string") return fetched;
  const value = fetched.json;
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : "is not a JSON object";
}

/** Any JSON value (an array too), or why there is none: a string. */
export async function fetchJsonValue(access: Pick<IssuerAccess, "fetch">, url: string, init: RequestInit = {}): Promise<{ json: unknown } | string> {
  let response: Response;
  try {
    response = await access.fetch(url, { ...init, headers: { accept: "application/json", ...init.headers }, redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    return "could not be fetched";
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    return `answered HTTP ${response.status}`;
  }
  const bytes = await readBoundedBytes(response.body, MAX_DOCUMENT_BYTES).catch(() => null);
  if (!bytes) return "is too large or was cut off";
  try {
    return { json: JSON.parse(new TextDecoder().decode(bytes)) as unknown };
  } catch {
    return "is not JSON";
  }
}
