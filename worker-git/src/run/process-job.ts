// One job, start to finish: read the repository as Composer would, build and upload a zipball
// for every reference the edge does not have yet, then publish the whole version set in one
// call. Anything that goes wrong fails the job with a reason; the package keeps its last good
// metadata because nothing is published until everything is ready.
import { redactUrl } from "../../../src/http/redact.ts";
import type { RepositoryDriver } from "../drivers/driver.ts";
import { scanRepository } from "../scan/scan-repository.ts";
import { onePerNormalizedVersion } from "../scan/one-per-version.ts";
import type { ScannedVersion } from "../scan/scan-result.ts";
import type { VersionEntry } from "../../../src/composer-rules/version-entry.ts";
import type { ClaimedJob, EdgeClient, JobContext } from "./edge-client.ts";
import { isLocalRepository } from "./local-repository.ts";
import { readReadme } from "./read-readme.ts";

export interface JobDeps {
  edge: EdgeClient;
  openDriver: (context: JobContext & { repository: string }) => RepositoryDriver;
  allowLocalRepos: boolean;
  log: (message: string) => void;
}

export class JobFailure extends Error {}

export async function processJob(job: ClaimedJob, deps: JobDeps): Promise<Record<string, unknown>> {
  const context = await deps.edge.context(job.id);
  const repository = context.repository;
  if (!repository) throw new JobFailure("The job names no repository.");
  if (isLocalRepository(repository) && !deps.allowLocalRepos) {
    throw new JobFailure("Local repositories are disabled on this worker (SATCHEL_ALLOW_LOCAL_REPOS=1 enables them).");
  }
  const driver = deps.openDriver({ ...context, repository });
  try {
    await driver.open();
    const published = publishedByCommit(context.published);
    // Forced updates (an admin's "re-read everything") reuse nothing.
    const previous = context.force ? [] : published.entries;
    const scan = await scanRepository(driver, { sourceUrl: driver.source.url, skipBotBranches: true, previous });
    const name = context.packageName ?? packageNameOf(scan.versions, scan.defaultBranch);
    if (!name) throw new JobFailure(`No valid version found in ${redactUrl(repository)}: ${describeSkips(scan.skipped)}`);
    const { kept: mine, dropped } = onePerNormalizedVersion(scan.versions.filter((version) => version.entry.name === name));
    const skipped = [
      ...scan.skipped,
      ...scan.versions.filter((version) => version.entry.name !== name).map((version) => ({ kind: version.kind, name: version.ref, reason: `composer.json names ${version.entry.name}, not ${name}` })),
      ...dropped,
    ];
    if (mine.length === 0) throw new JobFailure(`No valid version of ${name} found: ${describeSkips(skipped)}`);
    await uploadMissingZipballs(deps, driver, name, mine, published.shasums);
    // Without a default branch the stored README is left as it is.
    const readme = scan.defaultCommit ? await readReadme(driver, scan.defaultCommit) : undefined;
    const summary = await deps.edge.publish(job.id, name, mine.map((version) => version.entry), skipped, readme);
    deps.log(`published ${name}: ${mine.length} versions, ${skipped.length} refs skipped`);
    return summary;
  } finally {
    await driver.close();
  }
}

async function uploadMissingZipballs(
  deps: JobDeps,
  driver: RepositoryDriver,
  name: string,
  versions: ScannedVersion[],
  known: Map<string, string>,
): Promise<void> {
  const queue = [...versions];
  // Two archives at a time: git archive is CPU-bound and the worker has few cores.
  const runner = async () => {
    for (let version = queue.shift(); version; version = queue.shift()) {
      // The reference zipballs go by: the commit, or a URL-safe stand-in (svn).
      const reference = version.distReference;
      let shasum = known.get(reference);
      if (shasum === undefined) {
        const prefix = `${name.replace("/", "-")}-${reference.slice(0, 12)}`;
        shasum = await deps.edge.uploadDist(name, reference, await driver.archive(version.commit, prefix, version.archiveExcludes));
        known.set(reference, shasum);
      }
      version.entry.dist = { type: "zip", url: version.entry.dist?.url ?? "", reference, shasum };
    }
  };
  await Promise.all([runner(), runner()]);
}

/** What the edge already has: its entries, and the shasum of every zipball by commit. */
function publishedByCommit(published: Record<string, unknown>[]) {
  const entries = published as unknown as VersionEntry[];
  const shasums = new Map<string, string>();
  for (const entry of entries) {
    if (entry.dist?.reference && typeof entry.dist.shasum === "string" && entry.dist.shasum) shasums.set(entry.dist.reference, entry.dist.shasum);
  }
  return { entries, shasums };
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
