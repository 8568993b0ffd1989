// Download statistics and job history read for the dashboard, statistics and package pages.
// Every query is bounded (a day range, a LIMIT) and runs on an index.
import { and, desc, eq, gte, sql } from "drizzle-orm";
import { downloads, jobs, packages } from "../src/db/schema.ts";
import type { Services } from "../src/services.ts";
import { lastDays, type ChartPoint } from "./components/bar-chart.ts";

export async function downloadsPerDay(services: Services, days: number, packageId?: number): Promise<ChartPoint[]> {
  const range = lastDays(services.now(), days);
  const since = range[0] ?? "";
  const rows = await services.db.orm
    .select({ day: downloads.day, total: sql<number>`sum(${downloads.count})` })
    .from(downloads)
    .where(packageId === undefined ? gte(downloads.day, since) : and(eq(downloads.packageId, packageId), gte(downloads.day, since)))
    .groupBy(downloads.day)
    .all();
  const byDay = new Map(rows.map((row) => [row.day, Number(row.total)]));
  return range.map((day) => ({ label: day, value: byDay.get(day) ?? 0 }));
}

export async function topPackages(services: Services, days: number, limit: number) {
  const since = lastDays(services.now(), days)[0] ?? "";
  const rows = await services.db.orm
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

export async function versionDownloads(services: Services, packageId: number, days: number) {
  const since = lastDays(services.now(), days)[0] ?? "";
  const rows = await services.db.orm
    .select({ version: downloads.versionNormalized, total: sql<number>`sum(${downloads.count})` })
    .from(downloads)
    .where(and(eq(downloads.packageId, packageId), gte(downloads.day, since)))
    .groupBy(downloads.versionNormalized)
    .orderBy(desc(sql`sum(${downloads.count})`))
    .limit(20)
    .all();
  return rows.map((row) => ({ version: row.version, total: Number(row.total) }));
}

export interface JobListRow {
  id: string;
  kind: string;
  status: string;
  packageName: string | null;
  payload: Record<string, unknown> | null;
  result: Record<string, unknown> | null;
  attempts: number;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export async function recentJobs(services: Services, limit: number, options: { status?: string; packageId?: number } = {}): Promise<JobListRow[]> {
  const conditions = [
    options.status ? eq(jobs.status, options.status) : undefined,
    options.packageId !== undefined ? eq(jobs.packageId, options.packageId) : undefined,
  ].filter((condition) => condition !== undefined);
  return services.db.orm
    .select({
      id: jobs.id,
      kind: jobs.kind,
      status: jobs.status,
      packageName: packages.name,
      payload: jobs.payload,
      result: jobs.result,
      attempts: jobs.attempts,
      createdAt: jobs.createdAt,
      startedAt: jobs.startedAt,
      finishedAt: jobs.finishedAt,
    })
    .from(jobs)
    .leftJoin(packages, eq(packages.id, jobs.packageId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(jobs.createdAt))
    .limit(limit)
    .all();
}
