// The real `composer` against a sub-repository's URL, on both runtimes: it resolves only the
// sub-repository's packages (a package outside it cannot be required through it, though the
// customer may install it from the root), a public one installs without credentials, and one
// served at its own hostname is reached under that Host.
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageZip } from "../contract/harness.ts";
import { COMPOSER_INSTALL, composer, composerAvailable, composerProject, installedVersion } from "../support/composer-cli.ts";
import { requireTool } from "../support/required-tool.ts";
import { startSatchel, type Runtime, type SatchelProcess } from "../support/satchel-process.ts";

const hasComposer = requireTool(composerAvailable(), "composer", COMPOSER_INSTALL, "the end-to-end sub-repository tests");

for (const runtime of ["node", "workerd"] as Runtime[]) {
  describe.skipIf(!hasComposer)(`${runtime}: composer against a sub-repository`, () => {
    let satchel: SatchelProcess;
    let admin: string;
    let customerToken: string;
    const api = async (token: string, method: string, route: string, body?: unknown) => {
      const response = await fetch(`${satchel.url}${route}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
      return (await response.json()) as Record<string, unknown>;
    };

    beforeAll(async () => {
      satchel = await startSatchel(runtime);
      admin = await satchel.adminToken();
      for (const name of ["acme/lib", "acme/other"]) {
        const zip = packageZip({ name, description: name, autoload: { "psr-4": { [`Acme\\${name === "acme/lib" ? "Lib" : "Other"}\\`]: "src/" } } });
        const upload = await fetch(`${satchel.url}/api/packages/upload/${name}/1.0.0`, { method: "PUT", headers: { authorization: `Bearer ${admin}`, "content-type": "application/zip" }, body: zip });
        expect(upload.status).toBe(201);
      }
      await api(admin, "POST", "/api/subrepositories", { name: "Customer A", slug: "customer-a", packages: ["acme/lib"] });
      await api(admin, "POST", "/api/subrepositories", { name: "Open", slug: "open", packages: ["acme/lib"], public: true });
      // Served at its own hostname: libcurl (Composer's downloader with ext-curl) resolves *.localhost to the loopback.
      await api(admin, "POST", "/api/subrepositories", { name: "Customer B", slug: "customer-b", packages: ["acme/lib"], hostname: "customer-b.localhost" });
      // The customer may install both packages from the root.
      const group = (await api(admin, "POST", "/api/groups", { name: "acme", packages: [{ name: "acme/*" }] })) as { id: number };
      await api(admin, "POST", "/api/users", { username: "customer", password: "customer-password", roles: ["ROLE_USER"], groups: [group.id] });
      const response = await fetch(`${satchel.url}/api/auth/token`, { method: "POST", body: JSON.stringify({ username: "customer", password: "customer-password" }) });
      customerToken = ((await response.json()) as { token: string }).token;
    }, 120_000);

    afterAll(async () => {
      await satchel?.stop("SIGTERM");
    });

    /** The customer installs acme/lib from `url`, with dist URLs under it, and cannot reach acme/other there. */
    const expectOnlyItsPackages = async (url: string) => {
      const project = await composerProject(url, "customer", customerToken, { "acme/lib": "^1.0" });
      const install = await composer(project, ["install"]);
      expect(install.code, install.output).toBe(0);
      expect(await installedVersion(project, "acme/lib")).toBe("1.0.0");
      const lock = JSON.parse(await readFile(path.join(project, "composer.lock"), "utf8")) as { packages: { dist: { url: string } }[] };
      expect(lock.packages[0]?.dist.url.startsWith(`${url}/zipball/acme/lib/`)).toBe(true);
      const outside = await composer(project, ["require", "acme/other:^1.0"]);
      expect(outside.code, outside.output).not.toBe(0);
      expect(outside.output).toMatch(/could not find a matching version of package acme\/other|could not be found/i);
    };

    it("resolves only the sub-repository's packages, with dist URLs under its URL", async () => {
      const url = `${satchel.url}/sub/customer-a`;
      await expectOnlyItsPackages(url);
      // The same customer gets it from the root.
      const root = await composerProject(satchel.url, "customer", customerToken, { "acme/other": "^1.0" });
      const fromRoot = await composer(root, ["install"]);
      expect(fromRoot.code, fromRoot.output).toBe(0);
    }, 120_000);

    it("resolves a sub-repository at its own hostname, with dist URLs under that hostname", async () => {
      const url = `http://customer-b.localhost:${new URL(satchel.url).port}`;
      await expectOnlyItsPackages(url);
    }, 120_000);

    it("installs from a public sub-repository without credentials", async () => {
      const project = await composerProject(`${satchel.url}/sub/open`, "nobody", "none", { "acme/lib": "^1.0" });
      await rm(path.join(project, "auth.json"));
      const install = await composer(project, ["install"]);
      expect(install.code, install.output).toBe(0);
      expect(await installedVersion(project, "acme/lib")).toBe("1.0.0");
      const privateOne = await composerProject(`${satchel.url}/sub/customer-a`, "nobody", "none", { "acme/lib": "^1.0" });
      await rm(path.join(privateOne, "auth.json"));
      const refused = await composer(privateOne, ["install"]);
      expect(refused.code, refused.output).not.toBe(0);
      expect(refused.output).toMatch(/401|authentication/i);
    }, 120_000);
  });
}
