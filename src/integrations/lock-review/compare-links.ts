// The provider's compare view between the two locked references of a private package Satchel
// hosts: GitHub and Gitea `/compare/a...b`, GitLab `/-/compare/a...b`, Bitbucket
// `/branches/compare/b%0Da`. The provider comes from the host, else from the package's token.
import { decodeVcsRepository } from "../../packages/vcs-repository.ts";
import { parseRepositoryUrl } from "../../webhooks/incoming/repository-key.ts";
import type { KnownRepository } from "./known-package-store.ts";

const KIND_PROVIDER: Record<string, string> = { "github-token": "github", "gitlab-token": "gitlab", "gitea-token": "gitea", "bitbucket-token": "bitbucket" };
const PUBLIC_HOSTS: Record<string, string> = { "github.com": "github", "gitlab.com": "gitlab", "bitbucket.org": "bitbucket", "codeberg.org": "gitea" };

export function compareUrl(known: KnownRepository, from: string, to: string): string | null {
  if (from === to) return null;
  const location = parseRepositoryUrl(decodeVcsRepository(known.repository).url);
  if (!location || location.host === "") return null;
  const provider = PUBLIC_HOSTS[location.host] ?? (known.credentialKind ? KIND_PROVIDER[known.credentialKind] : undefined);
  const web = `https://${location.host}/${location.path}`;
  const a = encodeURIComponent(from);
  const b = encodeURIComponent(to);
  switch (provider) {
    case "github":
    case "gitea":
      return `${web}/compare/${a}...${b}`;
    case "gitlab":
      return `${web}/-/compare/${a}...${b}`;
    case "bitbucket":
      return `${web}/branches/compare/${b}%0D${a}`;
    default:
      return null;
  }
}
