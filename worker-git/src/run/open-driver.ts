// Chooses how to read a package's repository: the GitHub or GitLab API when the package has a
// token for that provider (no clone needed for metadata), else the git CLI over a bare mirror,
// with the package's SSH key or https credentials.
import type { RepositoryDriver } from "../drivers/driver.ts";
import { GitCliDriver } from "../drivers/git-cli.ts";
import { createGitHubDriver } from "../drivers/github.ts";
import { createGitLabDriver } from "../drivers/gitlab.ts";
import type { GitTimeouts } from "../drivers/git-timeouts.ts";
import { driverKindFor } from "../drivers/provider-url.ts";
import type { JobContext } from "./edge-client.ts";
import { createVcsDriver } from "../drivers/vcs-kind.ts";
import { decodeVcsRepository } from "../../../src/packages/vcs-repository.ts";

export interface DriverPolicy {
  /** known_hosts content (SATCHEL_SSH_KNOWN_HOSTS names the file): host keys must match it. */
  knownHosts?: string;
  /** Bounds on a silent git host (SATCHEL_GIT_*_SECONDS). */
  hostTimeouts?: GitTimeouts;
}

export function openDriver(context: JobContext & { repository: string }, policy: DriverPolicy = {}): RepositoryDriver {
  const { credentials } = context;
  const { hostTimeouts } = policy;
  // The stored repository may carry Composer repository options (`type`, svn paths).
  const repository = decodeVcsRepository(context.repository);
  const url = repository.url;
  const basic = credentials?.kind === "http-basic" ? { username: credentials.publicInfo ?? "", password: credentials.secret } : {};
  const vcs = createVcsDriver(repository, basic);
  if (vcs) return vcs;
  const kind = driverKindFor(url);
  // For provider tokens, publicInfo may name a GitHub Enterprise / self-managed GitLab API base.
  const apiBaseUrl = credentials?.publicInfo?.startsWith("https://") ? credentials.publicInfo : undefined;
  // A mono-repository's packages are read from a clone (directories, subtree archives).
  const api = repository.monorepo === undefined;
  if (api && credentials?.kind === "github-token" && (kind === "github" || apiBaseUrl)) {
    return createGitHubDriver({ repositoryUrl: url, token: credentials.secret, apiBaseUrl });
  }
  if (api && credentials?.kind === "gitlab-token" && (kind === "gitlab" || apiBaseUrl)) {
    return createGitLabDriver({ repositoryUrl: url, token: credentials.secret, apiBaseUrl });
  }
  switch (credentials?.kind) {
    case "ssh-key":
      return new GitCliDriver({ url, hostTimeouts, sshKey: credentials.secret, knownHosts: policy.knownHosts });
    case "http-basic":
      return new GitCliDriver({ url, hostTimeouts, httpToken: { username: credentials.publicInfo ?? "token", password: credentials.secret } });
    case "github-token":
      return new GitCliDriver({ url, hostTimeouts, httpToken: { username: "x-access-token", password: credentials.secret } });
    case "gitlab-token":
      return new GitCliDriver({ url, hostTimeouts, httpToken: { username: "oauth2", password: credentials.secret } });
    // Gitea takes a token as the password of any user; Bitbucket's access tokens go as x-token-auth.
    case "gitea-token":
      return new GitCliDriver({ url, hostTimeouts, httpToken: { username: "oauth2", password: credentials.secret } });
    case "bitbucket-token":
      return new GitCliDriver({ url, hostTimeouts, httpToken: { username: "x-token-auth", password: credentials.secret } });
    default:
      return new GitCliDriver({ url, hostTimeouts, knownHosts: policy.knownHosts });
  }
}
