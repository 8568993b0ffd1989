// What an organization webhook delivery says, per provider, in the payload shapes each
// documents: a push (which repository, which branch), a pull/merge request, or a change to the
// organization's repositories (created, archived, renamed, deleted ...), which calls for a sync.
import type { JsonObject } from "../http/json-body.ts";
import { isRecord } from "./providers/org-provider.ts";
import { bitbucketPullRequest, giteaPullRequest, githubPullRequest, gitlabMergeRequest } from "./lock-review/pull-request-events.ts";
import type { PullRequestRef } from "./lock-review/review-pull-request.ts";
import type { ProviderKind } from "./repository-access.ts";

interface RepositoryRef {
  providerId: string;
  fullName: string;
}

export type OrgEvent =
  | { kind: "ping" }
  | { kind: "push"; repository: RepositoryRef; branch: string | null; after: string }
  /** `pullRequest` null: an action that brings no new commits to review (closed, labeled, ...). */
  | { kind: "pull-request"; repository: RepositoryRef; pullRequest: PullRequestRef | null }
  | { kind: "repositories-changed" }
  | { kind: "ignored"; event: string };

const at = (value: unknown, ...path: string[]): unknown => path.reduce<unknown>((current, key) => (isRecord(current) ? current[key] : undefined), value);
const text = (value: unknown, ...path: string[]) => {
  const found = at(value, ...path);
  return typeof found === "string" || typeof found === "number" ? String(found) : "";
};
const branchOf = (ref: string) => (ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : null);

export function orgEventOf(provider: ProviderKind, headers: Headers, payload: JsonObject): OrgEvent {
  switch (provider) {
    case "github":
    case "gitea":
      return githubLike(headers.get("x-github-event") ?? headers.get("x-forgejo-event") ?? headers.get("x-gitea-event") ?? "", payload, provider === "gitea" ? giteaPullRequest : githubPullRequest);
    case "gitlab":
      return gitlabEvent(headers.get("x-gitlab-event") ?? "", payload);
    case "bitbucket":
      return bitbucketEvent(headers.get("x-event-key") ?? "", payload);
  }
}

/** GitHub and Gitea share these payload shapes. */
function githubLike(event: string, payload: JsonObject, pullRequestOf: typeof githubPullRequest): OrgEvent {
  const repository = { providerId: text(payload, "repository", "id"), fullName: text(payload, "repository", "full_name") };
  if (event === "ping") return { kind: "ping" };
  if (event === "push") return { kind: "push", repository, branch: branchOf(text(payload, "ref")), after: text(payload, "after") };
  if (event === "pull_request") {
    return { kind: "pull-request", repository, ...pullRequestOf(payload) };
  }
  if (event === "repository") return { kind: "repositories-changed" };
  return { kind: "ignored", event };
}

function gitlabEvent(event: string, payload: JsonObject): OrgEvent {
  const repository = { providerId: text(payload, "project", "id"), fullName: text(payload, "project", "path_with_namespace") };
  if (event === "Push Hook" || event === "Tag Push Hook") return { kind: "push", repository, branch: branchOf(text(payload, "ref")), after: text(payload, "after") };
  if (event === "Merge Request Hook") {
    return { kind: "pull-request", repository, ...gitlabMergeRequest(payload) };
  }
  // Group hooks send project events (created, renamed, transferred, destroyed) as "Project Hook".
  if (event === "Project Hook" || event === "Subgroup Hook") return { kind: "repositories-changed" };
  return { kind: "ignored", event };
}

function bitbucketEvent(event: string, payload: JsonObject): OrgEvent {
  const repository = { providerId: text(payload, "repository", "uuid"), fullName: text(payload, "repository", "full_name") };
  if (event === "repo:push") {
    const changes = at(payload, "push", "changes");
    const last = Array.isArray(changes) ? changes.at(-1) : undefined;
    const isBranch = text(last, "new", "type") === "branch";
    return { kind: "push", repository, branch: isBranch ? text(last, "new", "name") : null, after: text(last, "new", "target", "hash") };
  }
  if (event === "pullrequest:created" || event === "pullrequest:updated") {
    return { kind: "pull-request", repository, ...bitbucketPullRequest(payload) };
  }
  if (event === "repo:created" || event === "repo:deleted" || event === "repo:transfer" || event === "repo:updated") return { kind: "repositories-changed" };
  return { kind: "ignored", event };
}
