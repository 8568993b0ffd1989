// RepositoryDriver over GitHub's REST API (octokit): refs, files and dates without a clone.
// Octokit's own retry and throttling plugins are off: they retry with fixed back-offs and
// unbounded waits, while a scan must either wait within its budget or fail with a clear reason
// (ApiPolicy), and must never wait on a limit it cannot outlast.
import { Octokit, RequestError } from "octokit";
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
  mapLimit,
  scrub,
  timedOut,
  unreachable,
  type ApiPolicyOptions,
  type FailedResponse,
} from "./provider-http.ts";

export interface GitHubDriverOptions extends ApiPolicyOptions {
  /** https://github.com/o/r(.git), git@github.com:o/r.git or ssh://git@github.com/o/r.git. */
  repositoryUrl: string;
  token?: string;
  /** Default https://api.github.com; GitHub Enterprise: https://host/api/v3. */
  apiBaseUrl?: string;
  fetch?: typeof fetch;
}

/** One entry of GET /repos/{owner}/{repo}/git/matching-refs/{ref}. */
interface MatchingRef {
  ref: string;
  object: { type: string; sha: string };
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
// Annotated tags may point at other tags; real chains are one or two long.
const MAX_TAG_DEPTH = 5;

export function createGitHubDriver(options: GitHubDriverOptions): RepositoryDriver {
  const secrets = [options.token];
  const location = parseProviderUrl(options.repositoryUrl);
  if (!location || location.path.split("/").length !== 2) {
    throw new RepositoryError("invalid", scrub(`Not a GitHub repository URL (expected owner/repo): ${options.repositoryUrl}`, secrets));
  }
  const owner = location.namespace;
  const repo = location.name;
  const label = `${owner}/${repo}`;
  const apiBaseUrl = (options.apiBaseUrl ?? defaultApiBaseUrl("github", location)).replace(/\/+$/, "");
  const policy = new ApiPolicy("GitHub", options);
  let signal: AbortSignal | undefined;
  let defaultBranchName: string | null = null;
  const dates = new CommitCache<Date>(policy.concurrency);
  const files = new CommitCache<FileAtCommit>(policy.concurrency);

  const octokit = new Octokit({
    baseUrl: apiBaseUrl,
    auth: options.token,
    userAgent: "satchel-git",
    log: quiet,
    request: options.fetch ? { fetch: options.fetch } : {},
    throttle: { enabled: false },
    retry: { enabled: false },
  });
  octokit.hook.wrap("request", (request, requestOptions) =>
    policy.run(
      async () => {
        // The inner hooks (auth) are bound to this very options object, so set the attempt's
        // signal on it: options passed to request() would be ignored.
        requestOptions.request = { ...requestOptions.request, signal: policy.attemptSignal(signal) };
        const response = await request(requestOptions);
        policy.observe(lowerCaseHeaders(response.headers));
        return response;
      },
      failureOf,
      signal,
    ),
  );

  /** Every public call maps octokit failures to RepositoryError reasons. */
  async function guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toRepositoryError(error);
    }
  }

  function toRepositoryError(error: unknown): unknown {
    if (error instanceof RepositoryError || isAbort(error)) return error;
    if (isTimeout(error)) return timedOut("GitHub", apiBaseUrl, policy.requestTimeoutMs);
    const failure = failureOf(error);
    if (failure) return errorForStatus("GitHub", label, failure, secrets);
    // Octokit reports a network failure as a RequestError without a response.
    return unreachable("GitHub", apiBaseUrl, error, secrets);
  }

  async function ensureOpen(): Promise<string> {
    if (defaultBranchName !== null) return defaultBranchName;
    const { data } = await octokit.request("GET /repos/{owner}/{repo}", { owner, repo });
    defaultBranchName = data.default_branch;
    return defaultBranchName;
  }

  /** Follows tag objects to the commit they name; null for tags of trees or blobs. */
  async function peel(sha: string): Promise<string | null> {
    let current = sha;
    for (let depth = 0; depth < MAX_TAG_DEPTH; depth++) {
      const { data } = await octokit.request("GET /repos/{owner}/{repo}/git/tags/{tag_sha}", { owner, repo, tag_sha: current });
      if (data.object.type === "commit") return data.object.sha;
      if (data.object.type !== "tag") return null;
      current = data.object.sha;
    }
    return null;
  }

  async function readOne(commit: string, path: string): Promise<FileAtCommit> {
    let data;
    try {
      ({ data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { owner, repo, path, ref: commit }));
    } catch (error) {
      // 404 covers a missing file and an unknown commit; the repository was checked by open().
      if (error instanceof RequestError && error.status === 404) return { kind: "missing" };
      throw error;
    }
    if (Array.isArray(data)) return { kind: "unreadable", reason: "a directory" };
    if (data.type !== "file") return { kind: "unreadable", reason: `a ${data.type}` };
    // GitHub answers a symlink to a file with the target's content and path.
    if (data.path !== path) return { kind: "unreadable", reason: `a symlink to ${data.path}` };
    if (data.size > MAX_FILE_BYTES) return { kind: "unreadable", reason: `larger than ${MAX_FILE_BYTES} bytes` };
    if (!("content" in data) || data.encoding !== "base64" || typeof data.content !== "string") {
      return { kind: "unreadable", reason: "content not returned by the API" };
    }
    return fileFromBytes(Buffer.from(data.content, "base64"));
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
        const refs = await listOrEmpty(() =>
          octokit.paginate<MatchingRef>("GET /repos/{owner}/{repo}/git/matching-refs/{ref}", { owner, repo, ref: "tags", per_page: 100 }),
        );
        const tags = refs.filter((ref) => ref.ref.startsWith("refs/tags/"));
        const peeled = await mapLimit(tags, policy.concurrency, async (ref): Promise<GitRef | null> => {
          const name = ref.ref.slice("refs/tags/".length);
          if (ref.object.type === "commit") return { name, commit: ref.object.sha };
          if (ref.object.type !== "tag") return null;
          const commit = await peel(ref.object.sha);
          return commit ? { name, commit } : null;
        });
        return peeled.filter((ref): ref is GitRef => ref !== null);
      }),

    branches: () =>
      guard(async () => {
        await ensureOpen();
        const branches = await listOrEmpty(() => octokit.paginate("GET /repos/{owner}/{repo}/branches", { owner, repo, per_page: 100 }));
        return branches.map((branch) => ({ name: branch.name, commit: branch.commit.sha }));
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
        // The git data API returns the bare commit; /commits/{sha} would also compute its diff.
        return dates.load(commits, (commit) => commit, async (commit) => {
          const { data } = await octokit.request("GET /repos/{owner}/{repo}/git/commits/{commit_sha}", { owner, repo, commit_sha: commit });
          return new Date(data.committer.date ?? data.author.date ?? 0);
        });
      }),

    archive: (commit, prefix, excludes) =>
      guard(async () => {
        await ensureOpen();
        // Follows the redirect to codeload; the zip's top directory is owner-repo-<short sha>/.
        const response = await octokit.request("GET /repos/{owner}/{repo}/zipball/{ref}", { owner, repo, ref: commit });
        const body: unknown = response.data;
        if (!(body instanceof ArrayBuffer)) throw new RepositoryError("invalid", `GitHub did not return a zip archive for ${label}@${commit}.`);
        return rerootZip(new Uint8Array(body), prefix, excludes);
      }),

    async close() {
      dates.clear();
      files.clear();
    },
  };
}

/** GitHub answers 409 "Git Repository is empty" for refs of an empty repository. */
async function listOrEmpty<T>(list: () => Promise<T[]>): Promise<T[]> {
  try {
    return await list();
  } catch (error) {
    if (error instanceof RequestError && error.status === 409) return [];
    throw error;
  }
}

function failureOf(error: unknown): FailedResponse | null {
  if (!(error instanceof RequestError) || !error.response) return null;
  return { status: error.status, headers: lowerCaseHeaders(error.response.headers), message: error.message };
}

function lowerCaseHeaders(headers: Record<string, string | number | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) result[name.toLowerCase()] = String(value);
  return result;
}
