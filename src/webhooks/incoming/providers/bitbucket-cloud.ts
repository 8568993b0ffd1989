// Bitbucket Cloud's `repo:push` payload (support.atlassian.com, "Event payloads"): the
// repository's web link and full name, and the pushed refs under push.changes[].new / old.
import type { JsonObject } from "../../../http/json-body.ts";
import { requireUrls, stringAt, type HookIntent } from "./provider.ts";

export const CLOUD_EVENTS = ["repo:push"];

export function interpretCloudPush(payload: JsonObject): HookIntent {
  const fullName = stringAt(payload, "repository", "full_name");
  const urls = [stringAt(payload, "repository", "links", "html", "href"), fullName ? `https://bitbucket.org/${fullName}` : undefined];
  const push = payload.push && typeof payload.push === "object" ? (payload.push as JsonObject) : {};
  const changes = Array.isArray(push.changes) ? push.changes : [];
  const refs = changes.flatMap((change: unknown) => [stringAt(change, "new", "name"), stringAt(change, "old", "name")]).filter((ref): ref is string => ref !== undefined);
  return { kind: "update", urls: requireUrls("Bitbucket", urls), refs: [...new Set(refs)] };
}
