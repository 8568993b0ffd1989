// A large repository through the real git worker, on both runtimes: its first import publishes
// every version with only the newest archives built, and the real `composer install` of an old
// version gets that version's zipball built on its first request, within seconds.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { COMPOSER_INSTALL, composer, composerAvailable, composerProject, installedVersion } from "../support/composer-cli.ts";
import { requireTool } from "../support/required-tool.ts";
import { type GitServer } from "../support/git-servers.ts";
import { withGitSatchel } from "../support/git-satchel.ts";
import { type Runtime, type SatchelProcess } from "../support/satchel-process.ts";
import { importLargeRepository, makeLargeRepository, type P2Version } from "../support/large-repository.ts";

const hasComposer = requireTool(composerAvailable(), "composer", COMPOSER_INSTALL, "the lazy zipball end-to-end tests");

for (const runtime of ["node", "workerd"] as Runtime[]) {
  describe.skipIf(!hasComposer)(`${runtime}: a large repository's old zipballs are built on first request`, () => {
    let satchel: SatchelProcess;
    let admin: string;
    let daemon: GitServer;
    let tags: string[];
    const headers = () => ({ authorization: `Bearer ${admin}`, "content-type": "application/json" });

    withGitSatchel(runtime, { prefix: "satchel-large-root-", prepare: (root) => { tags = makeLargeRepository(path.join(root, "large.git")); } }, (running) => ({ daemon, satchel, admin } = running));

    it("publishes every version with the old archives deferred, then installs an old version with the real composer", async () => {
      const published = new Map((await importLargeRepository(satchel, admin, daemon.url("large.git"))).map((version) => [version.version, version]));
      expect(published.size).toBe(tags.length);
      // Built before publishing: the newest of each major line. Deferred: the old ones.
      for (const newest of ["v1.4.9", "v2.4.9", "v3.4.9"]) expect(published.get(newest)?.dist.shasum, newest).toMatch(/^[0-9a-f]{40}$/);
      const old = published.get("v1.0.3") as P2Version;
      expect(old.dist.shasum).toBe("");

      // The first request of another old version's zipball is answered within 5 s.
      const another = published.get("v2.1.5") as P2Version;
      const started = Date.now();
      const direct = await fetch(another.dist.url, { headers: headers() });
      expect(direct.status, await direct.clone().text()).toBe(200);
      expect((await direct.arrayBuffer()).byteLength).toBeGreaterThan(100);
      expect(Date.now() - started).toBeLessThan(5_000);

      const project = await composerProject(satchel.url, "admin", admin, { "acme/large": "1.0.3" });
      const install = await composer(project, ["install"]);
      expect(install.code, install.output).toBe(0);
      expect(await installedVersion(project, "acme/large")).toBe("v1.0.3");
      expect(await readFile(path.join(project, "vendor/acme/large/src/Version.php"), "utf8")).toContain("1.0.3");
      // Built as a publish would have built it: composer.json archive.exclude applies.
      await expect(readFile(path.join(project, "vendor/acme/large/docs/internal.md"), "utf8")).rejects.toThrow();
    });
  });
}
