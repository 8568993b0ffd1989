// One key for every spelling of a repository URL, so that a hook's payload finds the package
// whatever form it was registered with: https://, ssh://, git://, scp-like `git@host:path`,
// with or without `.git` or a trailing slash, any host case, credentials or port. Like
// Packagist, the path is compared case-insensitively (GitHub, GitLab and Bitbucket treat
// owner and repository names that way).
import { decodePath, hasScheme, SCP_LIKE } from "../../composer-rules/git-url.ts";

export function repositoryKey(url: string): string | null {
  const location = parseRepositoryUrl(url);
  return location ? `${location.host.toLowerCase()}/${location.path.toLowerCase()}` : null;
}

/** The host (no port, no credentials) and the path (no `.git`, no slashes around) of a git URL. */
export function parseRepositoryUrl(url: string): { host: string; path: string } | null {
  const trimmed = url.trim();
  if (trimmed === "") return null;
  let host: string;
  let path: string;
  if (trimmed.startsWith("/") || trimmed.startsWith(".") || trimmed.startsWith("file:")) {
    // Local repositories (SATCHEL_ALLOW_LOCAL_REPOS) match by their path alone.
    host = "";
    path = trimmed.replace(/^file:\/\//, "");
  } else {
    const scp = hasScheme(trimmed) ? null : SCP_LIKE.exec(trimmed);
    if (scp) {
      host = scp[1];
      path = scp[2];
    } else {
      let parsed: URL;
      try {
        parsed = new URL(trimmed);
      } catch {
        return null;
      }
      if (!parsed.hostname) return null;
      host = parsed.hostname;
      path = decodePath(parsed.pathname);
      // Packagist's rule: GitHub API URLs name the same repository as its web URL.
      if (host.toLowerCase() === "api.github.com" && path.startsWith("/repos/")) {
        host = "github.com";
        path = path.slice("/repos".length);
      }
    }
  }
  const normalized = path.replace(/^\/+|\/+$/g, "").replace(/\.git$/i, "").replace(/\/+$/, "");
  if (normalized === "") return null;
  return { host: host.toLowerCase().replace(/\.$/, ""), path: normalized };
}

/** The last path segment of a key: a cheap filter before keys are compared. */
export function repositoryName(key: string): string {
  return key.slice(key.lastIndexOf("/") + 1);
}
