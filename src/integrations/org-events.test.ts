// Organization webhook payloads, as each provider documents them, read into one event shape.
import { describe, expect, it } from "vitest";
import { orgEventOf } from "./org-events.ts";

const headers = (entries: Record<string, string>) => new Headers(entries);

describe("organization webhook events", () => {
  it("reads GitHub pushes, pull requests, repository changes and pings", () => {
    const repository = { id: 7, full_name: "acme/lib" };
    expect(orgEventOf("github", headers({ "x-github-event": "push" }), { ref: "refs/heads/main", after: "abc", repository })).toEqual({ kind: "push", repository: { providerId: "7", fullName: "acme/lib" }, branch: "main", after: "abc" });
    expect(orgEventOf("github", headers({ "x-github-event": "push" }), { ref: "refs/tags/v1", after: "abc", repository })).toMatchObject({ kind: "push", branch: null });
    expect(orgEventOf("github", headers({ "x-github-event": "pull_request" }), { action: "synchronize", number: 12, pull_request: { head: { sha: "h" }, base: { sha: "b", ref: "main" } }, repository })).toEqual({ kind: "pull-request", repository: { providerId: "7", fullName: "acme/lib" }, pullRequest: { number: 12, baseRef: "b", headRef: "h" } });
    // Actions that bring no new commits start no review.
    expect(orgEventOf("github", headers({ "x-github-event": "pull_request" }), { action: "closed", number: 12, pull_request: { head: { sha: "h" }, base: { sha: "b" } }, repository })).toMatchObject({ kind: "pull-request", pullRequest: null });
    expect(orgEventOf("github", headers({ "x-github-event": "repository" }), { action: "renamed", repository })).toEqual({ kind: "repositories-changed" });
    expect(orgEventOf("github", headers({ "x-github-event": "ping" }), {})).toEqual({ kind: "ping" });
    expect(orgEventOf("github", headers({ "x-github-event": "star" }), {})).toEqual({ kind: "ignored", event: "star" });
  });

  it("reads GitLab push and merge request hooks", () => {
    const project = { id: 42, path_with_namespace: "group/sub/lib" };
    expect(orgEventOf("gitlab", headers({ "x-gitlab-event": "Push Hook" }), { ref: "refs/heads/main", after: "abc", project })).toMatchObject({ kind: "push", repository: { providerId: "42", fullName: "group/sub/lib" }, branch: "main" });
    expect(orgEventOf("gitlab", headers({ "x-gitlab-event": "Merge Request Hook" }), { object_attributes: { iid: 3, action: "update", oldrev: "o", last_commit: { id: "h" }, target_branch: "main" }, project })).toMatchObject({ kind: "pull-request", pullRequest: { number: 3, baseRef: "main", headRef: "h" } });
  });

  it("reads Gitea (GitHub-shaped) and Bitbucket Cloud events", () => {
    expect(orgEventOf("gitea", headers({ "x-gitea-event": "push" }), { ref: "refs/heads/dev", after: "abc", repository: { id: 3, full_name: "org/lib" } })).toMatchObject({ kind: "push", branch: "dev", repository: { providerId: "3" } });
    const repository = { uuid: "{u-1}", full_name: "ws/lib" };
    expect(orgEventOf("bitbucket", headers({ "x-event-key": "repo:push" }), { push: { changes: [{ new: { type: "branch", name: "main", target: { hash: "abc" } } }] }, repository })).toEqual({ kind: "push", repository: { providerId: "{u-1}", fullName: "ws/lib" }, branch: "main", after: "abc" });
    expect(orgEventOf("bitbucket", headers({ "x-event-key": "pullrequest:updated" }), { pullrequest: { id: 9, source: { commit: { hash: "h" } }, destination: { branch: { name: "main" }, commit: { hash: "b" } } }, repository })).toMatchObject({ kind: "pull-request", pullRequest: { number: 9, baseRef: "b", headRef: "h" } });
    expect(orgEventOf("gitea", headers({ "x-gitea-event": "pull_request" }), { action: "synchronized", number: 4, pull_request: { head: { sha: "h" }, base: { sha: "b" } }, repository: { id: 3, full_name: "org/lib" } })).toMatchObject({ kind: "pull-request", pullRequest: { number: 4, baseRef: "b", headRef: "h" } });
  });
});
