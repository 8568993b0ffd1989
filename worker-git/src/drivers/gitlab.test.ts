// The GitLab driver against a local HTTP server speaking GitLab's REST v4 shapes. Gitbeaker is
// not mocked: its resources build the requests and follow the Link pagination; only its
// requester is ours (injected fetch, bounded rate-limit waits).
import { strFromU8, unzipSync } from "fflate";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RepositoryError, type RepositoryDriver } from "./driver.ts";
import { createGitLabDriver, type GitLabDriverOptions } from "./gitlab.ts";
import { gitlabApi } from "./fixtures/gitlab-api.ts";
import { startServer, type CannedResponse, type TestServer } from "./fixtures/http-harness.ts";
import { buildModel, COMMITS } from "./fixtures/repository-model.ts";

const TOKEN = "glpat-FixtureSecretToken0123";
const PROJECT = "/api/v4/projects/acme%2Fphp%2Flib";
const model = buildModel();
const api = gitlabApi(model, { projectPath: "acme/php/lib", token: TOKEN, private: true });
let server: TestServer;
let sleeps: number[];

beforeAll(async () => {
  server = await startServer(api);
});
afterAll(() => server.close());
afterEach(() => {
  // Every canned failure must have been consumed by the test that queued it.
  expect(server.faults.filter((fault) => fault.times > 0)).toEqual([]);
  server.faults.length = 0;
});

function driver(overrides: Partial<GitLabDriverOptions> = {}): RepositoryDriver {
  sleeps = [];
  return createGitLabDriver({
    repositoryUrl: "https://gitlab.example.com/acme/php/lib.git",
    token: TOKEN,
    apiBaseUrl: server.origin,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
}

async function failure(work: Promise<unknown>): Promise<RepositoryError> {
  const error = await work.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RepositoryError);
  const repositoryError = error as RepositoryError;
  expect(repositoryError.message).not.toContain(TOKEN);
  expect(JSON.stringify(repositoryError.cause ?? null)).not.toContain(TOKEN);
  return repositoryError;
}

const since = (count: number) => server.requests.slice(count);
const projectOnly = new RegExp(`^${PROJECT.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);

describe("GitLab driver: metadata", () => {
  it("opens the project by its URL-encoded namespaced path and reports the default branch", async () => {
    const gitlab = driver();
    await gitlab.open();
    expect(await gitlab.defaultBranch()).toBe("main");
    expect(gitlab.source).toEqual({ type: "git", url: "https://gitlab.example.com/acme/php/lib.git" });
    const last = server.requests.at(-1);
    expect(last?.url).toBe(PROJECT);
    expect(last?.headers["private-token"]).toBe(TOKEN);
  });

  it("accepts the ssh spellings", async () => {
    expect(await driver({ repositoryUrl: "git@gitlab.example.com:acme/php/lib.git" }).defaultBranch()).toBe("main");
    expect(await driver({ repositoryUrl: "ssh://git@gitlab.example.com:2222/acme/php/lib.git" }).defaultBranch()).toBe("main");
  });

  it("lists every tag over several pages with its peeled commit", async () => {
    const gitlab = driver();
    await gitlab.open();
    const before = server.requests.length;
    const tags = await gitlab.tags();
    expect(tags).toHaveLength(model.tags.length);
    const byName = new Map(tags.map((tag) => [tag.name, tag.commit]));
    expect(byName.get("v1.0.0")).toBe(COMMITS.v1);
    expect(byName.get("v1.1.0")).toBe(COMMITS.v11);
    expect(byName.get("v1.1.0-nested")).toBe(COMMITS.v11);
    const urls = since(before).map((request) => request.url);
    expect(urls).toHaveLength(2);
    expect(urls[0]).toBe(`${PROJECT}/repository/tags?per_page=100`);
    expect(urls[1]).toMatch(/page=2/);
  });

  it("lists every branch over several pages", async () => {
    const gitlab = driver();
    await gitlab.open();
    const before = server.requests.length;
    const branches = await gitlab.branches();
    expect(branches).toHaveLength(model.branches.length);
    expect(branches).toContainEqual({ name: "linked", commit: COMMITS.linked });
    expect(since(before)).toHaveLength(2);
  });

  it("reads composer.json at many commits: present, missing, symlinked", async () => {
    const gitlab = driver();
    const files = await gitlab.readFile([COMMITS.v1, COMMITS.v11, COMMITS.noJson, COMMITS.linked, COMMITS.main], "composer.json");
    expect(files.get(COMMITS.v1)).toEqual({ kind: "file", content: expect.stringContaining('"description": "v1"') });
    expect(files.get(COMMITS.v11)?.kind).toBe("file");
    expect(files.get(COMMITS.noJson)).toEqual({ kind: "missing" });
    expect(files.get(COMMITS.linked)).toEqual({ kind: "unreadable", reason: "a symlink to config/composer.json" });
    expect(files.get(COMMITS.main)?.kind).toBe("file");
  });

  it("marks oversized, binary and symlinked files unreadable, and checks one-line files against the tree", async () => {
    const gitlab = driver();
    const read = async (commit: string, path: string) => (await gitlab.readFile([commit], path)).get(commit);
    expect(await read(COMMITS.main, "big.json")).toMatchObject({ kind: "unreadable", reason: expect.stringContaining("larger") });
    expect(await read(COMMITS.main, "blob.bin")).toEqual({ kind: "unreadable", reason: "binary content" });
    expect(await read(COMMITS.main, "readme-link")).toEqual({ kind: "unreadable", reason: "a symlink to README.md" });
    const before = server.requests.length;
    expect(await read(COMMITS.main, "minified.json")).toEqual({ kind: "file", content: '{"name":"acme/min"}' });
    expect(since(before).map((request) => request.url)).toContain(`${PROJECT}/repository/tree?ref=${COMMITS.main}&per_page=100`);
    expect(await read(COMMITS.linked, "config/composer.json")).toMatchObject({ kind: "file" });
  });

  it("keeps at most `concurrency` file reads in flight", async () => {
    const fresh = await startServer(api);
    try {
      const gitlab = createGitLabDriver({ repositoryUrl: "https://gitlab.com/acme/php/lib", token: TOKEN, apiBaseUrl: fresh.origin, concurrency: 3 });
      const commits = Array.from({ length: 24 }, (_, i) => i.toString(16).padStart(40, "0"));
      const files = await gitlab.readFile(commits, "composer.json");
      expect([...files.values()].every((file) => file.kind === "missing")).toBe(true);
      expect(fresh.maxInFlight()).toBeLessThanOrEqual(3);
      expect(fresh.maxInFlight()).toBeGreaterThan(1);
    } finally {
      await fresh.close();
    }
  });

  it("reads committer dates (with their offsets) once per commit", async () => {
    const gitlab = driver();
    const dates = await gitlab.commitDates([COMMITS.v1, COMMITS.noJson]);
    expect(dates.get(COMMITS.v1)?.toISOString()).toBe("2024-01-02T09:00:00.000Z");
    expect(dates.get(COMMITS.noJson)?.toISOString()).toBe("2024-03-04T17:00:00.000Z");
    const before = server.requests.length;
    await gitlab.commitDates([COMMITS.noJson]);
    expect(server.requests.length).toBe(before);
  });

  it("builds the archive from archive.zip, re-rooted and filtered", async () => {
    const gitlab = driver();
    const before = server.requests.length;
    const zip = unzipSync(await gitlab.archive(COMMITS.main, "acme-lib-main", ["*.json", "!/composer.json", "/docs"]));
    const names = Object.keys(zip).sort();
    expect(names).toContain("acme-lib-main/composer.json");
    expect(names).toContain("acme-lib-main/readme-link");
    expect(names).not.toContain("acme-lib-main/big.json");
    expect(names.some((name) => name.includes("docs/") || name.includes("tests/") || name.includes(COMMITS.main))).toBe(false);
    expect(strFromU8(zip["acme-lib-main/composer.json"])).toContain('"main"');
    expect(since(before).map((request) => request.url)).toContain(`${PROJECT}/repository/archive.zip?sha=${COMMITS.main}`);
  });
});

describe("GitLab driver: errors", () => {
  it("maps 401 to auth without echoing the token", async () => {
    const error = await failure(driver({ token: `${TOKEN}-wrong` }).open());
    expect(error.reason).toBe("auth");
    expect(error.message).toBe("GitLab rejected the credentials for acme/php/lib (401 Unauthorized); check the token.");
  });

  it("maps 403 to auth", async () => {
    server.faults.push({ match: projectOnly, times: 1, respond: () => ({ status: 403, body: { message: "403 Forbidden" } }) });
    expect((await failure(driver().open())).reason).toBe("auth");
  });

  it("maps 404 (private project without access, or no such project) to not-found", async () => {
    expect((await failure(driver({ token: undefined }).open())).reason).toBe("not-found");
    const missing = await failure(driver({ repositoryUrl: "https://gitlab.com/acme/other" }).open());
    expect(missing.reason).toBe("not-found");
    expect(missing.message).toContain("acme/other");
  });

  it("maps a refused connection to unreachable", async () => {
    const dead = await startServer(() => ({ status: 200 }));
    await dead.close();
    const error = await failure(createGitLabDriver({ repositoryUrl: "https://gitlab.com/acme/php/lib", token: TOKEN, apiBaseUrl: dead.origin }).open());
    expect(error.reason).toBe("unreachable");
  });

  it("stops when the signal given to open() is aborted", async () => {
    const controller = new AbortController();
    const repository = driver();
    await repository.open(controller.signal);
    controller.abort();
    await expect(repository.tags()).rejects.toMatchObject({ name: "AbortError" });
  });

  it("maps an attempt that takes longer than requestTimeoutMs to timeout", async () => {
    server.faults.push({ match: projectOnly, times: 1, respond: () => ({ status: 200, body: {}, delayMs: 1000 }) });
    const error = await failure(driver({ requestTimeoutMs: 50 }).open());
    expect(error.reason).toBe("timeout");
    expect(error.message).toContain("did not answer");
  });

  it("retries a brief 502 and maps a lasting 5xx to unreachable", async () => {
    server.faults.push({ match: projectOnly, times: 1, respond: () => ({ status: 502, body: "Bad Gateway" }) });
    await driver().open();
    expect(sleeps).toEqual([1000]);
    // A 500 is not retried; 502-504 are, twice.
    server.faults.push({ match: projectOnly, times: 1, respond: () => ({ status: 500, body: { message: "500 Internal Server Error" } }) });
    expect((await failure(driver().open())).reason).toBe("unreachable");
    server.faults.push({ match: projectOnly, times: 3, respond: () => ({ status: 504, body: "Gateway Timeout" }) });
    expect((await failure(driver().open())).reason).toBe("unreachable");
  });
});

describe("GitLab driver: rate limits", () => {
  const now = () => Math.floor(Date.now() / 1000);
  const throttled = (headers: Record<string, string>) => (): CannedResponse => ({
    status: 429,
    headers: { "ratelimit-name": "throttle_authenticated_api", "ratelimit-limit": "2000", "ratelimit-observed": "2001", "ratelimit-remaining": "0", ...headers },
    body: "Retry later\n",
  });

  it("honours Retry-After on 429, retrying once per answer (not gitbeaker's quick retries)", async () => {
    server.faults.push({ match: projectOnly, times: 1, respond: throttled({ "retry-after": "4", "ratelimit-reset": String(now() + 4) }) });
    const before = server.requests.length;
    expect(await driver().defaultBranch()).toBe("main");
    expect(sleeps).toEqual([4000]);
    expect(since(before)).toHaveLength(2);
  });

  it("waits for RateLimit-Reset when there is no Retry-After", async () => {
    server.faults.push({ match: projectOnly, times: 1, respond: throttled({ "ratelimit-reset": String(now() + 2) }) });
    await driver().open();
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(1000);
    expect(sleeps[0]).toBeLessThanOrEqual(3100);
  });

  it("pauses later requests when RateLimit-Remaining reaches 0", async () => {
    const gitlab = driver();
    await gitlab.open();
    server.faults.push({
      match: /repository\/branches/,
      times: 1,
      respond: (request) => {
        const answer = api(request, server.origin) as CannedResponse;
        return { ...answer, headers: { ...answer.headers, "ratelimit-remaining": "0", "ratelimit-reset": String(now() + 2) } };
      },
    });
    await gitlab.branches();
    expect(sleeps.length).toBeGreaterThan(0);
    expect(sleeps[0]).toBeGreaterThan(1000);
  });

  it("gives up with a timeout when the wait is longer than allowed", async () => {
    server.faults.push({ match: projectOnly, times: 1, respond: throttled({ "retry-after": "3600" }) });
    const error = await failure(driver({ maxRateLimitWaitMs: 5_000 }).open());
    expect(error.reason).toBe("timeout");
    expect(error.message).toMatch(/GitLab API rate limit .* 5s/);
    expect(sleeps).toEqual([]);
  });
});
