// Gitea, Forgejo (and Gogs): X-Gitea-Event / X-Forgejo-Event, X-Gitea-Delivery, and
// X-Gitea-Signature / X-Forgejo-Signature, the hex HMAC-SHA256 of the raw body (no prefix).
import { giteaPullRequest } from "../../../integrations/lock-review/pull-request-events.ts";
import { header, hexSignature, requireUrls, stringAt, unsupportedEvent, type IncomingProvider } from "./provider.ts";

// Gitea names every pull-request hook "pull_request" (X-Gitea-Event-Type tells sync apart).
const EVENTS = ["push", "create", "delete", "pull_request"];

export const gitea: IncomingProvider = {
  id: "gitea",
  event: (headers) => header(headers, "x-forgejo-event", "x-gitea-event", "x-gogs-event"),
  deliveryId: (headers) => header(headers, "x-forgejo-delivery", "x-gitea-delivery", "x-gogs-delivery"),
  proofHeader: "X-Gitea-Signature",
  proof: (headers) => hexSignature(header(headers, "x-forgejo-signature", "x-gitea-signature", "x-gogs-signature"), "sha256="),
  interpret(event, payload) {
    if (!EVENTS.includes(event)) unsupportedEvent("Gitea", event, EVENTS);
    const urls = ["clone_url", "ssh_url", "html_url"].map((key) => stringAt(payload, "repository", key));
    if (event === "pull_request") return { kind: "pull-request", urls: requireUrls("Gitea", urls), ...giteaPullRequest(payload) };
    const ref = stringAt(payload, "ref");
    return { kind: "update", urls: requireUrls("Gitea", urls), refs: ref ? [ref] : [] };
  },
};
