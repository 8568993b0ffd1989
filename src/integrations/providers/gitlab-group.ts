// GitLab groups, gitlab.com or self-managed (docs.gitlab.com/api): the token's scopes from
// /personal_access_tokens/self, /groups/:id/projects paged by x-next-page, composer.json
// through the repository files API, and group hooks (a Premium feature: on Free the group
// answers 403/404 and Satchel relies on the scheduled sync instead).
import { ProviderRefused } from "../provider-http.ts";
import { allPages, enc, firstMissing, isRecord, MissingScope, type OrgProvider } from "./org-provider.ts";

const subgroup = (organization: string, team: string) => enc(`${organization}/${team}`);

function nextGitLabPage(headers: Headers, current: string): string | null {
  const page = headers.get("x-next-page");
  if (!page) return null;
  const following = new URL(current);
  following.searchParams.set("page", page);
  return following.toString();
}

export const gitlabGroup: OrgProvider = {
  kind: "gitlab",
  authHeaders: (token) => ({ "private-token": token }),
  async checkAccess(http, organization, needs) {
    const { body } = await http.call("GET", "/personal_access_tokens/self");
    const scopes = isRecord(body) && Array.isArray(body.scopes) ? body.scopes.map(String).join(" ") : "";
    const wanted = ["read_api|api", "read_repository|api", ...(needs.hooks ? ["api"] : [])];
    const missing = firstMissing(scopes, wanted);
    if (missing) throw new MissingScope(missing, `The GitLab token lacks the "${missing.split("|")[0]}" scope (it has: ${scopes || "none"}).`);
    await http.call("GET", `/groups/${enc(organization)}`);
  },
  firstPage: (organization) => `/groups/${enc(organization)}/projects?include_subgroups=true&per_page=100&order_by=id&sort=asc`,
  async readPage(http, url) {
    const { body, next } = await http.page(url, (headers, _body, current) => nextGitLabPage(headers, current));
    const repositories = (Array.isArray(body) ? body : []).filter(isRecord).map((project) => ({
      providerId: String(project.id),
      fullName: String(project.path_with_namespace),
      cloneUrl: String(project.http_url_to_repo),
      defaultBranch: String(project.default_branch ?? "main"),
      archived: project.archived === true,
    }));
    return { repositories, next };
  },
  hasComposerJson: (http, repo) => http.exists(`/projects/${enc(repo.providerId)}/repository/files/composer.json?ref=${enc(repo.defaultBranch)}`),
  async createOrgHook(http, organization, target) {
    try {
      const { body } = await http.call("POST", `/groups/${enc(organization)}/hooks`, {
        url: target.url,
        token: target.secret,
        push_events: true,
        tag_push_events: true,
        merge_requests_events: true,
        enable_ssl_verification: true,
      });
      return isRecord(body) && body.id !== undefined ? String(body.id) : null;
    } catch (error) {
      if (error instanceof ProviderRefused && (error.status === 403 || error.status === 404)) return null;
      throw error;
    }
  },
  async deleteOrgHook(http, organization, hookId) {
    await http.call("DELETE", `/groups/${enc(organization)}/hooks/${enc(hookId)}`);
  },
  // A team is a subgroup of the integration's group; /members/all includes inherited members.
  teams: {
    members: (http, organization, team) =>
      allPages(`/groups/${subgroup(organization, team)}/members/all?per_page=100`, async (url) => {
        const { body, next } = await http.page(url, (headers, _body, current) => nextGitLabPage(headers, current));
        return { items: (Array.isArray(body) ? body : []).filter(isRecord).map((user) => ({ id: String(user.id), login: String(user.username) })), next };
      }),
    isMember: (http, organization, team, member) => http.exists(`/groups/${subgroup(organization, team)}/members/all/${enc(member.id)}`),
  },
  cloneCredential: (apiUrl) => ({ kind: "gitlab-token", publicInfo: apiUrl.replace(/\/api\/v4\/?$/, "") }),
};
