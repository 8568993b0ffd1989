// Connecting an organization: the input checked, the token's scopes (or the App's
// permissions) checked against what the integration will do, and only then anything saved:
// the credential the git worker clones with, the integration, and its organization hook.
import { saveCredential } from "../credentials/credential-store.ts";
import { SecretBox } from "../credentials/secret-box.ts";
import { toHex } from "../crypto/encoding.ts";
import { AppError, badRequest } from "../http/errors.ts";
import { optionalBoolean, optionalString, requiredString, type JsonObject } from "../http/json-body.ts";
import type { Services } from "../services.ts";
import { checkAppPermissions, mintInstallationToken } from "./github-app.ts";
import { appHttp } from "./integration-client.ts";
import { insertIntegration, updateIntegration, type IntegrationRow } from "./integration-store.ts";
import { installOrgHook } from "./org-hook.ts";
import { ProviderHttp, ProviderRefused, ProviderUnavailable, RateLimited } from "./provider-http.ts";
import { MissingScope, type AccessNeeds } from "./providers/org-provider.ts";
import { DEFAULT_API_URLS, ORG_PROVIDERS } from "./providers/org-providers.ts";
import type { ProviderKind } from "./repository-access.ts";

interface ConnectInput {
  provider: ProviderKind;
  apiUrl: string;
  organization: string;
  token?: string;
  app?: { appId: string; installationId: string; privateKey: string };
  needs: AccessNeeds;
  autoSync: boolean;
}

export function parseConnectInput(body: JsonObject): ConnectInput {
  const provider = requiredString(body, "provider", 20);
  if (!(provider in ORG_PROVIDERS)) throw badRequest(`"provider" must be one of ${Object.keys(ORG_PROVIDERS).join(", ")}.`, "invalid_integration");
  const kind = provider as ProviderKind;
  const apiUrl = (optionalString(body, "apiUrl", 500) || DEFAULT_API_URLS[kind] || "").replace(/\/+$/, "");
  if (!/^https?:\/\/[^/\s]+/.test(apiUrl)) throw badRequest(`"apiUrl" is required for ${kind} (the REST API root, e.g. https://gitea.example.com/api/v1).`, "invalid_integration");
  const organization = requiredString(body, "organization", 255);
  if (!/^[\w.-]+(\/[\w.-]+)*$/.test(organization)) throw badRequest('"organization" must be the organization, group or workspace path.', "invalid_integration");
  const token = optionalString(body, "token", 4096) || undefined;
  const app = body.app && typeof body.app === "object" && !Array.isArray(body.app) ? appInput(body.app as JsonObject) : undefined;
  if (app && kind !== "github") throw badRequest('"app" is for GitHub Apps only; other providers take a "token".', "invalid_integration");
  if (body.teamSync === true && !ORG_PROVIDERS[kind].teams) throw badRequest(`Team sync is for GitHub teams and GitLab groups; ${kind} has none Satchel reads.`, "invalid_integration");
  if (Boolean(token) === Boolean(app)) throw badRequest('Give either a "token" or, for GitHub, an "app" {appId, installationId, privateKey}.', "invalid_integration");
  return { provider: kind, apiUrl, organization, token, app, autoSync: optionalBoolean(body, "autoSync") ?? false, needs: { hooks: optionalBoolean(body, "webhooks") ?? true, teams: optionalBoolean(body, "teamSync") ?? false } };
}

function appInput(body: JsonObject) {
  const privateKey = requiredString(body, "privateKey", 16 * 1024).replace(/\r\n/g, "\n");
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(privateKey)) throw badRequest('"app.privateKey" must be the App\'s private key (PEM).', "invalid_integration");
  const appId = requiredString(body, "appId", 40);
  const installationId = requiredString(body, "installationId", 40);
  if (!/^\d+$/.test(appId) || !/^\d+$/.test(installationId)) throw badRequest('"app.appId" and "app.installationId" are numbers.', "invalid_integration");
  return { appId, installationId, privateKey };
}

export async function connectIntegration(services: Services, input: ConnectInput): Promise<{ row: IntegrationRow; warning?: string }> {
  const provider = ORG_PROVIDERS[input.provider];
  const minted = input.app ? await checked(() => mintInstallationToken(appHttp(services, input.apiUrl, input.app!.appId, input.app!.privateKey), input.app!.installationId)) : undefined;
  if (minted) await checked(async () => checkAppPermissions(minted.permissions, input.needs));
  const token = minted?.token ?? input.token!;
  const http = new ProviderHttp({ fetch: services.fetch, apiUrl: input.apiUrl, now: services.now, auth: async () => provider.authHeaders(token) });
  await checked(() => provider.checkAccess(http, input.organization, input.needs));

  const box = new SecretBox(services.config);
  const clone = provider.cloneCredential(input.apiUrl);
  const credential = await saveCredential(services, { name: `${input.provider} ${input.organization} (integration)`, kind: clone.kind, secret: token, publicInfo: clone.publicInfo });
  const row = await insertIntegration(services.db, {
    provider: input.provider,
    apiUrl: input.apiUrl,
    organization: input.organization,
    credentialsId: credential.id,
    appId: input.app?.appId ?? null,
    installationId: input.app?.installationId ?? null,
    appKeyEnc: input.app ? await box.seal(input.app.privateKey) : null,
    appTokenExpiresAt: minted?.expiresAt ?? null,
    hookSecretEnc: await box.seal(toHex(crypto.getRandomValues(new Uint8Array(32)))),
    autoSync: input.autoSync,
    teamSync: input.needs.teams,
    webhooks: input.needs.hooks,
    createdAt: services.now(),
  });
  if (!input.needs.hooks) return { row };
  const installed = await installOrgHook(services, row);
  if (installed.hookId) await updateIntegration(services.db, row.id, { hookId: installed.hookId });
  return { row: { ...row, hookId: installed.hookId }, warning: installed.warning };
}

/** Provider answers during connect as the admin's errors: 422 for what the token lacks, 502 when the provider fails. */
async function checked<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof MissingScope) throw new AppError(422, "missing_scope", error.message);
    if (error instanceof ProviderRefused) throw new AppError(422, "provider_refused", `The provider refused the credential: ${error.message}`);
    if (error instanceof RateLimited || error instanceof ProviderUnavailable) throw new AppError(502, "provider_unavailable", `The provider could not be reached: ${error.message}. Try again later.`);
    throw error;
  }
}
