// Satchel's own push hook on a package's repository, for packages read with a GitHub or GitLab
// token: installed when the package is created (with a fresh package secret), removed when it
// is deleted. Best effort: a provider that refuses (no admin right on the repository) is
// logged, and the package works as before, updated by the scheduler or a manual hook.
import { findCredential } from "../../credentials/credential-store.ts";
import { SecretBox } from "../../credentials/secret-box.ts";
import { findPackageByName } from "../../packages/package-store.ts";
import { redactUrl } from "../../http/redact.ts";
import type { Services } from "../../services.ts";
import { createHookSecret, deleteHookSecret } from "../incoming/hook-secret-store.ts";
import { parseRepositoryUrl } from "../incoming/repository-key.ts";
import { INCOMING_ENDPOINTS } from "../incoming/routes.ts";
import { createGitHubHook, deleteGitHubHook } from "./github-hooks.ts";
import { createGitLabHook, deleteGitLabHook } from "./gitlab-hooks.ts";
import type { ProviderApi } from "./provider-api.ts";
import { providerHookOf, saveProviderHook } from "./provider-hook-store.ts";

type Provider = "github" | "gitlab";

export async function installProviderHook(services: Services, packageName: string): Promise<void> {
  const pkg = await findPackageByName(services.db, packageName);
  if (!pkg?.repository || pkg.credentialsId === null) return;
  const target = await providerFor(services, pkg.repository, pkg.credentialsId);
  if (!target) return;
  const publicUrl = services.config.publicUrl;
  if (!publicUrl) {
    services.log.warn("no webhook installed: PUBLIC_URL is not set, so the provider could not reach Satchel", { package: pkg.name });
    return;
  }
  const packageId = pkg.id;
  const { row: secretRow, secret } = await createHookSecret(services, { name: `${target.provider} hook installed by Satchel`, packageId, provider: target.provider });
  try {
    const url = `${publicUrl}${INCOMING_ENDPOINTS[target.provider]}`;
    const hookId = target.provider === "github" ? await createGitHubHook(target.api, { url, secret }) : await createGitLabHook(target.api, { url, secret });
    await saveProviderHook(services.db, { packageId, provider: target.provider, apiBase: target.api.base, project: target.api.project, hookId, credentialsId: pkg.credentialsId, createdAt: services.now() });
    services.log.info("webhook installed on the repository", { package: pkg.name, provider: target.provider, hook: hookId });
  } catch (error) {
    await deleteHookSecret(services.db, secretRow.id);
    services.log.warn("could not install a webhook on the repository", { package: pkg.name, repository: redactUrl(pkg.repository), error: String(error) });
  }
}

/** Removes the hook installed for a package (call before the package's rows go). */
export async function removeProviderHook(services: Services, packageId: number): Promise<void> {
  const row = await providerHookOf(services.db, packageId);
  if (!row || row.credentialsId === null) return;
  try {
    const token = await tokenOf(services, row.credentialsId);
    if (!token) return;
    const api: ProviderApi = { fetch: services.hooks.fetch, base: row.apiBase, token, project: row.project };
    await (row.provider === "github" ? deleteGitHubHook(api, row.hookId) : deleteGitLabHook(api, row.hookId));
  } catch (error) {
    services.log.warn("could not remove the webhook from the repository", { project: row.project, hook: row.hookId, error: String(error) });
  }
}

/** The provider API for a repository read with a provider token (like the git worker's choice). */
async function providerFor(services: Services, repository: string, credentialsId: number): Promise<{ provider: Provider; api: ProviderApi } | null> {
  const stored = await findCredential(services.db, credentialsId);
  const location = parseRepositoryUrl(repository);
  if (!stored || !location || location.host === "") return null;
  const provider: Provider | null = stored.kind === "github-token" ? "github" : stored.kind === "gitlab-token" ? "gitlab" : null;
  if (!provider) return null;
  // publicInfo may name a GitHub Enterprise or self-managed GitLab API root.
  const given = stored.publicInfo && /^https?:\/\//.test(stored.publicInfo) ? stored.publicInfo.replace(/\/+$/, "") : null;
  const isPublicHost = location.host === (provider === "github" ? "github.com" : "gitlab.com");
  if (!given && !isPublicHost && provider === "github") return null;
  const base = given ?? (provider === "github" ? "https://api.github.com" : `https://${location.host}`);
  const token = await new SecretBox(services.config).open(stored.secretEnc);
  return { provider, api: { fetch: services.hooks.fetch, base, token, project: location.path } };
}

async function tokenOf(services: Services, credentialsId: number): Promise<string | null> {
  const stored = await findCredential(services.db, credentialsId);
  return stored ? new SecretBox(services.config).open(stored.secretEnc) : null;
}
