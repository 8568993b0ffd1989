// How Satchel reaches one repository through its provider's REST API. Shared by organization
// integrations (repository sync, hooks, teams) and by composer.lock review / security monitoring.
export type ProviderKind = "github" | "gitlab" | "gitea" | "bitbucket";

export interface RepositoryAccess {
  provider: ProviderKind;
  /** API base: https://api.github.com (or GHE's /api/v3), https://gitlab.example.com/api/v4, https://gitea.example.com/api/v1, https://api.bitbucket.org/2.0 */
  apiUrl: string;
  /** owner/name on GitHub and Gitea, workspace/slug on Bitbucket, the full namespace path on GitLab. */
  fullName: string;
  /** The provider's stable id for the repository, when known: a rename or transfer keeps it. */
  providerId?: string;
  /** A token valid for this repository now (a personal/project token, or a GitHub App installation token). */
  token: () => Promise<string>;
}
