// GitCliDriver against real repositories made with git in temp dirs (no mocks): refs, files,
// dates, incremental fetches, zipballs, and failures mapped to RepositoryError reasons.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { unzipSync, strFromU8 } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RepoBuilder, composerJson, git } from "../testing/repo-builder.ts";
import { RepositoryError } from "./driver.ts";
import { GitCliDriver, isLocalRepositoryUrl } from "./git-cli.ts";

const work = mkdtempSync(path.join(os.tmpdir(), "satchel-git-cli-"));
const cacheDir = path.join(work, "cache");
const repo = path.join(work, "repo");
let c1 = "";
let c2 = "";

beforeAll(() => {
  const b = new RepoBuilder();
  const first = b.commit({
    files: {
      "composer.json": composerJson({ name: "acme/lib", archive: { exclude: ["/tests", "!/tests/keep.php", "*.md"] } }),
      "src/A.php": "<?php\n",
      "tests/ATest.php": "<?php\n",
      "tests/keep.php": "<?php\n",
      "docs/guide.md": "guide\n",
      "README.md": "readme\n",
      "build/out.txt": "ignored by export-ignore\n",
      ".gitattributes": "/build export-ignore\n",
      "bin/tool": { executable: "#!/bin/sh\n" },
    },
    time: 1_600_000_000,
    authorTime: 1_500_000_000,
  });
  const second = b.commit({
    parent: first,
    files: {
      "composer.json": { symlink: "real.json" },
      "real.json": "{}",
      "big/composer.json": "x".repeat(1024 * 1024 + 1),
      "nul/composer.json": "{\"a\":\0}",
      "latin1/composer.json": { bytes: Uint8Array.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]) },
      "bom/composer.json": "\ufeff{}",
      "module/composer.json": { submodule: "0123456789012345678901234567890123456789" },
    },
  });
  b.tag("v1.0.0", first, { annotated: true }).tag("1.0.1", first).tag("r\u00e9sum\u00e9-1", second);
  b.branch("main", second).branch("feat#1", first).branch("\u00fcber/x", first);
  b.write(repo, "main");
  git(repo, ["-c", "user.name=T", "-c", "user.email=t@example.com", "tag", "-a", "-m", "nested", "nested", "v1.0.0"]);
  c1 = git(repo, ["rev-parse", "v1.0.0^{}"]).trim();
  c2 = git(repo, ["rev-parse", "main"]).trim();
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

async function withDriver<T>(url: string, use: (driver: GitCliDriver) => Promise<T>, options: Partial<ConstructorParameters<typeof GitCliDriver>[0]> = {}): Promise<T> {
  const driver = new GitCliDriver({ url, cacheDir, ...options });
  try {
    await driver.open();
    return await use(driver);
  } finally {
    await driver.close();
  }
}

describe("GitCliDriver: refs, files and dates", () => {
  it("lists tags peeled to commits (annotated, lightweight, a tag of a tag) and branches, odd names included", async () => {
    await withDriver(repo, async (driver) => {
      expect(driver.source).toEqual({ type: "git", url: repo });
      expect(await driver.defaultBranch()).toBe("main");
      expect(await driver.tags()).toEqual([
        { name: "1.0.1", commit: c1 },
        { name: "nested", commit: c1 },
        { name: "r\u00e9sum\u00e9-1", commit: c2 },
        { name: "v1.0.0", commit: c1 },
      ]);
      expect(await driver.branches()).toEqual([
        { name: "feat#1", commit: c1 },
        { name: "main", commit: c2 },
        { name: "\u00fcber/x", commit: c1 },
      ]);
    });
  });

  it("reads composer.json at many commits, telling files, absences and unusable entries apart", async () => {
    await withDriver(repo, async (driver) => {
      const root = await driver.readFile([c1, c2, c1], "composer.json");
      expect(root.get(c1)).toEqual({
        kind: "file",
        content: composerJson({ name: "acme/lib", archive: { exclude: ["/tests", "!/tests/keep.php", "*.md"] } }),
        id: git(repo, ["rev-parse", `${c1}:composer.json`]).trim(),
      });
      expect(root.get(c2)).toEqual({ kind: "unreadable", reason: "composer.json is a symlink" });
      const read = async (file: string) => (await driver.readFile([c2], file)).get(c2);
      expect(await read("big/composer.json")).toMatchObject({ kind: "unreadable", reason: expect.stringContaining("larger than 1 MB") });
      expect(await read("nul/composer.json")).toMatchObject({ kind: "unreadable", reason: expect.stringContaining("NUL") });
      expect(await read("latin1/composer.json")).toMatchObject({ kind: "unreadable", reason: expect.stringContaining("UTF-8") });
      expect(await read("bom/composer.json")).toEqual({ kind: "file", content: "\ufeff{}", id: git(repo, ["rev-parse", `${c2}:bom/composer.json`]).trim() });
      expect(await read("module/composer.json")).toEqual({ kind: "unreadable", reason: "module/composer.json is a submodule" });
      expect((await driver.readFile([c1], "src")).get(c1)).toEqual({ kind: "unreadable", reason: "src is a directory" });
      expect(await read("missing.json")).toEqual({ kind: "missing" });
      expect(await read("real.json/x")).toEqual({ kind: "missing" });
    });
  });

  it("dates a commit by its author time, as `git log --format=%at` does", async () => {
    await withDriver(repo, async (driver) => {
      const dates = await driver.commitDates([c1]);
      expect(dates.get(c1)?.toISOString()).toBe(new Date(1_500_000_000_000).toISOString());
    });
  });

  it("keeps a persistent bare mirror and fetches only what changed, pruning deleted refs", async () => {
    const upstream = path.join(work, "moving");
    const b = new RepoBuilder();
    const first = b.commit({ files: { "composer.json": "{}" } });
    b.branch("main", first).branch("gone", first).tag("1.0.0", first);
    b.write(upstream, "main");
    const cache = path.join(work, "moving-cache");
    await withDriver(upstream, async (driver) => expect((await driver.tags()).map((t) => t.name)).toEqual(["1.0.0"]), { cacheDir: cache });
    const mirrors = readdirSync(cache).filter((name) => name.endsWith(".git"));
    expect(mirrors).toHaveLength(1);

    const next = new RepoBuilder();
    next.tag("1.1.0", next.commit({ parent: git(upstream, ["rev-parse", "main"]).trim(), files: { "composer.json": "{\"a\":1}" } }));
    next.write(upstream);
    git(upstream, ["branch", "-D", "gone"]);
    await withDriver(upstream, async (driver) => {
      expect((await driver.tags()).map((t) => t.name)).toEqual(["1.0.0", "1.1.0"]);
      expect((await driver.branches()).map((t) => t.name)).toEqual(["main"]);
    }, { cacheDir: cache });
    expect(readdirSync(cache).filter((name) => name.endsWith(".git"))).toEqual(mirrors);
  });

  it("falls back to `master` when the remote HEAD names no branch, and refuses reads before open()", async () => {
    const headless = path.join(work, "headless");
    const b = new RepoBuilder();
    b.branch("trunk", b.commit({ files: { "composer.json": "{}" } }));
    b.write(headless, "unborn");
    await withDriver(headless, async (driver) => expect(await driver.defaultBranch()).toBe("master"));
    await expect(new GitCliDriver({ url: repo, cacheDir }).tags()).rejects.toMatchObject({ reason: "invalid" });
  });
});

describe("GitCliDriver: zipballs", () => {
  it("archives under the prefix, honouring export-ignore and composer.json archive.exclude", async () => {
    await withDriver(repo, async (driver) => {
      const zip = await driver.archive(c1, "acme-lib-123", ["/tests", "!/tests/keep.php", "*.md"]);
      const files = unzipSync(zip);
      const names = Object.keys(files).filter((name) => !name.endsWith("/")).sort();
      expect(names).toEqual([
        "acme-lib-123/.gitattributes",
        "acme-lib-123/bin/tool",
        "acme-lib-123/composer.json",
        "acme-lib-123/src/A.php",
        "acme-lib-123/tests/keep.php",
      ]);
      expect(strFromU8(files["acme-lib-123/bin/tool"])).toBe("#!/bin/sh\n");
      const plain = Object.keys(unzipSync(await driver.archive(c1, "p", []))).filter((name) => !name.endsWith("/"));
      expect(plain).toContain("p/tests/ATest.php");
      expect(plain).not.toContain("p/build/out.txt");
      await expect(driver.archive(c1, "../x", [])).rejects.toMatchObject({ reason: "invalid" });
      await expect(driver.archive("HEAD", "x", [])).rejects.toMatchObject({ reason: "invalid" });
    });
  });
});

describe("GitCliDriver: failures", () => {
  let http: HttpServer;
  let tcp: TcpServer;
  const sockets: Socket[] = [];
  const authorizations: string[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    http = createHttpServer((request, response) => {
      urls.push(request.url ?? "");
      if (request.headers.authorization) authorizations.push(request.headers.authorization);
      response.writeHead(401, { "WWW-Authenticate": 'Basic realm="satchel-test"' }).end("no");
    });
    tcp = createTcpServer((socket) => sockets.push(socket)); // accepts and never answers
    await Promise.all([new Promise<void>((r) => http.listen(0, "127.0.0.1", r)), new Promise<void>((r) => tcp.listen(0, "127.0.0.1", r))]);
  });

  afterAll(() => {
    for (const socket of sockets) socket.destroy();
    http.close();
    tcp.close();
  });

  const failure = async (url: string, options: Partial<ConstructorParameters<typeof GitCliDriver>[0]> = {}) => {
    try {
      await withDriver(url, async () => undefined, options);
    } catch (error) {
      expect(error).toBeInstanceOf(RepositoryError);
      return error as RepositoryError;
    }
    throw new Error(`${url} opened`);
  };

  it("maps a missing repository, an unreachable host and a silent server to not-found, unreachable and timeout", async () => {
    expect((await failure(path.join(work, "does-not-exist"))).reason).toBe("not-found");
    expect((await failure("http://127.0.0.1:1/repo.git")).reason).toBe("unreachable");
    const port = (tcp.address() as { port: number }).port;
    const silent = await failure(`git://127.0.0.1:${port}/repo.git`, { fetchTimeoutMs: 700 });
    expect(silent.reason).toBe("timeout");
    expect(readdirSync(cacheDir).filter((name) => name.includes(".tmp-"))).toEqual([]);
  });

  it("sends https credentials only through GIT_ASKPASS, and never shows them", async () => {
    const port = (http.address() as { port: number }).port;
    const refused = await failure(`http://127.0.0.1:${port}/repo.git`);
    expect(refused.reason).toBe("auth");
    const token = "s3cr3t-t0ken-value";
    const denied = await failure(`http://127.0.0.1:${port}/private.git`, { httpToken: { username: "deploy", password: token } });
    expect(denied.reason).toBe("auth");
    expect(authorizations).toContain(`Basic ${Buffer.from(`deploy:${token}`).toString("base64")}`);
    expect(urls.join(" ")).not.toContain(token);
    expect(denied.message).not.toContain(token);
    const embedded = await failure(`http://someone:hunter22@127.0.0.1:${port}/repo.git`);
    expect(embedded.message).not.toContain("hunter22");
    expect(embedded.message).toContain(`http://127.0.0.1:${port}/repo.git`);
  });

  it("knows local paths and file:// URLs from remote ones", () => {
    for (const local of ["/srv/repo", "./repo", "../repo", "repo", "file:///srv/repo", "C:\\repos\\x"]) expect(isLocalRepositoryUrl(local), local).toBe(true);
    for (const remote of ["https://github.com/a/b", "git@github.com:a/b.git", "ssh://git@host:22/a/b", "git://host/a", "host:repo"]) expect(isLocalRepositoryUrl(remote), remote).toBe(false);
  });
});
