// Satchel's one comment on a pull request, through each provider's documented API:
//   GitHub   GET/POST /repos/{o}/{r}/issues/{n}/comments, PATCH /repos/{o}/{r}/issues/comments/{id}
//            (pages: the Link header's rel="next")
//   GitLab   GET/POST /projects/{id}/merge_requests/{iid}/notes, PUT .../notes/{note_id}
//            (pages: the x-next-page header)
//   Gitea    GET/POST /repos/{o}/{r}/issues/{n}/comments, PATCH /repos/{o}/{r}/issues/comments/{id}
//            (pages: the Link header, when the server pages)
//   Bitbucket GET/POST /repositories/{w}/{s}/pullrequests/{id}/comments, PUT .../comments/{id}
//            (body {"content": {"raw"}}; pages: the `next` URL in the answer)
import type { Services } from "../../services.ts";
import type { RepositoryAccess } from "../repository-access.ts";
import { providerJson, ProviderApiError } from "../security/provider-request.ts";

/** Pages read before giving up: a pull request with more than 5,000 comments. */
const MAX_PAGES = 50;

interface FoundComment {
  id: string;
  body: string;
}

/** Creates the comment, or updates the one that carries `marker`; returns its id. */
export async function upsertComment(services: Services, access: RepositoryAccess, number: number, marker: string, body: string): Promise<{ id: string; updated: boolean }> {
  const updated = await updateComment(services, access, number, marker, body);
  if (updated) return { id: updated.id, updated: true };
  const payload = access.provider === "bitbucket" ? { content: { raw: body } } : { body };
  const { value } = await providerJson<{ id?: unknown }>(services, access, commentPaths(access, number).list, { method: "POST", body: payload });
  if (typeof value.id !== "number" && typeof value.id !== "string") throw new ProviderApiError(`${access.provider} answered the new comment without an id.`);
  return { id: String(value.id), updated: false };
}

/** Updates the comment that carries `marker`, if there is one (null: none, nothing written). */
export async function updateComment(services: Services, access: RepositoryAccess, number: number, marker: string, body: string): Promise<{ id: string } | null> {
  const existing = await findComment(services, access, number, marker);
  if (!existing) return null;
  const payload = access.provider === "bitbucket" ? { content: { raw: body } } : { body };
  const method = access.provider === "github" || access.provider === "gitea" ? "PATCH" : "PUT";
  if (existing.body !== body) await providerJson(services, access, commentPaths(access, number).one(existing.id), { method, body: payload });
  return { id: existing.id };
}

async function findComment(services: Services, access: RepositoryAccess, number: number, marker: string): Promise<FoundComment | null> {
  const paths = commentPaths(access, number);
  let next: string | null = paths.firstPage;
  for (let page = 0; next && page < MAX_PAGES; page++) {
    const { value, headers }: { value: unknown; headers: Headers } = await providerJson<unknown>(services, access, next);
    const items = access.provider === "bitbucket" ? (value as { values?: unknown }).values : value;
    for (const item of Array.isArray(items) ? items : []) {
      const found = commentOf(access, item);
      if (found?.body.includes(marker)) return found;
    }
    next = nextPage(access, paths.list, value, headers);
  }
  return null;
}

function commentPaths(access: RepositoryAccess, number: number) {
  switch (access.provider) {
    case "github":
    case "gitea": {
      const list = `/repos/${access.fullName}/issues/${number}/comments`;
      return { list, firstPage: access.provider === "github" ? `${list}?per_page=100` : list, one: (id: string) => `/repos/${access.fullName}/issues/comments/${id}` };
    }
    case "gitlab": {
      const list = `/projects/${encodeURIComponent(access.fullName)}/merge_requests/${number}/notes`;
      return { list, firstPage: `${list}?per_page=100&sort=asc&order_by=created_at`, one: (id: string) => `${list}/${id}` };
    }
    case "bitbucket": {
      const list = `/repositories/${access.fullName}/pullrequests/${number}/comments`;
      return { list, firstPage: `${list}?pagelen=100`, one: (id: string) => `${list}/${id}` };
    }
  }
}

function commentOf(access: RepositoryAccess, item: unknown): FoundComment | null {
  if (!item || typeof item !== "object") return null;
  const record = item as { id?: unknown; body?: unknown; content?: { raw?: unknown }; deleted?: unknown };
  const body = access.provider === "bitbucket" ? record.content?.raw : record.body;
  if ((typeof record.id !== "number" && typeof record.id !== "string") || typeof body !== "string" || record.deleted === true) return null;
  return { id: String(record.id), body };
}

function nextPage(access: RepositoryAccess, list: string, value: unknown, headers: Headers): string | null {
  if (access.provider === "bitbucket") {
    const next = (value as { next?: unknown }).next;
    return typeof next === "string" && sameOrigin(access, next) ? next : null;
  }
  if (access.provider === "gitlab") {
    const page = headers.get("x-next-page")?.trim();
    return page && /^\d+$/.test(page) ? `${list}?per_page=100&sort=asc&order_by=created_at&page=${page}` : null;
  }
  const link = headers.get("link") ?? "";
  const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link);
  return match && sameOrigin(access, match[1]) ? match[1] : null;
}

/** A page URL the provider names must stay on its API host: the token goes with it. */
function sameOrigin(access: RepositoryAccess, url: string): boolean {
  try {
    return new URL(url).origin === new URL(access.apiUrl).origin;
  } catch {
    return false;
  }
}
