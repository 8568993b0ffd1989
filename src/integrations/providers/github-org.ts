// GitHub and GitHub Enterprise organizations (docs.github.com/rest): /orgs/{org}/repos paged by
// Link headers, contents of composer.json, organization hooks. A classic token's scopes come
// back in X-OAuth-Scopes; a fine-grained or App token has none (an App's permissions are
// checked when its installation token is minted: github-app.ts).
import { linkNext, ProviderRefused } from "../provider-http.ts";
import { allPages, enc, firstMissing, githubShapedRepositoryPage, isRecord, MissingScope, repoPath, type OrgProvider } from "./org-provider.ts";

export const githubOrg: OrgProvider = {
  kind: "github",
  authHeaders: (token) => ({ authorization: `Bearer ${token}`, accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" }),
  async checkAccess(http, organization, needs) {
    const { headers } = await http.call("GET", `/orgs/${enc(organization)}`);
    const scopes = headers.get("x-oauth-scopes");
    if (scopes === null) return;
    const wanted = ["repo", ...(needs.hooks ? ["admin:org_hook"] : []), ...(needs.teams ? ["read:org|admin:org"] : [])];
    const missing = firstMissing(scopes, wanted);
    if (missing) throw new MissingScope(missing, `The GitHub token lacks the "${missing.split("|")[0]}" scope (it has: ${scopes || "none"}).`);
  },
  firstPage: (organization) => `/orgs/${enc(organization)}/repos?type=all&per_page=100`,
  readPage: githubShapedRepositoryPage,
  hasComposerJson: (http, repo) => http.exists(`/repos/${repoPath(repo.fullName)}/contents/composer.json?ref=${enc(repo.defaultBranch)}`),
  async createOrgHook(http, organization, target) {
    const { body } = await http.call("POST", `/orgs/${enc(organization)}/hooks`, {
      name: "web",
      active: true,
      events: ["push", "pull_request", "repository"],
      config: { url: target.url, content_type: "json", secret: target.secret, insecure_ssl: "0" },
    });
    return isRecord(body) && body.id !== undefined ? String(body.id) : null;
  },
  async deleteOrgHook(http, organization, hookId) {
    await http.call("DELETE", `/orgs/${enc(organization)}/hooks/${enc(hookId)}`);
  },
  teams: {
    members: (http, organization, team) =>
      allPages(`/orgs/${enc(organization)}/teams/${enc(team)}/members?per_page=100`, async (url) => {
        const { body, next } = await http.page(url, (headers) => linkNext(headers));
        return { items: (Array.isArray(body) ? body : []).filter(isRecord).map((user) => ({ id: String(user.id), login: String(user.login) })), next };
      }),
    async isMember(http, organization, team, member) {
      try {
        const { body } = await http.call("GET", `/orgs/${enc(organization)}/teams/${enc(team)}/memberships/${enc(member.login)}`);
        return isRecord(body) && body.state === "active";
      } catch (error) {
        if (error instanceof ProviderRefused && error.status === 404) return false;
        throw error;
      }
    },
  },
  cloneCredential: (apiUrl) => ({ kind: "github-token", publicInfo: apiUrl }),
};
