// Sign-in with Bitbucket Cloud, which speaks OAuth 2 but not OpenID Connect: the code flow with
// `state` (and PKCE), then the REST API 2.0 says who it is (GET /user, /user/emails,
// /user/permissions/workspaces). The confirmed primary email and the workspaces become the
// claims the rest of sign-in reads (`email`, `groups`).
// https://developer.atlassian.com/cloud/bitbucket/oauth-2/
import { fetchJson, type IssuerAccess } from "./fetch-json.ts";
import type { IdentityProvider } from "./identity-provider-store.ts";
import type { Verified } from "./oidc-sign-in.ts";
import { authorizeUrl, callbackCode, newPending, type Callback, type PendingSignIn } from "./pkce.ts";

/** bitbucket.org's API lives on its own host. */
export function bitbucketApiBase(webBase: string): string {
  return new URL(webBase).hostname === "bitbucket.org" ? "https://api.bitbucket.org/2.0" : `${webBase}/2.0`;
}

export async function startBitbucketSignIn(access: IssuerAccess, provider: IdentityProvider, redirectUri: string, linkUserId: number | null): Promise<{ url: string; pending: PendingSignIn }> {
  const pending = newPending(provider.id, linkUserId, access.now());
  const url = await authorizeUrl(`${provider.issuer}/site/oauth2/authorize`, provider.clientId, redirectUri, pending, { response_type: "code" });
  return { url, pending };
}

export async function finishBitbucketSignIn(access: IssuerAccess, provider: IdentityProvider, clientSecret: string, pending: PendingSignIn, callback: Callback, redirectUri: string): Promise<Verified> {
  const checked = callbackCode(provider.name, pending, callback);
  if (typeof checked === "string") return { ok: false, message: checked };
  const credentials = btoa(`${provider.clientId}:${clientSecret}`);
  const body = new URLSearchParams({ grant_type: "authorization_code", code: checked.code, redirect_uri: redirectUri, code_verifier: pending.verifier });
  const token = await fetchJson(access, `${provider.issuer}/site/oauth2/access_token`, { method: "POST", body, headers: { authorization: `Basic ${credentials}`, "content-type": "application/x-www-form-urlencoded" } });
  if (typeof token === "string" || typeof token.access_token !== "string") return { ok: false, message: `${provider.name} refused the authorization code (${typeof token === "string" ? token : "no access token"}): it may have been used already.` };
  const api = bitbucketApiBase(provider.issuer);
  const headers = { authorization: `Bearer ${token.access_token}` };
  const [user, emails, workspaces] = await Promise.all([fetchJson(access, `${api}/user`, { headers }), fetchJson(access, `${api}/user/emails`, { headers }), fetchJson(access, `${api}/user/permissions/workspaces`, { headers })]);
  if (typeof user === "string" || typeof user.uuid !== "string") return { ok: false, message: `${provider.name} did not say who you are (${typeof user === "string" ? user : "no uuid"}).` };
  const values = (page: Record<string, unknown> | string) => (typeof page !== "string" && Array.isArray(page.values) ? (page.values as Record<string, unknown>[]) : []);
  const primary = values(emails).find((entry) => entry.is_primary === true && entry.is_confirmed === true);
  const groups = values(workspaces).map((entry) => (entry.workspace as { slug?: unknown } | undefined)?.slug).filter((slug): slug is string => typeof slug === "string");
  const email = typeof primary?.email === "string" ? primary.email : undefined;
  return { ok: true, claims: { sub: user.uuid, preferred_username: user.username ?? user.nickname, name: user.display_name, email, email_verified: email !== undefined, groups } };
}
