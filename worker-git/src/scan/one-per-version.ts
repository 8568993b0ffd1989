// Packagist's Updater::update() keeps one version per lowercased normalized version: it sorts the
// repository's packages (equal versions by release date, oldest first) and skips the later ones
// as "duplicate of". Composer's VcsRepository lists both (branches `1.x` and `1.X`, `dev-Foo`
// and `dev-foo`), and the edge stores one row per normalized version, so the worker applies
// Packagist's rule before publishing.
import type { ScannedVersion, SkippedRef } from "./scan-result.ts";

export function onePerNormalizedVersion(versions: readonly ScannedVersion[]): { kept: ScannedVersion[]; dropped: SkippedRef[] } {
  const winners = new Map<string, ScannedVersion>();
  for (const version of versions) {
    const key = version.entry.version_normalized.toLowerCase();
    const current = winners.get(key);
    if (!current || releasedBefore(version, current)) winners.set(key, version);
  }
  const kept: ScannedVersion[] = [];
  const dropped: SkippedRef[] = [];
  for (const version of versions) {
    const winner = winners.get(version.entry.version_normalized.toLowerCase()) as ScannedVersion;
    if (winner === version) kept.push(version);
    else dropped.push({ kind: version.kind, name: version.ref, reason: `duplicate of ${winner.entry.version} (${winner.kind} ${winner.ref}), as packagist.org keeps one per version` });
  }
  return { kept, dropped };
}

/** Packagist's usort for equal versions: `$a->getReleaseDate() > $b->getReleaseDate() ? 1 : -1` (no date sorts first). */
function releasedBefore(a: ScannedVersion, b: ScannedVersion): boolean {
  const time = (version: ScannedVersion) => (version.entry.time ? Date.parse(version.entry.time) : Number.NEGATIVE_INFINITY);
  return time(a) < time(b);
}
