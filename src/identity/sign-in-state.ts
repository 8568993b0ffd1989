// The pending sign-in between the redirect to the provider and its callback, kept in the
// browser, sealed with ENCRYPTION_KEY (nobody reads or forges the PKCE verifier or the nonce).
import { SecretBox } from "../credentials/secret-box.ts";
import type { PendingSignIn } from "./oidc-sign-in.ts";

export const SIGN_IN_COOKIE = "satchel_oidc";
export const SIGN_IN_COOKIE_PATH = "/login/oidc";

export function sealPending(encryptionKey: string, pending: PendingSignIn): Promise<string> {
  return new SecretBox(encryptionKey).seal(JSON.stringify(pending));
}

/** The pending sign-in, or null when it is missing, forged or expired. */
export async function openPending(encryptionKey: string, sealed: string | undefined, now: number): Promise<PendingSignIn | null> {
  if (!sealed) return null;
  try {
    const pending = JSON.parse(await new SecretBox(encryptionKey).open(sealed)) as PendingSignIn;
    return pending.expiresAt > now ? pending : null;
  } catch {
    return null;
  }
}
