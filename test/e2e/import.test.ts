// `satchel import satis|list` against `npm run serve` with its git worker: the repositories of a
// satis.json become packages the real `composer` installs; running the import again adds
// nothing; a broken source or an unreachable Satchel stops it with the reason, nothing created.
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { composer, composerAvailable, composerProject, installedVersion } from "../support/composer-cli.ts";
import { createRepository, type GitServer } from "../support/git-servers.ts";
import { withGitSatchel } from "../support/git-satchel.ts";
import { freePort, type SatchelProcess } from "../support/satchel-process.ts";

const hasComposer = composerAvailable();
if (!hasComposer) {
  if (process.env.CI === "true") throw new Error("composer is required on CI (apt-get install composer php-cli php-zip unzip)");
  console.warn("\n!!! composer is not installed: the import test is SKIPPED. apt-get install composer php-cli php-zip unzip\n");
}

const BIN = path.resolve(import.meta.dirname, "../../bin/satchel.js");

function satchelCli(args: string[], token: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, SATCHEL_TOKEN: token }, timeout: 180_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: `${stdout}\n${stderr}` }),
    );
  });
}

describe.skipIf(!hasComposer)("satchel import", () => {
  let root: string;
  let daemon: GitServer;
  let satchel: SatchelProcess;
  let admin: string;

  withGitSatchel("node", { prefix: "satchel-import-" }, (running) => ({ root, daemon, satchel, admin } = running));

  it("imports a satis.json's repositories, installs them with composer, and adds nothing the second time", async () => {
    for (const name of ["alpha", "beta"]) {
      const repo = await createRepository(root, `${name}.git`);
      await repo.release({ name: `imported/${name}`, autoload: { "psr-4": { [`Imported\\${name}\\`]: "src/" } } }, "v1.0.0", { "src/Hello.php": "<?php\n" });
    }
    const satisJson = path.join(root, "satis.json");
    await writeFile(
      satisJson,
      JSON.stringify({
        name: "acme/satis",
        homepage: "https://satis.example.test",
        repositories: [
          { type: "vcs", url: daemon.url("alpha.git") },
          { type: "git", url: daemon.url("beta.git") },
          { type: "composer", url: "https://repo.packagist.org" },
        ],
        "require-all": true,
      }),
    );
    const first = await satchelCli(["import", "satis", satisJson, "--into", satchel.url], admin);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toMatch(/import finished: 2 added, 0 already there, 0 failed/);
    expect(first.output).toMatch(/not a VCS repository/);

    const project = await composerProject(satchel.url, "admin", admin, { "imported/alpha": "^1.0", "imported/beta": "^1.0" });
    const install = await composer(project, ["install"]);
    expect(install.code, install.output).toBe(0);
    expect(await installedVersion(project, "imported/alpha")).toBe("v1.0.0");
    expect(await installedVersion(project, "imported/beta")).toBe("v1.0.0");

    const again = await satchelCli(["import", "satis", satisJson, "--into", satchel.url], admin);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toMatch(/import finished: 0 added, 2 already there, 0 failed/);
  }, 240_000);

  it("stops on a broken source before creating anything, and on an unreachable Satchel with the reason", async () => {
    const list = path.join(root, "repos.txt");
    await writeFile(list, `${daemon.url("gamma.git")}\nnot one url\n`);
    const broken = await satchelCli(["import", "list", list, "--into", satchel.url], admin);
    expect(broken.code).toBe(2);
    expect(broken.output).toMatch(/nothing imported: line 2/);
    const packages = (await (await fetch(`${satchel.url}/api/packages`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { packages: { name: string }[] };
    expect(packages.packages.map((row) => row.name).sort()).toEqual(["imported/alpha", "imported/beta"]);

    await writeFile(list, `${daemon.url("gamma.git")}\n`);
    const unreachable = await satchelCli(["import", "list", list, "--into", `http://127.0.0.1:${await freePort()}`], admin);
    expect(unreachable.code).toBe(1);
    expect(unreachable.output).toMatch(/unreachable.*Run the same command again to resume/s);
  }, 60_000);
});
