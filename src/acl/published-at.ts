// When Satchel first published a version: the time a licence freeze compares, never the
// archive's own `time` (an upload can claim any date). Uploads: the upload time. VCS: the
// earlier of the commit time and the time Satchel first saw that commit.
import type { VersionEntry } from "../composer-rules/version-entry.ts";

/** version_normalized -> ms since the epoch. */
export type PublishedTimes = ReadonlyMap<string, number>;

export function publishedAt(kind: string, entry: VersionEntry, firstSeenMs: number): number {
  if (kind !== "vcs") return firstSeenMs;
  const committed = entry.time ? Date.parse(entry.time) : Number.NaN;
  return Number.isFinite(committed) ? Math.min(committed, firstSeenMs) : firstSeenMs;
}
