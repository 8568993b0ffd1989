// Sign-in with GitHub (github.com or GitHub Enterprise Server), which speaks OAuth 2 but not
// OpenID Connect: the code flow with `state` and PKCE, then the REST API says who it is
// (GET /user, /user/emails, /user/orgs). The verified primary email and the organizations
// become the claims the rest of sign-in reads (`email`, `groups`), so domain and organization
// restrictions and org-to-role mappings work as for any provider.
// https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
import { fetchJson, fetchJsonValue, type IssuerAccess } from "./fetch-json.ts";
import type { IdentityProvider } from "./identity-provider-store.ts";
import type { Verified } from "./oidc-sign-in.ts";
import { authorizeUrl, callbackCode, newPending, type Callback, type PendingSignIn } from "./pkce.ts";

/** github.com's API lives on its own host; Enterprise Server's under /api/v3. */
export function githubApiBase(webBase: string): string {
  return new URL(webBase).hostname === "github.com" ? "https://api.github.com" : `${webBase}/api/v3`;
}

export async function startGithubSignIn(access: IssuerAccess, provider: IdentityProvider, redirectUri: string, linkUserId: number | null): Promise<{ url: string; pending: PendingSignIn }> {
  const pending = newPending(provider.id, linkUserId, access.now());
  const url = await authorizeUrl(`${provider.issuer}/login/oauth/authorize`, provider.clientId, redirectUri, pending, { scope: provider.scopes, allow_signup: "false" });
  return { url, pending };
}

export async function finishGithubSignIn(
  access: IssuerAccess,
  provider: IdentityProvider,
  clientSecret: string,
  pending: PendingSignIn,
  callback: Callback,
  redirectUri: string,
): Promise<Verified> {
  const checked = callbackCode(provider.name, pending, callback);
  if (typeof checked === "string") return { ok: false, message: checked };
  const body = new URLSearchParams({ client_id: provider.clientId, client_secret: clientSecret, code: checked.code, redirect_uri: redirectUri, code_verifier: pending.verifier });
  const token = await fetchJson(access, `${provider.issuer}/login/oauth/access_token`, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } });
  // GitHub answers 200 with {"error": "bad_verification_code"} for a used or wrong code.
  if (typeof token === "string" || typeof token.access_token !== "string") {
    return { ok: false, message: `${provider.name} refused the authorization code (${typeof token === "string" ? token : String(token.error ?? "no access token")}): it may have been used already.` };
  }
  const api = githubApiBase(provider.issuer);
  const headers = { authorization: `Bearer ${token.access_token}`, accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" };
  const [user, emails, orgs] = await Promise.all([fetchJson(access, `${api}/user`, { headers }), fetchJsonValue(access, `${api}/user/emails`, { headers }), fetchJsonValue(access, `${api}/user/orgs`, { headers })]);
  if (typeof user === "string" || typeof user.id !== "number" || typeof user.login !== "string") return { ok: false, message: `${provider.name} did not say who you are (${typeof user === "string" ? user : "no id"}).` };
  const primary = typeof emails === "string" || !Array.isArray(emails.json) ? undefined : (emails.json as { email?: unknown; primary?: unknown; verified?: unknown }[]).find((entry) => entry.primary === true && entry.verified === true);
  const groups = typeof orgs === "string" || !Array.isArray(orgs.json) ? [] : (orgs.json as { login?: unknown }[]).map((org) => org.login).filter((login): login is string => typeof login === "string");
  return {
    ok: true,
    claims: { sub: String(user.id), preferred_username: user.login, name: user.name, email: typeof primary?.email === "string" ? primary.email : undefined, email_verified: typeof primary?.email === "string", groups },
  };
}
