// Applies a VersionFilter to a package's expanded versions: grants' version constraints and
// license-expiry freezes (Packeton's semantics: a version released after the date is hidden,
// a branch whose last commit is after the date is hidden, older versions stay installable).
import { satisfies } from "../composer-rules/constraints.ts";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import type { FilterAlternative, VersionFilter } from "./visibility.ts";

export function filterVersions(versions: readonly VersionEntry[], filter: VersionFilter): VersionEntry[] {
  if (filter.all) return [...versions];
  return versions.filter((version) => filter.alternatives.some((alt) => admits(alt, version)));
}

function admits(alternative: FilterAlternative, version: VersionEntry): boolean {
  if (alternative.notAfter !== null) {
    const released = version.time ? Date.parse(version.time) : Number.NaN;
    // No known release time under a freeze: hidden, the safe side of a license boundary.
    if (!Number.isFinite(released) || released > alternative.notAfter) return false;
  }
  if (alternative.constraint !== null) {
    try {
      return satisfies(version.version_normalized, alternative.constraint);
    } catch {
      return false;
    }
  }
  return true;
}
