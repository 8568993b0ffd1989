// A local server speaking the parts of GitHub's, GitLab's, Gitea's and Bitbucket Cloud's REST
// APIs that lock-file review and security monitoring use, in their documented shapes:
//   GitHub    /github/repos/{o}/{r}[/contents/{path}?ref= (raw media type) | /issues/{n}/comments | /issues/comments/{id}]
//             pages: ?per_page&page, a Link header with rel="next"
//   GitLab    /gitlab/api/v4/projects/{id}[/repository/files/{path}/raw?ref= | /merge_requests/{iid}[/notes[/{id}]]]
//             pages: ?per_page&page, x-next-page / x-page / x-per-page / x-total headers
//   Gitea     /gitea/api/v1/repos/{o}/{r}[/raw/{path}?ref= | /issues/{n}/comments | /issues/comments/{id}]
//             pages: ?page&limit, a Link header
//   Bitbucket /bitbucket/2.0/repositories/{w}/{s}[/src/{commit}/{path} | /pullrequests/{id}/comments[/{id}]]
//             pages: {values, page, pagelen, size, next}
// Driven over HTTP (so tests inside workerd can use it too):
//   POST /_control/file {provider, repo, ref, path, content}   POST /_control/repo {provider, repo, defaultBranch}
//   POST /_control/comment {provider, repo, number, body}       GET /_control/comments?provider&repo&number
//   GET  /_control/requests?provider                            POST /_control/page-size {size}
//   POST /_control/merge-request {repo, number, targetBranch, baseSha, headSha} (GitLab's diff_refs)
// Every API call must carry the provider's token form for FORGE_TOKEN, else 401. The server,
// log, token forms and paging are those of fake-provider-api.ts, shared with forge-org-api.ts.
import { nextLink, pageNumber, pageOf, presentedToken, startFakeApiServer, type Exchange, type FakeApiServer, type ProviderKind as Provider } from "./fake-provider-api.ts";

export const FORGE_TOKEN = "forge-token-123";

interface Comment {
  id: number;
  body: string;
  created: string;
  updated: string;
}

export type FakeForge = Pick<FakeApiServer, "url" | "close">;

export async function startFakeForge(): Promise<FakeForge> {
  const files = new Map<string, string>();
  const branches = new Map<string, string>();
  const comments = new Map<string, Comment[]>();
  const mergeRequests = new Map<string, { targetBranch: string; baseSha: string; headSha: string }>();
  let pageSize = 2;
  let nextId = 1000;
  const threadKey = (provider: string, repo: string, number: string | number) => `${provider} ${repo.toLowerCase()} ${number}`;
  const fileKey = (provider: string, repo: string, ref: string, path: string) => `${provider} ${repo.toLowerCase()} ${ref} ${path}`;

  const handle = (exchange: Exchange) => {
    const { url, method, body } = exchange;
    if (url.pathname.startsWith("/_control/")) return control(url, method, body, exchange);
    const provider = url.pathname.split("/")[1] as Provider;
    if (!authorized(provider, exchange.headers)) return exchange.reply(401, provider === "gitlab" ? { message: "401 Unauthorized" } : { message: "Bad credentials" });
    const route = ROUTES[provider];
    if (!route) return exchange.reply(404, { message: "Not Found" });
    return route(url, method, body ? (JSON.parse(body) as Record<string, unknown>) : {}, exchange);
  };

  const control = (url: URL, method: string, body: string, response: Exchange) => {
    const input = body ? (JSON.parse(body) as Record<string, string>) : {};
    switch (url.pathname) {
      case "/_control/file":
        files.set(fileKey(input.provider, input.repo, input.ref, input.path), input.content);
        return response.reply(204);
      case "/_control/repo":
        branches.set(`${input.provider} ${input.repo.toLowerCase()}`, input.defaultBranch);
        return response.reply(204);
      case "/_control/merge-request":
        mergeRequests.set(threadKey("gitlab", input.repo, input.number), { targetBranch: input.targetBranch, baseSha: input.baseSha, headSha: input.headSha });
        return response.reply(204);
      case "/_control/comment":
        addComment(threadKey(input.provider, input.repo, input.number), input.body);
        return response.reply(204);
      case "/_control/comments":
        return response.reply(200, comments.get(threadKey(url.searchParams.get("provider") ?? "", url.searchParams.get("repo") ?? "", url.searchParams.get("number") ?? "")) ?? []);
      case "/_control/requests":
        return response.reply(200, server.log.filter((entry) => entry.path.split("/")[1] === url.searchParams.get("provider")));
      case "/_control/page-size":
        pageSize = Number(input.size);
        return response.reply(204);
      default:
        return response.reply(method === "GET" ? 404 : 400, { message: "unknown control" });
    }
  };

  const addComment = (key: string, body: string): Comment => {
    const now = new Date().toISOString();
    const comment = { id: nextId++, body, created: now, updated: now };
    comments.set(key, [...(comments.get(key) ?? []), comment]);
    return comment;
  };
  const findComment = (id: number) => [...comments.values()].flat().find((comment) => comment.id === id);
  const file = (provider: Provider, repo: string, ref: string, path: string, response: Exchange, missing: unknown) => {
    const content = files.get(fileKey(provider, repo, ref, path));
    if (content === undefined) return response.reply(404, missing);
    response.replyRaw(200, content, { "content-type": provider === "github" ? "application/vnd.github.raw+json" : "text/plain; charset=utf-8" });
  };
  /** One page of a list, the provider's own page size bounded by the server's (small, so tests page). */
  const page = <T>(list: T[], requested: number, number: number) => {
    const size = Math.min(requested, pageSize);
    const { items, next } = pageOf(list, number, size);
    return { items, hasNext: next !== null, size };
  };

  const ROUTES: Record<Provider, (url: URL, method: string, body: Record<string, unknown>, response: Exchange) => void> = {
    github(url, method, body, response) {
      const match = /^\/github\/repos\/([^/]+\/[^/]+)(\/.*)?$/.exec(url.pathname);
      if (!match) return response.reply(404, { message: "Not Found" });
      const [, repo, rest = ""] = match;
      if (rest === "" && method === "GET") return response.reply(200, { full_name: repo, default_branch: branches.get(`github ${repo.toLowerCase()}`) ?? "main" });
      const contents = /^\/contents\/(.+)$/.exec(rest);
      if (contents && method === "GET") return file("github", repo, url.searchParams.get("ref") ?? "main", contents[1], response, { message: "Not Found", documentation_url: "https://docs.github.com/rest/repos/contents#get-repository-content", status: "404" });
      const thread = /^\/issues\/(\d+)\/comments$/.exec(rest);
      if (thread && method === "GET") {
        const number = pageNumber(url);
        const { items, hasNext, size } = page(comments.get(threadKey("github", repo, thread[1])) ?? [], Number(url.searchParams.get("per_page") ?? "30"), number);
        const headers = nextLink(hasNext ? `http://${url.host}/github/repos/${repo}/issues/${thread[1]}/comments?per_page=${size}&page=${number + 1}` : null);
        return response.reply(200, items.map((comment) => githubComment(comment)), headers);
      }
      if (thread && method === "POST") return response.reply(201, githubComment(addComment(threadKey("github", repo, thread[1]), String(body.body))));
      const one = /^\/issues\/comments\/(\d+)$/.exec(rest);
      const comment = one ? findComment(Number(one[1])) : undefined;
      if (one && method === "PATCH") return comment ? response.reply(200, githubComment(update(comment, String(body.body)))) : response.reply(404, { message: "Not Found" });
      return response.reply(404, { message: "Not Found" });
    },
    gitlab(url, method, body, response) {
      // The raw path keeps %2F in the project id, as GitLab routes it.
      const raw = url.pathname;
      const match = /^\/gitlab\/api\/v4\/projects\/([^/]+)(\/.*)?$/.exec(raw);
      if (!match) return response.reply(404, { message: "404 Not Found" });
      const repo = decodeURIComponent(match[1]);
      const rest = match[2] ?? "";
      if (rest === "" && method === "GET") return response.reply(200, { id: 7, path_with_namespace: repo, default_branch: branches.get(`gitlab ${repo.toLowerCase()}`) ?? "main" });
      const raw_ = /^\/repository\/files\/([^/]+)\/raw$/.exec(rest);
      if (raw_ && method === "GET") return file("gitlab", repo, url.searchParams.get("ref") ?? "", decodeURIComponent(raw_[1]), response, { message: "404 File Not Found" });
      const mr = /^\/merge_requests\/(\d+)$/.exec(rest);
      const mergeRequest = mr ? mergeRequests.get(threadKey("gitlab", repo, mr[1])) : undefined;
      if (mr && method === "GET") return mergeRequest ? response.reply(200, gitlabMergeRequest(repo, Number(mr[1]), mergeRequest)) : response.reply(404, { message: "404 Not found" });
      const notes = /^\/merge_requests\/(\d+)\/notes$/.exec(rest);
      if (notes && method === "GET") {
        const number = pageNumber(url);
        const list = comments.get(threadKey("gitlab", repo, notes[1])) ?? [];
        const { items, hasNext, size } = page(list, Number(url.searchParams.get("per_page") ?? "20"), number);
        return response.reply(200, items.map(gitlabNote), { "x-page": String(number), "x-per-page": String(size), "x-total": String(list.length), "x-next-page": hasNext ? String(number + 1) : "" });
      }
      if (notes && method === "POST") return response.reply(201, gitlabNote(addComment(threadKey("gitlab", repo, notes[1]), String(body.body))));
      const note = /^\/merge_requests\/(\d+)\/notes\/(\d+)$/.exec(rest);
      const comment = note ? findComment(Number(note[2])) : undefined;
      if (note && method === "PUT") return comment ? response.reply(200, gitlabNote(update(comment, String(body.body)))) : response.reply(404, { message: "404 Not found" });
      return response.reply(404, { message: "404 Not Found" });
    },
    gitea(url, method, body, response) {
      const match = /^\/gitea\/api\/v1\/repos\/([^/]+\/[^/]+)(\/.*)?$/.exec(url.pathname);
      if (!match) return response.reply(404, { message: "Not Found" });
      const [, repo, rest = ""] = match;
      if (rest === "" && method === "GET") return response.reply(200, { full_name: repo, default_branch: branches.get(`gitea ${repo.toLowerCase()}`) ?? "main" });
      const raw = /^\/raw\/(.+)$/.exec(rest);
      if (raw && method === "GET") return file("gitea", repo, url.searchParams.get("ref") ?? "main", raw[1], response, { message: "GetBlobByPath", url: "https://gitea.example/api/swagger" });
      const thread = /^\/issues\/(\d+)\/comments$/.exec(rest);
      if (thread && method === "GET") {
        const number = pageNumber(url);
        const { items, hasNext, size } = page(comments.get(threadKey("gitea", repo, thread[1])) ?? [], Number(url.searchParams.get("limit") ?? "50"), number);
        const headers = nextLink(hasNext ? `http://${url.host}/gitea/api/v1/repos/${repo}/issues/${thread[1]}/comments?page=${number + 1}&limit=${size}` : null);
        return response.reply(200, items.map(giteaComment), headers);
      }
      if (thread && method === "POST") return response.reply(201, giteaComment(addComment(threadKey("gitea", repo, thread[1]), String(body.body))));
      const one = /^\/issues\/comments\/(\d+)$/.exec(rest);
      const comment = one ? findComment(Number(one[1])) : undefined;
      if (one && method === "PATCH") return comment ? response.reply(200, giteaComment(update(comment, String(body.body)))) : response.reply(404, { message: "Not Found" });
      return response.reply(404, { message: "Not Found" });
    },
    bitbucket(url, method, body, response) {
      const match = /^\/bitbucket\/2\.0\/repositories\/([^/]+\/[^/]+)(\/.*)?$/.exec(url.pathname);
      const notFound = { type: "error", error: { message: "Resource not found" } };
      if (!match) return response.reply(404, notFound);
      const [, repo, rest = ""] = match;
      if (rest === "" && method === "GET") return response.reply(200, { type: "repository", full_name: repo, mainbranch: { type: "branch", name: branches.get(`bitbucket ${repo.toLowerCase()}`) ?? "main" } });
      const src = /^\/src\/([^/]+)\/(.+)$/.exec(rest);
      if (src && method === "GET") return file("bitbucket", repo, decodeURIComponent(src[1]), src[2], response, { type: "error", error: { message: "No such file or directory: composer.lock" } });
      const thread = /^\/pullrequests\/(\d+)\/comments$/.exec(rest);
      if (thread && method === "GET") {
        const number = pageNumber(url);
        const list = comments.get(threadKey("bitbucket", repo, thread[1])) ?? [];
        const { items, hasNext, size } = page(list, Number(url.searchParams.get("pagelen") ?? "10"), number);
        const next = hasNext ? { next: `http://${url.host}/bitbucket/2.0/repositories/${repo}/pullrequests/${thread[1]}/comments?pagelen=${size}&page=${number + 1}` } : {};
        return response.reply(200, { values: items.map(bitbucketComment), pagelen: size, size: list.length, page: number, ...next });
      }
      const content = (body.content as { raw?: unknown } | undefined)?.raw;
      if (thread && method === "POST") return response.reply(201, bitbucketComment(addComment(threadKey("bitbucket", repo, thread[1]), String(content))));
      const one = /^\/pullrequests\/(\d+)\/comments\/(\d+)$/.exec(rest);
      const comment = one ? findComment(Number(one[2])) : undefined;
      if (one && method === "PUT") return comment ? response.reply(200, bitbucketComment(update(comment, String(content)))) : response.reply(404, notFound);
      return response.reply(404, notFound);
    },
  };

  const server = await startFakeApiServer(handle);
  return { url: server.url, close: server.close };
}

function authorized(provider: Provider, headers: Record<string, string>): boolean {
  if (!["github", "gitlab", "gitea", "bitbucket"].includes(provider)) return false;
  return presentedToken(provider, headers) === FORGE_TOKEN && (provider !== "github" || headers["x-github-api-version"] === "2022-11-28");
}

function update(comment: Comment, body: string): Comment {
  comment.body = body;
  comment.updated = new Date().toISOString();
  return comment;
}

const user = { login: "satchel-bot", id: 1, type: "User" };
const githubComment = (comment: Comment) => ({ id: comment.id, node_id: `IC_${comment.id}`, body: comment.body, user, created_at: comment.created, updated_at: comment.updated, author_association: "NONE" });
const gitlabNote = (comment: Comment) => ({ id: comment.id, type: null, body: comment.body, author: { id: 1, username: "satchel-bot" }, created_at: comment.created, updated_at: comment.updated, system: false, noteable_type: "MergeRequest", resolvable: false, confidential: false, internal: false });
// GET /projects/:id/merge_requests/:iid, the fields the review reads and their neighbours.
const gitlabMergeRequest = (repo: string, iid: number, mr: { targetBranch: string; baseSha: string; headSha: string }) => ({
  id: 100 + iid,
  iid,
  project_id: 7,
  title: "Update dependencies",
  state: "opened",
  target_branch: mr.targetBranch,
  source_branch: "update-deps",
  sha: mr.headSha,
  merge_status: "can_be_merged",
  detailed_merge_status: "mergeable",
  diff_refs: { base_sha: mr.baseSha, head_sha: mr.headSha, start_sha: mr.baseSha },
  web_url: `https://gitlab.example.test/${repo}/-/merge_requests/${iid}`,
});
const giteaComment = (comment: Comment) => ({ id: comment.id, body: comment.body, user: { id: 1, login: "satchel-bot" }, created_at: comment.created, updated_at: comment.updated, original_author: "" });
const bitbucketComment = (comment: Comment) => ({ type: "pullrequest_comment", id: comment.id, content: { type: "rendered", raw: comment.body, markup: "markdown", html: "" }, created_on: comment.created, updated_on: comment.updated, deleted: false, user: { type: "user", display_name: "Satchel" } });
