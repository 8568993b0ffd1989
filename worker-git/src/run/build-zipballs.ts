// The zipballs of one job: every scanned version gets a dist, built by the driver (git archive,
// or the provider's zip re-rooted and filtered) and uploaded to the edge, unless the edge already
// holds the zip of that commit, whose shasum is then reused, or the zip is deferred to its first
// request (eager-zipballs.ts chooses).
import type { VersionEntry } from "../../../src/composer-rules/version-entry.ts";
import type { RepositoryDriver } from "../drivers/driver.ts";
import type { ScannedVersion } from "../scan/scan-result.ts";
import type { EdgeClient } from "./edge-client.ts";

/** Two archives at a time: git archive is CPU-bound and the worker has few cores. */
const PARALLEL_ARCHIVES = 2;

/** The shasum of every zipball the edge already has, by commit. */
export function knownZipballs(published: readonly VersionEntry[]): Map<string, string> {
  const shasums = new Map<string, string>();
  for (const entry of published) {
    if (entry.dist?.reference && typeof entry.dist.shasum === "string" && entry.dist.shasum) shasums.set(entry.dist.reference, entry.dist.shasum);
  }
  return shasums;
}

/** The one top-level directory inside a zipball: `vendor-name-<first 12 characters of its reference>`. */
export function zipballPrefix(name: string, reference: string): string {
  return `${name.replace("/", "-")}-${reference.slice(0, 12)}`;
}

/**
 * Builds and uploads the zipballs the edge does not have (of the package's directory alone for a
 * mono-repository package) among the `eager` versions, then points each version's dist at its
 * zip. Returns the references left to build on first request (their shasum stays empty).
 */
export async function buildZipballs(
  edge: EdgeClient,
  driver: RepositoryDriver,
  pkg: { name: string; versions: readonly ScannedVersion[]; subdirectory?: string },
  known: Map<string, string>,
  eager: ReadonlySet<ScannedVersion> = new Set(pkg.versions),
): Promise<string[]> {
  // A commit two versions share (a tag and a branch) is built when either is eager.
  const eagerReferences = new Set([...eager].map((version) => version.distReference));
  const deferred = new Set<string>();
  for (const version of pkg.versions) {
    const reference = version.distReference;
    if (known.has(reference) || eagerReferences.has(reference)) continue;
    deferred.add(reference);
    version.entry.dist = { type: "zip", url: version.entry.dist?.url ?? "", reference, shasum: "" };
  }
  const queue = pkg.versions.filter((version) => !deferred.has(version.distReference));
  // One build per reference, shared by the versions on that commit (a tag and the branch it was
  // cut from), even when both runners reach it at once: a rebuild is wasted work, and need not
  // be the same bytes (a mono-repository's archive is stamped with the current time).
  const builds = new Map<string, Promise<string>>();
  const build = async (version: ScannedVersion, reference: string): Promise<string> => {
    const archive = await driver.archive(version.commit, zipballPrefix(pkg.name, reference), version.archiveExcludes, pkg.subdirectory);
    return edge.uploadDist(pkg.name, reference, archive);
  };
  const runner = async () => {
    for (let version = queue.shift(); version; version = queue.shift()) {
      // The reference zipballs go by: the commit, or a URL-safe stand-in (svn).
      const reference = version.distReference;
      let shasum = known.get(reference);
      if (shasum === undefined) {
        let building = builds.get(reference);
        if (!building) builds.set(reference, (building = build(version, reference)));
        shasum = await building;
        known.set(reference, shasum);
      }
      version.entry.dist = { type: "zip", url: version.entry.dist?.url ?? "", reference, shasum };
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_ARCHIVES }, runner));
  return [...deferred];
}
