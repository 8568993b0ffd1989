// Publishing one package a job read: its versions as packagist.org keeps them, the zipballs the
// edge does not have yet, its README, then one publish call. A plain repository is one package;
// a mono-repository (process-monorepo.ts) is one per matching directory.
import type { RepositoryDriver } from "../drivers/driver.ts";
import { scanRepository } from "../scan/scan-repository.ts";
import { onePerNormalizedVersion } from "../scan/one-per-version.ts";
import type { ScannedVersion, SkippedRef } from "../scan/scan-result.ts";
import type { VersionEntry } from "../../../src/composer-rules/version-entry.ts";
import type { ClaimedJob, EdgeClient, JobContext } from "./edge-client.ts";
import { buildZipballs } from "./build-zipballs.ts";
import { eagerVersions } from "./eager-zipballs.ts";
import { readReadme } from "./read-readme.ts";

export interface JobDeps {
  edge: EdgeClient;
  openDriver: (context: JobContext & { repository: string }) => RepositoryDriver;
  allowLocalRepos: boolean;
  /** Build only the likely-wanted zipballs of a large repository before publishing (eager-zipballs.ts); false builds all. */
  deferZipballs?: boolean;
  log: (message: string) => void;
}

export class JobFailure extends Error {}

/** One package as the scan finds it: its versions (one per version, as packagist.org keeps them) and every skipped ref. */
export interface ReadPackage {
  name: string;
  versions: ScannedVersion[];
  skipped: SkippedRef[];
  defaultCommit?: string;
  /** A mono-repository package's directory. */
  subdirectory?: string;
}

export async function readPackage(
  driver: RepositoryDriver,
  options: { previous: VersionEntry[]; subdirectory?: string; packageName: string | null; label: string },
): Promise<ReadPackage> {
  const { subdirectory } = options;
  const scan = await scanRepository(driver, { sourceUrl: driver.source.url, skipBotBranches: true, previous: options.previous, subdirectory });
  const where = subdirectory === undefined ? options.label : `${options.label} (${subdirectory})`;
  const name = options.packageName ?? packageNameOf(scan.versions, scan.defaultBranch);
  if (!name) throw new JobFailure(`No valid version found in ${where}: ${describeSkips(scan.skipped)}`);
  const { kept, dropped } = onePerNormalizedVersion(scan.versions.filter((version) => version.entry.name === name));
  const skipped = [
    ...scan.skipped,
    ...scan.versions.filter((version) => version.entry.name !== name).map((version) => ({ kind: version.kind, name: version.ref, reason: `composer.json names ${version.entry.name}, not ${name}` })),
    ...dropped,
  ];
  if (kept.length === 0) throw new JobFailure(`No valid version of ${name} found in ${where}: ${describeSkips(skipped)}`);
  return { name, versions: kept, skipped, ...(scan.defaultCommit ? { defaultCommit: scan.defaultCommit } : {}), ...(subdirectory === undefined ? {} : { subdirectory }) };
}

/** Uploads the zipballs the edge does not have (those wanted now), then publishes the package's versions. */
export async function publishPackage(
  deps: JobDeps,
  job: ClaimedJob,
  driver: RepositoryDriver,
  read: ReadPackage,
  shasums: Map<string, string>,
  monorepo: { repository?: string; more?: boolean } = {},
): Promise<Record<string, unknown>> {
  const deferred = await buildZipballs(deps.edge, driver, read, shasums, deps.deferZipballs === false ? undefined : eagerVersions(read.versions));
  // Without a default branch the stored README is left as it is.
  const readme = read.defaultCommit ? await readReadme(driver, read.defaultCommit, read.subdirectory) : undefined;
  const summary = await deps.edge.publish(job.id, read.name, read.versions.map((version) => version.entry), read.skipped, readme, { ...monorepo, deferred });
  const later = deferred.length ? `, ${deferred.length} zipballs built on first request` : "";
  deps.log(`published ${read.name}: ${read.versions.length} versions, ${read.skipped.length} refs skipped${later}`);
  return summary;
}

/** Packagist names a package after its default branch's composer.json, else its newest tag. */
function packageNameOf(versions: ScannedVersion[], defaultBranch: string): string | undefined {
  const fromDefault = versions.find((version) => version.kind === "branch" && version.ref === defaultBranch);
  return (fromDefault ?? versions.find((version) => version.kind === "tag") ?? versions[0])?.entry.name;
}

function describeSkips(skipped: { kind: string; name: string; reason: string }[]): string {
  if (skipped.length === 0) return "the repository has no tags or branches.";
  return skipped.slice(0, 5).map((skip) => `${skip.kind} ${skip.name}: ${skip.reason}`).join("; ") + (skipped.length > 5 ? ` (and ${skipped.length - 5} more)` : "");
}
