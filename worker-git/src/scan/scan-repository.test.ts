// scanRepository over real git repositories (GitCliDriver, temp dirs): what it publishes, what
// it skips and why, and incremental scans that reuse published entries without re-reading.
// Composer parity itself is proven by test/differential/vcs-repository.test.ts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { FileAtCommit, RepositoryDriver } from "../drivers/driver.ts";
import { GitCliDriver } from "../drivers/git-cli.ts";
import { RepoBuilder, composerJson, git } from "../testing/repo-builder.ts";
import { scanRepository, type ScanOptions } from "./scan-repository.ts";

const work = mkdtempSync(path.join(os.tmpdir(), "satchel-scan-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The real driver, counting the commits whose composer.json is read. */
class CountingDriver implements RepositoryDriver {
  readonly inner: GitCliDriver;
  reads: string[] = [];
  constructor(inner: GitCliDriver) {
    this.inner = inner;
  }
  get source() {
    return this.inner.source;
  }
  open(signal?: AbortSignal) {
    return this.inner.open(signal);
  }
  defaultBranch() {
    return this.inner.defaultBranch();
  }
  tags() {
    return this.inner.tags();
  }
  branches() {
    return this.inner.branches();
  }
  readFile(commits: readonly string[], file: string): Promise<Map<string, FileAtCommit>> {
    this.reads.push(...commits);
    return this.inner.readFile(commits, file);
  }
  commitDates(commits: readonly string[]) {
    return this.inner.commitDates(commits);
  }
  archive(commit: string, prefix: string, excludes: readonly string[]) {
    return this.inner.archive(commit, prefix, excludes);
  }
  close() {
    return this.inner.close();
  }
}

async function scan(dir: string, options: Partial<ScanOptions> = {}) {
  const driver = new CountingDriver(new GitCliDriver({ url: dir, cacheDir: path.join(work, "cache") }));
  await driver.open();
  try {
    const result = await scanRepository(driver, { sourceUrl: dir, ...options });
    return { ...result, reads: driver.reads };
  } finally {
    await driver.close();
  }
}

function makeRepo(name: string): { dir: string; commits: Record<string, string> } {
  const dir = path.join(work, name);
  const b = new RepoBuilder();
  const lib = (fields: Record<string, unknown>) => composerJson({ name: "acme/lib", license: "MIT", ...fields });
  const c1 = b.commit({ files: { "composer.json": lib({ archive: { exclude: ["/tests"] } }) } });
  const c2 = b.commit({ parent: c1, files: { "composer.json": lib({ description: "two", time: "2024-01-02T03:04:05+00:00" }) } });
  const c3 = b.commit({ parent: c2, files: { "README.md": "no composer.json\n" } });
  const main = b.commit({ parent: c2, files: { "composer.json": lib({ description: "main" }) } });
  b.tag("v1.0.0", c1, { annotated: true }).tag("v1.1.0", c2).tag("v2.0.0", c3).tag("not-a-version", c2);
  b.branch("main", main).branch("1.x", c2).branch("dependabot/composer/x", c2).branch("gh-pages", c3);
  b.write(dir, "main");
  const id = (rev: string) => git(dir, ["rev-parse", rev]).trim();
  return { dir, commits: { c1: id("v1.0.0^{}"), c3: id("v2.0.0"), main: id("main") } };
}

describe("scanRepository", () => {
  it("publishes tags then branches, default branch first, with the reasons for every skipped ref", async () => {
    const { dir, commits } = makeRepo("basic");
    const result = await scan(dir, { distUrl: (ref, commit, name) => `https://dist.example/${name}/${ref}/${commit}.zip` });
    expect(result.defaultBranch).toBe("main");
    expect(result.versions.map((v) => [v.kind, v.ref, v.entry.version])).toEqual([
      ["tag", "v1.0.0", "v1.0.0"],
      ["tag", "v1.1.0", "v1.1.0"],
      ["branch", "main", "dev-main"],
      ["branch", "1.x", "1.x-dev"],
    ]);
    expect(result.skipped).toEqual([
      { kind: "tag", name: "not-a-version", reason: 'invalid version name "not-a-version"' },
      { kind: "tag", name: "v2.0.0", reason: "no composer.json" },
      { kind: "branch", name: "dependabot/composer/x", reason: "a bot's branch (skipped as packagist.org does)" },
      { kind: "branch", name: "gh-pages", reason: "a bot's branch (skipped as packagist.org does)" },
    ]);
    const [first, second, main] = result.versions;
    expect(first.entry.source).toEqual({ type: "git", url: dir, reference: commits.c1 });
    expect(first.entry.dist).toEqual({ type: "zip", url: `https://dist.example/acme/lib/v1.0.0/${commits.c1}.zip`, reference: commits.c1, shasum: "" });
    expect(first.archiveExcludes).toEqual(["/tests"]);
    expect(first.entry.time).toBe("2023-11-14T22:14:20+00:00");
    expect(second.entry.time).toBe("2024-01-02T03:04:05+00:00");
    expect(main.entry["default-branch"]).toBe(true);
    expect(Object.keys(main.entry)).toEqual(["name", "description", "version", "version_normalized", "license", "source", "dist", "type", "time", "default-branch"]);
  });

  it("reads the bot branches packagist.org skips when asked to behave as Composer", async () => {
    const { dir } = makeRepo("bots");
    const result = await scan(dir, { skipBotBranches: false });
    expect(result.versions.map((v) => v.entry.version)).toContain("dev-dependabot/composer/x");
    expect(result.skipped.find((s) => s.name === "gh-pages")?.reason).toBe("no composer.json");
  });

  it("reuses published entries without reading their composer.json, and matches a full scan", async () => {
    const { dir, commits } = makeRepo("incremental");
    const full = await scan(dir);
    const entries = full.versions.map((v) => v.entry);
    const again = await scan(dir, { previous: entries });
    // Only the default branch (it names the package) and the ref that published nothing.
    expect(again.reads).toEqual([commits.main, commits.c3]);
    expect(again.versions.map((v) => v.entry)).toEqual(entries);
    expect(again.versions[0].archiveExcludes).toEqual([]); // not known for a reused entry
    // The lead's Map form (any keys) works too.
    const fromMap = await scan(dir, { previous: new Map(entries.map((entry, i) => [String(i), entry])) });
    expect(fromMap.versions.map((v) => v.entry)).toEqual(entries);

    // One new tag: only it is read.
    const next = new RepoBuilder();
    next.tag("v1.2.0", next.commit({ parent: commits.main, files: { "composer.json": composerJson({ name: "acme/lib", license: "MIT", description: "1.2" }) } }));
    next.write(dir);
    const added = git(dir, ["rev-parse", "v1.2.0"]).trim();
    const incremental = await scan(dir, { previous: entries });
    expect(incremental.reads).toEqual([commits.main, added, commits.c3]); // refname order: v1.2.0, v2.0.0
    expect(incremental.versions.map((v) => v.entry)).toEqual((await scan(dir)).versions.map((v) => v.entry));
  });

  it("moves the default-branch marker and re-reads everything after a rename, without stale entries", async () => {
    const { dir } = makeRepo("moving-head");
    const entries = (await scan(dir)).versions.map((v) => v.entry);
    git(dir, ["symbolic-ref", "HEAD", "refs/heads/1.x"]);
    const moved = await scan(dir, { previous: entries });
    expect(moved.versions.map((v) => v.entry)).toEqual((await scan(dir)).versions.map((v) => v.entry));
    const oneX = moved.versions.find((v) => v.ref === "1.x");
    expect(oneX?.entry["default-branch"]).toBe(true);
    expect(Object.keys(oneX?.entry ?? {}).slice(-1)).toEqual(["default-branch"]);
    expect(moved.versions.find((v) => v.ref === "main")?.entry["default-branch"]).toBeUndefined();

    const rename = new RepoBuilder();
    rename.branch("1.x", rename.commit({ parent: git(dir, ["rev-parse", "1.x"]).trim(), files: { "composer.json": composerJson({ name: "acme/renamed", license: "MIT" }) } }));
    rename.write(dir);
    const renamed = await scan(dir, { previous: entries });
    expect(renamed.versions.every((v) => v.entry.name === "acme/renamed")).toBe(true);
    expect(renamed.versions.map((v) => v.entry)).toEqual((await scan(dir)).versions.map((v) => v.entry));
  });

  it("still refuses a reused tag that another tag now shadows", async () => {
    const { dir, commits } = makeRepo("shadowed");
    const entries = (await scan(dir)).versions.map((v) => v.entry);
    const shadow = new RepoBuilder();
    shadow.tag("1.0.0", shadow.commit({ parent: commits.c1, files: { "composer.json": composerJson({ name: "acme/lib", license: "MIT" }) } }));
    shadow.write(dir);
    const result = await scan(dir, { previous: entries });
    expect(result.skipped).toContainEqual({ kind: "tag", name: "v1.0.0", reason: "it conflicts with another tag (1.0.0) as both resolve to 1.0.0.0 internally" });
    expect(result.versions.map((v) => v.entry)).toEqual((await scan(dir)).versions.map((v) => v.entry));
  });

  it("keeps a per-blob cache next to the mirror: a re-scan of an unchanged repository reads no composer.json", async () => {
    const { dir } = makeRepo("persistent");
    const cachePath = path.join(work, "persistent.scan-cache.json");
    const cold = await scan(dir, { cachePath });
    expect(cold.reads.length).toBeGreaterThan(0);
    const warm = await scan(dir, { cachePath });
    expect(warm.reads).toEqual([]);
    expect(JSON.stringify(warm.versions)).toBe(JSON.stringify(cold.versions));
    expect(JSON.stringify(warm.skipped)).toBe(JSON.stringify(cold.skipped));
    // A deleted branch leaves the cache with the refs that remain.
    git(dir, ["branch", "-D", "1.x"]);
    await scan(dir, { cachePath });
    const stored = JSON.parse(readFileSync(cachePath, "utf8")) as { commits: Array<[string, unknown]> };
    const live = new Set(git(dir, ["for-each-ref", "--format=%(*objectname)%(objectname)", "refs/"]).split("\n").map((line) => line.slice(0, 40)));
    expect(stored.commits.every(([commit]) => live.has(commit))).toBe(true);
  });

  it("leaves the cache file alone when an incremental scan reads only a few new commits", async () => {
    const { dir, commits } = makeRepo("incremental-cache");
    const cachePath = path.join(work, "incremental.scan-cache.json");
    const entries = (await scan(dir, { cachePath })).versions.map((v) => v.entry);
    const before = readFileSync(cachePath, "utf8");
    const next = new RepoBuilder();
    next.tag("v1.3.0", next.commit({ parent: commits.main, files: { "composer.json": composerJson({ name: "acme/lib", license: "MIT", description: "1.3" }) } }));
    next.write(dir);
    const incremental = await scan(dir, { cachePath, previous: entries });
    expect(readFileSync(cachePath, "utf8")).toBe(before);
    expect(incremental.versions.map((v) => v.entry)).toEqual((await scan(dir, { cachePath: null })).versions.map((v) => v.entry));
  });

  it("ignores a cache written under other rules or unreadable, and still gives the full result", async () => {
    const { dir } = makeRepo("stale-cache");
    const cachePath = path.join(work, "stale.scan-cache.json");
    const fresh = await scan(dir, { cachePath: null });
    writeFileSync(cachePath, JSON.stringify({ fingerprint: "older rules", commits: [], blobs: [], validated: [] }));
    const stale = await scan(dir, { cachePath });
    expect(stale.reads.length).toBe(fresh.reads.length);
    writeFileSync(cachePath, "{ not json");
    expect(JSON.stringify((await scan(dir, { cachePath })).versions)).toBe(JSON.stringify(fresh.versions));
  });
});
