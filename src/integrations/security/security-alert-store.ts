// Security alerts of monitored repositories behind domain verbs. An alert is one (locked
// package, version, advisory) of one repository; it is open while the default branch's
// composer.lock still has it, and resolved (kept, with the time) once it does not.
import { and, asc, eq, isNull } from "drizzle-orm";
import { securityAlerts } from "../../db/schema.ts";
import type { Database } from "../../ports.ts";
import type { AffectedPackage } from "./affected-packages.ts";

export type SecurityAlertRow = typeof securityAlerts.$inferSelect;

export interface MonitoredRepository {
  key: string;
  name: string;
  packageId: number | null;
}

const identity = (name: string, version: string, advisoryId: string) => JSON.stringify([name, version, advisoryId]);

/**
 * Records what the lock has now; returns the alerts that became open with this check (never
 * open before, or resolved before and back: a regression is reported once more).
 */
export async function recordCurrentAlerts(deps: { db: Database; now(): number }, repository: MonitoredRepository, affected: AffectedPackage[]): Promise<SecurityAlertRow[]> {
  const { db } = deps;
  const now = deps.now();
  const known = await db.orm.select().from(securityAlerts).where(eq(securityAlerts.repositoryKey, repository.key)).all();
  const byIdentity = new Map(known.map((row) => [identity(row.lockedPackage, row.version, row.advisoryId), row]));
  const current = new Set<string>();
  const opened: SecurityAlertRow[] = [];
  for (const found of affected) {
    const key = identity(found.name, found.version, found.advisory.advisoryId);
    if (current.has(key)) continue;
    current.add(key);
    const row = byIdentity.get(key);
    if (row && row.resolvedAt === null) continue;
    const values = {
      repositoryName: repository.name,
      packageId: repository.packageId,
      title: found.advisory.title.slice(0, 500),
      link: found.advisory.link,
      cve: found.advisory.cve,
      severity: found.advisory.severity,
      affectedVersions: found.advisory.affectedVersions,
      raisedAt: now,
      resolvedAt: null,
    };
    // The unique index makes a concurrent check's second insert a no-op: one report per opening.
    const written = row
      ? await db.orm.update(securityAlerts).set(values).where(and(eq(securityAlerts.id, row.id), eq(securityAlerts.resolvedAt, row.resolvedAt as number))).returning().get()
      : await db.orm
          .insert(securityAlerts)
          .values({ ...values, repositoryKey: repository.key, lockedPackage: found.name, version: found.version, advisoryId: found.advisory.advisoryId })
          .onConflictDoNothing()
          .returning()
          .get();
    if (written) opened.push(written);
  }
  for (const row of known) {
    if (row.resolvedAt === null && !current.has(identity(row.lockedPackage, row.version, row.advisoryId))) {
      await db.orm.update(securityAlerts).set({ resolvedAt: now }).where(eq(securityAlerts.id, row.id));
    }
  }
  return opened;
}

/** Every open alert, by repository then package. */
export async function openAlerts(db: Database): Promise<SecurityAlertRow[]> {
  return db.orm
    .select()
    .from(securityAlerts)
    .where(isNull(securityAlerts.resolvedAt))
    .orderBy(asc(securityAlerts.repositoryName), asc(securityAlerts.lockedPackage), asc(securityAlerts.advisoryId))
    .all();
}
