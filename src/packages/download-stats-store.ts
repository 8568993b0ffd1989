// Download statistics: counted per (package, version, UTC day) by notify-batch, and read for the
// dashboard, statistics and package pages. Every read is bounded (a day range from `since`, a
// LIMIT) and runs on an index.
import { and, desc, eq, gte, sql } from "drizzle-orm";
import { downloads, packages } from "../db/schema.ts";
import type { BatchStatement, Database } from "../ports.ts";
import { chunk } from "../db/batched-writer.ts";

/** Downloads per day since `since` (YYYY-MM-DD), of every package or of one. */
export async function downloadsByDay(db: Database, since: string, packageId?: number): Promise<Map<string, number>> {
  const rows = await db.orm
    .select({ day: downloads.day, total: sql<number>`sum(${downloads.count})` })
    .from(downloads)
    .where(packageId === undefined ? gte(downloads.day, since) : and(eq(downloads.packageId, packageId), gte(downloads.day, since)))
    .groupBy(downloads.day)
    .all();
  return new Map(rows.map((row) => [row.day, Number(row.total)]));
}

export async function topPackages(db: Database, since: string, limit: number) {
  const rows = await db.orm
    .select({ name: packages.name, total: sql<number>`sum(${downloads.count})` })
    .from(downloads)
    .innerJoin(packages, eq(packages.id, downloads.packageId))
    .where(gte(downloads.day, since))
    .groupBy(downloads.packageId)
    .orderBy(desc(sql`sum(${downloads.count})`))
    .limit(limit)
    .all();
  return rows.map((row) => ({ name: row.name, total: Number(row.total) }));
}

export async function versionDownloads(db: Database, packageId: number, since: string) {
  const rows = await db.orm
    .select({ version: downloads.versionNormalized, total: sql<number>`sum(${downloads.count})` })
    .from(downloads)
    .where(and(eq(downloads.packageId, packageId), gte(downloads.day, since)))
    .groupBy(downloads.versionNormalized)
    .orderBy(desc(sql`sum(${downloads.count})`))
    .limit(20)
    .all();
  return rows.map((row) => ({ version: row.version, total: Number(row.total) }));
}

/** 4 bound parameters a row: D1 binds at most 100 per statement. */
const ROWS_PER_UPSERT = 25;

/**
 * The upserts adding each entry's `count` downloads of a version on a day, many rows a statement:
 * a flush of a few hundred counts is a dozen statements, not one each (local D1 runs the batch on
 * workerd's one thread, where requests wait for it).
 */
export function addDownloadsStatements(db: Database, entries: { packageId: number; versionNormalized: string; day: string; count: number }[]): BatchStatement[] {
  return chunk(entries, ROWS_PER_UPSERT).map((rows) =>
    db.orm
      .insert(downloads)
      .values(rows)
      .onConflictDoUpdate({
        target: [downloads.packageId, downloads.versionNormalized, downloads.day],
        set: { count: sql`${downloads.count} + excluded.count` },
      }),
  );
}
