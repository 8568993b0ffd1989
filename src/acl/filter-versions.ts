// Applies a VersionFilter to a package's expanded versions: grants' version constraints and
// license-expiry freezes (Packeton's semantics: a version released after the date is hidden,
// a branch whose last commit is after the date is hidden, older versions stay installable).
// "Released" is when Satchel first published it (published-at.ts); the entry's own `time` only
// when no publish time is known for it.
import { satisfies } from "../composer-rules/constraints.ts";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import type { PublishedTimes } from "./published-at.ts";
import type { FilterAlternative, VersionFilter } from "./visibility.ts";

export function filterVersions(versions: readonly VersionEntry[], filter: VersionFilter, published?: PublishedTimes): VersionEntry[] {
  if (filter.all) return [...versions];
  return versions.filter((version) => {
    const released = published?.get(version.version_normalized) ?? (version.time ? Date.parse(version.time) : Number.NaN);
    return filter.alternatives.some((alt) => admits(alt, version, released));
  });
}

function admits(alternative: FilterAlternative, version: VersionEntry, released: number): boolean {
  // No known release time under a freeze: hidden, the safe side of a license boundary.
  if (alternative.notAfter !== null && (!Number.isFinite(released) || released > alternative.notAfter)) return false;
  if (alternative.constraint !== null) {
    try {
      return satisfies(version.version_normalized, alternative.constraint);
    } catch {
      return false;
    }
  }
  return true;
}
