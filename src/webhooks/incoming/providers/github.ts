// GitHub (and GitHub Enterprise): X-GitHub-Event, X-GitHub-Delivery, and X-Hub-Signature-256,
// an HMAC-SHA256 of the raw body with the hook's secret (docs.github.com, "Validating webhook
// deliveries"). push, create and delete change refs; ping checks the endpoint; pull_request
// asks for a composer.lock review.
import type { JsonObject } from "../../../http/json-body.ts";
import { githubPullRequest } from "../../../integrations/lock-review/pull-request-events.ts";
import { header, hexSignature, requireUrls, stringAt, unsupportedEvent, type IncomingProvider } from "./provider.ts";

const EVENTS = ["push", "create", "delete", "ping", "pull_request"];

export const github: IncomingProvider = {
  id: "github",
  event: (headers) => header(headers, "x-github-event"),
  deliveryId: (headers) => header(headers, "x-github-delivery"),
  proofHeader: "X-Hub-Signature-256",
  proof: (headers) => hexSignature(header(headers, "x-hub-signature-256"), "sha256="),
  interpret(event, payload) {
    if (!EVENTS.includes(event)) unsupportedEvent("GitHub", event, EVENTS);
    const urls = repositoryUrls(payload);
    // An organization hook's ping names no repository.
    if (event === "ping") return { kind: "ping", urls };
    if (event === "pull_request") return { kind: "pull-request", urls: requireUrls("GitHub", urls), ...githubPullRequest(payload) };
    const ref = stringAt(payload, "ref");
    return { kind: "update", urls: requireUrls("GitHub", urls), refs: ref ? [ref] : [] };
  },
};

function repositoryUrls(payload: JsonObject): string[] {
  return ["clone_url", "ssh_url", "git_url", "html_url", "url"]
    .map((key) => stringAt(payload, "repository", key))
    .filter((url): url is string => url !== undefined);
}
