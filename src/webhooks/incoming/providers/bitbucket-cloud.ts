// Bitbucket Cloud's `repo:push` payload (support.atlassian.com, "Event payloads"): the
// repository's web link and full name, and the pushed refs under push.changes[].new / old;
// `pullrequest:created` / `pullrequest:updated` ask for a composer.lock review.
import { bitbucketPullRequest } from "../../../integrations/lock-review/pull-request-events.ts";
import type { JsonObject } from "../../../http/json-body.ts";
import { requireUrls, stringAt, type HookIntent } from "./provider.ts";

export const CLOUD_EVENTS = ["repo:push", "pullrequest:created", "pullrequest:updated"];

export function interpretCloudEvent(event: string, payload: JsonObject): HookIntent {
  const fullName = stringAt(payload, "repository", "full_name");
  const urls = [stringAt(payload, "repository", "links", "html", "href"), fullName ? `https://bitbucket.org/${fullName}` : undefined];
  if (event.startsWith("pullrequest:")) return { kind: "pull-request", urls: requireUrls("Bitbucket", urls), ...bitbucketPullRequest(payload) };
  const push = payload.push && typeof payload.push === "object" ? (payload.push as JsonObject) : {};
  const changes = Array.isArray(push.changes) ? push.changes : [];
  const refs = changes.flatMap((change: unknown) => [stringAt(change, "new", "name"), stringAt(change, "old", "name")]).filter((ref): ref is string => ref !== undefined);
  return { kind: "update", urls: requireUrls("Bitbucket", urls), refs: [...new Set(refs)] };
}
