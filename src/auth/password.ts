// PBKDF2-SHA256 through WebCrypto: 100,000 iterations is the most workerd allows.
import { constantTimeEqual } from "./constant-time.ts";

const ITERATIONS = 100_000;
const encoder = new TextEncoder();

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, ITERATIONS);
  return `pbkdf2-sha256$${ITERATIONS}$${toBase64(salt)}$${toBase64(hash)}`;
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  // Unknown users are checked against a dummy hash so that timing does not reveal which names exist.
  const [scheme, iterations, salt, hash] = (stored ?? DUMMY_HASH).split("$");
  if (scheme !== "pbkdf2-sha256" || !iterations || !salt || !hash) return false;
  const actual = await derive(password, fromBase64(salt), Number(iterations));
  return constantTimeEqual(actual, fromBase64(hash)) && stored !== null;
}

/** The hash a password sign-in is checked against: none for a service account, whatever its row holds. */
export function signInHash(user: { kind: string; passwordHash: string | null } | undefined): string | null {
  return user && user.kind !== "service" ? user.passwordHash : null;
}

/** Why a right password still does not sign this user in (turned off for them or for everyone); null when it does. */
export function passwordSignInRefusal(config: { passwordSignIn?: boolean }, user: { passwordSignIn: boolean }): string | null {
  if (config.passwordSignIn === false) return "Password sign-in is turned off here: sign in with your identity provider.";
  return user.passwordSignIn ? null : "Password sign-in is turned off for this account: sign in with your identity provider.";
}

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

const DUMMY_HASH = `pbkdf2-sha256$${ITERATIONS}$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`;

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
