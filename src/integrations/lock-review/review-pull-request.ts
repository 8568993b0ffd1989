// Reviews the composer.lock change of one pull request: reads the file at the base and the head
// through the provider API, compares them, and posts (or updates) Satchel's one comment. A lock
// file that did not change gets no comment (an earlier one says so instead); a malformed one
// throws (the job fails with the reason) before anything is posted.
import type { Services } from "../../services.ts";
import type { RepositoryAccess } from "../repository-access.ts";
import { affectedPackages } from "../security/affected-packages.ts";
import { LockFileError, parseLockFile, type LockedPackage } from "../security/lock-file.ts";
import { readLockFile } from "../security/repository-files.ts";
import { compareUrl } from "./compare-links.ts";
import { knownRepositories } from "./known-package-store.ts";
import { reviewBase } from "./merge-request-base.ts";
import { diffLocks, isEmptyDiff, type LockDiff } from "./lock-diff.ts";
import { updateComment, upsertComment } from "./pull-request-comments.ts";
import { COMMENT_LIMITS, renderReview, renderUnchanged, REVIEW_MARKER } from "./review-comment.ts";

export interface PullRequestRef {
  /** GitHub/Gitea PR number, GitLab MR iid, Bitbucket PR id. */
  number: number;
  /** Commit the pull request starts from (GitLab: the target branch, see merge-request-base.ts), and its head commit. */
  baseRef: string;
  headRef: string;
}

export type ReviewOutcome =
  | { status: "commented"; commentId: string; updated: boolean; added: number; removed: number; upgraded: number; downgraded: number; advisories: number; characters: number }
  | { status: "unchanged"; commentId?: string }
  | { status: "no-lock-file" };

export async function reviewPullRequest(services: Services, access: RepositoryAccess, pullRequest: PullRequestRef): Promise<ReviewOutcome> {
  const baseRef = await reviewBase(services, access, pullRequest);
  const [baseBytes, headBytes] = await Promise.all([readLockFile(services, access, baseRef), readLockFile(services, access, pullRequest.headRef)]);
  if (headBytes === null && baseBytes === null) return { status: "no-lock-file" };
  const base = baseBytes === null ? [] : parsed(baseBytes, "base");
  const head = headBytes === null ? [] : parsed(headBytes, "head");
  const diff = diffLocks(base, head);
  if (isEmptyDiff(diff)) {
    // A push that undid the change: an earlier review's comment must not go on listing it.
    const updated = await updateComment(services, access, pullRequest.number, REVIEW_MARKER, renderUnchanged());
    return updated ? { status: "unchanged", commentId: updated.id } : { status: "unchanged" };
  }
  const advisories = await affectedPackages(services, newVersions(diff));
  const compareLinks = await linksFor(services, diff);
  const limit = COMMENT_LIMITS[access.provider];
  const body = renderReview({ diff, advisories, compareLinks }, limit);
  const comment = await upsertComment(services, access, pullRequest.number, REVIEW_MARKER, body);
  return {
    status: "commented",
    commentId: comment.id,
    updated: comment.updated,
    added: diff.added.length,
    removed: diff.removed.length,
    upgraded: diff.upgraded.length,
    downgraded: diff.downgraded.length,
    advisories: advisories.length,
    characters: body.length,
  };
}

function parsed(bytes: Uint8Array, side: "base" | "head"): LockedPackage[] {
  try {
    return parseLockFile(bytes);
  } catch (error) {
    if (error instanceof LockFileError) throw new LockFileError(`The pull request's ${side} ${error.message}`);
    throw error;
  }
}

/** The versions the pull request brings in: what advisories are checked against. */
function newVersions(diff: LockDiff): LockedPackage[] {
  return [...diff.added, ...diff.upgraded.map((change) => change.to), ...diff.downgraded.map((change) => change.to)];
}

async function linksFor(services: Services, diff: LockDiff): Promise<Map<string, string>> {
  const changes = [...diff.upgraded, ...diff.downgraded];
  const known = await knownRepositories(services.db, changes.map((change) => change.name));
  const byName = new Map(known.map((row) => [row.name, row]));
  const links = new Map<string, string>();
  for (const change of changes) {
    const repository = byName.get(change.name);
    const url = repository && compareUrl(repository, change.from.reference ?? change.from.version, change.to.reference ?? change.to.version);
    if (url) links.set(change.name, url);
  }
  return links;
}
