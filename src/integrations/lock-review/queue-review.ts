// A pull request's composer.lock review, run at the edge as a job (security/edge-jobs.ts says
// why there). Called for pull-request events of packages flagged `reviewLockFiles`: through the
// package's own credential, or an organization integration's `access`.
import { findPackage } from "../../packages/package-store.ts";
import type { Services } from "../../services.ts";
import { edgeJob } from "../security/edge-jobs.ts";
import { packageRepositoryAccess } from "../security/package-access.ts";
import type { RepositoryAccess } from "../repository-access.ts";
import { reviewPullRequest, type PullRequestRef } from "./review-pull-request.ts";

export async function queueLockReview(services: Services, pkg: { id: number; name: string }, pullRequest: PullRequestRef, integrationAccess?: RepositoryAccess): Promise<{ id: string; run: Promise<void> }> {
  const payload = { package: pkg.name, pullRequest: pullRequest.number, base: pullRequest.baseRef, head: pullRequest.headRef };
  return edgeJob(services, "lock-review", payload, async () => {
    const row = await findPackage(services.db, pkg.id);
    if (!row) throw new Error(`${pkg.name} was deleted.`);
    const access = integrationAccess ?? (await packageRepositoryAccess(services, row));
    if ("missing" in access) throw new Error(access.missing);
    return { ...(await reviewPullRequest(services, access, pullRequest)) };
  });
}
