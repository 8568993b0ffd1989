// One upload of a package version at a time, across isolates and processes. An upload claims
// "name version" in the shared attempt_counters table (one atomic upsert) before it writes any
// blob, and releases the claim once the version row is in or the upload failed: a loser of a
// race never writes a blob, so it cannot leave one behind. A claim expires, so a crashed
// upload does not hold its version for ever.
import { and, eq, lt } from "drizzle-orm";
import { attemptCounters } from "../db/schema.ts";
import type { Database } from "../ports.ts";

const CLAIM_MS = 10 * 60_000;

export interface UploadClaim {
  key: string;
  /** The claim's own expiry: it identifies this claim when it is released. */
  expiresAt: number;
}

/** The claim, or null when another upload of this version holds one that has not expired. */
export async function claimUpload(deps: { db: Database; now: () => number }, name: string, versionNormalized: string): Promise<UploadClaim | null> {
  const now = deps.now();
  const claim = { key: `upload:${name}@${versionNormalized}`, expiresAt: now + CLAIM_MS };
  const won = await deps.db.orm
    .insert(attemptCounters)
    .values({ key: claim.key, count: 1, resetAt: claim.expiresAt })
    .onConflictDoUpdate({ target: attemptCounters.key, set: { count: 1, resetAt: claim.expiresAt }, setWhere: lt(attemptCounters.resetAt, now) })
    .returning({ key: attemptCounters.key })
    .get();
  return won ? claim : null;
}

export async function releaseUpload(deps: { db: Database }, claim: UploadClaim): Promise<void> {
  await deps.db.orm.delete(attemptCounters).where(and(eq(attemptCounters.key, claim.key), eq(attemptCounters.resetAt, claim.expiresAt)));
}
