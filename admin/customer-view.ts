// What a customer may install: their visible packages with the limits that apply (version
// constraints, license-expiry dates) and the newest version they can get.
import { canSeePackage, grantMatches } from "../src/acl/visibility.ts";
import type { Principal } from "../src/auth/principal.ts";
import { seesAllPackages } from "../src/auth/roles.ts";
import { visiblePackages } from "../src/composer/visible-listing.ts";
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
  const packages: CustomerPackage[] = [];
  // Description and newest version as this customer sees them: their versions only.
  for (const { pkg, filter, description } of await visiblePackages(services, principal, slice)) {
    const newest = (await services.metadata.summary(pkg, filter)).newest;
    packages.push({ name: pkg.name, description, abandoned: pkg.abandoned, limits: limitsFor(principal, pkg), newest });
  }
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
