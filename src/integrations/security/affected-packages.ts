// Which locked (package, version) pairs an advisory affects, read from the same advisories
// `composer audit` gets from /api/security-advisories. Satchel reads them as staff: every hosted
// package, and the upstreams for the names it does not host.
import { collectAdvisories } from "../../composer/security-advisories.ts";
import { satisfies } from "../../composer-rules/constraints.ts";
import { isValidPackageName } from "../../composer-rules/package-name.ts";
import type { Services } from "../../services.ts";
import type { LockedPackage } from "./lock-file.ts";

export interface AffectingAdvisory {
  advisoryId: string;
  title: string;
  link: string | null;
  cve: string | null;
  severity: string | null;
  affectedVersions: string;
}

export interface AffectedPackage {
  name: string;
  version: string;
  advisory: AffectingAdvisory;
}

/** Every (package, version, advisory) among `locked` (names asked 1,000 at a time, as Composer does). */
export async function affectedPackages(services: Services, locked: LockedPackage[]): Promise<AffectedPackage[]> {
  const reader = { sees: () => true, proxied: true };
  // As /api/security-advisories does: only valid names are looked up (a lock is the PR author's text).
  const byName = new Map(locked.filter((entry) => isValidPackageName(entry.name)).map((entry) => [entry.name, entry]));
  const names = [...byName.keys()];
  const found: AffectedPackage[] = [];
  for (let i = 0; i < names.length; i += 1000) {
    const { advisories } = await collectAdvisories(services, names.slice(i, i + 1000), reader);
    for (const [name, list] of advisories) {
      const entry = byName.get(name);
      if (!entry) continue;
      for (const raw of list) {
        const advisory = affectingAdvisory(raw);
        if (advisory && isAffected(entry.version, advisory.affectedVersions)) found.push({ name, version: entry.version, advisory });
      }
    }
  }
  return found;
}

/** Composer's rule (Auditor): the advisory's constraint matches the locked version. */
export function isAffected(version: string, affectedVersions: string): boolean {
  try {
    return satisfies(version, affectedVersions);
  } catch {
    return false;
  }
}

function affectingAdvisory(raw: Record<string, unknown> | object): AffectingAdvisory | null {
  const advisory = raw as Record<string, unknown>;
  if (typeof advisory.advisoryId !== "string" || typeof advisory.affectedVersions !== "string") return null;
  const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : null);
  return {
    advisoryId: advisory.advisoryId,
    title: text(advisory.title) ?? advisory.advisoryId,
    link: text(advisory.link),
    cve: text(advisory.cve),
    severity: text(advisory.severity),
    affectedVersions: advisory.affectedVersions,
  };
}
