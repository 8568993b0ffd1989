// The audit log's rows: appended, and read newest first a page at a time.
import { desc, sql } from "drizzle-orm";
import { auditLog } from "../db/schema.ts";
import type { Database } from "../ports.ts";

export type AuditRow = typeof auditLog.$inferSelect;

export async function appendAudit(db: Database, row: Omit<typeof auditLog.$inferInsert, "id">): Promise<void> {
  await db.orm.insert(auditLog).values(row);
}

export async function auditPage(db: Database, offset: number, limit: number): Promise<{ rows: AuditRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    db.orm.select().from(auditLog).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(limit).offset(offset).all(),
    db.orm.select({ n: sql<number>`count(*)` }).from(auditLog).get(),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}
