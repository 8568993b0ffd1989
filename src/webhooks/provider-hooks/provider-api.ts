// What installing a hook needs from a provider's REST API: the API root, the token, the
// project, and bounded JSON calls that name the provider's answer when they fail.
export interface ProviderApi {
  fetch: typeof fetch;
  /** https://api.github.com, https://ghe.example.com/api/v3, https://gitlab.example.com */
  base: string;
  token: string;
  /** owner/repo on GitHub, the project path on GitLab. */
  project: string;
}

export interface HookTarget {
  url: string;
  secret: string;
}

export class ProviderApiError extends Error {}

export async function callApi(api: ProviderApi, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<unknown> {
  const response = await api.fetch(`${api.base.replace(/\/+$/, "")}${path}`, {
    method,
    headers: { accept: "application/json", "user-agent": "Satchel", ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok) {
    let message = text.slice(0, 200);
    try {
      const parsed = JSON.parse(text) as { message?: unknown; error?: unknown };
      message = String(parsed.message ?? parsed.error ?? message).slice(0, 200);
    } catch {
      // Not JSON: keep the excerpt.
    }
    throw new ProviderApiError(`${method} ${path}: ${response.status} ${message}`);
  }
  // DELETE answers 204 without a body.
  return text && (response.headers.get("content-type") ?? "").includes("json") ? (JSON.parse(text) as unknown) : null;
}
