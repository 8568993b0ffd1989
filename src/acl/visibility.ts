// Decides which versions of a package a principal may see. The answer is a VersionFilter: null
// (the package does not exist for them), ALL, or a list of alternatives (one per matching grant);
// a version is visible when any alternative admits it. A group's restrictions (hidden sources,
// hidden branches, a minimum stability) ride on its grants' alternatives, so a user in several
// groups gets the most permissive grant per version: a version shows when one alternative admits
// it, and keeps its `source` when one admitting alternative does not hide sources. Public
// packages and roles that see every package are not narrowed by group restrictions.
import type { Grant, GroupRestrictions, Principal } from "../auth/principal.ts";
import { seesAllPackages } from "../auth/roles.ts";
import { withinSubrepository } from "./subrepository-scope.ts";

export interface FilterAlternative extends Partial<GroupRestrictions> {
  constraint: string | null;
  /** ms; versions released (tags) or last committed (branches) after this are hidden. */
  notAfter: number | null;
}

export type VersionFilter = { all: true; key: "" } | { all: false; key: string; alternatives: FilterAlternative[] };

export const ALL_VERSIONS: VersionFilter = { all: true, key: "" };

export interface PackageVisibilityFacts {
  name: string;
  isPublic: boolean;
  /** An archived package exists for no Composer reader, admins included (its name stays taken). */
  archived?: boolean;
}

export function grantMatches(pattern: string, packageName: string): boolean {
  if (pattern.endsWith("/*")) return packageName.startsWith(pattern.slice(0, -1));
  return pattern === packageName;
}

export function versionFilterFor(principal: Principal, pkg: PackageVisibilityFacts): VersionFilter | null {
  if (pkg.archived) return null;
  if (!withinSubrepository(principal, pkg.name)) return null;
  const userFreeze = principal.expiredUpdatesAt;
  if (seesAllPackages(principal.roles) || pkg.isPublic) {
    return userFreeze === null ? ALL_VERSIONS : makeFilter([{ constraint: null, notAfter: userFreeze }]);
  }
  const matching = principal.grants.filter((grant) => grantMatches(grant.pattern, pkg.name));
  if (matching.length === 0) return null;
  const alternatives = matching.map((grant) => ({ constraint: grant.constraint, notAfter: earliest(grant.notAfter, userFreeze), ...activeRestrictions(grant.restrictions) }));
  if (alternatives.some((alt) => alt.constraint === null && alt.notAfter === null && !isRestricted(alt))) return ALL_VERSIONS;
  return makeFilter(alternatives);
}

/** Whether a principal may see the package at all, without loading it (used for listings). */
export function canSeePackage(principal: Principal, pkg: PackageVisibilityFacts): boolean {
  if (pkg.archived) return false;
  if (!withinSubrepository(principal, pkg.name)) return false;
  return seesAllPackages(principal.roles) || pkg.isPublic || principal.grants.some((grant: Grant) => grantMatches(grant.pattern, pkg.name));
}

/** Only the restrictions that are on: an unrestricted alternative keeps the key it had before groups had any. */
function activeRestrictions(restrictions: GroupRestrictions | undefined): Partial<GroupRestrictions> {
  if (!restrictions) return {};
  return {
    ...(restrictions.hideSources ? { hideSources: true } : {}),
    ...(restrictions.hideDevVersions ? { hideDevVersions: true } : {}),
    ...(restrictions.minimumStability && restrictions.minimumStability !== "dev" ? { minimumStability: restrictions.minimumStability } : {}),
  };
}

function isRestricted(alternative: FilterAlternative): boolean {
  return Boolean(alternative.hideSources || alternative.hideDevVersions || alternative.minimumStability);
}

function alternativeKey(alt: FilterAlternative): string {
  const base = [alt.constraint, alt.notAfter];
  return JSON.stringify(isRestricted(alt) ? [...base, alt.hideSources ?? false, alt.hideDevVersions ?? false, alt.minimumStability ?? null] : base);
}

function makeFilter(alternatives: FilterAlternative[]): VersionFilter {
  const unique = [...new Map(alternatives.map((alt) => [alternativeKey(alt), alt])).entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { all: false, key: JSON.stringify(unique.map(([key]) => key)), alternatives: unique.map(([, alt]) => alt) };
}

function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
