// A project hook on GitLab (docs.gitlab.com/api/project_webhooks): push and tag push events,
// with the secret token GitLab sends back as X-Gitlab-Token.
import { callApi, ProviderApiError, type HookTarget, type ProviderApi } from "./provider-api.ts";

const headers = (api: ProviderApi) => ({ "private-token": api.token });
const project = (api: ProviderApi) => `/api/v4/projects/${encodeURIComponent(api.project)}/hooks`;

/** `moreEvents`: further event flags (an integration's hook also takes merge_requests_events). */
export async function createGitLabHook(api: ProviderApi, target: HookTarget, moreEvents: Record<string, boolean> = {}): Promise<string> {
  const created = await callApi(api, "POST", project(api), headers(api), {
    url: target.url,
    token: target.secret,
    push_events: true,
    tag_push_events: true,
    enable_ssl_verification: true,
    ...moreEvents,
  });
  const id = (created as { id?: unknown } | null)?.id;
  if (typeof id !== "number" && typeof id !== "string") throw new ProviderApiError("GitLab answered without a hook id.");
  return String(id);
}

export async function deleteGitLabHook(api: ProviderApi, hookId: string): Promise<void> {
  await callApi(api, "DELETE", `${project(api)}/${encodeURIComponent(hookId)}`, headers(api));
}
