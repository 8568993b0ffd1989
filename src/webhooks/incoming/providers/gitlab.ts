// GitLab: X-Gitlab-Event ("Push Hook", "Tag Push Hook", "Merge Request Hook" for lock-file
// reviews; system hooks send the same payloads),
// and X-Gitlab-Token, the secret token itself (GitLab signs nothing). Idempotency-Key stays the
// same across GitLab's retries; older versions send only X-Gitlab-Event-UUID.
import { gitlabMergeRequest } from "../../../integrations/lock-review/pull-request-events.ts";
import { header, requireUrls, stringAt, unsupportedEvent, type IncomingProvider } from "./provider.ts";

const EVENTS = ["Push Hook", "Tag Push Hook", "Merge Request Hook"];

export const gitlab: IncomingProvider = {
  id: "gitlab",
  event: (headers) => header(headers, "x-gitlab-event"),
  deliveryId: (headers) => header(headers, "idempotency-key", "x-gitlab-event-uuid"),
  proofHeader: "X-Gitlab-Token",
  proof: (headers) => {
    const token = header(headers, "x-gitlab-token");
    return token ? { kind: "token", value: token } : null;
  },
  interpret(event, payload) {
    const kind = stringAt(payload, "object_kind");
    const isMergeRequest = event === "Merge Request Hook" || (event === "System Hook" && kind === "merge_request");
    const isPush = (EVENTS.includes(event) && !isMergeRequest) || (event === "System Hook" && (kind === "push" || kind === "tag_push"));
    if (!isPush && !isMergeRequest) unsupportedEvent("GitLab", event, EVENTS);
    const urls = [
      stringAt(payload, "project", "git_http_url"),
      stringAt(payload, "project", "git_ssh_url"),
      stringAt(payload, "project", "web_url"),
      stringAt(payload, "repository", "git_http_url"),
      stringAt(payload, "repository", "git_ssh_url"),
      stringAt(payload, "repository", "homepage"),
    ];
    if (isMergeRequest) return { kind: "pull-request", urls: requireUrls("GitLab", urls), ...gitlabMergeRequest(payload) };
    const ref = stringAt(payload, "ref");
    return { kind: "update", urls: requireUrls("GitLab", urls), refs: ref ? [ref] : [] };
  },
};
