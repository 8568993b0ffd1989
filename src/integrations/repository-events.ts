// What an organization webhook's repository events start, for the package the repository is:
// a pull request gets its composer.lock reviewed when the package has `reviewLockFiles`, and a
// push to the default branch re-checks the lock of an `application` package. Both run as edge
// jobs (security/edge-jobs.ts says why), through the integration's own token. The receiver has
// already verified the delivery's signature.
import type { PackageRow } from "../packages/package-store.ts";
import type { Services } from "../services.ts";
import { queueLockReview } from "./lock-review/queue-review.ts";
import type { PullRequestRef } from "./lock-review/review-pull-request.ts";
import type { RepositoryAccess } from "./repository-access.ts";
import { queueSecurityCheck } from "./security/queue-check.ts";

export type RepositoryEvent = { kind: "pull-request"; pullRequest: PullRequestRef } | { kind: "default-branch-push"; branch: string };

/** The job started for the event, or null when the package asks for none. */
export async function dispatchRepositoryEvent(services: Services, pkg: PackageRow, access: RepositoryAccess, event: RepositoryEvent): Promise<{ id: string; run: Promise<void> } | null> {
  if (event.kind === "pull-request") return pkg.reviewLockFiles ? queueLockReview(services, pkg, event.pullRequest, access) : null;
  return pkg.application ? queueSecurityCheck(services, pkg, "push", access, event.branch) : null;
}
