// Packages monitored through their default branch's composer.lock (flagged `application`) and
// when each was last checked, so the daily pass takes the stalest few.
import { and, asc, eq, isNull, lt, or } from "drizzle-orm";
import { packages } from "../../db/schema.ts";
import type { Database } from "../../ports.ts";
import type { PackageRow } from "../../packages/package-store.ts";

export async function packagesDueForLockCheck(db: Database, before: number, limit: number): Promise<PackageRow[]> {
  return db.orm
    .select()
    .from(packages)
    .where(and(eq(packages.application, true), eq(packages.kind, "vcs"), or(isNull(packages.lockCheckedAt), lt(packages.lockCheckedAt, before))))
    .orderBy(asc(packages.lockCheckedAt))
    .limit(limit)
    .all();
}

export async function markLockChecked(db: Database, packageId: number, at: number): Promise<void> {
  await db.orm.update(packages).set({ lockCheckedAt: at }).where(eq(packages.id, packageId));
}
