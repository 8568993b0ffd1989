// The packages list for admins: one page of rows straight from SQL (LIMIT/OFFSET on the name
// index, counts by correlated subqueries on indexed columns), so 10,000 packages cost the same
// as 10.
import { and, asc, eq, isNotNull, sql, type SQL } from "drizzle-orm";
import { packages } from "../db/schema.ts";
import type { Database } from "../ports.ts";
import { escapeLike } from "./package-store.ts";
import { decodeVcsRepository } from "./vcs-repository.ts";

export const PACKAGES_PER_PAGE = 50;
export const PACKAGE_FILTERS = ["all", "vcs", "artifact", "custom", "public", "abandoned", "archived", "failing"] as const;
export type PackageFilter = (typeof PACKAGE_FILTERS)[number];

export interface PackageListRow {
  id: number;
  name: string;
  description: string | null;
  kind: string;
  isPublic: boolean;
  abandoned: string | null;
  archived: boolean;
  updateError: string | null;
  versionCount: number;
  downloads30: number;
}

export function packageFilter(raw: string | undefined): PackageFilter {
  return (PACKAGE_FILTERS as readonly string[]).includes(raw ?? "") ? (raw as PackageFilter) : "all";
}

/** One page of the admins' packages list; downloads are counted from day `since` (YYYY-MM-DD). */
export async function listPackagePage(db: Database, query: { q: string; filter: PackageFilter; page: number; since: string }): Promise<{ rows: PackageListRow[]; total: number }> {
  const conditions: SQL[] = [];
  if (query.q) {
    const pattern = `%${escapeLike(query.q.toLowerCase())}%`;
    conditions.push(sql`(${packages.name} like ${pattern} escape '\\' or lower(coalesce(${packages.description}, '')) like ${pattern} escape '\\')`);
  }
  if (query.filter === "vcs" || query.filter === "artifact" || query.filter === "custom") conditions.push(eq(packages.kind, query.filter));
  if (query.filter === "archived") conditions.push(eq(packages.archived, true));
  if (query.filter === "public") conditions.push(eq(packages.isPublic, true));
  if (query.filter === "abandoned") conditions.push(isNotNull(packages.abandoned));
  if (query.filter === "failing") conditions.push(isNotNull(packages.updateError));
  const where = conditions.length ? and(...conditions) : undefined;
  const { since } = query;
  const [rows, total] = await Promise.all([
    db.orm
      .select({
        id: packages.id,
        name: packages.name,
        description: packages.description,
        kind: packages.kind,
        isPublic: packages.isPublic,
        abandoned: packages.abandoned,
        archived: packages.archived,
        updateError: packages.updateError,
        // Spelled out: drizzle leaves single-table column names unqualified, which a subquery
        // would resolve against its own table.
        versionCount: sql<number>`(select count(*) from versions v where v.package_id = "packages"."id")`,
        downloads30: sql<number>`(select coalesce(sum(d.count), 0) from downloads d where d.package_id = "packages"."id" and d.day >= ${since})`,
      })
      .from(packages)
      .where(where)
      .orderBy(asc(packages.name))
      .limit(PACKAGES_PER_PAGE)
      .offset((query.page - 1) * PACKAGES_PER_PAGE)
      .all(),
    db.orm.select({ n: sql<number>`count(*)` }).from(packages).where(where).get(),
  ]);
  return { rows: rows.map((row) => ({ ...row, versionCount: Number(row.versionCount), downloads30: Number(row.downloads30) })), total: Number(total?.n ?? 0) };
}

/** The packages of the mono-repository `repository` (a stored repository with a directory) belongs to, by directory. */
export async function monorepoPackages(db: Database, repository: string | null): Promise<{ name: string; directory: string }[]> {
  const own = repository === null ? undefined : decodeVcsRepository(repository);
  if (!own?.subdir) return [];
  const rows = await db.orm
    .select({ name: packages.name, repository: packages.repository })
    .from(packages)
    // A prefix compare, not LIKE: D1 refuses LIKE patterns longer than 50 bytes.
    .where(sql`substr(${packages.repository}, 1, ${own.url.length + 5}) = ${`${own.url}#vcs=`}`)
    .all();
  return rows
    .map((row) => ({ name: row.name, stored: decodeVcsRepository(row.repository ?? "") }))
    .filter(({ stored }) => stored.url === own.url && stored.subdir !== undefined)
    .map(({ name, stored }) => ({ name, directory: stored.subdir as string }))
    .sort((a, b) => a.directory.localeCompare(b.directory));
}

