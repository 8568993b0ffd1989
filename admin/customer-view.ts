// What a customer may install: their visible packages with the limits that apply (version
// constraints, license-expiry dates) and the newest version they can get.
import { inArray } from "drizzle-orm";
import { filterVersions } from "../src/acl/filter-versions.ts";
import { canSeePackage, grantMatches, versionFilterFor } from "../src/acl/visibility.ts";
import type { Principal } from "../src/auth/principal.ts";
import { seesAllPackages } from "../src/auth/roles.ts";
import type { VersionEntry } from "../src/composer-rules/version-entry.ts";
import { compareVersionsDesc } from "../src/composer-rules/version-sort.ts";
import { versions } from "../src/db/schema.ts";
import type { Services } from "../src/services.ts";

export interface CustomerPackage {
  name: string;
  description: string | null;
  abandoned: string | null;
  /** e.g. ["<2.0", "released before 2027-06-30"]; empty: every version. */
  limits: string[];
  newest: string | null;
}

export const CUSTOMER_PAGE_SIZE = 50;

export async function customerPackages(services: Services, principal: Principal, page: number): Promise<{ total: number; packages: CustomerPackage[] }> {
  const { packages: all } = await services.catalog.snapshot(services.now());
  const visible = all.filter((pkg) => canSeePackage(principal, pkg));
  const slice = visible.slice((page - 1) * CUSTOMER_PAGE_SIZE, page * CUSTOMER_PAGE_SIZE);
  const rows = slice.length
    ? await services.db.orm
        .select({ packageId: versions.packageId, version: versions.version, versionNormalized: versions.versionNormalized, releasedAt: versions.releasedAt, isDev: versions.isDev })
        .from(versions)
        .where(inArray(versions.packageId, slice.map((pkg) => pkg.id)))
        .all()
    : [];
  const packages = slice.map((pkg) => {
    const filter = versionFilterFor(principal, pkg);
    // Only the fields the filter reads: the normalized version and the release time.
    const entries = rows
      .filter((row) => row.packageId === pkg.id && !row.isDev)
      .map((row) => ({ version: row.version, version_normalized: row.versionNormalized, time: row.releasedAt === null ? undefined : new Date(row.releasedAt).toISOString() }) as VersionEntry);
    const allowed = filter ? filterVersions(entries, filter) : [];
    const newest = allowed.sort((a, b) => compareVersionsDesc(a.version_normalized, b.version_normalized))[0];
    return { name: pkg.name, description: pkg.description, abandoned: pkg.abandoned, limits: limitsFor(principal, pkg), newest: newest?.version ?? null };
  });
  return { total: visible.length, packages };
}

function limitsFor(principal: Principal, pkg: { name: string; isPublic: boolean }): string[] {
  const freeze = principal.expiredUpdatesAt === null ? [] : [`released before ${isoDay(principal.expiredUpdatesAt)}`];
  if (seesAllPackages(principal.roles) || pkg.isPublic) return freeze;
  const grants = principal.grants.filter((grant) => grantMatches(grant.pattern, pkg.name));
  if (grants.some((grant) => grant.constraint === null && grant.notAfter === null)) return freeze;
  const parts = grants.map((grant) =>
    [grant.constraint ?? "any version", grant.notAfter === null ? "" : `released before ${isoDay(grant.notAfter)}`].filter(Boolean).join(", "),
  );
  return [...new Set([parts.join(" or "), ...freeze])].filter(Boolean);
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
