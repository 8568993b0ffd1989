// A local GitHub (/gh), GitLab (/gl/api/v4), Gitea (/gt/api/v1) and Bitbucket Cloud (/bb/2.0) speaking the organization APIs repository sync
// uses, in their documented shapes: token scopes (X-OAuth-Scopes, /personal_access_tokens/self),
// repository lists paged by Link / x-next-page / `next` with ETags (304 on If-None-Match), composer.json
// lookups, organization/group hooks, and GitHub App installation tokens minted for a JWT that
// must verify against the App's public key. Driven over HTTP so tests inside workerd use it too:
//   POST /_control/org {"org", "repos": [{id, name, defaultBranch?, archived?, composer?, cloneUrl?}], "scopes"?, "gitlabScopes"?, "groupHooks"?, "appPublicKey"?, "appPermissions"?}
//   (plus "teams": {"<slug or subgroup>": [{id, login}]}; /ghe/api/v3 is GitHub Enterprise's root)
//   POST /_control/fault {"path", "status", "headers"?, "times"?}    GET /_control/log
// The server, log, token forms and paging are those of fake-provider-api.ts, shared with fake-forge.ts.
import { createHash, createPublicKey, verify } from "node:crypto";
import { nextLink, pageNumber, pageOf, presentedToken, startFakeApiServer, type Exchange } from "./fake-provider-api.ts";

export type { LoggedRequest } from "./fake-provider-api.ts";

export interface FakeRepo {
  id: number;
  name: string;
  defaultBranch?: string;
  archived?: boolean;
  composer?: boolean;
  cloneUrl?: string;
}

interface OrgState {
  org: string;
  repos: FakeRepo[];
  scopes: string;
  gitlabScopes: string[];
  groupHooks: boolean;
  appPublicKey?: string;
  appPermissions: Record<string, string>;
  /** Team slug (GitHub) or subgroup path under the org (GitLab) -> its members. */
  teams?: Record<string, { id: number; login: string }[]>;
}

interface Fault {
  path: string;
  status: number;
  headers: Record<string, string>;
  times: number;
}

const PER_PAGE = 2;

export async function startForgeOrgApi(): Promise<{ url: string; close(): Promise<void> }> {
  const orgs = new Map<string, OrgState>();
  const hooks = new Map<string, unknown>();
  let faults: Fault[] = [];
  let nextHookId = 1000;
  const base = () => server.url;

  const handle = ({ url, headers, body, method, reply }: Exchange) => {
    if (url.pathname === "/_control/org") {
      const state = JSON.parse(body) as Partial<OrgState> & { org: string; repos: FakeRepo[] };
      orgs.set(state.org, { scopes: "repo, admin:org_hook, read:org", gitlabScopes: ["api", "read_repository"], groupHooks: true, appPermissions: { contents: "read", metadata: "read", organization_hooks: "write" }, ...state });
      return reply(204);
    }
    if (url.pathname === "/_control/fault") {
      const fault = JSON.parse(body) as Fault;
      faults.push({ ...fault, headers: fault.headers ?? {}, times: fault.times ?? 1 });
      return reply(204);
    }
    if (url.pathname === "/_control/log") return reply(200, server.log);
    if (url.pathname === "/_control/hooks") return reply(200, Object.fromEntries(hooks));
    const fault = faults.find((candidate) => url.pathname + url.search === candidate.path || url.pathname === candidate.path);
    if (fault) {
      if (--fault.times <= 0) faults = faults.filter((candidate) => candidate !== fault);
      return reply(fault.status, { message: "fault injected by the test" }, fault.headers);
    }
    const path = decodeURIComponent(url.pathname);
    const routes: [string, (method: string, path: string, url: URL, headers: Record<string, string>, body: string) => Answer, boolean][] = [
      ["/gh", github, true],
      ["/ghe/api/v3", github, true],
      ["/gl/api/v4", gitlab, false],
      ["/gt/api/v1", gitea, true],
      ["/bb/2.0", bitbucket, true],
    ];
    const route = routes.find(([prefix]) => url.pathname.startsWith(`${prefix}/`));
    // GitLab's paths carry encoded namespaces (group%2Fproject): it reads them undecoded.
    const answer = route ? route[1](method, (route[2] ? path : url.pathname).slice(route[0].length), url, headers, body) : null;
    if (!answer) return reply(404, { message: "Not Found" });
    // ETags on list answers (Bitbucket Cloud's are `{values, next, ...}` pages): the same page
    // with the same content answers 304 to If-None-Match.
    if (answer.status === 200 && method === "GET" && isListPage(answer.json)) {
      const etag = `W/"${createHash("sha256").update(JSON.stringify(answer.json)).digest("hex").slice(0, 16)}"`;
      if (headers["if-none-match"] === etag) return reply(304, undefined, { etag, ...answer.headers });
      return reply(200, answer.json, { etag, ...answer.headers });
    }
    return reply(answer.status, answer.json, answer.headers);
  };

  type Answer = { status: number; json?: unknown; headers?: Record<string, string> } | null;

  const page = <T>(items: T[], url: URL): { slice: T[]; next: number | null } => {
    const { items: slice, next } = pageOf(items, pageNumber(url), PER_PAGE);
    return { slice, next };
  };

  const github = (method: string, path: string, url: URL, headers: Record<string, string>, body: string): Answer => {
    let match = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (match && method === "POST") {
      const state = [...orgs.values()].find((candidate) => candidate.appPublicKey);
      if (!state || !verifyAppJwt(headers.authorization ?? "", state.appPublicKey!)) return { status: 401, json: { message: "A JSON web token could not be decoded" } };
      return { status: 201, json: { token: `ghs_installation_${Date.now()}`, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: state.appPermissions, repository_selection: "all" } };
    }
    if (!presentedToken("github", headers)) return { status: 401, json: { message: "Requires authentication" } };
    match = /^\/orgs\/([^/]+)(\/.*)?$/.exec(path);
    const state = match ? orgs.get(match[1]!) : undefined;
    if (match && state) {
      const rest = match[2] ?? "";
      if (rest === "" && method === "GET") return { status: 200, json: { login: state.org, id: 1 }, headers: { "x-oauth-scopes": state.scopes } };
      if (rest === "/repos" && method === "GET") {
        const { slice, next } = page(state.repos, url);
        const link = nextLink(next ? `${base()}/gh/orgs/${state.org}/repos?type=all&per_page=100&page=${next}` : null);
        return { status: 200, json: slice.map((repo) => githubRepo(state, repo)), headers: { ...link, "x-ratelimit-remaining": "4999" } };
      }
      if (rest === "/hooks" && method === "POST") {
        const id = nextHookId++;
        hooks.set(`github:${state.org}:${id}`, JSON.parse(body));
        return { status: 201, json: { id, name: "web", active: true, events: ["push", "pull_request", "repository"], config: { url: (JSON.parse(body) as { config: { url: string } }).config.url, content_type: "json" } } };
      }
      const team = /^\/teams\/([^/]+)\/(members|memberships\/([^/]+))$/.exec(rest);
      const members = team ? state.teams?.[team[1]!] : undefined;
      if (team && members && team[2] === "members") {
        const { slice, next } = page(members, url);
        return { status: 200, json: slice.map((member) => ({ login: member.login, id: member.id, type: "User" })), headers: nextLink(next ? `${base()}${url.pathname}?per_page=100&page=${next}` : null) };
      }
      if (team && members) return members.some((member) => member.login === team[3]) ? { status: 200, json: { state: "active", role: "member" } } : { status: 404, json: { message: "Not Found" } };
      const hook = /^\/hooks\/(\d+)$/.exec(rest);
      if (hook && method === "DELETE") return hooks.delete(`github:${state.org}:${hook[1]}`) ? { status: 204 } : { status: 404, json: { message: "Not Found" } };
    }
    match = /^\/repos\/([^/]+)\/([^/]+)\/contents\/composer\.json$/.exec(path);
    if (match && method === "GET") {
      const repo = orgs.get(match[1]!)?.repos.find((candidate) => candidate.name === match![2]);
      if (!repo || repo.composer === false) return { status: 404, json: { message: "Not Found" } };
      return { status: 200, json: { type: "file", name: "composer.json", path: "composer.json", encoding: "base64", content: "" } };
    }
    return null;
  };

  const githubRepo = (state: OrgState, repo: FakeRepo) => ({
    id: repo.id,
    name: repo.name,
    full_name: `${state.org}/${repo.name}`,
    private: true,
    clone_url: repo.cloneUrl ?? `https://github.example.test/${state.org}/${repo.name}.git`,
    default_branch: repo.defaultBranch ?? "main",
    archived: repo.archived ?? false,
  });

  const gitlab = (method: string, path: string, url: URL, headers: Record<string, string>, body: string): Answer => {
    if (!presentedToken("gitlab", headers)) return { status: 401, json: { message: "401 Unauthorized" } };
    // A token's scopes are those of the organization configured last (each test sets up its own).
    const state = [...orgs.values()].at(-1);
    if (path === "/personal_access_tokens/self") return { status: 200, json: { id: 1, name: "satchel", revoked: false, active: true, scopes: state?.gitlabScopes ?? [] } };
    const teamMatch = /^\/groups\/([^/]+)\/members\/all(?:\/(\d+))?$/.exec(path);
    const teamPath = teamMatch ? decodeURIComponent(teamMatch[1]!) : "";
    const owner = [...orgs.values()].find((candidate) => teamPath.startsWith(`${candidate.org}/`));
    const teamMembers = owner?.teams?.[teamPath.slice(owner.org.length + 1)];
    if (teamMatch && teamMembers) {
      if (teamMatch[2]) return teamMembers.some((member) => member.id === Number(teamMatch[2])) ? { status: 200, json: { id: Number(teamMatch[2]), state: "active", access_level: 30 } } : { status: 404, json: { message: "404 Not found" } };
      const { slice, next } = page(teamMembers, url);
      return { status: 200, json: slice.map((member) => ({ id: member.id, username: member.login, state: "active", access_level: 30 })), headers: { "x-next-page": next ? String(next) : "" } };
    }
    let match = /^\/groups\/([^/]+)(\/.*)?$/.exec(path);
    const group = match ? orgs.get(decodeURIComponent(match[1]!)) : undefined;
    if (match && group) {
      const rest = match[2] ?? "";
      if (rest === "" && method === "GET") return { status: 200, json: { id: 9, full_path: group.org } };
      if (rest === "/projects" && method === "GET") {
        const { slice, next } = page(group.repos, url);
        const current = pageNumber(url);
        return { status: 200, json: slice.map((repo) => ({ id: repo.id, path_with_namespace: `${group.org}/${repo.name}`, http_url_to_repo: repo.cloneUrl ?? `https://gitlab.example.test/${group.org}/${repo.name}.git`, default_branch: repo.defaultBranch ?? "main", archived: repo.archived ?? false })), headers: { "x-next-page": next ? String(next) : "", "x-page": String(current), "x-per-page": String(PER_PAGE), "x-total": String(group.repos.length) } };
      }
      if (rest === "/hooks" && method === "POST") {
        if (!group.groupHooks) return { status: 403, json: { message: "403 Forbidden" } };
        const id = nextHookId++;
        hooks.set(`gitlab:${group.org}:${id}`, JSON.parse(body));
        return { status: 201, json: { id, url: (JSON.parse(body) as { url: string }).url } };
      }
      const hook = /^\/hooks\/(\d+)$/.exec(rest);
      if (hook && method === "DELETE") return hooks.delete(`gitlab:${group.org}:${hook[1]}`) ? { status: 204 } : { status: 404, json: { message: "404 Not found" } };
    }
    match = /^\/projects\/(\d+)\/hooks(?:\/(\d+))?$/.exec(path);
    if (match && method === "POST") {
      const id = nextHookId++;
      hooks.set(`gitlab-project:${match[1]}:${id}`, JSON.parse(body));
      return { status: 201, json: { id, url: (JSON.parse(body) as { url: string }).url, project_id: Number(match[1]) } };
    }
    if (match && method === "DELETE") return hooks.delete(`gitlab-project:${match[1]}:${match[2]}`) ? { status: 204 } : { status: 404, json: { message: "404 Not found" } };
    match = /^\/projects\/(\d+)\/repository\/files\/composer\.json$/.exec(path);
    if (match) {
      const repo = [...orgs.values()].flatMap((candidate) => candidate.repos).find((candidate) => candidate.id === Number(match![1]));
      return repo && repo.composer !== false ? { status: 200, json: { file_name: "composer.json", file_path: "composer.json", ref: url.searchParams.get("ref"), encoding: "base64", content: "" } } : { status: 404, json: { message: "404 File Not Found" } };
    }
    return null;
  };

  // Gitea (/api/v1 swagger): "token" authorization, Link and x-total-count paging, org hooks.
  // A token's scopes are not readable: a call beyond them answers 403.
  const gitea = (method: string, path: string, url: URL, headers: Record<string, string>, body: string): Answer => {
    if (!presentedToken("gitea", headers)) return { status: 401, json: { message: "token is required" } };
    let match = /^\/orgs\/([^/]+)\/(repos|hooks|teams)(?:\/(\d+))?$/.exec(path);
    const state = match ? orgs.get(match[1]!) : undefined;
    if (match && state) {
      const [, , what, id] = match;
      const scoped = (scope: string) => state.scopes.includes(scope);
      if (what === "repos" && method === "GET") {
        const { slice, next } = page(state.repos, url);
        const link = nextLink(next ? `${base()}/gt/api/v1/orgs/${state.org}/repos?limit=50&page=${next}` : null);
        return { status: 200, json: slice.map((repo) => ({ id: repo.id, name: repo.name, full_name: `${state.org}/${repo.name}`, clone_url: repo.cloneUrl ?? `https://gitea.example.test/${state.org}/${repo.name}.git`, default_branch: repo.defaultBranch ?? "main", archived: repo.archived ?? false })), headers: { ...link, "x-total-count": String(state.repos.length) } };
      }
      if (what === "hooks" && !scoped("write:organization")) return { status: 403, json: { message: "token does not have at least one of required scope(s): [write:organization]" } };
      if (what === "hooks" && method === "GET") return { status: 200, json: [] };
      if (what === "hooks" && method === "POST") {
        const hookId = nextHookId++;
        hooks.set(`gitea:${state.org}:${hookId}`, JSON.parse(body));
        return { status: 201, json: { id: hookId, type: "gitea", active: true, events: ["push", "pull_request", "repository"], config: { url: (JSON.parse(body) as { config: { url: string } }).config.url, content_type: "json" } } };
      }
      if (what === "hooks" && method === "DELETE" && id) return hooks.delete(`gitea:${state.org}:${id}`) ? { status: 204 } : { status: 404, json: { message: "Not Found" } };
      if (what === "teams") return { status: 200, json: [] };
    }
    match = /^\/repos\/([^/]+)\/([^/]+)\/contents\/composer\.json$/.exec(path);
    if (match && method === "GET") {
      const repo = orgs.get(match[1]!)?.repos.find((candidate) => candidate.name === match![2]);
      return repo && repo.composer !== false ? { status: 200, json: { type: "file", name: "composer.json", path: "composer.json", encoding: "base64", content: "" } } : { status: 404, json: { message: "object does not exist" } };
    }
    return null;
  };

  // Bitbucket Cloud (2.0): X-OAuth-Scopes on answers, `next` in the body, workspace hooks by UUID.
  const bitbucket = (method: string, path: string, url: URL, headers: Record<string, string>, body: string): Answer => {
    if (!presentedToken("bitbucket", headers)) return { status: 401, json: { type: "error", error: { message: "Access token expired." } } };
    let match = /^\/workspaces\/([^/]+)(?:\/hooks(?:\/([^/]+))?)?$/.exec(path);
    const state = match ? orgs.get(match[1]!) : undefined;
    if (match && state) {
      const scopes = { "x-oauth-scopes": state.scopes };
      if (!path.includes("/hooks")) return { status: 200, json: { type: "workspace", slug: state.org, uuid: "{w-1}" }, headers: scopes };
      if (method === "POST") {
        const hookId = `{hook-${nextHookId++}}`;
        hooks.set(`bitbucket:${state.org}:${hookId}`, JSON.parse(body));
        return { status: 201, json: { type: "webhook_subscription", uuid: hookId, url: (JSON.parse(body) as { url: string }).url, active: true } };
      }
      if (method === "DELETE" && match[2]) return hooks.delete(`bitbucket:${state.org}:${match[2]}`) ? { status: 204 } : { status: 404, json: { type: "error" } };
    }
    match = /^\/repositories\/([^/]+)$/.exec(path);
    const workspace = match ? orgs.get(match[1]!) : undefined;
    if (match && workspace && method === "GET") {
      const { slice, next } = page(workspace.repos, url);
      const values = slice.map((repo) => ({ type: "repository", uuid: `{repo-${repo.id}}`, full_name: `${workspace.org}/${repo.name}`, mainbranch: { type: "branch", name: repo.defaultBranch ?? "main" }, links: { clone: [{ name: "https", href: repo.cloneUrl ?? `https://bitbucket.example.test/${workspace.org}/${repo.name}.git` }, { name: "ssh", href: `git@bitbucket.example.test:${workspace.org}/${repo.name}.git` }] } }));
      const current = pageNumber(url);
      return { status: 200, json: { pagelen: PER_PAGE, size: workspace.repos.length, page: current, values, ...(next ? { next: `${base()}/bb/2.0/repositories/${workspace.org}?pagelen=100&page=${next}` } : {}) } };
    }
    match = /^\/repositories\/([^/]+)\/([^/]+)\/src\/([^/]+)\/composer\.json$/.exec(path);
    if (match) {
      const repo = orgs.get(match[1]!)?.repos.find((candidate) => candidate.name === match![2]);
      return repo && repo.composer !== false ? { status: 200, json: { name: "x" } } : { status: 404, json: { type: "error", error: { message: "No such file" } } };
    }
    return null;
  };

  const server = await startFakeApiServer(handle);
  return { url: server.url, close: server.close };
}

function isListPage(json: unknown): boolean {
  return Array.isArray(json) || (typeof json === "object" && json !== null && Array.isArray((json as { values?: unknown }).values));
}

/** An RS256 JWT whose issuer is the App and whose signature verifies with its public key. */
function verifyAppJwt(authorization: string, publicKeyPem: string): boolean {
  const token = /^Bearer (.+)$/.exec(authorization)?.[1];
  const [header, payload, signature] = token?.split(".") ?? [];
  if (!header || !payload || !signature) return false;
  const valid = verify("RSA-SHA256", Buffer.from(`${header}.${payload}`), createPublicKey(publicKeyPem), Buffer.from(signature, "base64url"));
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as { iss?: string; exp?: number; iat?: number };
  const now = Date.now() / 1000;
  return valid && typeof claims.iss === "string" && (claims.exp ?? 0) > now && (claims.exp ?? 0) - (claims.iat ?? 0) <= 600;
}
