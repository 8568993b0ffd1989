// The zipballs of one job: every scanned version gets a dist, built by the driver (git archive,
// or the provider's zip re-rooted and filtered) and uploaded to the edge, unless the edge already
// holds the zip of that commit, whose shasum is then reused.
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

/** The one top-level directory inside a zipball: `vendor-name-<12 hex of the commit>`. */
export function zipballPrefix(name: string, commit: string): string {
  return `${name.replace("/", "-")}-${commit.slice(0, 12)}`;
}

/** Builds and uploads the missing zipballs, then points each version's dist at its zip. */
export async function buildZipballs(
  edge: EdgeClient,
  driver: RepositoryDriver,
  name: string,
  versions: readonly ScannedVersion[],
  known: Map<string, string>,
): Promise<void> {
  const queue = [...versions];
  const runner = async () => {
    for (let version = queue.shift(); version; version = queue.shift()) {
      let shasum = known.get(version.commit);
      if (shasum === undefined) {
        const archive = await driver.archive(version.commit, zipballPrefix(name, version.commit), version.archiveExcludes);
        shasum = await edge.uploadDist(name, version.commit, archive);
        known.set(version.commit, shasum);
      }
      version.entry.dist = { type: "zip", url: version.entry.dist?.url ?? "", reference: version.commit, shasum };
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_ARCHIVES }, runner));
}
