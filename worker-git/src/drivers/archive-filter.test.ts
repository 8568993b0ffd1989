import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { strFromU8, unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { compileArchiveExcludes, globToRegex, isExcluded, matchesArchiveExclude, readZipEntryMeta, rerootZip } from "./archive-filter.ts";
import { buildModel, COMMITS, zipball } from "./fixtures/repository-model.ts";

describe("matchesArchiveExclude (Composer's archive.exclude)", () => {
  it.each([
    // A leading slash anchors at the package root.
    [["/docs"], "docs/guide.md", true],
    [["/docs"], "src/docs/guide.md", false],
    [["/docs"], "docsx/a", false],
    // No slash, or only a trailing one: any depth.
    [["docs"], "src/docs/guide.md", true],
    [["docs/"], "src/docs/guide.md", true],
    [["*.md"], "README.md", true],
    [["*.md"], "docs/deep/guide.md", true],
    // Strict leading dot: `*` does not match a dotfile's name.
    [["*.md"], ".hidden.md", false],
    [[".*"], ".gitattributes", true],
    // Later rules win; `!` re-includes.
    [["*.md", "!README.md"], "README.md", false],
    [["*.md", "!README.md"], "docs/README.md", false],
    [["!README.md", "*.md"], "README.md", true],
    // A slash inside the rule: matched anywhere in the path, as Composer does (unanchored).
    [["src/*.php"], "src/Lib.php", true],
    [["src/*.php"], "lib/src/Lib.php", true],
    [["src/*.php"], "src/sub/Lib.php", false],
    [["tests/**"], "tests/a/b/c.php", true],
    [["/tests/**/*.php"], "tests/a/b/c.php", true],
    [["{a,b}.txt"], "b.txt", true],
    [["?.txt"], "ab.txt", false],
    [["\\*.txt"], "*.txt", true],
    [["\\*.txt"], "a.txt", false],
    // A rule that is not a valid regex is ignored.
    [["[", "/docs"], "docs/a", true],
    [["["], "[", false],
    [[], "anything", false],
  ] as const)("%j excludes %s: %s", (rules, path, expected) => {
    expect(matchesArchiveExclude(path, rules)).toBe(expected);
    expect(matchesArchiveExclude(`/${path}`, rules)).toBe(expected);
  });

  it("translates globs like Symfony Finder", () => {
    expect(globToRegex("*.md")).toBe("(?=[^\\.])[^/]*\\.md");
    expect(globToRegex("a/**/b")).toBe("(?=[^\\.])a/(?:(?=[^\\.])[^/]+/)*(?=[^\\.])b");
  });
});

// The oracle: Composer's own ComposerExcludeFilter over the same rules and paths.
const ORACLE = fileURLToPath(new URL("./archive-exclude-oracle.php", import.meta.url));
const AUTOLOAD = process.env.COMPOSER_AUTOLOAD ?? "/usr/share/php/Composer/autoload.php";
const php = spawnSync("php", ["-r", "echo 1;"], { encoding: "utf8" });
const oracleMissing = php.error || php.status !== 0 ? "php is not installed" : existsSync(AUTOLOAD) ? null : `no Composer sources at ${AUTOLOAD}`;
if (oracleMissing && process.env.CI === "true") throw new Error(`archive-exclude oracle required under CI: ${oracleMissing}`);

describe.skipIf(oracleMissing !== null)("matchesArchiveExclude against Composer's ComposerExcludeFilter", () => {
  const paths = [
    "/README.md", "/readme.md", "/docs", "/docs/guide.md", "/docs/api/index.html", "/src/Lib.php", "/src/docs/x.md",
    "/src/sub/Deep.php", "/lib/src/Lib.php", "/tests/LibTest.php", "/tests/fixtures/a/b.json", "/.github/workflows/ci.yml",
    "/.gitattributes", "/bin/tool", "/vendor/autoload.php", "/a.txt", "/b.txt", "/ab.txt", "/*.txt", "/x(1).txt",
    "/weird#name", "/CHANGELOG-1.0.md", "/build/.keep", "/Tests/Upper.php", "/srcdocs/x",
  ];
  const rules = [
    ["/docs"], ["docs"], ["docs/"], ["/docs/"], ["*.md"], ["*.md", "!README.md"], ["!README.md", "*.md"], ["src/*.php"],
    ["/src/*.php"], ["tests/**"], ["/tests/**/*.json"], ["**/*.json"], [".*"], ["/.github"], ["{a,b}.txt"], ["?.txt"],
    ["\\*.txt"], ["x(1).txt"], ["weird#name"], ["CHANGELOG-*.md"], ["/build/"], ["tests", "!tests/LibTest.php"],
    ["/Tests"], ["!!README.md"], ["/"], [""], ["["], ["vendor/*"], ["/*"], ["*"], ["src"], ["/src/**"],
  ];

  it("agrees on every rule set and path", () => {
    const cases = rules.map((set) => ({ rules: set, paths }));
    const run = spawnSync("php", [ORACLE], { input: JSON.stringify(cases), encoding: "utf8", env: { ...process.env, COMPOSER_AUTOLOAD: AUTOLOAD } });
    expect(run.status, run.stderr).toBe(0);
    const expected = JSON.parse(run.stdout) as boolean[][];
    const ours = cases.map((item) => {
      const compiled = compileArchiveExcludes(item.rules);
      return item.paths.map((path) => isExcluded(path, compiled));
    });
    const differences = cases.flatMap((item, i) =>
      item.paths.flatMap((path, j) => (ours[i][j] === expected[i][j] ? [] : [`${JSON.stringify(item.rules)} ${path}: composer says ${expected[i][j]}`])),
    );
    expect(differences).toEqual([]);
  });
});

describe("rerootZip", () => {
  const model = buildModel({ bulkTags: 0, bulkBranches: 0 });
  const commit = model.commits.get(COMMITS.main);
  if (!commit) throw new Error("fixture");
  const source = zipball(model, commit, "acme-lib-1234567");

  it("moves every file from the provider's top directory under the prefix and drops directory entries", () => {
    const out = unzipSync(rerootZip(source, "acme-lib-main", []));
    const names = Object.keys(out).sort();
    expect(names).toContain("acme-lib-main/composer.json");
    expect(names).toContain("acme-lib-main/src/Lib.php");
    expect(names.every((name) => name.startsWith("acme-lib-main/") && !name.endsWith("/"))).toBe(true);
    // export-ignore was applied by the provider already: tests/ is not in its zip.
    expect(names.some((name) => name.includes("tests/"))).toBe(false);
    expect(strFromU8(out["acme-lib-main/src/Lib.php"])).toContain("final class Lib");
  });

  it("applies archive.exclude with negation", () => {
    const out = unzipSync(rerootZip(source, "pkg", ["/docs", "*.md", "!README.md", "*.json", "!/composer.json"]));
    const names = Object.keys(out).sort();
    expect(names).toContain("pkg/README.md");
    expect(names).toContain("pkg/composer.json");
    expect(names).not.toContain("pkg/docs/guide.md");
    expect(names).not.toContain("pkg/big.json");
    expect(names).not.toContain("pkg/minified.json");
  });

  it("keeps Unix modes (executables, symlinks) and entry times", () => {
    const rerooted = rerootZip(source, "pkg", []);
    const before = readZipEntryMeta(source);
    const after = readZipEntryMeta(rerooted);
    expect(((after.get("pkg/bin/tool")?.attrs ?? 0) >>> 16) & 0o777).toBe(0o755);
    expect(((after.get("pkg/readme-link")?.attrs ?? 0) >>> 16) & 0o170000).toBe(0o120000);
    expect(strFromU8(unzipSync(rerooted)["pkg/readme-link"])).toBe("README.md");
    expect(after.get("pkg/src/Lib.php")?.os).toBe(3);
    expect(after.get("pkg/src/Lib.php")?.mtime.getTime()).toBe(before.get("acme-lib-1234567/src/Lib.php")?.mtime.getTime());
    // Same input, same bytes: the archive is reproducible.
    expect(rerootZip(source, "pkg", [])).toEqual(rerooted);
  });

  it("refuses an archive that declares more unpacked bytes than allowed, before inflating it", () => {
    expect(() => rerootZip(source, "pkg", [], 1024)).toThrow(/unpacks to more than/);
  });

  it("puts files at the root for an empty prefix, and keeps paths of a zip without one top directory", () => {
    expect(Object.keys(unzipSync(rerootZip(source, "", [])))).toContain("composer.json");
    const flat = zipSync({ "composer.json": new TextEncoder().encode("{}"), "src/A.php": new Uint8Array(1) });
    expect(Object.keys(unzipSync(rerootZip(flat, "p/", []))).sort()).toEqual(["p/composer.json", "p/src/A.php"]);
  });
});
