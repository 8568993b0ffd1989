// The real `composer` installs packages that come from a Composer 1 style upstream (the layout
// of repo.magento.com: provider-includes, per-package files named by sha256, archives without
// a reference, http-basic credentials) through Satchel, which serves them as Composer 2 p2.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMPOSER_INSTALL, composer, composerAvailable, composerProject, installedVersion } from "../support/composer-cli.ts";
import { Composer1Upstream } from "../support/composer1-upstream.ts";
import { requireTool } from "../support/required-tool.ts";
import { startSatchel, type SatchelProcess } from "../support/satchel-process.ts";
import { serveOverHttp } from "../support/upstream-server.ts";

const hasComposer = requireTool(composerAvailable(), "composer", COMPOSER_INSTALL, "the Composer 1 upstream end-to-end test");

describe.skipIf(!hasComposer)("node: composer through Satchel from a Composer 1 style upstream", () => {
  let satchel: SatchelProcess;
  let server: Awaited<ReturnType<typeof serveOverHttp<Composer1Upstream>>>;
  let admin: string;

  beforeAll(async () => {
    server = await serveOverHttp((url) => new Composer1Upstream(url, "providers"));
    await server.upstream.addPackage("magento/module-catalog", ["103.0.1", "103.0.2"]);
    await server.upstream.addPackage("magento/module-store", ["101.0.0"], { require: { "magento/module-catalog": "^103.0" } });
    satchel = await startSatchel("node", {});
    admin = await satchel.adminToken();
    const response = await fetch(`${satchel.url}/api/upstreams`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "magento-like", url: server.url, username: server.upstream.username, password: server.upstream.password, priority: 0 }),
    });
    expect(response.status, await response.clone().text()).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await satchel?.stop("SIGTERM");
    await server?.stop();
  });

  it("installs a package and its dependency, every archive through Satchel, no upstream credentials on the client", async () => {
    const project = await composerProject(satchel.url, "admin", admin, { "magento/module-store": "*" });
    const run = await composer(project, ["install"]);
    expect(run.code, run.output).toBe(0);
    expect(await installedVersion(project, "magento/module-store")).toBe("101.0.0");
    expect(await installedVersion(project, "magento/module-catalog")).toBe("103.0.2");
    expect(await readFile(path.join(project, "vendor/magento/module-catalog/src/Info.php"), "utf8")).toContain("103.0.2 from the Composer 1 upstream");
    const lock = JSON.parse(await readFile(path.join(project, "composer.lock"), "utf8")) as { packages: { name: string; dist: { url: string; reference: string } }[] };
    for (const locked of lock.packages) {
      expect(locked.dist.url.startsWith(`${satchel.url}/zipball/${locked.name}/`)).toBe(true);
      expect(locked.dist.reference).toMatch(/^[0-9a-f]{40}$/);
    }
  });
});
