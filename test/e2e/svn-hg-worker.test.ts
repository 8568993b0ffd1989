// Subversion and Mercurial repositories end to end, on both runtimes: a package served by
// svnserve (svn://, found from the URL, with a custom tags path) and one served by hg serve
// (http://, `"type": "hg"`) are created through the API, read by the worker as Composer's
// SvnDriver and HgDriver read them, and installed by the real composer from Satchel's zipballs.
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composerJson } from "../../worker-git/src/testing/repo-builder.ts";
import { HgRepo, hasSvnAndHg, SvnRepo, startHgServe, startSvnserve, type RunningServer } from "../../worker-git/src/testing/svn-hg.ts";
import { composer, composerAvailable, composerProject, installedVersion } from "../support/composer-cli.ts";
import { startSatchel, type Runtime, type SatchelProcess } from "../support/satchel-process.ts";

const missing = composerAvailable() ? hasSvnAndHg() : "composer is not installed";
if (missing !== null && process.env.CI === "true") throw new Error(`svn/hg end-to-end: ${missing}`);
if (missing !== null) console.warn(`\n!!! svn/hg end-to-end tests are SKIPPED: ${missing}\n`);

interface Job {
  status: string;
  result?: { error?: string; added?: string[] };
}

for (const runtime of ["node", "workerd"] as Runtime[]) {
  describe.skipIf(missing !== null)(`${runtime}: Subversion and Mercurial repositories through the worker`, () => {
    let satchel: SatchelProcess;
    let admin: string;
    let svnServer: RunningServer;
    let hgServer: RunningServer;
    const api = async <T = Record<string, unknown>>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> => {
      const response = await fetch(`${satchel.url}${route}`, {
        method,
        headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as T };
    };
    const settle = async (jobId: string): Promise<Job> => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const job = (await api<Job>("GET", `/api/jobs/${jobId}`)).body;
        if (job.status === "done" || job.status === "failed") return job;
        if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status}\n${satchel.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };

    beforeAll(async () => {
      const root = await mkdtemp(path.join(tmpdir(), "satchel-svn-hg-"));
      const svn = new SvnRepo(path.join(root, "svn"), "lib", ["trunk", "branches", "releases"]);
      const svnJson = { name: `acme/svn-${runtime}`, autoload: { "psr-4": { "Acme\\Svn\\": "src/" } }, archive: { exclude: ["/docs"] } };
      svn.commit("trunk", { "composer.json": composerJson(svnJson), "src/Version.php": "<?php // svn 1.0.0\n", "docs/internal.md": "not shipped\n" });
      svn.copy("trunk", "releases/1.0.0");
      const hg = new HgRepo(path.join(root, "hg", "lib"));
      hg.commit({ "composer.json": composerJson({ name: `acme/hg-${runtime}`, autoload: { "psr-4": { "Acme\\Hg\\": "src/" } } }), "src/Version.php": "<?php // hg 2.0.0\n" }, "2024-06-01 12:00:00 +0200");
      hg.hg("tag", "-d", "2024-06-01 12:01:00 +0200", "2.0.0");
      svnServer = await startSvnserve(path.join(root, "svn"));
      hgServer = await startHgServe(path.join(root, "hg"), { lib: hg.dir });
      satchel = await startSatchel(runtime);
      admin = await satchel.adminToken();
    }, 120_000);

    afterAll(async () => {
      await satchel?.stop();
      svnServer?.stop();
      hgServer?.stop();
    });

    it("installs a package from svnserve and one from hg serve with composer require", async () => {
      const svnUrl = `${svnServer.url}/lib`;
      const svnJob = await api<{ job: string }>("POST", "/api/create-package", { repository: svnUrl, type: "svn", "tags-path": "releases" });
      expect(svnJob.status).toBe(202);
      const hgJob = await api<{ job: string }>("POST", "/api/create-package", { repository: `${hgServer.url}/lib`, type: "hg" });
      expect(hgJob.status).toBe(202);
      const svnDone = await settle(svnJob.body.job);
      expect(svnDone.status, JSON.stringify(svnDone)).toBe("done");
      expect(svnDone.result?.added).toEqual(expect.arrayContaining(["1.0.0", "dev-trunk"]));
      const hgDone = await settle(hgJob.body.job);
      expect(hgDone.status, JSON.stringify(hgDone)).toBe("done");
      expect(hgDone.result?.added).toEqual(expect.arrayContaining(["2.0.0", "dev-default"]));

      const project = await composerProject(satchel.url, "admin", admin);
      const require = await composer(project, ["require", `acme/svn-${runtime}:^1.0`, `acme/hg-${runtime}:^2.0`]);
      expect(require.code, require.output).toBe(0);
      expect(await installedVersion(project, `acme/svn-${runtime}`)).toBe("1.0.0");
      expect(await installedVersion(project, `acme/hg-${runtime}`)).toBe("2.0.0");
      expect(await readFile(path.join(project, `vendor/acme/svn-${runtime}/src/Version.php`), "utf8")).toContain("svn 1.0.0");
      expect(await readFile(path.join(project, `vendor/acme/hg-${runtime}/src/Version.php`), "utf8")).toContain("hg 2.0.0");
      // composer.json archive.exclude is honoured in the export's zipball.
      await expect(readFile(path.join(project, `vendor/acme/svn-${runtime}/docs/internal.md`), "utf8")).rejects.toThrow();
      const lock = JSON.parse(await readFile(path.join(project, "composer.lock"), "utf8")) as { packages: { name: string; source: { type: string; url: string; reference: string } }[] };
      const svnLocked = lock.packages.find((pkg) => pkg.name === `acme/svn-${runtime}`);
      expect(svnLocked?.source).toEqual({ type: "svn", url: svnUrl, reference: expect.stringMatching(/^\/releases\/1\.0\.0\/@\d+$/) });
      expect(lock.packages.find((pkg) => pkg.name === `acme/hg-${runtime}`)?.source.type).toBe("hg");
    });

    it("refuses repository options that do not fit the type", async () => {
      const wrong = await api<{ error: { message: string } }>("POST", "/api/create-package", { repository: `${hgServer.url}/other`, type: "hg", "trunk-path": "x" });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.message).toContain("trunk-path");
      const unknown = await api<{ error: { message: string } }>("POST", "/api/create-package", { repository: `${hgServer.url}/other`, type: "cvs" });
      expect(unknown.status).toBe(400);
      const smuggled = await api("POST", "/api/create-package", { repository: `${hgServer.url}/other#vcs=svn` });
      expect(smuggled.status).toBe(400);
    });
  });
}
