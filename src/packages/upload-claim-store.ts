// One upload of a package version at a time, across isolates and processes. An upload claims
// "name version" in the shared attempt_counters table (one atomic upsert) before it writes any
// blob, and releases the claim once the version row is in or the upload failed: a loser of a
// race never writes a blob, so it cannot leave one behind. A claim covers only storing the
// checked archive and committing its row, so it expires after two minutes: a crashed upload
// does not hold its version for long, and a restarted Node server drops the claims of the
// process that died (releaseClaimsOfDeadProcesses). The claim saves work; the versions table's
// unique index stays the guard against a version published twice. A worker's dist upload claims
// its blob key the same way (claimDistWrite), so that the first archive stored for a key wins.
import { and, eq, like, lt } from "drizzle-orm";
import { attemptCounters } from "../db/schema.ts";
import type { Database } from "../ports.ts";

const CLAIM_MS = 2 * 60_000;
const CLAIM_PREFIX = "upload:";

export interface UploadClaim {
  key: string;
  /** The claim's own expiry: it identifies this claim when it is released. */
  expiresAt: number;
}

/** The claim, or null when another upload of this version holds one that has not expired. */
export function claimUpload(deps: { db: Database; now: () => number }, name: string, versionNormalized: string): Promise<UploadClaim | null> {
  return claim(deps, `${name}@${versionNormalized}`);
}

/**
 * The claim on writing the dist blob `blobKey` (a worker's archive upload, src/jobs/store-dist.ts),
 * or null when another writer of that blob holds one. ":" is in no package name: the two kinds of
 * claim cannot meet.
 */
export function claimDistWrite(deps: { db: Database; now: () => number }, blobKey: string): Promise<UploadClaim | null> {
  return claim(deps, `dist:${blobKey}`);
}

async function claim(deps: { db: Database; now: () => number }, subject: string): Promise<UploadClaim | null> {
  const now = deps.now();
  const held = { key: `${CLAIM_PREFIX}${subject}`, expiresAt: now + CLAIM_MS };
  const won = await deps.db.orm
    .insert(attemptCounters)
    .values({ key: held.key, count: 1, resetAt: held.expiresAt })
    .onConflictDoUpdate({ target: attemptCounters.key, set: { count: 1, resetAt: held.expiresAt }, setWhere: lt(attemptCounters.resetAt, now) })
    .returning({ key: attemptCounters.key })
    .get();
  return won ? held : null;
}

export async function releaseUpload(deps: { db: Database }, claim: UploadClaim): Promise<void> {
  await deps.db.orm.delete(attemptCounters).where(and(eq(attemptCounters.key, claim.key), eq(attemptCounters.resetAt, claim.expiresAt)));
}

/**
 * At the start of a self-hosted server: claims left by a process that was killed mid-upload
 * would refuse the client's retry until they expire. An upload racing this (another server on
 * the same database) still cannot publish a version twice: the unique index refuses the loser,
 * which then drops its archive.
 */
export async function releaseClaimsOfDeadProcesses(deps: { db: Database }): Promise<void> {
  await deps.db.orm.delete(attemptCounters).where(like(attemptCounters.key, `${CLAIM_PREFIX}%`));
}
