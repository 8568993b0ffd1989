// Applies a VersionFilter to a package's expanded versions: grants' version constraints and
// license-expiry freezes (Packeton's semantics: a version released after the date is hidden,
// a branch whose last commit is after the date is hidden, older versions stay installable),
// and the granting groups' restrictions (hidden branches, a minimum stability, hidden sources).
// "Released" is when Satchel first published it (published-at.ts); the entry's own `time` only
// when no publish time is known for it.
import { satisfies } from "../composer-rules/constraints.ts";
import { isDevVersion } from "../composer-rules/p2-document.ts";
import { meetsStability } from "../composer-rules/stability.ts";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import type { PublishedTimes } from "./published-at.ts";
import type { FilterAlternative, VersionFilter } from "./visibility.ts";

export function filterVersions(versions: readonly VersionEntry[], filter: VersionFilter, published?: PublishedTimes): VersionEntry[] {
  if (filter.all) return [...versions];
  const visible: VersionEntry[] = [];
  for (const version of versions) {
    const released = published?.get(version.version_normalized) ?? (version.time ? Date.parse(version.time) : Number.NaN);
    const admitting = filter.alternatives.filter((alt) => admits(alt, version, released));
    if (admitting.length === 0) continue;
    // The most permissive admitting grant wins: the source stays when one of them shows it.
    visible.push(admitting.every((alt) => alt.hideSources) ? withoutSource(version) : version);
  }
  return visible;
}

function admits(alternative: FilterAlternative, version: VersionEntry, released: number): boolean {
  if (alternative.hideDevVersions && isDevVersion(version.version_normalized)) return false;
  if (alternative.minimumStability && !meetsStability(version.version_normalized, alternative.minimumStability)) return false;
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

function withoutSource(version: VersionEntry): VersionEntry {
  if (!("source" in version)) return version;
  const { source: _source, ...rest } = version;
  return rest as VersionEntry;
}
