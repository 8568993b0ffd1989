// Bitbucket Cloud workspaces (developer.atlassian.com/cloud/bitbucket/rest): the scopes an
// access token holds come back in X-OAuth-Scopes, /repositories/{workspace} pages through the
// body's `next`, /src/{branch}/composer.json, and workspace hooks.
import { enc, firstMissing, isRecord, MissingScope, repoPath, type OrgProvider } from "./org-provider.ts";

export const bitbucketWorkspace: OrgProvider = {
  kind: "bitbucket",
  authHeaders: (token) => ({ authorization: `Bearer ${token}` }),
  async checkAccess(http, organization, needs) {
    const { headers } = await http.call("GET", `/workspaces/${enc(organization)}`);
    const scopes = headers.get("x-oauth-scopes");
    if (scopes === null) return;
    const missing = firstMissing(scopes, ["repository", ...(needs.hooks ? ["webhook"] : []), ...(needs.teams ? ["account"] : [])]);
    if (missing) throw new MissingScope(missing, `The Bitbucket token lacks the "${missing}" scope (it has: ${scopes || "none"}).`);
  },
  firstPage: (organization) => `/repositories/${enc(organization)}?pagelen=100`,
  async readPage(http, url) {
    const { body, next } = await http.page(url, (_headers, page) => (isRecord(page) && typeof page.next === "string" ? page.next : null));
    const values = isRecord(body) && Array.isArray(body.values) ? body.values.filter(isRecord) : [];
    const repositories = values.map((repo) => {
      const links = isRecord(repo.links) && Array.isArray(repo.links.clone) ? repo.links.clone.filter(isRecord) : [];
      const https = links.find((link) => link.name === "https");
      const branch = isRecord(repo.mainbranch) ? String(repo.mainbranch.name) : "main";
      return { providerId: String(repo.uuid), fullName: String(repo.full_name), cloneUrl: String(https?.href ?? ""), defaultBranch: branch, archived: false };
    });
    return { repositories, next };
  },
  hasComposerJson: (http, repo) => http.exists(`/repositories/${repoPath(repo.fullName)}/src/${enc(repo.defaultBranch)}/composer.json`),
  async createOrgHook(http, organization, target) {
    const { body } = await http.call("POST", `/workspaces/${enc(organization)}/hooks`, {
      description: "Satchel",
      url: target.url,
      active: true,
      secret: target.secret,
      events: ["repo:push", "pullrequest:created", "pullrequest:updated"],
    });
    return isRecord(body) && body.uuid !== undefined ? String(body.uuid) : null;
  },
  async deleteOrgHook(http, organization, hookId) {
    await http.call("DELETE", `/workspaces/${enc(organization)}/hooks/${enc(hookId)}`);
  },
  cloneCredential: () => ({ kind: "http-basic", publicInfo: "x-token-auth" }),
};
