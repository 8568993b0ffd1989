// Pull-request (merge-request) events as each provider sends them, read into the pull request
// to review: its number, the base and head commits. Actions that bring no new commits (closed,
// labeled, edited) are answered and ignored.
//   GitHub `pull_request`: action opened | synchronize | reopened; number; pull_request.base.sha / head.sha
//   GitLab `Merge Request Hook`: object_attributes.action open | reopen | update (with oldrev:
//     new commits); iid; last_commit.id; the target branch (the hook names no base commit: the
//     review asks the merge request's diff_refs.base_sha, merge-request-base.ts)
//   Gitea/Forgejo `pull_request`: action opened | synchronized | reopened; number; base.sha / head.sha
//   Bitbucket Cloud `pullrequest:created` | `pullrequest:updated`: pullrequest.id;
//     source.commit.hash / destination.commit.hash
import { badRequest } from "../../http/errors.ts";
import type { JsonObject } from "../../http/json-body.ts";
import type { PullRequestRef } from "./review-pull-request.ts";

export interface PullRequestEvent {
  /** null: an action that needs no review. */
  pullRequest: PullRequestRef | null;
}

const at = (value: unknown, ...path: string[]): unknown => path.reduce<unknown>((current, key) => (current && typeof current === "object" && !Array.isArray(current) ? (current as JsonObject)[key] : undefined), value);
const text = (value: unknown): string | null => (typeof value === "string" && value !== "" && value.length <= 255 ? value : null);
const positive = (value: unknown): number | null => (typeof value === "number" && Number.isSafeInteger(value) && value > 0 ? value : null);

function ref(number: unknown, baseRef: unknown, headRef: unknown): PullRequestRef | null {
  const n = positive(number);
  const base = text(baseRef);
  const head = text(headRef);
  return n && base && head ? { number: n, baseRef: base, headRef: head } : null;
}

export function githubPullRequest(payload: JsonObject): PullRequestEvent {
  if (!["opened", "synchronize", "reopened"].includes(String(payload.action))) return { pullRequest: null };
  return { pullRequest: required(ref(at(payload, "pull_request", "number") ?? payload.number, at(payload, "pull_request", "base", "sha"), at(payload, "pull_request", "head", "sha")), "GitHub") };
}

export function giteaPullRequest(payload: JsonObject): PullRequestEvent {
  if (!["opened", "synchronized", "reopened"].includes(String(payload.action))) return { pullRequest: null };
  return { pullRequest: required(ref(at(payload, "pull_request", "number") ?? payload.number, at(payload, "pull_request", "base", "sha"), at(payload, "pull_request", "head", "sha")), "Gitea") };
}

export function gitlabMergeRequest(payload: JsonObject): PullRequestEvent {
  const action = String(at(payload, "object_attributes", "action"));
  const newCommits = action === "update" && text(at(payload, "object_attributes", "oldrev")) !== null;
  if (!["open", "reopen"].includes(action) && !newCommits) return { pullRequest: null };
  const attributes = at(payload, "object_attributes");
  return { pullRequest: required(ref(at(attributes, "iid"), at(attributes, "target_branch"), at(attributes, "last_commit", "id")), "GitLab") };
}

export function bitbucketPullRequest(payload: JsonObject): PullRequestEvent {
  const pr = at(payload, "pullrequest");
  return { pullRequest: required(ref(at(pr, "id"), at(pr, "destination", "commit", "hash"), at(pr, "source", "commit", "hash")), "Bitbucket") };
}

function required(pullRequest: PullRequestRef | null, provider: string): PullRequestRef {
  if (!pullRequest) throw badRequest(`The ${provider} pull-request payload names no number, base and head commit.`, "missing_pull_request");
  return pullRequest;
}
