// GitLab's merge-request hook names the target branch, not the commit the merge request starts
// from: the branch may have moved on since (other merges), and comparing with its tip would show
// their lock changes as this merge request's. GitLab's API names that commit, the one its own
// diff is taken from: GET /projects/:id/merge_requests/:iid → diff_refs.base_sha. The other
// providers' events carry the base commit already.
import type { Services } from "../../services.ts";
import type { RepositoryAccess } from "../repository-access.ts";
import { providerJson } from "../security/provider-request.ts";
import type { PullRequestRef } from "./review-pull-request.ts";

const COMMIT = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** The ref the pull request's lock file is compared from. */
export async function reviewBase(services: Services, access: RepositoryAccess, pullRequest: PullRequestRef): Promise<string> {
  if (access.provider !== "gitlab") return pullRequest.baseRef;
  const path = `/projects/${encodeURIComponent(access.fullName)}/merge_requests/${pullRequest.number}`;
  const { value } = await providerJson<{ diff_refs?: { base_sha?: unknown } | null }>(services, access, path);
  const base = value.diff_refs?.base_sha;
  // diff_refs is null while GitLab is still preparing a new merge request: the branch is the best answer then.
  return typeof base === "string" && COMMIT.test(base) ? base : pullRequest.baseRef;
}
