// The provider API as one integration reaches it: its provider object and an HTTP client
// authenticated with the integration's token. A GitHub App's installation token is kept
// (sealed) in the integration's credential, which the git worker clones with, and minted
// again when it has less than ten minutes left.
import { findCredential, replaceCredentialSecret } from "../credentials/credential-store.ts";
import { SecretBox } from "../credentials/secret-box.ts";
import type { Services } from "../services.ts";
import { appJwt, mintInstallationToken } from "./github-app.ts";
import { updateIntegration, type IntegrationRow } from "./integration-store.ts";
import { ProviderHttp } from "./provider-http.ts";
import type { OrgProvider } from "./providers/org-provider.ts";
import { ORG_PROVIDERS } from "./providers/org-providers.ts";
import type { ProviderKind } from "./repository-access.ts";

export const REFRESH_BEFORE_MS = 10 * 60_000;

export interface IntegrationClient {
  provider: OrgProvider;
  http: ProviderHttp;
  token: () => Promise<string>;
}

export function integrationClient(services: Services, row: IntegrationRow): IntegrationClient {
  const provider = ORG_PROVIDERS[row.provider as ProviderKind];
  // Read (or minted) once per client: a sync step makes many calls, each would cost a query.
  let current: Promise<string> | undefined;
  const token = () => (current ??= integrationToken(services, row));
  const http = new ProviderHttp({
    fetch: services.fetch,
    apiUrl: row.apiUrl,
    now: services.now,
    auth: async () => provider.authHeaders(await token()),
    etags: { db: services.db, integrationId: row.id },
  });
  return { provider, http, token };
}

/** The token the integration acts with now (an App's is refreshed first when it is about to expire). */
export async function integrationToken(services: Services, row: IntegrationRow): Promise<string> {
  if (row.credentialsId === null) throw new Error("the integration's credential was deleted; connect the organization again");
  const box = new SecretBox(services.config);
  const isApp = row.appId !== null && row.installationId !== null && row.appKeyEnc !== null;
  if (isApp && (row.appTokenExpiresAt ?? 0) - REFRESH_BEFORE_MS <= services.now()) {
    const minted = await mintInstallationToken(appHttp(services, row.apiUrl, row.appId!, await box.open(row.appKeyEnc!)), row.installationId!);
    await replaceCredentialSecret(services, row.credentialsId, minted.token);
    await updateIntegration(services.db, row.id, { appTokenExpiresAt: minted.expiresAt });
    row.appTokenExpiresAt = minted.expiresAt;
    return minted.token;
  }
  const stored = await findCredential(services.db, row.credentialsId);
  if (!stored) throw new Error("the integration's credential was deleted; connect the organization again");
  return box.open(stored.secretEnc);
}

/** An HTTP client authenticated as the GitHub App itself (a fresh JWT per call). */
export function appHttp(services: Services, apiUrl: string, appId: string, privateKeyPem: string): ProviderHttp {
  return new ProviderHttp({
    fetch: services.fetch,
    apiUrl,
    now: services.now,
    auth: async () => ({ ...ORG_PROVIDERS.github.authHeaders(await appJwt(appId, privateKeyPem, services.now())) }),
  });
}
