// Sign-in with an OpenID Connect provider: the authorization code flow with PKCE (S256), `state`
// and `nonce`; the ID token is verified with jose against the provider's JWKS (issuer, audience,
// expiry, nonce). What the browser carries between the two legs is sealed (sign-in-state.ts).
import { createLocalJWKSet, errors, jwtVerify, type JWTPayload } from "jose";
import { constantTimeEqual } from "../crypto/constant-time.ts";
import { fetchJson, type IssuerAccess } from "./fetch-json.ts";
import type { IdentityProvider } from "./identity-provider-store.ts";
import { ASYMMETRIC_ALGORITHMS, discover, fetchKeys } from "./oidc-discovery.ts";
import { authorizeUrl, callbackCode, newPending, type Callback, type PendingSignIn } from "./pkce.ts";

export type { PendingSignIn } from "./pkce.ts";

export type Verified = { ok: true; claims: JWTPayload } | { ok: false; message: string };

export async function startSignIn(access: IssuerAccess, provider: IdentityProvider, redirectUri: string, linkUserId: number | null): Promise<{ url: string; pending: PendingSignIn } | string> {
  const metadata = await discover(access, provider.issuer);
  if (typeof metadata === "string") return `${provider.name} cannot be reached: ${metadata}.`;
  if (!metadata.authorizationEndpoint || !metadata.tokenEndpoint) return `${provider.name}'s metadata has no authorization or token endpoint.`;
  const pending = newPending(provider.id, linkUserId, access.now());
  const url = await authorizeUrl(metadata.authorizationEndpoint, provider.clientId, redirectUri, pending, { response_type: "code", scope: provider.scopes, nonce: pending.nonce });
  return { url, pending };
}

/** The callback: state, code exchange (with the PKCE verifier), ID token checks. */
export async function finishSignIn(
  access: IssuerAccess,
  provider: IdentityProvider,
  clientSecret: string,
  pending: PendingSignIn,
  callback: Callback,
  redirectUri: string,
): Promise<Verified> {
  const checked = callbackCode(provider.name, pending, callback);
  if (typeof checked === "string") return { ok: false, message: checked };
  const metadata = await discover(access, provider.issuer);
  if (typeof metadata === "string" || !metadata.tokenEndpoint) return { ok: false, message: `${provider.name} cannot be reached: ${typeof metadata === "string" ? metadata : "no token endpoint"}.` };
  const credentials = btoa(`${encodeURIComponent(provider.clientId)}:${encodeURIComponent(clientSecret)}`);
  const body = new URLSearchParams({ grant_type: "authorization_code", code: checked.code, redirect_uri: redirectUri, code_verifier: pending.verifier });
  const tokens = await fetchJson(access, metadata.tokenEndpoint, { method: "POST", body, headers: { authorization: `Basic ${credentials}`, "content-type": "application/x-www-form-urlencoded" } });
  if (typeof tokens === "string") return { ok: false, message: `${provider.name} refused the authorization code (its token endpoint ${tokens}): it may have been used already.` };
  if (typeof tokens.id_token !== "string") return { ok: false, message: `${provider.name} returned no ID token.` };
  const keys = await fetchKeys(access, metadata.jwksUri);
  if (typeof keys === "string") return { ok: false, message: `${provider.name}'s signing keys cannot be read: ${keys}.` };
  try {
    const { payload } = await jwtVerify(tokens.id_token, createLocalJWKSet(keys), {
      issuer: metadata.issuer,
      audience: provider.clientId,
      algorithms: ASYMMETRIC_ALGORITHMS,
      currentDate: new Date(access.now()),
      requiredClaims: ["exp", "iat", "sub", "nonce"],
    });
    if (typeof payload.nonce !== "string" || !constantTimeEqual(payload.nonce, pending.nonce)) return { ok: false, message: "The ID token's nonce does not match this sign-in." };
    return { ok: true, claims: payload };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, message: "The ID token has expired." };
    return { ok: false, message: `The ID token is not valid (${error instanceof errors.JOSEError ? error.code : "malformed"}).` };
  }
}
