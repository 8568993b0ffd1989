// The optional second factor: a TOTP secret sealed at rest and ten one-time recovery codes kept
// as keyed hashes. Used by the login page and by POST /api/auth/token alike.
import { SecretBox } from "../credentials/secret-box.ts";
import { hmacSha256Hex } from "../crypto/hmac.ts";
import type { Services } from "../services.ts";
import type { UserRow } from "../users/user-store.ts";
import { claimTotpStep, clearTotp, countUnusedRecoveryCodes, saveTotp, useRecoveryCode } from "./second-factor-store.ts";
import { base32Encode, matchTotp } from "./totp.ts";

const RECOVERY_CODES = 10;

export function hasSecondFactor(user: Pick<UserRow, "totpSecretEnc">): boolean {
  return user.totpSecretEnc !== null;
}

/** Checks a TOTP code (each time step accepted once) or consumes a recovery code. */
export async function verifySecondFactor(services: Services, user: UserRow, code: string): Promise<boolean> {
  if (!user.totpSecretEnc) return true;
  const trimmed = code.trim();
  if (/^\d{3}\s?\d{3}$/.test(trimmed)) {
    const secret = await new SecretBox(services.config).open(user.totpSecretEnc);
    const step = await matchTotp(secret, trimmed, services.now());
    if (step === null || (user.totpLastStep !== null && step <= user.totpLastStep)) return false;
    // Conditional update: two requests racing with the same code cannot both win.
    return claimTotpStep(services.db, user.id, user.totpLastStep, step);
  }
  // Codes made before an ENCRYPTION_KEY rotation were hashed under a previous key.
  const keys = [services.config.encryptionKey, ...(services.config.encryptionPreviousKeys ?? [])];
  const hashes = await Promise.all(keys.map((key) => recoveryHash(key, trimmed)));
  return useRecoveryCode(services.db, user.id, hashes, services.now());
}

/** Turns TOTP on with a secret the user has just proven to hold; returns fresh recovery codes (shown once). */
export async function enableTotp(services: Services, userId: number, secretBase32: string, step: number): Promise<string[]> {
  const sealed = await new SecretBox(services.config).seal(secretBase32);
  const codes = Array.from({ length: RECOVERY_CODES }, () => {
    const raw = base32Encode(crypto.getRandomValues(new Uint8Array(7))).toLowerCase().slice(0, 10);
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
  const hashes = await Promise.all(codes.map((code) => recoveryHash(services.config.encryptionKey, code)));
  await saveTotp(services.db, userId, sealed, step, hashes);
  return codes;
}

export async function disableTotp(services: Services, userId: number): Promise<void> {
  await clearTotp(services.db, userId);
}

export async function unusedRecoveryCodes(services: Services, userId: number): Promise<number> {
  return countUnusedRecoveryCodes(services.db, userId);
}

// Keyed with ENCRYPTION_KEY, which is not in the database: a stolen DB alone cannot test guesses.
async function recoveryHash(encryptionKey: string, code: string): Promise<string> {
  const normalized = code.toLowerCase().replace(/[^a-z0-9]/g, "");
  return hmacSha256Hex(`recovery:${encryptionKey}`, normalized);
}
