import { constantTimeEqual } from "../crypto/constant-time.ts";

// What a sign-in carries from the redirect to the callback: `state` (the callback is the one this
// browser started), `nonce` (the ID token was minted for it) and the PKCE verifier (RFC 7636:
// the code is useless to whoever intercepts it).
export interface PendingSignIn {
  providerId: number;
  state: string;
  nonce: string;
  verifier: string;
  /** Set when a signed-in user links this identity instead of signing in with it. */
  linkUserId: number | null;
  expiresAt: number;
}

export interface Callback {
  code?: string;
  state?: string;
  error?: string;
}

const PENDING_MS = 10 * 60_000;

/** The code from the provider's redirect back, or what is wrong with it (an error, another sign-in's state, no code). */
export function callbackCode(providerName: string, pending: PendingSignIn, callback: Callback): { code: string } | string {
  if (callback.error) return `${providerName} did not sign you in (${callback.error.slice(0, 100)}).`;
  if (!callback.state || !constantTimeEqual(callback.state, pending.state)) return "The sign-in's state does not match: start again from the sign-in page.";
  if (!callback.code) return `${providerName} sent no authorization code.`;
  return { code: callback.code };
}

export function newPending(providerId: number, linkUserId: number | null, now: number): PendingSignIn {
  return { providerId, state: randomText(), nonce: randomText(), verifier: randomText(), linkUserId, expiresAt: now + PENDING_MS };
}

function randomText(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * The provider's authorize URL for a code request with `state` and PKCE (S256): the parameters
 * every provider takes, plus the provider's own (`extra`).
 */
export async function authorizeUrl(endpoint: string, clientId: string, redirectUri: string, pending: PendingSignIn, extra: Record<string, string>): Promise<string> {
  const url = new URL(endpoint);
  const params = { client_id: clientId, redirect_uri: redirectUri, state: pending.state, code_challenge: await s256(pending.verifier), code_challenge_method: "S256", ...extra };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

/** The S256 code challenge of a verifier. */
async function s256(verifier: string): Promise<string> {
  return base64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
