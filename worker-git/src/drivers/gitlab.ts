// RepositoryDriver over GitLab's REST API (gitbeaker): refs, files and dates without a clone.
// Gitbeaker builds the endpoints and follows `Link` pagination, but its default requester uses
// the global fetch and retries 429s ten times within a fraction of a second, ignoring
// Retry-After; its `requesterFn` option (which its presets let callers override) is where we
// plug in the injected fetch and ApiPolicy's bounded waiting.
import { Gitlab } from "@gitbeaker/rest";
import { RepositoryError, type FileAtCommit, type GitRef, type RepositoryDriver } from "./driver.ts";
import { rerootZip } from "./archive-filter.ts";
import { defaultApiBaseUrl, parseProviderUrl } from "./provider-url.ts";
import {
  ApiPolicy,
  MAX_FILE_BYTES,
  errorForStatus,
  fileFromBytes,
  isAbort,
  isTimeout,
  CommitCache,
  scrub,
  timedOut,
  unreachable,
  type ApiPolicyOptions,
  type FailedResponse,
} from "./provider-http.ts";

export interface GitLabDriverOptions extends ApiPolicyOptions {
  /** https://gitlab.com/group/sub/project(.git), git@gitlab.com:group/project.git, ssh://… */
  repositoryUrl: string;
  /** A personal, project or group access token (sent as PRIVATE-TOKEN). */
  token?: string;
  /** Default https://gitlab.com (self-managed: https://host); `/api/v4` is appended. */
  apiBaseUrl?: string;
  fetch?: typeof fetch;
}

type RequesterFn = NonNullable<ConstructorParameters<typeof Gitlab>[0]["requesterFn"]>;
type ResourceOptions = Parameters<RequesterFn>[0];
type Requester = ReturnType<RequesterFn>;
type RequestOptions = Parameters<Requester["get"]>[1];

/** A non-2xx answer, carrying what ApiPolicy and the error mapping need. */
class GitLabHttpError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(status: number, headers: Record<string, string>, message: string) {
    super(message);
    this.name = "GitLabHttpError";
    this.status = status;
    this.headers = headers;
  }
}

const SYMLINK_MODE = "120000";

export function createGitLabDriver(options: GitLabDriverOptions): RepositoryDriver {
  const secrets = [options.token];
  const location = parseProviderUrl(options.repositoryUrl);
  if (!location) throw new RepositoryError("invalid", scrub(`Not a GitLab project URL: ${options.repositoryUrl}`, secrets));
  const project = location.path;
  const apiBaseUrl = (options.apiBaseUrl ?? defaultApiBaseUrl("gitlab", location)).replace(/\/+$/, "");
  const policy = new ApiPolicy("GitLab", options);
  const fetchImpl = options.fetch ?? fetch;
  let signal: AbortSignal | undefined;
  let defaultBranchName: string | null = null;
  const dates = new CommitCache<Date>(policy.concurrency);
  const files = new CommitCache<FileAtCommit>(policy.concurrency);

  const requesterFn: RequesterFn = (resource: ResourceOptions): Requester => {
    const call = async <T,>(method: string, endpoint: string, request: RequestOptions) => {
      const base = resource.url.endsWith("/") ? resource.url : `${resource.url}/`;
      const url = new URL(endpoint, base);
      url.search = queryString(request?.searchParams);
      const headers: Record<string, string> = { ...resource.headers };
      for (const [name, value] of Object.entries(resource.authHeaders)) headers[name] = await value();
      return policy.run(
        async () => {
          const response = await fetchImpl(url, { method, headers, signal: policy.attemptSignal(signal) });
          const responseHeaders = Object.fromEntries(response.headers.entries());
          // A failure's own wait is decided by ApiPolicy.run(); noting it here would wait twice.
          if (!response.ok) throw new GitLabHttpError(response.status, responseHeaders, await errorMessage(response));
          policy.observe(responseHeaders);
          const type = (response.headers.get("content-type") ?? "").split(";")[0].trim();
          const body = type === "application/json" ? await response.json() : type.startsWith("text/") ? await response.text() : await response.blob();
          return { body: body as T, headers: responseHeaders, status: response.status };
        },
        failureOf,
        signal,
      );
    };
    return {
      get: (endpoint, request) => call("GET", endpoint, request),
      post: (endpoint, request) => call("POST", endpoint, request),
      put: (endpoint, request) => call("PUT", endpoint, request),
      patch: (endpoint, request) => call("PATCH", endpoint, request),
      delete: (endpoint, request) => call("DELETE", endpoint, request),
    };
  };

  // queryTimeout 0: gitbeaker's own timeout would also cut rate-limit waits short; ApiPolicy
  // times each attempt instead.
  const api = new Gitlab({ host: apiBaseUrl, requesterFn, queryTimeout: 0, ...(options.token ? { token: options.token } : {}) });

  async function guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof RepositoryError || isAbort(error)) throw error;
      if (isTimeout(error)) throw timedOut("GitLab", apiBaseUrl, policy.requestTimeoutMs);
      const failure = failureOf(error);
      if (failure) throw errorForStatus("GitLab", project, failure, secrets);
      throw unreachable("GitLab", apiBaseUrl, error instanceof Error && error.cause instanceof Error ? error.cause : error, secrets);
    }
  }

  async function ensureOpen(): Promise<string> {
    if (defaultBranchName !== null) return defaultBranchName;
    const data = await api.Projects.show(project);
    // An empty project has no default branch yet.
    defaultBranchName = typeof data.default_branch === "string" ? data.default_branch : "";
    return defaultBranchName;
  }

  async function readOne(commit: string, path: string): Promise<FileAtCommit> {
    let data;
    try {
      data = await api.RepositoryFiles.show(project, path, commit);
    } catch (error) {
      // "404 File Not Found" (and "404 Commit Not Found"); the project was checked by open().
      if (error instanceof GitLabHttpError && error.status === 404) return { kind: "missing" };
      throw error;
    }
    if (data.size > MAX_FILE_BYTES) return { kind: "unreadable", reason: `larger than ${MAX_FILE_BYTES} bytes` };
    if (data.encoding !== "base64") return { kind: "unreadable", reason: `unexpected encoding ${data.encoding}` };
    const file = fileFromBytes(Buffer.from(data.content, "base64"));
    // The files API returns a symlink's target path as its content; only the tree shows the
    // mode, so ask it when the content could be a link (one line, short).
    if (file.kind === "file" && !file.content.includes("\n") && file.content.length <= 4096 && (await isSymlink(commit, path))) {
      return { kind: "unreadable", reason: `a symlink to ${file.content}` };
    }
    return file;
  }

  async function isSymlink(commit: string, path: string): Promise<boolean> {
    const slash = path.lastIndexOf("/");
    const dir = slash < 0 ? undefined : path.slice(0, slash);
    const entries = await api.Repositories.allRepositoryTrees(project, { ref: commit, perPage: 100, ...(dir ? { path: dir } : {}) });
    return entries.some((entry) => entry.path === path && entry.mode === SYMLINK_MODE);
  }

  return {
    source: { type: "git", url: options.repositoryUrl },

    async open(openSignal?: AbortSignal) {
      signal = openSignal;
      await guard(ensureOpen);
    },

    defaultBranch: () => guard(ensureOpen),

    tags: () =>
      guard(async () => {
        await ensureOpen();
        // commit.id is already the peeled commit (target is the tag object for annotated tags).
        const tags = await api.Tags.all(project, { perPage: 100 });
        return tags.flatMap((tag): GitRef[] => (tag.commit?.id ? [{ name: tag.name, commit: tag.commit.id }] : []));
      }),

    branches: () =>
      guard(async () => {
        await ensureOpen();
        const branches = await api.Branches.all(project, { perPage: 100 });
        return branches.map((branch) => ({ name: branch.name, commit: String(branch.commit.id) }));
      }),

    readFile: (commits, path) =>
      guard(async () => {
        await ensureOpen();
        const clean = path.replace(/^\/+/, "");
        return files.load(commits, (commit) => `${commit}:${clean}`, (commit) => readOne(commit, clean));
      }),

    commitDates: (commits) =>
      guard(async () => {
        await ensureOpen();
        return dates.load(commits, (commit) => commit, async (commit) => {
          const data = await api.Commits.show(project, commit);
          return new Date(String(data.committed_date ?? data.created_at));
        });
      }),

    archive: (commit, prefix, excludes) =>
      guard(async () => {
        await ensureOpen();
        // The zip's top directory is <project>-<sha>-<sha>/; rerootZip replaces it.
        const blob: unknown = await api.Repositories.showArchive(project, { fileType: "zip", sha: commit });
        if (!(blob instanceof Blob)) throw new RepositoryError("invalid", `GitLab did not return a zip archive for ${project}@${commit}.`);
        return rerootZip(new Uint8Array(await blob.arrayBuffer()), prefix, excludes);
      }),

    async close() {
      dates.clear();
      files.clear();
    },
  };
}

/** Gitbeaker passes camelCase options (perPage) and next-page links re-camelized. */
function queryString(params: Record<string, unknown> | undefined): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value === undefined || value === null) continue;
    search.append(key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`), String(value));
  }
  return search.toString();
}

async function errorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object") {
      const record = parsed as Record<string, unknown>;
      const message = record.message ?? record.error;
      if (message !== undefined) return typeof message === "string" ? message : JSON.stringify(message);
    }
  } catch {
    // Not JSON: GitLab's 429 body is plain "Retry later".
  }
  return text.trim() || response.statusText;
}

function failureOf(error: unknown): FailedResponse | null {
  if (!(error instanceof GitLabHttpError)) return null;
  return { status: error.status, headers: error.headers, message: error.message };
}
