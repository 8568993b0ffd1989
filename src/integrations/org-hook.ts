// The organization webhook Satchel installs for an integration (signed with the integration's
// own secret) and removes with it. Where GitLab offers no group hook (Free), each added
// project gets a project hook instead (the package hook code of provider-hooks/, with the
// integration's receiver and secret). Best effort: without PUBLIC_URL the scheduled sync
// keeps the list current.
import { SecretBox } from "../credentials/secret-box.ts";
import type { Services } from "../services.ts";
import { integrationClient } from "./integration-client.ts";
import { createGitLabHook, deleteGitLabHook } from "../webhooks/provider-hooks/gitlab-hooks.ts";
import type { ProviderApi } from "../webhooks/provider-hooks/provider-api.ts";
import { integrationToken } from "./integration-client.ts";
import { listIntegrationRepositories, setRepositoryHook, type IntegrationRepositoryRow, type IntegrationRow } from "./integration-store.ts";

export const integrationHookPath = (id: number) => `/api/integrations/${id}/hook`;

export async function installOrgHook(services: Services, row: IntegrationRow): Promise<{ hookId: string | null; warning?: string }> {
  const publicUrl = services.config.publicUrl;
  if (!publicUrl) return { hookId: null, warning: "No organization webhook was installed: PUBLIC_URL is not set, so the provider could not reach Satchel. Sync runs on the schedule." };
  const { provider, http } = integrationClient(services, row);
  try {
    const secret = await new SecretBox(services.config).open(row.hookSecretEnc);
    const hookId = await provider.createOrgHook(http, row.organization, { url: `${publicUrl}${integrationHookPath(row.id)}`, secret });
    return hookId ? { hookId } : { hookId: null, warning: `${row.provider} offers no organization webhook to this token; sync runs on the schedule.` };
  } catch (error) {
    services.log.warn("could not install the organization webhook", { integration: row.id, error: String(error) });
    return { hookId: null, warning: `The organization webhook could not be installed (${error instanceof Error ? error.message : String(error)}); sync runs on the schedule.` };
  }
}

/** Removes the organization hook, or the per-repository hooks installed instead. */
export async function removeOrgHook(services: Services, row: IntegrationRow): Promise<void> {
  await removeRepositoryHooks(services, row);
  if (!row.hookId) return;
  const { provider, http } = integrationClient(services, row);
  try {
    await provider.deleteOrgHook(http, row.organization, row.hookId);
  } catch (error) {
    services.log.warn("could not remove the organization webhook", { integration: row.id, hook: row.hookId, error: String(error) });
  }
}

/** A project hook for a repository added from a GitLab group without a group hook. */
export async function installRepositoryHook(services: Services, row: IntegrationRow, repository: IntegrationRepositoryRow): Promise<void> {
  const publicUrl = services.config.publicUrl;
  if (row.provider !== "gitlab" || !row.webhooks || row.hookId || !publicUrl) return;
  try {
    const secret = await new SecretBox(services.config).open(row.hookSecretEnc);
    const hookId = await createGitLabHook(await projectApi(services, row, repository), { url: `${publicUrl}${integrationHookPath(row.id)}`, secret }, { merge_requests_events: true });
    await setRepositoryHook(services.db, repository.id, hookId);
  } catch (error) {
    services.log.warn("could not install the project webhook", { integration: row.id, repository: repository.fullName, error: String(error) });
  }
}

async function removeRepositoryHooks(services: Services, row: IntegrationRow): Promise<void> {
  for (const repository of await listIntegrationRepositories(services.db, row.id)) {
    if (!repository.hookId) continue;
    try {
      await deleteGitLabHook(await projectApi(services, row, repository), repository.hookId);
    } catch (error) {
      services.log.warn("could not remove the project webhook", { integration: row.id, repository: repository.fullName, error: String(error) });
    }
  }
}

/** The project by its id (stable through renames); provider-hooks/ adds /api/v4 itself. */
async function projectApi(services: Services, row: IntegrationRow, repository: IntegrationRepositoryRow): Promise<ProviderApi> {
  return { fetch: services.fetch, base: row.apiUrl.replace(/\/api\/v4\/?$/, ""), token: await integrationToken(services, row), project: repository.providerId };
}
