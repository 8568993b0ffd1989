// The optional second factor: a TOTP secret sealed at rest and ten one-time recovery codes kept
// as keyed hashes. Used by the login page and by POST /api/auth/token alike.
import { and, eq, inArray, isNull } from "drizzle-orm";
import { SecretBox } from "../credentials/secret-box.ts";
import { recoveryCodes, users } from "../db/schema.ts";
import type { Services } from "../services.ts";
import { base32Encode, matchTotp } from "./totp.ts";

type UserRow = typeof users.$inferSelect;

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
    const won = await services.db.orm
      .update(users)
      .set({ totpLastStep: step })
      .where(and(eq(users.id, user.id), user.totpLastStep === null ? isNull(users.totpLastStep) : eq(users.totpLastStep, user.totpLastStep)))
      .returning({ id: users.id })
      .get();
    return won !== undefined;
  }
  // Codes made before an ENCRYPTION_KEY rotation were hashed under a previous key.
  const keys = [services.config.encryptionKey, ...(services.config.encryptionPreviousKeys ?? [])];
  const hashes = await Promise.all(keys.map((key) => recoveryHash(key, trimmed)));
  const used = await services.db.orm
    .update(recoveryCodes)
    .set({ usedAt: services.now() })
    .where(and(eq(recoveryCodes.userId, user.id), inArray(recoveryCodes.codeHash, hashes), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id })
    .get();
  return used !== undefined;
}

/** Turns TOTP on with a secret the user has just proven to hold; returns fresh recovery codes (shown once). */
export async function enableTotp(services: Services, userId: number, secretBase32: string, step: number): Promise<string[]> {
  const sealed = await new SecretBox(services.config).seal(secretBase32);
  const codes = Array.from({ length: RECOVERY_CODES }, () => {
    const raw = base32Encode(crypto.getRandomValues(new Uint8Array(7))).toLowerCase().slice(0, 10);
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
  const hashes = await Promise.all(codes.map((code) => recoveryHash(services.config.encryptionKey, code)));
  const { db } = services;
  await db.batch([
    db.orm.update(users).set({ totpSecretEnc: sealed, totpLastStep: step }).where(eq(users.id, userId)),
    db.orm.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
    db.orm.insert(recoveryCodes).values(hashes.map((codeHash) => ({ userId, codeHash }))),
  ]);
  return codes;
}

export async function disableTotp(services: Services, userId: number): Promise<void> {
  const { db } = services;
  await db.batch([
    db.orm.update(users).set({ totpSecretEnc: null, totpLastStep: null }).where(eq(users.id, userId)),
    db.orm.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
  ]);
}

export async function unusedRecoveryCodes(services: Services, userId: number): Promise<number> {
  const rows = await services.db.orm
    .select({ id: recoveryCodes.id })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
    .all();
  return rows.length;
}

// Keyed with ENCRYPTION_KEY, which is not in the database: a stolen DB alone cannot test guesses.
async function recoveryHash(encryptionKey: string, code: string): Promise<string> {
  const normalized = code.toLowerCase().replace(/[^a-z0-9]/g, "");
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(`recovery:${encryptionKey}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(normalized)));
  return [...mac].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
