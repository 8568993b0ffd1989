// Bitbucket Server / Data Center: `repo:refs_changed` names the repository by its clone links
// (http and ssh, which differ in path: /scm/proj/repo.git vs :7999/proj/repo.git) and the
// changed refs; `diagnostics:ping` is the "Test connection" button.
import type { JsonObject } from "../../../http/json-body.ts";
import { requireUrls, stringAt, type HookIntent } from "./provider.ts";

export const SERVER_EVENTS = ["repo:refs_changed", "diagnostics:ping"];

export function interpretServerEvent(event: string, payload: JsonObject): HookIntent {
  const links = linksOf(payload, "clone").concat(linksOf(payload, "self"));
  if (event === "diagnostics:ping") return { kind: "ping", urls: links };
  const changes = Array.isArray(payload.changes) ? payload.changes : [];
  const refs = changes.map((change: unknown) => stringAt(change, "ref", "id") ?? stringAt(change, "refId")).filter((ref): ref is string => ref !== undefined);
  return { kind: "update", urls: requireUrls("Bitbucket Server", links), refs };
}

function linksOf(payload: JsonObject, kind: "clone" | "self"): string[] {
  const repository = payload.repository && typeof payload.repository === "object" ? (payload.repository as JsonObject) : {};
  const links = repository.links && typeof repository.links === "object" ? (repository.links as JsonObject)[kind] : undefined;
  if (!Array.isArray(links)) return [];
  // The self link is the browse page: /projects/PROJ/repos/repo/browse names /scm/proj/repo.
  return links
    .map((link: unknown) => stringAt(link, "href"))
    .filter((href): href is string => href !== undefined)
    .map((href) => (kind === "self" ? href.replace(/\/projects\/([^/]+)\/repos\/([^/]+)(\/browse)?\/?$/i, "/scm/$1/$2") : href));
}
