// Which zipballs a job builds before it publishes. A small repository gets all of them. A large
// one (a first import of a thousand tags would otherwise build and upload a thousand archives
// before anything is published) gets only those users most likely want: the newest release and
// the newest stable release of each major line, and the default branch's head. The others are
// published with an empty shasum and built on their first request (a "build-zipball" job).
import { parseStability } from "../../../src/composer-rules/version-parser.ts";
import { compareVersionsDesc } from "../../../src/composer-rules/version-sort.ts";
import type { ScannedVersion } from "../scan/scan-result.ts";

/** Up to this many versions, every zipball is built before publishing. */
export const BUILD_ALL_UP_TO = 50;

/** The versions whose zipball is built now; the rest are deferred. */
export function eagerVersions(versions: readonly ScannedVersion[]): Set<ScannedVersion> {
  // Only a commit can be archived later by its dist reference (svn's stand-ins cannot).
  if (versions.length <= BUILD_ALL_UP_TO) return new Set(versions);
  const deferrable = versions.filter((version) => version.distReference === version.commit);
  const eager = new Set(versions.filter((version) => version.distReference !== version.commit || version.entry["default-branch"] === true));
  const newestOfLine = new Map<string, ScannedVersion>();
  const newestStableOfLine = new Map<string, ScannedVersion>();
  for (const version of deferrable) {
    if (version.kind !== "tag") continue;
    const line = version.entry.version_normalized.split(".")[0];
    keepNewer(newestOfLine, line, version);
    if (parseStability(version.entry.version) === "stable") keepNewer(newestStableOfLine, line, version);
  }
  for (const version of [...newestOfLine.values(), ...newestStableOfLine.values()]) eager.add(version);
  return eager;
}

function keepNewer(newest: Map<string, ScannedVersion>, line: string, version: ScannedVersion): void {
  const current = newest.get(line);
  if (!current || compareVersionsDesc(version.entry.version_normalized, current.entry.version_normalized) < 0) newest.set(line, version);
}
