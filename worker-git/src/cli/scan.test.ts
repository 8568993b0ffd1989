// The real `satchel-git` binary, as a child process: stdout is the JSON array only, failures are
// one line on stderr with a non-zero exit.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { RepoBuilder, composerJson } from "../testing/repo-builder.ts";

const BIN = fileURLToPath(new URL("../../bin/satchel-git.js", import.meta.url));
const work = mkdtempSync(path.join(os.tmpdir(), "satchel-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: work, encoding: "utf8", env: { ...process.env, SATCHEL_GIT_CACHE: path.join(work, "cache"), XDG_CACHE_HOME: path.join(work, "xdg-cache") } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("satchel-git scan", () => {
  it("prints every version as a JSON array, source.url exactly as given, nothing on a non-TTY stderr", () => {
    const b = new RepoBuilder();
    const commit = b.commit({ files: { "composer.json": composerJson({ name: "acme/cli", license: "MIT" }) } });
    b.tag("v1.0.0", commit).branch("main", commit).tag("junk", commit);
    b.write(path.join(work, "repo"), "main");
    const { code, stdout, stderr } = cli(["scan", "./repo"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const entries = JSON.parse(stdout) as Array<{ version: string; source: { url: string } }>;
    expect(entries.map((entry) => entry.version)).toEqual(["v1.0.0", "dev-main"]);
    expect(entries.every((entry) => entry.source.url === "./repo")).toBe(true);
    const verbose = cli(["scan", "./repo", "--skipped"]);
    expect(verbose.stderr).toBe('skipped tag junk: invalid version name "junk"\n');
  });

  it("fails with one clear line: a missing repository, a repository without versions, bad arguments", () => {
    const missing = cli(["scan", "./nowhere"]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toMatch(/^satchel-git scan: Repository .*nowhere was not found: .*\n$/);

    const b = new RepoBuilder();
    b.branch("main", b.commit({ files: { "README.md": "hi\n" } }));
    b.write(path.join(work, "bare"), "main");
    const empty = cli(["scan", "bare"]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toBe("satchel-git scan: No valid composer.json was found in any branch or tag of bare, could not load a package from it.\n");

    expect(cli(["scan"]).code).toBe(1);
    expect(cli(["scan", "a", "--nope"]).stderr).toMatch(/^satchel-git scan: .*--nope/);
    expect(cli(["frobnicate"]).code).toBe(2);
    expect(cli(["--help"]).code).toBe(0);
  });
});
