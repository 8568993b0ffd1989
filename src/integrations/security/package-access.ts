// A package's repository as a RepositoryAccess: its URL names the repository, its provider
// token credential (github-token, gitlab-token, gitea-token, bitbucket-token) names the provider
// and opens the API. A credential's publicInfo may give the API root (GitHub Enterprise's
// /api/v3, Bitbucket's /2.0) or the host (a self-managed GitLab or Gitea); otherwise the
// repository's host answers (GitLab, Gitea) or the public API (github.com, bitbucket.org).
import { findCredential } from "../../credentials/credential-store.ts";
import { SecretBox } from "../../credentials/secret-box.ts";
import type { PackageRow } from "../../packages/package-store.ts";
import { decodeVcsRepository } from "../../packages/vcs-repository.ts";
import type { Services } from "../../services.ts";
import { parseRepositoryUrl } from "../../webhooks/incoming/repository-key.ts";
import type { ProviderKind, RepositoryAccess } from "../repository-access.ts";

const PROVIDER_OF_KIND: Record<string, ProviderKind> = {
  "github-token": "github",
  "gitlab-token": "gitlab",
  "gitea-token": "gitea",
  "bitbucket-token": "bitbucket",
};

/** The access, or null with the reason when the package cannot be reached through a provider API. */
export async function packageRepositoryAccess(services: Services, pkg: Pick<PackageRow, "repository" | "credentialsId">): Promise<RepositoryAccess | { missing: string }> {
  if (!pkg.repository) return { missing: "The package has no repository." };
  const location = parseRepositoryUrl(decodeVcsRepository(pkg.repository).url);
  if (!location || location.host === "") return { missing: "The repository URL names no host." };
  const stored = pkg.credentialsId === null ? undefined : await findCredential(services.db, pkg.credentialsId);
  const provider = stored ? PROVIDER_OF_KIND[stored.kind] : undefined;
  if (!stored || !provider) return { missing: "The package needs a GitHub, GitLab, Gitea or Bitbucket token credential." };
  const given = stored.publicInfo && /^https?:\/\//.test(stored.publicInfo) ? stored.publicInfo.replace(/\/+$/, "") : null;
  const apiUrl = given ? withApiPath(provider, given) : defaultApiUrl(provider, location.host);
  if (!apiUrl) return { missing: `A ${provider} token for ${location.host} needs the API root as the credential's public info.` };
  const secretEnc = stored.secretEnc;
  return { provider, apiUrl, fullName: location.path, token: () => new SecretBox(services.config).open(secretEnc) };
}

/** The API root on the provider's public host; self-hosted ones answer under the host's own API path. */
function defaultApiUrl(provider: ProviderKind, host: string): string | null {
  switch (provider) {
    case "github":
      return host === "github.com" ? "https://api.github.com" : null;
    case "gitlab":
      return `https://${host}/api/v4`;
    case "gitea":
      return `https://${host}/api/v1`;
    case "bitbucket":
      return host === "bitbucket.org" ? "https://api.bitbucket.org/2.0" : null;
  }
}

/** GitLab's and Gitea's tokens name the host root (as the git worker and hook installation read them): add the API path. */
function withApiPath(provider: ProviderKind, root: string): string {
  if (provider === "gitlab" && !root.endsWith("/api/v4")) return `${root}/api/v4`;
  if (provider === "gitea" && !root.endsWith("/api/v1")) return `${root}/api/v1`;
  return root;
}

/** One key per monitored repository: its provider id when known (renames keep it), else its API root and name. */
export function repositoryKeyOf(access: RepositoryAccess): string {
  const api = access.apiUrl.replace(/^https?:\/\//, "").toLowerCase();
  return access.providerId ? `${access.provider}#${access.providerId}@${api}` : `${access.provider}:${api}/${access.fullName.toLowerCase()}`;
}
