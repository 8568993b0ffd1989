// The one place organization webhooks hand repository events to the features that act on them
// (composer.lock review, security monitoring). Handlers are registered by name and do nothing
// until a feature sets them; the receiver has already verified the delivery's signature.
import type { Services } from "../services.ts";
import type { RepositoryAccess } from "./repository-access.ts";

export interface PullRequestEvent {
  access: RepositoryAccess;
  /** The pull request's number (GitHub, Gitea, Bitbucket) or the merge request's iid (GitLab). */
  number: number;
  action: string;
  headSha: string;
  baseRef: string;
}

export interface DefaultBranchPushEvent {
  access: RepositoryAccess;
  branch: string;
  after: string;
}

export const repositoryEventHandlers = {
  onPullRequest: async (_services: Services, _event: PullRequestEvent): Promise<void> => {},
  onDefaultBranchPush: async (_services: Services, _event: DefaultBranchPushEvent): Promise<void> => {},
};

export type RepositoryEvent = { kind: "pull-request"; event: PullRequestEvent } | { kind: "default-branch-push"; event: DefaultBranchPushEvent };

export async function dispatchRepositoryEvent(services: Services, dispatched: RepositoryEvent): Promise<void> {
  if (dispatched.kind === "pull-request") await repositoryEventHandlers.onPullRequest(services, dispatched.event);
  else await repositoryEventHandlers.onDefaultBranchPush(services, dispatched.event);
}
