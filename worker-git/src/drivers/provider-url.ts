// Reads the host and project path out of the URL spellings Composer accepts for a git
// repository, so that GitHub and GitLab repositories can be read through their APIs instead of
// a clone. Anything we cannot place (local paths, unusual schemes) stays with the git CLI.
import { decodePath as decodeSegments, hasScheme, SCP_LIKE } from "../../../src/composer-rules/git-url.ts";

export type DriverKind = "github" | "gitlab" | "git";

export interface ProviderLocation {
  /** Lower-cased host name, with the port only for http(s) URLs (an ssh port is not the API's). */
  host: string;
  /** The project path without `.git`: `owner/repo`, or `group/subgroup/project` on GitLab. */
  path: string;
  /** Everything before the last segment: the GitHub owner or the GitLab namespace. */
  namespace: string;
  /** The last segment: the repository or project name. */
  name: string;
}

export function parseProviderUrl(url: string): ProviderLocation | null {
  const trimmed = url.trim();
  let host: string;
  let rawPath: string;
  const scp = hasScheme(trimmed) ? null : SCP_LIKE.exec(trimmed);
  if (scp) {
    host = scp[1];
    rawPath = scp[2];
  } else {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      return null;
    }
    if (!["https:", "http:", "ssh:", "git:", "git+ssh:", "ssh+git:"].includes(parsed.protocol) || !parsed.hostname) return null;
    const web = parsed.protocol === "https:" || parsed.protocol === "http:";
    host = web ? parsed.host : parsed.hostname;
    rawPath = decodeSegments(parsed.pathname);
  }
  const segments = rawPath.replace(/^\/+|\/+$/g, "").replace(/\.git$/, "").split("/");
  if (segments.length < 2 || segments.some((segment) => segment === "" || segment === "." || segment === "..")) return null;
  const name = segments[segments.length - 1];
  return { host: host.toLowerCase(), path: segments.join("/"), namespace: segments.slice(0, -1).join("/"), name };
}

export interface DriverKindOptions {
  /** Forces a driver whatever the host (e.g. from a package's settings). */
  force?: DriverKind;
  /** Extra GitHub Enterprise hosts (`github.example.com`). */
  githubHosts?: readonly string[];
  /** Extra self-managed GitLab hosts (`gitlab.example.com`). */
  gitlabHosts?: readonly string[];
}

const GITHUB_HOSTS = ["github.com", "www.github.com"];
const GITLAB_HOSTS = ["gitlab.com", "www.gitlab.com"];

/** Which driver reads `url`: the provider API for known hosts, else the git CLI. */
export function driverKindFor(url: string, options: DriverKindOptions = {}): DriverKind {
  if (options.force) return options.force;
  const location = parseProviderUrl(url);
  if (!location) return "git";
  const host = hostName(location.host);
  const inList = (defaults: readonly string[], extra: readonly string[] = []) =>
    [...defaults, ...extra].some((candidate) => candidate.toLowerCase() === host || candidate.toLowerCase() === location.host);
  // GitHub repositories are exactly owner/repo; deeper paths are not repository URLs.
  if (inList(GITHUB_HOSTS, options.githubHosts)) return location.path.split("/").length === 2 ? "github" : "git";
  if (inList(GITLAB_HOSTS, options.gitlabHosts)) return "gitlab";
  return "git";
}

/** The API root for a provider: public GitHub/GitLab, else the Enterprise/self-managed convention. */
export function defaultApiBaseUrl(kind: "github" | "gitlab", location: ProviderLocation): string {
  const host = hostName(location.host);
  if (kind === "github") return GITHUB_HOSTS.includes(host) ? "https://api.github.com" : `https://${location.host}/api/v3`;
  return GITLAB_HOSTS.includes(host) ? "https://gitlab.com" : `https://${location.host}`;
}

function hostName(host: string): string {
  return host.replace(/:\d+$/, "");
}
