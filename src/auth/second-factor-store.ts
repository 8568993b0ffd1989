// The second factor's rows: the sealed TOTP secret and last step on the user, and the keyed
// hashes of the recovery codes.
import { and, eq, inArray, isNull } from "drizzle-orm";
import { recoveryCodes, users } from "../db/schema.ts";
import type { Database } from "../ports.ts";

/** Records `step` as used unless another request moved it from `previous` first; whether this one won. */
export async function claimTotpStep(db: Database, userId: number, previous: number | null, step: number): Promise<boolean> {
  const won = await db.orm
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, userId), previous === null ? isNull(users.totpLastStep) : eq(users.totpLastStep, previous)))
    .returning({ id: users.id })
    .get();
  return won !== undefined;
}

/** Marks an unused recovery code used; whether there was one. */
/** Marks one unused code matching any of `codeHashes` (the code hashed under each accepted key) used. */
export async function useRecoveryCode(db: Database, userId: number, codeHashes: string[], now: number): Promise<boolean> {
  const used = await db.orm
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(and(eq(recoveryCodes.userId, userId), inArray(recoveryCodes.codeHash, codeHashes), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id })
    .get();
  return used !== undefined;
}

/** Turns TOTP on with a sealed secret and replaces the recovery codes, in one batch. */
export async function saveTotp(db: Database, userId: number, sealedSecret: string, step: number, codeHashes: string[]): Promise<void> {
  await db.batch([
    db.orm.update(users).set({ totpSecretEnc: sealedSecret, totpLastStep: step }).where(eq(users.id, userId)),
    db.orm.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
    db.orm.insert(recoveryCodes).values(codeHashes.map((codeHash) => ({ userId, codeHash }))),
  ]);
}

export async function clearTotp(db: Database, userId: number): Promise<void> {
  await db.batch([
    db.orm.update(users).set({ totpSecretEnc: null, totpLastStep: null }).where(eq(users.id, userId)),
    db.orm.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
  ]);
}

export async function countUnusedRecoveryCodes(db: Database, userId: number): Promise<number> {
  const rows = await db.orm
    .select({ id: recoveryCodes.id })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
    .all();
  return rows.length;
}
