// The Packagist-compatible update hook (POST /api/update-package): any of the payload shapes
// Packagist's own endpoint reads, authenticated by an API token only.
import { badRequest } from "../../../http/errors.ts";
import type { JsonObject } from "../../../http/json-body.ts";
import { requireUrls, stringAt, type IncomingProvider } from "./provider.ts";

export const generic: IncomingProvider = {
  id: "generic",
  event: () => "update",
  deliveryId: () => undefined,
  proof: () => null,
  interpret(_event, payload: JsonObject) {
    const bitbucketLegacy = stringAt(payload, "canon_url") && stringAt(payload, "repository", "absolute_url");
    const urls = [
      // {"repository": {"url": ...}}: the documented shape.
      stringAt(payload, "repository", "url")?.replace("https://api.github.com/repos", "https://github.com"),
      // A GitLab push payload, a Bitbucket Cloud one, and Bitbucket's old POST hook.
      stringAt(payload, "project", "git_http_url"),
      stringAt(payload, "repository", "links", "html", "href"),
      bitbucketLegacy ? `${stringAt(payload, "canon_url")}${stringAt(payload, "repository", "absolute_url")}` : undefined,
    ];
    if (!urls.some(Boolean)) throw badRequest('Expected {"repository": {"url": "<git url>"}}.', "missing_repository");
    return { kind: "update", urls: requireUrls("update", urls), refs: [] };
  },
};
