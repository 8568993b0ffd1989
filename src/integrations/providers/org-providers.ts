// The provider objects by kind.
import type { ProviderKind } from "../repository-access.ts";
import { bitbucketWorkspace } from "./bitbucket-workspace.ts";
import { giteaOrg } from "./gitea-org.ts";
import { githubOrg } from "./github-org.ts";
import { gitlabGroup } from "./gitlab-group.ts";
import type { OrgProvider } from "./org-provider.ts";

export const ORG_PROVIDERS: Record<ProviderKind, OrgProvider> = { github: githubOrg, gitlab: gitlabGroup, gitea: giteaOrg, bitbucket: bitbucketWorkspace };

/** The public API roots; self-hosted ones are given by the admin. */
export const DEFAULT_API_URLS: Partial<Record<ProviderKind, string>> = {
  github: "https://api.github.com",
  gitlab: "https://gitlab.com/api/v4",
  bitbucket: "https://api.bitbucket.org/2.0",
};
