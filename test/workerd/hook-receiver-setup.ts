// Global setup for the workerd tests: the webhook receiver runs in Node beside workerd, and
// its URL is provided to the tests (inject("hookReceiverUrl")).
import type { TestProject } from "vitest/node";
import { startCiIssuer } from "../support/ci-issuer.ts";
import { startHookReceiver } from "../support/hook-receiver.ts";
import { startOidcServer } from "../support/oidc-server.ts";
import { startForgeOAuth } from "../support/forge-oauth.ts";
import { startFakeForge } from "../support/fake-forge.ts";
import { startForgeOrgApi } from "../support/forge-org-api.ts";
import { startOidcForges } from "../support/oidc-forges.ts";

export default async function setup(project: TestProject) {
  const receiver = await startHookReceiver();
  project.provide("hookReceiverUrl", receiver.url);
  // The local OIDC issuer whose CI tokens the trusted-publishing suite exchanges.
  const ciIssuer = await startCiIssuer();
  project.provide("ciIssuerUrl", ciIssuer.url);
  // A real OpenID Provider for the sign-in suite.
  const oidcServer = await startOidcServer();
  project.provide("oidcIssuerUrl", oidcServer.issuer);
  const githubOAuth = await startForgeOAuth();
  project.provide("githubOAuthUrl", githubOAuth.url);
  // The provider APIs composer.lock review and security monitoring call.
  const fakeForge = await startFakeForge();
  project.provide("fakeForgeUrl", fakeForge.url);
  const forgeOrgApi = await startForgeOrgApi();
  project.provide("forgeOrgApiUrl", forgeOrgApi.url);
  // GitLab, Google and Gitea/Forgejo as OpenID providers, in their documented shapes.
  const oidcForges = await startOidcForges();
  project.provide("oidcForgesUrl", oidcForges.url);
  return async () => {
    await receiver.close();
    await ciIssuer.close();
    await oidcServer.close();
    await githubOAuth.close();
    await fakeForge.close();
    await forgeOrgApi.close();
    await oidcForges.close();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    hookReceiverUrl: string;
    ciIssuerUrl: string;
    oidcIssuerUrl: string;
    githubOAuthUrl: string;
    fakeForgeUrl: string;
    forgeOrgApiUrl: string;
    oidcForgesUrl: string;
  }
}
