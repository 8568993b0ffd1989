// The incoming hook's answer to a pull-request event, once its signature and replay guard
// passed: one review job for the repository when a package of it is flagged `reviewLockFiles`,
// run after the response.
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
  // Every candidate is the event's one repository (a mono-repository's packages share it): one review.
  const job = await queueLockReview(c.get("services"), reviewed[0], pullRequest);
  runInBackground(c, job.run);
  return c.json({ status: "success", jobs: [job.id] }, 202);
}
