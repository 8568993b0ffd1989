// Mono-repositories end to end, on both runtimes: one git repository with a package per
// directory (`"monorepo": {"paths": [...]}`) becomes two packages that depend on each other,
// installed by the real composer from zipballs holding only their own directory; a hook on the
// repository updates both and makes a package of a new directory, and a removed directory gets
// no new versions; paths that match nothing and two directories naming one package fail
// the job with the reason.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { RepoBuilder, composerJson, git } from "../../worker-git/src/testing/repo-builder.ts";
import { composer, composerAvailable, composerProject, installedVersion } from "../support/composer-cli.ts";
import { type GitServer } from "../support/git-servers.ts";
import { withGitSatchel } from "../support/git-satchel.ts";
import { type Runtime, type SatchelProcess } from "../support/satchel-process.ts";

const hasComposer = composerAvailable();
if (!hasComposer && process.env.CI === "true") throw new Error("composer is required on CI");

interface Job {
  status: string;
  result?: { error?: string; package?: string };
}

for (const runtime of ["node", "workerd"] as Runtime[]) {
  describe.skipIf(!hasComposer)(`${runtime}: mono-repositories through the worker`, () => {
    let satchel: SatchelProcess;
    let daemon: GitServer;
    let root: string;
    let admin: string;
    const api = async <T = Record<string, unknown>>(method: string, route: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${satchel.url}${route}`, {
        method,
        headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    };
    const settle = async (jobId: string): Promise<Job> => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const job = await api<Job>("GET", `/api/jobs/${jobId}`);
        if (job.status === "done" || job.status === "failed") return job;
        if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status}\n${satchel.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    const lib = (name: string, fields: Record<string, unknown> = {}) => composerJson({ name, license: "MIT", ...fields });

    withGitSatchel(runtime, { prefix: "satchel-mono-" }, (running) => ({ root, daemon, satchel, admin } = running));

    it("makes a package of every matching directory, installable together from their own zipballs", async () => {
      const a = `acme/mono-a-${runtime}`;
      const b = `acme/mono-b-${runtime}`;
      const repo = new RepoBuilder();
      const files = (version: string) => ({
        "composer.json": lib("acme/monorepo-root"),
        "packages/a/composer.json": lib(a, { require: { [b]: "^1.0" }, autoload: { "psr-4": { "Acme\\MonoA\\": "src/" } } }),
        "packages/a/src/A.php": `<?php // a ${version}\n`,
        "packages/b/composer.json": lib(b, { autoload: { "psr-4": { "Acme\\MonoB\\": "src/" } } }),
        "packages/b/src/B.php": `<?php // b ${version}\n`,
        "packages/b/README.md": "# B\n",
        "tools/not-a-package/composer.json": lib("acme/tool"),
      });
      const first = repo.commit({ files: files("1.0.0") });
      repo.tag("v1.0.0", first).branch("main", first);
      repo.write(path.join(root, `mono-${runtime}.git`), "main");
      const url = daemon.url(`mono-${runtime}.git`);

      const { job } = await api<{ job: string }>("POST", "/api/create-package", { repository: url, monorepo: { paths: ["packages/*"] } });
      const done = await settle(job);
      expect(done.status, JSON.stringify(done)).toBe("done");
      const p2 = await fetch(`${satchel.url}/p2/${a}.json`, { headers: { authorization: `Bearer ${admin}` } });
      const metadata = (await p2.json()) as { packages: Record<string, Array<Record<string, unknown>>> };
      const tag = metadata.packages[a]?.find((entry) => entry.version === "v1.0.0");
      expect(tag?.source).toBeUndefined();
      expect(tag?.require).toEqual({ [b]: "^1.0" });
      expect((await api<{ readme: string | null }>("GET", `/api/packages/${b}`)).readme).toBe("# B\n");

      const project = await composerProject(satchel.url, "admin", admin);
      const install = await composer(project, ["require", `${a}:^1.0`]);
      expect(install.code, install.output).toBe(0);
      expect(await installedVersion(project, a)).toBe("v1.0.0");
      expect(await installedVersion(project, b)).toBe("v1.0.0");
      // Each zipball holds its own directory only, as its single top level.
      expect((await readdir(path.join(project, `vendor/${a}`))).sort()).toEqual(["composer.json", "src"]);
      expect(await readFile(path.join(project, `vendor/${b}/src/B.php`), "utf8")).toContain("b 1.0.0");

      // One hook on the repository updates both packages.
      const next = new RepoBuilder();
      const c = `acme/mono-c-${runtime}`;
      const grown = { ...files("1.1.0"), "packages/c/composer.json": lib(c), "packages/c/src/C.php": "<?php // c\n" };
      const second = next.commit({ parent: git(path.join(root, `mono-${runtime}.git`), ["rev-parse", "main"]).trim(), files: grown });
      next.tag("v1.1.0", second).branch("main", second);
      next.write(path.join(root, `mono-${runtime}.git`));
      const { jobs } = await api<{ jobs: string[] }>("POST", "/api/update-package", { repository: { url } });
      expect(jobs).toHaveLength(2);
      for (const id of jobs) expect((await settle(id)).status).toBe("done");
      const update = await composer(project, ["update"]);
      expect(update.code, update.output).toBe(0);
      expect(await installedVersion(project, a)).toBe("v1.1.0");
      expect(await installedVersion(project, b)).toBe("v1.1.0");
      // The directory that appeared became a package.
      const added = await composer(project, ["require", `${c}:^1.1`]);
      expect(added.code, added.output).toBe(0);
      expect(await installedVersion(project, c)).toBe("v1.1.0");

      // A removed directory stops getting versions; the others go on.
      const third = new RepoBuilder();
      const { "packages/b/composer.json": _gone, "packages/b/src/B.php": _gone2, "packages/b/README.md": _gone3, ...withoutB } = grown;
      const head = third.commit({ parent: git(path.join(root, `mono-${runtime}.git`), ["rev-parse", "main"]).trim(), files: { ...withoutB, "packages/a/composer.json": lib(a, { require: {} }) } });
      third.tag("v1.2.0", head).branch("main", head);
      third.write(path.join(root, `mono-${runtime}.git`));
      const again = await api<{ jobs: string[] }>("POST", "/api/update-package", { repository: { url } });
      for (const id of again.jobs) expect((await settle(id)).status).toBe("done");
      const versionsOf = async (name: string) => {
        const response = await fetch(`${satchel.url}/p2/${name}.json`, { headers: { authorization: `Bearer ${admin}` } });
        return ((await response.json()) as { packages: Record<string, Array<{ version: string }>> }).packages[name]?.map((entry) => entry.version) ?? [];
      };
      expect(await versionsOf(a)).toContain("v1.2.0");
      expect(await versionsOf(b)).not.toContain("v1.2.0");
      expect(await versionsOf(b)).toContain("v1.1.0");
    });

    it("fails with the reason when the paths match nothing or two directories name one package", async () => {
      const repo = new RepoBuilder();
      const head = repo.commit({ files: { "libs/x/composer.json": lib(`acme/same-${runtime}`), "libs/y/composer.json": lib(`acme/same-${runtime}`) } });
      repo.tag("1.0.0", head).branch("main", head);
      repo.write(path.join(root, `bad-mono-${runtime}.git`), "main");
      const url = daemon.url(`bad-mono-${runtime}.git`);
      const nothing = await settle((await api<{ job: string }>("POST", "/api/create-package", { repository: url, monorepo: { paths: ["packages/*"] } })).job);
      expect(nothing.status).toBe("failed");
      expect(nothing.result?.error).toContain("match no directory");
      const twice = await settle((await api<{ job: string }>("POST", "/api/create-package", { repository: url, monorepo: { paths: ["libs/*"] } })).job);
      expect(twice.status).toBe("failed");
      expect(twice.result?.error).toContain("libs/x and libs/y");
    });
  });
}
