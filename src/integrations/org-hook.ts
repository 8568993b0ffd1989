// The organization webhook Satchel installs for an integration (signed with the integration's
// own secret) and removes with it. Best effort: without PUBLIC_URL, or where the provider
// offers no organization hook (GitLab Free), the scheduled sync keeps the list current.
import { SecretBox } from "../credentials/secret-box.ts";
import type { Services } from "../services.ts";
import { integrationClient } from "./integration-client.ts";
import type { IntegrationRow } from "./integration-store.ts";

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

export async function removeOrgHook(services: Services, row: IntegrationRow): Promise<void> {
  if (!row.hookId) return;
  const { provider, http } = integrationClient(services, row);
  try {
    await provider.deleteOrgHook(http, row.organization, row.hookId);
  } catch (error) {
    services.log.warn("could not remove the organization webhook", { integration: row.id, hook: row.hookId, error: String(error) });
  }
}
