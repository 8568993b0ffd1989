// Sign-in by the provider's kind: any OpenID Connect provider (Google, GitLab, Gitea/Forgejo,
// Keycloak, ...), or GitHub's OAuth 2 with its REST API.
import type { IssuerAccess } from "./fetch-json.ts";
import { finishGithubSignIn, startGithubSignIn } from "./github-sign-in.ts";
import type { IdentityProvider } from "./identity-provider-store.ts";
import { finishSignIn, startSignIn, type Verified } from "./oidc-sign-in.ts";
import type { PendingSignIn } from "./pkce.ts";

export function startProviderSignIn(access: IssuerAccess, provider: IdentityProvider, redirectUri: string, linkUserId: number | null) {
  return provider.kind === "github" ? startGithubSignIn(access, provider, redirectUri, linkUserId) : startSignIn(access, provider, redirectUri, linkUserId);
}

export function finishProviderSignIn(
  access: IssuerAccess,
  provider: IdentityProvider,
  clientSecret: string,
  pending: PendingSignIn,
  callback: { code?: string; state?: string; error?: string },
  redirectUri: string,
): Promise<Verified> {
  const finish = provider.kind === "github" ? finishGithubSignIn : finishSignIn;
  return finish(access, provider, clientSecret, pending, callback, redirectUri);
}
