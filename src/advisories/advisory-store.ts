// Admin-recorded security advisories behind domain verbs.
import { and, asc, desc, eq, inArray, isNull } from "drizzle-orm";
import { securityAdvisories } from "../db/schema.ts";
import type { Database } from "../ports.ts";

export type AdvisoryRow = typeof securityAdvisories.$inferSelect;
export type AdvisoryInput = Omit<typeof securityAdvisories.$inferInsert, "id" | "advisoryId" | "createdAt" | "notifiedAt">;

export async function listAdvisories(db: Database): Promise<AdvisoryRow[]> {
  return db.orm.select().from(securityAdvisories).orderBy(desc(securityAdvisories.id)).all();
}

/** Records an advisory under a new SATCHEL-<year>-<id> identifier. */
export async function recordAdvisory(deps: { db: Database; now(): number }, input: AdvisoryInput): Promise<AdvisoryRow> {
  const advisoryId = `SATCHEL-${new Date(deps.now()).getUTCFullYear()}-${crypto.randomUUID().slice(0, 8)}`;
  return deps.db.orm.insert(securityAdvisories).values({ ...input, advisoryId, createdAt: deps.now() }).returning().get();
}

/** The deleted row, or undefined when there was none. */
export async function deleteAdvisory(db: Database, id: number): Promise<AdvisoryRow | undefined> {
  return db.orm.delete(securityAdvisories).where(eq(securityAdvisories.id, id)).returning().get();
}

/** The advisories of these package names (read 90 at a time: D1 binds at most 100 parameters). */
export async function advisoriesFor(db: Database, names: string[]): Promise<AdvisoryRow[]> {
  const rows: AdvisoryRow[] = [];
  for (let i = 0; i < names.length; i += 90) rows.push(...(await db.orm.select().from(securityAdvisories).where(inArray(securityAdvisories.packageName, names.slice(i, i + 90))).all()));
  return rows;
}

/** Advisories admins have not been mailed about yet (oldest first). */
export async function unnotifiedAdvisories(db: Database): Promise<AdvisoryRow[]> {
  return db.orm.select().from(securityAdvisories).where(isNull(securityAdvisories.notifiedAt)).orderBy(asc(securityAdvisories.id)).limit(100).all();
}

/** Claims the advisory's one notification: false when another pass already did. */
export async function claimAdvisoryNotification(deps: { db: Database; now(): number }, id: number): Promise<boolean> {
  const claimed = await deps.db.orm
    .update(securityAdvisories)
    .set({ notifiedAt: deps.now() })
    .where(and(eq(securityAdvisories.id, id), isNull(securityAdvisories.notifiedAt)))
    .returning({ id: securityAdvisories.id });
  return claimed.length > 0;
}
