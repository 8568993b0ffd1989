// One authenticated call to a provider's REST API, as each documents its tokens: GitHub a
// Bearer token with its versioned media type, GitLab PRIVATE-TOKEN, Gitea `token <t>`,
// Bitbucket a Bearer access token. Bounded in time and size; a non-2xx answer throws with the
// provider's message (never the token).
import { readBoundedBytes } from "../../http/bounded-body.ts";
import type { Services } from "../../services.ts";
import { ProviderApiError } from "../../webhooks/provider-hooks/provider-api.ts";
import type { RepositoryAccess } from "../repository-access.ts";

export { ProviderApiError };

const TIMEOUT_MS = 15_000;
const MAX_JSON_BYTES = 4 * 1024 * 1024;

export interface ProviderAnswer {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
}

export interface ProviderCall {
  method?: string;
  body?: unknown;
  /** Raw file contents instead of JSON. */
  raw?: boolean;
  maxBytes?: number;
  /** Keep the first `maxBytes` of a larger answer (the caller names the problem) instead of throwing. */
  truncate?: boolean;
  /** Statuses answered instead of thrown (404: no such file). */
  allow?: number[];
}

export async function providerRequest(services: Services, access: RepositoryAccess, pathOrUrl: string, call: ProviderCall = {}): Promise<ProviderAnswer> {
  const method = call.method ?? "GET";
  const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${access.apiUrl.replace(/\/+$/, "")}${pathOrUrl}`;
  const headers: Record<string, string> = { "user-agent": "Satchel", ...authHeaders(access.provider, await access.token(), call.raw === true) };
  if (call.body !== undefined) headers["content-type"] = "application/json";
  const response = await services.hooks.fetch(url, { method, headers, body: call.body === undefined ? undefined : JSON.stringify(call.body), signal: AbortSignal.timeout(TIMEOUT_MS) });
  const maxBytes = call.maxBytes ?? MAX_JSON_BYTES;
  const bytes = await readBoundedBytes(response.body, maxBytes, { truncate: call.truncate === true });
  const path = new URL(url).pathname;
  if (bytes === null) throw new ProviderApiError(`${method} ${path}: the answer is larger than ${maxBytes} bytes.`);
  if (response.ok || call.allow?.includes(response.status)) return { status: response.status, headers: response.headers, bytes };
  throw new ProviderApiError(`${method} ${path}: ${response.status} ${providerMessage(bytes)}`);
}

export async function providerJson<T>(services: Services, access: RepositoryAccess, path: string, call: ProviderCall = {}): Promise<{ value: T; headers: Headers }> {
  const answer = await providerRequest(services, access, path, call);
  try {
    return { value: JSON.parse(new TextDecoder().decode(answer.bytes)) as T, headers: answer.headers };
  } catch {
    throw new ProviderApiError(`${call.method ?? "GET"} ${path}: the provider did not answer JSON.`);
  }
}

function authHeaders(provider: RepositoryAccess["provider"], token: string, raw: boolean): Record<string, string> {
  switch (provider) {
    case "github":
      return { authorization: `Bearer ${token}`, accept: raw ? "application/vnd.github.raw+json" : "application/vnd.github+json", "x-github-api-version": "2022-11-28" };
    case "gitlab":
      return { "private-token": token, accept: "application/json" };
    case "gitea":
      return { authorization: `token ${token}`, accept: "application/json" };
    case "bitbucket":
      return { authorization: `Bearer ${token}`, accept: "application/json" };
  }
}

function providerMessage(bytes: Uint8Array): string {
  const text = new TextDecoder().decode(bytes.slice(0, 2000));
  try {
    const parsed = JSON.parse(text) as { message?: unknown; error?: unknown };
    const message = parsed.message ?? (parsed.error as { message?: unknown } | undefined)?.message ?? parsed.error;
    return String(message ?? text).slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}
