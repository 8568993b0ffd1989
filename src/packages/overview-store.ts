// The dashboard's counts, each one indexed aggregate.
import { and, gte, isNotNull, sql } from "drizzle-orm";
import { downloads, jobs, packages, versions } from "../db/schema.ts";
import type { Database } from "../ports.ts";

export interface OverviewCounts {
  packages: number;
  versions: number;
  devVersions: number;
  /** Downloads on day `today` (YYYY-MM-DD). */
  downloadsToday: number;
  /** Packages whose last update failed. */
  failingPackages: number;
  /** Jobs that failed since `since` (ms). */
  failedJobs: number;
}

export async function overviewCounts(db: Database, today: string, since: number): Promise<OverviewCounts> {
  const { orm } = db;
  const [packageCount, versionCount, todayDownloads, failing, failed] = await Promise.all([
    orm.select({ n: sql<number>`count(*)` }).from(packages).get(),
    orm.select({ n: sql<number>`count(*)`, dev: sql<number>`coalesce(sum(${versions.isDev}), 0)` }).from(versions).get(),
    orm.select({ n: sql<number>`coalesce(sum(${downloads.count}), 0)` }).from(downloads).where(gte(downloads.day, today)).get(),
    orm.select({ n: sql<number>`count(*)` }).from(packages).where(isNotNull(packages.updateError)).get(),
    orm.select({ n: sql<number>`count(*)` }).from(jobs).where(and(sql`${jobs.status} = 'failed'`, gte(jobs.createdAt, since))).get(),
  ]);
  return {
    packages: Number(packageCount?.n ?? 0),
    versions: Number(versionCount?.n ?? 0),
    devVersions: Number(versionCount?.dev ?? 0),
    downloadsToday: Number(todayDownloads?.n ?? 0),
    failingPackages: Number(failing?.n ?? 0),
    failedJobs: Number(failed?.n ?? 0),
  };
}
