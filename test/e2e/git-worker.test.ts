// The git worker end to end, on both runtimes: a real repository served by git daemon (git://)
// and by sshd (ssh:// with a key added through the credentials API) becomes a package, pushed
// tags become installable by the real composer from Satchel's zipballs, and failures keep the
// last good metadata.
import { readdir, readFile, rename } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { COMPOSER_INSTALL, composer, composerAvailable, composerProject, installedVersion } from "../support/composer-cli.ts";
import { requireTool } from "../support/required-tool.ts";
import { createRepository, sshdAvailable, startSshd, type GitServer } from "../support/git-servers.ts";
import { withGitSatchel } from "../support/git-satchel.ts";
import { type Runtime, type SatchelProcess } from "../support/satchel-process.ts";

const hasComposer = requireTool(composerAvailable(), "composer", COMPOSER_INSTALL, "the git worker end-to-end tests");
const hasSshd = hasComposer && requireTool(sshdAvailable(), "openssh-server (/usr/sbin/sshd, run as root)", "apt-get install openssh-server", "the ssh:// git worker tests");

interface Job {
  status: string;
  result?: { error?: string; added?: string[]; skipped?: unknown[] };
}

for (const runtime of ["node", "bun", "workerd"] as Runtime[]) {
  describe.skipIf(!hasComposer)(`${runtime}: git repositories through the worker`, () => {
    let satchel: SatchelProcess;
    let admin: string;
    let root: string;
    let daemon: GitServer;
    const api = async <T = Record<string, unknown>>(method: string, route: string, body?: unknown, expected = 300): Promise<T> => {
      const response = await fetch(`${satchel.url}${route}`, {
        method,
        headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (response.status >= expected) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
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

    withGitSatchel(runtime, { prefix: "satchel-git-root-" }, (running) => ({ root, daemon, satchel, admin } = running));

    it("turns a git:// repository into a package, and each pushed tag into an installable version", async () => {
      const repo = await createRepository(root, `lib-${runtime}.git`);
      const composerJson = { name: `acme/git-${runtime}`, description: "From git", autoload: { "psr-4": { "Acme\\Git\\": "src/" } } };
      await repo.release(composerJson, "v1.0.0", { "src/Version.php": "<?php // 1.0.0\n", ".gitattributes": "/tests export-ignore\n", "tests/SecretTest.php": "<?php\n", "README.md": "# Git lib\n\nRead from the default branch.\n" });
      const { job } = await api<{ job: string }>("POST", "/api/create-package", { repository: daemon.url(`lib-${runtime}.git`) });
      const created = await settle(job);
      expect(created.status, JSON.stringify(created)).toBe("done");
      expect(created.result?.added).toEqual(expect.arrayContaining(["v1.0.0", "dev-main"]));
      // The default branch's README is stored for the package page.
      expect((await api<{ readme: string | null }>("GET", `/api/packages/acme/git-${runtime}`)).readme).toBe("# Git lib\n\nRead from the default branch.\n");

      const project = await composerProject(satchel.url, "admin", admin, { [composerJson.name]: "^1.0" });
      const install = await composer(project, ["install"]);
      expect(install.code, install.output).toBe(0);
      expect(await installedVersion(project, composerJson.name)).toBe("v1.0.0");
      const lock = JSON.parse(await readFile(path.join(project, "composer.lock"), "utf8")) as { packages: { dist: { url: string } }[] };
      expect(lock.packages[0]?.dist.url).toMatch(new RegExp(`^${satchel.url}/zipball/acme/git-${runtime}/[0-9a-f]{40}\\.zip$`));
      expect(await readFile(path.join(project, `vendor/acme/git-${runtime}/src/Version.php`), "utf8")).toContain("1.0.0");
      // .gitattributes export-ignore is honoured in the zipball.
      await expect(readFile(path.join(project, `vendor/acme/git-${runtime}/tests/SecretTest.php`), "utf8")).rejects.toThrow();

      await repo.release(composerJson, "v1.1.0", { "src/Version.php": "<?php // 1.1.0\n" });
      // A flood of hooks for one package coalesces into at most two jobs (one may be running).
      const hooks = await Promise.all(
        Array.from({ length: 20 }, () => api<{ jobs: string[] }>("POST", "/api/update-package", { repository: { url: daemon.url(`lib-${runtime}.git`) } })),
      );
      const jobs = new Set(hooks.flatMap((hook) => hook.jobs));
      expect(jobs.size).toBeLessThanOrEqual(2);
      for (const id of jobs) expect((await settle(id)).status).toBe("done");
      const update = await composer(project, ["update"]);
      expect(update.code, update.output).toBe(0);
      expect(await installedVersion(project, composerJson.name)).toBe("v1.1.0");
    });

    it("fails an update with a clear reason and keeps the last good metadata", async () => {
      const repo = await createRepository(root, `gone-${runtime}.git`);
      await repo.release({ name: `acme/gone-${runtime}` }, "1.0.0");
      const url = daemon.url(`gone-${runtime}.git`);
      expect((await settle((await api<{ job: string }>("POST", "/api/create-package", { repository: url })).job)).status).toBe("done");
      await rename(repo.bare, `${repo.bare}.moved`);
      try {
        const { jobs } = await api<{ jobs: string[] }>("POST", "/api/update-package", { repository: { url } });
        const failed = await settle(jobs[0] as string);
        expect(failed.status).toBe("failed");
        expect(failed.result?.error).toMatch(/not found|does not exist|unreachable|could not read/i);
        const p2 = await fetch(`${satchel.url}/p2/acme/gone-${runtime}.json`, { headers: { authorization: `Bearer ${admin}` } });
        const body = (await p2.json()) as { packages: Record<string, { version: string }[]> };
        expect(body.packages[`acme/gone-${runtime}`]?.map((version) => version.version)).toEqual(["1.0.0"]);
      } finally {
        await rename(`${repo.bare}.moved`, repo.bare);
      }
      const unreachable = await api<{ job: string }>("POST", "/api/create-package", { repository: "git://127.0.0.1:1/nothing.git" });
      const refused = await settle(unreachable.job);
      expect(refused.status).toBe("failed");
      expect(refused.result?.error?.length).toBeGreaterThan(10);
    });

    it.skipIf(!hasSshd)("reads an ssh:// repository with a key added through the credentials API", async () => {
      const sshd = await startSshd(root);
      try {
        const repo = await createRepository(root, `ssh-${runtime}.git`);
        await repo.release({ name: `acme/ssh-${runtime}` }, "2.0.0");
        const key = await api<{ id: number }>("POST", "/api/credentials", { name: "deploy key", kind: "ssh-key", secret: sshd.privateKey });
        const withoutKey = await api<{ job: string }>("POST", "/api/create-package", { repository: sshd.url(`ssh-${runtime}.git`) });
        const refused = await settle(withoutKey.job);
        expect(refused.status).toBe("failed");
        expect(refused.result?.error).not.toContain("PRIVATE KEY");
        const { job } = await api<{ job: string }>("POST", "/api/create-package", { repository: sshd.url(`ssh-${runtime}.git`), credentials: key.id });
        const done = await settle(job);
        expect(done.status, JSON.stringify(done)).toBe("done");
        // The host key accepted on first use is this instance's, in its private data folder (in the
        // shared temp folder, another instance's sshd on a reused port had "changed" it).
        const cached = await readdir(path.join(satchel.dataDir, "git-cache"), { recursive: true });
        expect(cached.filter((file) => path.basename(file) === "known_hosts")).toHaveLength(1);
        const project = await composerProject(satchel.url, "admin", admin, { [`acme/ssh-${runtime}`]: "^2.0" });
        const install = await composer(project, ["install"]);
        expect(install.code, install.output).toBe(0);
        expect(await installedVersion(project, `acme/ssh-${runtime}`)).toBe("2.0.0");
      } finally {
        await sshd.stop();
      }
    });
  });
}
