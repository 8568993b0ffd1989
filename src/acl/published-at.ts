// When Satchel first published a version: the time a licence freeze compares, never the
// archive's own `time` (an upload can claim any date). Uploads: the upload time. VCS: the
// earlier of the commit time and the time Satchel first saw that commit (the version row's
// created_at, which a re-read keeps; see jobs/publish-versions.ts).
import type { VersionEntry } from "../composer-rules/version-entry.ts";

/** version_normalized -> ms since the epoch. */
export type PublishedTimes = ReadonlyMap<string, number>;

export function publishedAt(kind: string, entry: VersionEntry, firstSeenMs: number): number {
  if (kind !== "vcs") return firstSeenMs;
  const committed = entry.time ? Date.parse(entry.time) : Number.NaN;
  return Number.isFinite(committed) ? Math.min(committed, firstSeenMs) : firstSeenMs;
}

/** Publish times of a package's stored versions (their entries and row creation times). */
export function publishedTimesOf(kind: string, rows: readonly { entry: VersionEntry; createdAt: number }[]): Map<string, number> {
  return new Map(rows.map(({ entry, createdAt }) => [entry.version_normalized, publishedAt(kind, entry, createdAt)]));
}
