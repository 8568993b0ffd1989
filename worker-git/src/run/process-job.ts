// One job, start to finish: read the repository as Composer would, build and upload the zipballs
// wanted now that the edge does not have yet, then publish the whole version set in one call (or,
// for a build-zipball job, archive the commits a Composer request waits for). Anything that goes
// wrong fails the job with a reason; the package keeps its last good metadata because nothing is
// published until everything is ready.
import { redactUrl } from "../../../src/http/redact.ts";
import { decodeVcsRepository } from "../../../src/packages/vcs-repository.ts";
import { buildOnDemand } from "./build-on-demand.ts";
import { knownZipballs } from "./build-zipballs.ts";
import type { ClaimedJob } from "./edge-client.ts";
import { isLocalRepository } from "./local-repository.ts";
import { publishMonorepo, publishNewDirectories } from "./process-monorepo.ts";
import { JobFailure, publishPackage, readPackage, type JobDeps } from "./publish-package.ts";

export { JobFailure, type JobDeps };

export async function processJob(job: ClaimedJob, deps: JobDeps): Promise<Record<string, unknown>> {
  const context = await deps.edge.context(job.id);
  const repository = context.repository;
  if (!repository) throw new JobFailure("The job names no repository.");
  if (isLocalRepository(repository) && !deps.allowLocalRepos) {
    throw new JobFailure("Local repositories are disabled on this worker (SATCHEL_ALLOW_LOCAL_REPOS=1 enables them).");
  }
  const vcs = decodeVcsRepository(repository);
  const driver = deps.openDriver({ ...context, repository });
  try {
    await driver.open();
    if (context.references) return await buildOnDemand(deps.edge, driver, job.id, { ...context, references: context.references }, vcs.subdir);
    if (vcs.monorepo && vcs.subdir === undefined) return await publishMonorepo(job, deps, driver, { ...vcs, monorepo: vcs.monorepo });
    // Forced updates (an admin's "re-read everything") re-read every ref, yet reuse the zips the edge holds.
    const previous = context.force ? [] : context.published;
    if (vcs.monorepo) await publishNewDirectories(job, deps, driver, { ...vcs, monorepo: vcs.monorepo }, context.published);
    const read = await readPackage(driver, { previous, subdirectory: vcs.subdir, packageName: context.packageName, label: redactUrl(repository) });
    return await publishPackage(deps, job, driver, read, knownZipballs(context.published));
  } finally {
    await driver.close();
  }
}

