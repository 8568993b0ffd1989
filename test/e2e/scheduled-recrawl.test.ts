// Scheduled work runs in both local modes (the Node timer; wrangler dev's /__scheduled, driven by
// `npm start`): a tag pushed without any webhook is picked up by the re-crawl of stale packages.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRepository, startGitDaemon, type GitServer } from "../support/git-servers.ts";
import { startSatchel, type Runtime, type SatchelProcess } from "../support/satchel-process.ts";

for (const runtime of ["node", "workerd"] as Runtime[]) {
  describe(`${runtime}: scheduled re-crawl`, () => {
    let satchel: SatchelProcess;
    let daemon: GitServer;
    let admin: string;
    let root: string;

    beforeAll(async () => {
      root = await mkdtemp(path.join(tmpdir(), "satchel-recrawl-root-"));
      daemon = await startGitDaemon(root);
      // A pass every second, packages stale after 3 seconds.
      satchel = await startSatchel(runtime, { SATCHEL_SCHEDULER_INTERVAL_SECONDS: "1", SATCHEL_RECRAWL_INTERVAL_MINUTES: "0.05" });
      admin = await satchel.adminToken();
    }, 180_000);

    afterAll(async () => {
      await satchel?.stop();
      await daemon?.stop();
    });

    it("publishes a tag pushed without a webhook within a few passes", async () => {
      const name = `acme/recrawl-${runtime}`;
      const repo = await createRepository(root, `recrawl-${runtime}.git`);
      await repo.release({ name }, "1.0.0");
      const headers = { authorization: `Bearer ${admin}`, "content-type": "application/json" };
      const created = await fetch(`${satchel.url}/api/create-package`, { method: "POST", headers, body: JSON.stringify({ repository: daemon.url(`recrawl-${runtime}.git`) }) });
      expect(created.status).toBe(202);
      const { job } = (await created.json()) as { job: string };
      for (let i = 0; ; i++) {
        const state = (await (await fetch(`${satchel.url}/api/jobs/${job}`, { headers })).json()) as { status: string };
        if (state.status === "done") break;
        if (state.status === "failed" || i > 300) throw new Error(`create-package: ${JSON.stringify(state)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // Pushed after the package was read, and no hook tells Satchel about it.
      await repo.release({ name }, "1.1.0", { "CHANGELOG.md": "1.1.0\n" });
      const deadline = Date.now() + 60_000;
      let versions: string[] = [];
      while (Date.now() < deadline) {
        const p2 = await fetch(`${satchel.url}/p2/${name}.json`, { headers });
        if (p2.ok) versions = ((await p2.json()) as { packages: Record<string, { version: string }[]> }).packages[name]?.map((entry) => entry.version) ?? [];
        if (versions.includes("1.1.0")) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(versions, satchel.output().slice(-2000)).toContain("1.1.0");
    });
  });
}
