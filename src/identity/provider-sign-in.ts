// Sign-in by the provider's kind: any OpenID Connect provider (Google, GitLab, Gitea/Forgejo,
// Keycloak, ...), or GitHub's or Bitbucket Cloud's OAuth 2 with their REST APIs.
import type { IssuerAccess } from "./fetch-json.ts";
import { finishBitbucketSignIn, startBitbucketSignIn } from "./bitbucket-sign-in.ts";
import { finishGithubSignIn, startGithubSignIn } from "./github-sign-in.ts";
import type { IdentityProvider } from "./identity-provider-store.ts";
import { finishSignIn, startSignIn, type Verified } from "./oidc-sign-in.ts";
import type { PendingSignIn } from "./pkce.ts";

const DRIVERS = {
  oidc: { start: startSignIn, finish: finishSignIn },
  github: { start: startGithubSignIn, finish: finishGithubSignIn },
  bitbucket: { start: startBitbucketSignIn, finish: finishBitbucketSignIn },
};

const driverOf = (provider: IdentityProvider) => DRIVERS[provider.kind as keyof typeof DRIVERS] ?? DRIVERS.oidc;

export function startProviderSignIn(access: IssuerAccess, provider: IdentityProvider, redirectUri: string, linkUserId: number | null): Promise<{ url: string; pending: PendingSignIn } | string> {
  return driverOf(provider).start(access, provider, redirectUri, linkUserId);
}

export function finishProviderSignIn(
  access: IssuerAccess,
  provider: IdentityProvider,
  clientSecret: string,
  pending: PendingSignIn,
  callback: { code?: string; state?: string; error?: string },
  redirectUri: string,
): Promise<Verified> {
  return driverOf(provider).finish(access, provider, clientSecret, pending, callback, redirectUri);
}
