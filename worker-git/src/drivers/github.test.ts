// The GitHub driver against a local HTTP server speaking GitHub's REST shapes (octokit is not
// mocked: it sends real requests, follows the zipball redirect and the Link pagination).
import { strFromU8, unzipSync } from "fflate";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RepositoryError, type RepositoryDriver } from "./driver.ts";
import { createGitHubDriver, type GitHubDriverOptions } from "./github.ts";
import { githubApi } from "./fixtures/github-api.ts";
import { startServer, type CannedResponse, type TestServer } from "./fixtures/http-harness.ts";
import { buildModel, COMMITS } from "./fixtures/repository-model.ts";

const TOKEN = "ghp_FixtureSecretToken0123456789";
const model = buildModel();
const api = githubApi(model, { token: TOKEN, private: true });
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

function driver(overrides: Partial<GitHubDriverOptions> = {}): RepositoryDriver {
  sleeps = [];
  return createGitHubDriver({
    repositoryUrl: "git@github.com:acme/lib.git",
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

describe("GitHub driver: metadata", () => {
  it("opens the repository, reports its default branch and the source URL as given", async () => {
    const github = driver();
    await github.open();
    expect(await github.defaultBranch()).toBe("main");
    expect(github.source).toEqual({ type: "git", url: "git@github.com:acme/lib.git" });
    const last = server.requests.at(-1);
    expect(last?.url).toBe("/repos/acme/lib");
    expect(last?.headers.authorization).toBe(`token ${TOKEN}`);
  });

  it("lists every tag over several pages, peeling annotated tags and tags of tags", async () => {
    const github = driver();
    await github.open();
    const before = server.requests.length;
    const tags = await github.tags();
    expect(tags).toHaveLength(model.tags.length);
    const byName = new Map(tags.map((tag) => [tag.name, tag.commit]));
    expect(byName.get("v1.0.0")).toBe(COMMITS.v1);
    expect(byName.get("v1.1.0")).toBe(COMMITS.v11);
    expect(byName.get("v1.1.0-nested")).toBe(COMMITS.v11);
    expect(byName.get("v2.0.0-alpha")).toBe(COMMITS.noJson);
    const urls = since(before).map((request) => request.url);
    expect(urls.filter((url) => url.startsWith("/repos/acme/lib/git/matching-refs/tags"))).toHaveLength(2);
    expect(urls.some((url) => url.includes("page=2"))).toBe(true);
    // One tag object for v1.1.0, two for the nested tag.
    expect(urls.filter((url) => url.includes("/git/tags/"))).toHaveLength(3);
  });

  it("lists every branch with its commit over several pages", async () => {
    const github = driver();
    const before = server.requests.length;
    const branches = await github.branches();
    expect(branches).toHaveLength(model.branches.length);
    expect(branches).toContainEqual({ name: "main", commit: COMMITS.main });
    expect(branches).toContainEqual({ name: "feature/109", commit: COMMITS.main });
    expect(since(before).filter((request) => request.url.startsWith("/repos/acme/lib/branches"))).toHaveLength(2);
  });

  it("reads composer.json at many commits: present, missing, symlinked", async () => {
    const github = driver();
    const files = await github.readFile([COMMITS.v1, COMMITS.v11, COMMITS.noJson, COMMITS.linked, COMMITS.main, COMMITS.v1], "composer.json");
    expect(files.size).toBe(5);
    expect(files.get(COMMITS.v1)).toEqual({ kind: "file", content: expect.stringContaining('"description": "v1"') });
    expect(JSON.parse((files.get(COMMITS.v11) as { content: string }).content).archive.exclude).toEqual(["/docs", "*.md", "!README.md"]);
    expect(files.get(COMMITS.noJson)).toEqual({ kind: "missing" });
    expect(files.get(COMMITS.linked)).toMatchObject({ kind: "unreadable", reason: expect.stringContaining("symlink") });
    expect(files.get(COMMITS.main)?.kind).toBe("file");
  });

  it("marks oversized, binary, directory and symlinked paths unreadable", async () => {
    const github = driver();
    const read = async (path: string) => (await github.readFile([COMMITS.main], path)).get(COMMITS.main);
    expect(await read("big.json")).toMatchObject({ kind: "unreadable", reason: expect.stringContaining("larger") });
    expect(await read("blob.bin")).toMatchObject({ kind: "unreadable", reason: "binary content" });
    expect(await read("src")).toMatchObject({ kind: "unreadable", reason: "a directory" });
    expect(await read("readme-link")).toMatchObject({ kind: "unreadable", reason: expect.stringContaining("symlink") });
    expect(await read("minified.json")).toEqual({ kind: "file", content: '{"name":"acme/min"}' });
  });

  it("keeps at most `concurrency` file reads in flight", async () => {
    const fresh = await startServer(api);
    try {
      const github = createGitHubDriver({ repositoryUrl: "https://github.com/acme/lib", token: TOKEN, apiBaseUrl: fresh.origin, concurrency: 3 });
      const commits = Array.from({ length: 24 }, (_, i) => i.toString(16).padStart(40, "0"));
      const files = await github.readFile(commits, "composer.json");
      expect([...files.values()].every((file) => file.kind === "missing")).toBe(true);
      expect(fresh.maxInFlight()).toBeLessThanOrEqual(3);
      expect(fresh.maxInFlight()).toBeGreaterThan(1);
    } finally {
      await fresh.close();
    }
  });

  it("reads committer dates once per commit", async () => {
    const github = driver();
    const dates = await github.commitDates([COMMITS.v1, COMMITS.main]);
    expect(dates.get(COMMITS.v1)?.toISOString()).toBe("2024-01-02T09:00:00.000Z");
    expect(dates.get(COMMITS.main)?.toISOString()).toBe("2024-05-06T07:45:30.000Z");
    const before = server.requests.length;
    await github.commitDates([COMMITS.v1]);
    expect(server.requests.length).toBe(before);
  });

  it("builds the archive from the zipball (through the codeload redirect), re-rooted and filtered", async () => {
    const github = driver();
    const before = server.requests.length;
    const zip = unzipSync(await github.archive(COMMITS.v11, "acme-lib-v1.1.0", ["/docs", "*.md", "!README.md"]));
    const names = Object.keys(zip).sort();
    expect(names).toEqual([
      "acme-lib-v1.1.0/.gitattributes",
      "acme-lib-v1.1.0/README.md",
      "acme-lib-v1.1.0/bin/tool",
      "acme-lib-v1.1.0/composer.json",
      "acme-lib-v1.1.0/src/Lib.php",
    ]);
    expect(strFromU8(zip["acme-lib-v1.1.0/composer.json"])).toContain("v1.1");
    const urls = since(before).map((request) => request.url);
    expect(urls).toContain(`/repos/acme/lib/zipball/${COMMITS.v11}`);
    expect(urls).toContain(`/codeload/acme/lib/legacy.zip/${COMMITS.v11}`);
  });

  it("works against a GitHub Enterprise /api/v3 root", async () => {
    const enterprise = await startServer(githubApi(model, { token: TOKEN, prefix: "/api/v3" }));
    try {
      const github = createGitHubDriver({ repositoryUrl: "https://ghe.example.com/acme/lib.git", token: TOKEN, apiBaseUrl: `${enterprise.origin}/api/v3/` });
      expect(await github.defaultBranch()).toBe("main");
      expect((await github.tags()).length).toBe(model.tags.length);
    } finally {
      await enterprise.close();
    }
  });

  it("treats an empty repository (409) as having no refs", async () => {
    const github = driver();
    await github.open();
    const empty = (): CannedResponse => ({ status: 409, body: { message: "Git Repository is empty.", documentation_url: "https://docs.github.com/rest", status: "409" } });
    server.faults.push({ match: /matching-refs|\/branches/, times: 2, respond: empty });
    expect(await github.tags()).toEqual([]);
    expect(await github.branches()).toEqual([]);
  });
});

describe("GitHub driver: errors", () => {
  it("rejects URLs that are not owner/repo", () => {
    expect(() => createGitHubDriver({ repositoryUrl: "https://github.com/acme" })).toThrow(RepositoryError);
  });

  it("maps bad credentials (401) to auth without echoing the token", async () => {
    const error = await failure(driver({ token: `${TOKEN}-wrong` }).open());
    expect(error.reason).toBe("auth");
    expect(error.message).toContain("acme/lib");
    expect(error.message).not.toContain(`${TOKEN}-wrong`);
  });

  it("maps 403 without rate-limit signs to auth", async () => {
    server.faults.push({ match: /^\/repos\/acme\/lib$/, times: 1, respond: () => ({ status: 403, body: { message: "Resource not accessible by personal access token", status: "403" } }) });
    expect((await failure(driver().open())).reason).toBe("auth");
  });

  it("maps 404 (private repository without access, or no such repository) to not-found", async () => {
    expect((await failure(driver({ token: undefined }).open())).reason).toBe("not-found");
    const missing = await failure(driver({ repositoryUrl: "https://github.com/acme/nope" }).open());
    expect(missing.reason).toBe("not-found");
    expect(missing.message).toContain("acme/nope");
  });

  it("maps a refused connection to unreachable", async () => {
    const dead = await startServer(() => ({ status: 200 }));
    await dead.close();
    const error = await failure(createGitHubDriver({ repositoryUrl: "https://github.com/acme/lib", token: TOKEN, apiBaseUrl: dead.origin }).open());
    expect(error.reason).toBe("unreachable");
    expect(error.message).toContain(dead.origin);
  });

  it("stops when the signal given to open() is aborted", async () => {
    const controller = new AbortController();
    const repository = driver();
    await repository.open(controller.signal);
    controller.abort();
    await expect(repository.tags()).rejects.toMatchObject({ name: "AbortError" });
  });

  it("maps an attempt that takes longer than requestTimeoutMs to timeout", async () => {
    server.faults.push({ match: /^\/repos\/acme\/lib$/, times: 1, respond: () => ({ status: 200, body: {}, delayMs: 1000 }) });
    const error = await failure(driver({ requestTimeoutMs: 50 }).open());
    expect(error.reason).toBe("timeout");
    expect(error.message).toContain("did not answer");
  });

  it("retries a brief 502 and maps a lasting 5xx to unreachable", async () => {
    server.faults.push({ match: /^\/repos\/acme\/lib$/, times: 1, respond: () => ({ status: 502, body: "Bad Gateway" }) });
    await driver().open();
    expect(sleeps).toEqual([1000]);
    server.faults.push({ match: /^\/repos\/acme\/lib$/, times: 3, respond: () => ({ status: 503, body: "Unavailable" }) });
    expect((await failure(driver().open())).reason).toBe("unreachable");
  });
});

describe("GitHub driver: rate limits", () => {
  const now = () => Math.floor(Date.now() / 1000);
  const primary = (resetIn: number) => (): CannedResponse => ({
    status: 403,
    headers: { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0", "x-ratelimit-used": "5000", "x-ratelimit-reset": String(now() + resetIn), "x-ratelimit-resource": "core" },
    body: { message: "API rate limit exceeded for user ID 1.", documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api", status: "403" },
  });

  it("waits for the primary window's reset, then retries", async () => {
    server.faults.push({ match: /^\/repos\/acme\/lib$/, times: 1, respond: primary(2) });
    expect(await driver().defaultBranch()).toBe("main");
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(1000);
    expect(sleeps[0]).toBeLessThanOrEqual(3100);
  });

  it("honours retry-after on secondary limits (429 and 403)", async () => {
    server.faults.push({ match: /^\/repos\/acme\/lib$/, times: 1, respond: () => ({ status: 429, headers: { "retry-after": "3" }, body: { message: "You have exceeded a secondary rate limit." } }) });
    server.faults.push({ match: /^\/repos\/acme\/lib$/, times: 1, respond: () => ({ status: 403, headers: { "retry-after": "7" }, body: { message: "You have exceeded a secondary rate limit." } }) });
    await driver().open();
    expect(sleeps).toEqual([3000, 7000]);
  });

  it("waits a minute on a secondary limit without retry-after", async () => {
    server.faults.push({ match: /^\/repos\/acme\/lib$/, times: 1, respond: () => ({ status: 403, body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." } }) });
    await driver({ maxRateLimitWaitMs: 120_000 }).open();
    expect(sleeps).toEqual([60_000]);
  });

  it("pauses later requests when a response says the window is used up", async () => {
    const github = driver();
    await github.open();
    server.faults.push({
      match: /matching-refs/,
      times: 1,
      respond: (request) => {
        const answer = api(request, server.origin) as CannedResponse;
        return { ...answer, headers: { ...answer.headers, "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now() + 2) } };
      },
    });
    await github.tags();
    expect(sleeps.length).toBeGreaterThan(0);
    expect(sleeps[0]).toBeGreaterThan(1000);
  });

  it("gives up with a timeout when the reset is further away than the allowed wait", async () => {
    server.faults.push({ match: /^\/repos\/acme\/lib$/, times: 1, respond: primary(3600) });
    const error = await failure(driver({ maxRateLimitWaitMs: 5_000 }).open());
    expect(error.reason).toBe("timeout");
    expect(error.message).toMatch(/GitHub API rate limit .* 5s/);
    expect(sleeps).toEqual([]);
  });

  it("really sleeps with the default timer", async () => {
    server.faults.push({ match: /^\/repos\/acme\/lib$/, times: 1, respond: () => ({ status: 429, headers: { "retry-after": "1" }, body: { message: "secondary rate limit" } }) });
    const started = Date.now();
    await createGitHubDriver({ repositoryUrl: "https://github.com/acme/lib", token: TOKEN, apiBaseUrl: server.origin }).open();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });
});
