// Which keys are in use: per JWT key, the live tokens it signed and when the last one expires
// (a verify-only key may be dropped once none are left), and the encryption key's fingerprint.
import { and, gt, isNull, or, sql } from "drizzle-orm";
import { keyFingerprints } from "../backup/key-fingerprints.ts";
import { sealedUnderOtherKeys } from "../credentials/sealed-secret-store.ts";
import { encryptionKeyId } from "../credentials/secret-box.ts";
import { tokens } from "../db/schema.ts";
import type { Services } from "../services.ts";

export interface JwtKeyUsage {
  /** null: tokens issued before key ids were recorded (signed by whichever key was current then). */
  kid: string | null;
  use: "signing" | "verify-only" | "unrecorded";
  liveTokens: number;
  /** Live tokens that never expire: the key is needed until they are revoked. */
  neverExpiring: number;
  /** When the last live token with an expiry expires (ISO), or null. */
  lastExpiresAt: string | null;
}

export async function jwtKeyUsage(services: Pick<Services, "db" | "jwt" | "now">): Promise<JwtKeyUsage[]> {
  const now = services.now();
  const { signing, verifyOnly } = await services.jwt.kids();
  const rows = await services.db.orm
    .select({ kid: tokens.kid, live: sql<number>`count(*)`, never: sql<number>`coalesce(sum(${tokens.expiresAt} is null), 0)`, last: sql<number | null>`max(${tokens.expiresAt})` })
    .from(tokens)
    .where(and(isNull(tokens.revokedAt), or(isNull(tokens.expiresAt), gt(tokens.expiresAt, now))))
    .groupBy(tokens.kid)
    .all();
  const usage = (kid: string | null, use: JwtKeyUsage["use"]): JwtKeyUsage => {
    const row = rows.find((candidate) => candidate.kid === kid);
    return {
      kid,
      use,
      liveTokens: Number(row?.live ?? 0),
      neverExpiring: Number(row?.never ?? 0),
      lastExpiresAt: row?.last ? new Date(Number(row.last)).toISOString() : null,
    };
  };
  const keys = [usage(signing, "signing"), ...verifyOnly.map((kid) => usage(kid, "verify-only"))];
  const unrecorded = usage(null, "unrecorded");
  return unrecorded.liveTokens > 0 ? [...keys, unrecorded] : keys;
}

export async function keysInUse(services: Pick<Services, "db" | "jwt" | "now" | "config">) {
  const { config } = services;
  return {
    jwt: await jwtKeyUsage(services),
    encryption: {
      fingerprint: (await keyFingerprints(config)).encryption,
      keyId: await encryptionKeyId(config.encryptionKey),
      previousKeyIds: await Promise.all((config.encryptionPreviousKeys ?? []).map(encryptionKeyId)),
      /** Stored secrets not yet re-encrypted under the current key (POST /api/keys/reencrypt, or the scheduled pass). */
      sealedUnderOtherKeys: await sealedUnderOtherKeys(services),
    },
  };
}
