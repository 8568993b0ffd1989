// The incoming hook's answer to a pull-request event, once its signature and replay guard
// passed: one review job per package of the repository flagged `reviewLockFiles`, run after
// the response.
import { runInBackground, type AppContext } from "../../http/context.ts";
import type { HookedPackage } from "../../webhooks/incoming/find-packages.ts";
import { queueLockReview } from "./queue-review.ts";
import type { PullRequestRef } from "./review-pull-request.ts";

export async function receivePullRequest(c: AppContext, allowed: HookedPackage[], pullRequest: PullRequestRef | null): Promise<Response> {
  if (!pullRequest) return c.json({ status: "ignored", message: "This pull-request action brings no new commits to review.", jobs: [] }, 202);
  const reviewed = allowed.filter((pkg) => pkg.reviewLockFiles);
  if (reviewed.length === 0) {
    const names = allowed.map((pkg) => pkg.name).join(", ");
    return c.json({ status: "ignored", message: `composer.lock review is not enabled for ${names} (set "reviewLockFiles").`, jobs: [] }, 202);
  }
  const jobs: string[] = [];
  for (const pkg of reviewed) {
    const job = await queueLockReview(c.get("services"), pkg, pullRequest);
    runInBackground(c, job.run);
    jobs.push(job.id);
  }
  return c.json({ status: "success", jobs }, 202);
}
