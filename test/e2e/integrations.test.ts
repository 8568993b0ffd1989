// A connected organization end to end, on both runtimes: a local GitHub organization API whose
// three repositories are real git repositories (served by git daemon at the clone URLs the API
// gives), synced, added in one call, read by the real git worker, and installed by the real
// composer.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMPOSER_INSTALL, composer, composerAvailable, composerProject, installedVersion } from "../support/composer-cli.ts";
import { startForgeOrgApi } from "../support/forge-org-api.ts";
import { createRepository, startGitDaemon, type GitServer } from "../support/git-servers.ts";
import { requireTool } from "../support/required-tool.ts";
import { startSatchel, type Runtime, type SatchelProcess } from "../support/satchel-process.ts";

const hasComposer = requireTool(composerAvailable(), "composer", COMPOSER_INSTALL, "the integration end-to-end test");

for (const runtime of ["node", "workerd"] as Runtime[]) {
  describe.skipIf(!hasComposer)(`${runtime}: an organization integration`, () => {
    let satchel: SatchelProcess;
    let admin: string;
    let daemon: GitServer;
    let forge: Awaited<ReturnType<typeof startForgeOrgApi>>;
    let root: string;
    const api = async <T = Record<string, unknown>>(method: string, route: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${satchel.url}${route}`, { method, headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
      if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    };
    const settle = async (jobId: string) => {
      const deadline = Date.now() + 90_000;
      for (;;) {
        const job = await api<{ status: string; result?: unknown }>("GET", `/api/jobs/${jobId}`);
        if (job.status === "done" || job.status === "failed") return job;
        if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status}\n${satchel.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };

    beforeAll(async () => {
      root = await mkdtemp(path.join(tmpdir(), "satchel-org-"));
      daemon = await startGitDaemon(root);
      forge = await startForgeOrgApi();
      satchel = await startSatchel(runtime);
      admin = await satchel.adminToken();
    }, 120_000);

    afterAll(async () => {
      await satchel?.stop();
      await daemon?.stop();
      await forge?.close();
    });

    it("connects a fixture organization with three repositories, adds them in one call, and installs them with the real composer", async () => {
      const names = ["http-client", "logger", "money"];
      for (const name of names) {
        const repo = await createRepository(root, `${name}-${runtime}.git`);
        await repo.release({ name: `fixture/${name}`, description: `Fixture ${name}`, autoload: { "psr-4": { [`Fixture\\${name.replace("-", "")}\\`]: "src/" } } }, "v1.0.0", { "src/Marker.php": `<?php // ${name}\n` });
      }
      const org = `fixture-${runtime}`;
      const repos = names.map((name, i) => ({ id: 100 + i, name, cloneUrl: daemon.url(`${name}-${runtime}.git`) }));
      await fetch(`${forge.url}/_control/org`, { method: "POST", body: JSON.stringify({ org, repos }) });

      const integration = await api<{ id: number }>("POST", "/api/integrations", { provider: "github", apiUrl: `${forge.url}/gh`, organization: org, token: "ghp_fixture", webhooks: false });
      for (let i = 0; i < 20; i++) {
        const view = await api<{ sync: { state: string } }>("POST", `/api/integrations/${integration.id}/sync`);
        if (view.sync.state !== "running") break;
      }
      const { repositories } = await api<{ repositories: { name: string; state: string }[] }>("GET", `/api/integrations/${integration.id}/repositories`);
      expect(repositories.map((repo) => repo.state)).toEqual(["not added", "not added", "not added"]);

      const report = await api<{ added: { repository: string; job: string }[] }>("POST", `/api/integrations/${integration.id}/repositories`, { repositories: repositories.map((repo) => repo.name) });
      expect(report.added).toHaveLength(3);
      for (const { job } of report.added) expect((await settle(job)).status).toBe("done");

      const project = await composerProject(satchel.url, "admin", admin, Object.fromEntries(names.map((name) => [`fixture/${name}`, "^1.0"])));
      const install = await composer(project, ["install"]);
      expect(install.code, install.output).toBe(0);
      for (const name of names) expect(await installedVersion(project, `fixture/${name}`)).toBe("v1.0.0");
    });
  });
}
