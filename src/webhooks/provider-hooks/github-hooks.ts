// A repository webhook on GitHub (docs.github.com/rest/repos/webhooks): push, create and delete
// events, JSON, signed with the secret Satchel checks X-Hub-Signature-256 against.
import { callApi, ProviderApiError, type HookTarget, type ProviderApi } from "./provider-api.ts";

const headers = (api: ProviderApi) => ({ authorization: `Bearer ${api.token}`, accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" });

export async function createGitHubHook(api: ProviderApi, target: HookTarget): Promise<string> {
  const created = await callApi(api, "POST", `/repos/${api.project}/hooks`, headers(api), {
    name: "web",
    active: true,
    events: ["push", "create", "delete"],
    config: { url: target.url, content_type: "json", secret: target.secret, insecure_ssl: "0" },
  });
  const id = (created as { id?: unknown } | null)?.id;
  if (typeof id !== "number" && typeof id !== "string") throw new ProviderApiError("GitHub answered without a hook id.");
  return String(id);
}

export async function deleteGitHubHook(api: ProviderApi, hookId: string): Promise<void> {
  await callApi(api, "DELETE", `/repos/${api.project}/hooks/${encodeURIComponent(hookId)}`, headers(api));
}
