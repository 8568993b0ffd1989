// Gitea and Forgejo organizations (the /api/v1 swagger): /orgs/{org}/repos paged by Link
// headers (x-total-count says how many), file contents, organization hooks. Gitea does not
// expose a token's scopes: a refused call names the scope that call needs.
import { ProviderRefused } from "../provider-http.ts";
import { enc, githubShapedRepositoryPage, isRecord, MissingScope, repoPath, type OrgProvider } from "./org-provider.ts";

async function requireScope(call: () => Promise<unknown>, scope: string): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (error instanceof ProviderRefused && error.status === 403) throw new MissingScope(scope, `The Gitea token lacks the "${scope}" scope.`);
    throw error;
  }
}

export const giteaOrg: OrgProvider = {
  kind: "gitea",
  authHeaders: (token) => ({ authorization: `token ${token}` }),
  async checkAccess(http, organization, needs) {
    await requireScope(() => http.call("GET", `/orgs/${enc(organization)}/repos?limit=1`), "read:repository");
    if (needs.hooks) await requireScope(() => http.call("GET", `/orgs/${enc(organization)}/hooks?limit=1`), "write:organization");
    if (needs.teams) await requireScope(() => http.call("GET", `/orgs/${enc(organization)}/teams?limit=1`), "read:organization");
  },
  firstPage: (organization) => `/orgs/${enc(organization)}/repos?limit=50&page=1`,
  readPage: githubShapedRepositoryPage,
  hasComposerJson: (http, repo) => http.exists(`/repos/${repoPath(repo.fullName)}/contents/composer.json?ref=${enc(repo.defaultBranch)}`),
  async createOrgHook(http, organization, target) {
    const { body } = await http.call("POST", `/orgs/${enc(organization)}/hooks`, {
      type: "gitea",
      active: true,
      events: ["push", "pull_request", "repository"],
      config: { url: target.url, content_type: "json", secret: target.secret },
    });
    return isRecord(body) && body.id !== undefined ? String(body.id) : null;
  },
  async deleteOrgHook(http, organization, hookId) {
    await http.call("DELETE", `/orgs/${enc(organization)}/hooks/${enc(hookId)}`);
  },
  // Gitea takes a token as the password of any user name.
  cloneCredential: () => ({ kind: "http-basic", publicInfo: "satchel" }),
};
