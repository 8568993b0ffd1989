// The real `composer` client against a running Satchel, on every runtime: what a vendor and
// their customers do every day. Skips loudly without composer locally; fails on CI.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageZip } from "../contract/harness.ts";
import { COMPOSER_INSTALL, composer, composerAvailable, composerProject, installedVersion } from "../support/composer-cli.ts";
import { requireTool } from "../support/required-tool.ts";
import { startSatchel, type Runtime, type SatchelProcess } from "../support/satchel-process.ts";

const hasComposer = requireTool(composerAvailable(), "composer", COMPOSER_INSTALL, "the end-to-end Composer tests");

const RELEASES: [string, string][] = [
  ["1.0.0", "2025-01-01T00:00:00+00:00"],
  ["1.5.0", "2025-09-01T00:00:00+00:00"],
  ["2.0.0", "2026-01-01T00:00:00+00:00"],
];

for (const runtime of ["node", "bun", "deno", "workerd"] as Runtime[]) {
  describe.skipIf(!hasComposer)(`${runtime}: composer against Satchel`, () => {
    let satchel: SatchelProcess;
    let admin: string;
    // A licence freeze compares the time Satchel published a release (not the archive's `time`):
    // the moment between the first upload and the next.
    let freeze: string;
    const api = async (token: string, method: string, route: string, body?: unknown) => {
      const response = await fetch(`${satchel.url}${route}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
      return response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>);
    };
    const customer = async (username: string, groups: number[]) => {
      await api(admin, "POST", "/api/users", { username, password: "customer-password", roles: ["ROLE_USER"], groups });
      const response = await fetch(`${satchel.url}/api/auth/token`, { method: "POST", body: JSON.stringify({ username, password: "customer-password" }) });
      return ((await response.json()) as { token: string; id: number });
    };

    beforeAll(async () => {
      satchel = await startSatchel(runtime);
      admin = await satchel.adminToken();
      for (const [version, time] of RELEASES) {
        const zip = packageZip(
          { name: "acme/lib", description: "Acme's library", time, autoload: { "psr-4": { "Acme\\Lib\\": "src/" } } },
          { files: { "src/Version.php": `<?php\nnamespace Acme\\Lib;\nfinal class Version { const VALUE = '${version}'; }\n` } },
        );
        const upload = await fetch(`${satchel.url}/api/packages/upload/acme/lib/${version}`, {
          method: "PUT",
          headers: { authorization: `Bearer ${admin}`, "content-type": "application/zip" },
          body: zip,
        });
        expect(upload.status).toBe(201);
        if (version === "1.0.0") {
          await new Promise((resolve) => setTimeout(resolve, 20));
          freeze = new Date().toISOString();
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    }, 120_000);

    afterAll(async () => {
      const code = await satchel?.stop("SIGTERM");
      // Both entry points stop cleanly on SIGTERM, children included.
      expect(code === 0 || code === null, satchel?.output()).toBe(true);
    });

    it("installs the newest release for the admin, and extracts it with its files", async () => {
      const project = await composerProject(satchel.url, "admin", admin, { "acme/lib": "*" });
      const run = await composer(project, ["install"]);
      expect(run.code, run.output).toBe(0);
      expect(await installedVersion(project, "acme/lib")).toBe("2.0.0");
      const source = await readFile(path.join(project, "vendor/acme/lib/src/Version.php"), "utf8");
      expect(source).toContain("'2.0.0'");
    });

    it("gives a customer with an `acme/lib <2.0` grant 1.x and no way to 2.x", async () => {
      const { id: group } = (await api(admin, "POST", "/api/groups", { name: `limited-${runtime}`, packages: [{ name: "acme/lib", version: "<2.0" }] })) as { id: number };
      const { token } = await customer(`limited-${runtime}`, [group]);
      const project = await composerProject(satchel.url, `limited-${runtime}`, token);
      const required = await composer(project, ["require", "acme/lib"]);
      expect(required.code, required.output).toBe(0);
      expect(await installedVersion(project, "acme/lib")).toBe("1.5.0");
      const newer = await composer(project, ["require", "acme/lib:^2.0"]);
      expect(newer.code).not.toBe(0);
      expect(newer.output).toMatch(/acme\/lib.*(could not be found|does not match|satisfiable)/is);
    });

    it("tells a customer without a grant that the package is not found", async () => {
      const { token } = await customer(`nogrant-${runtime}`, []);
      const project = await composerProject(satchel.url, `nogrant-${runtime}`, token);
      const run = await composer(project, ["require", "acme/lib"]);
      expect(run.code).not.toBe(0);
      expect(run.output).toMatch(/Could not find (a matching version of )?package acme\/lib/i);
    });

    it("freezes an expired group at the last release published before its expiry", async () => {
      const { id: group } = (await api(admin, "POST", "/api/groups", { name: `expired-${runtime}`, packages: [{ name: "acme/lib" }], expiredUpdatesAt: freeze })) as { id: number };
      const { token } = await customer(`expired-${runtime}`, [group]);
      const project = await composerProject(satchel.url, `expired-${runtime}`, token);
      const run = await composer(project, ["require", "acme/lib"]);
      expect(run.code, run.output).toBe(0);
      expect(await installedVersion(project, "acme/lib")).toBe("1.0.0");
    });

    it("fails with Composer's 401 message once the token is revoked", async () => {
      const created = (await api(admin, "POST", "/api/tokens", { name: "revoke-me" })) as { id: number; token: string };
      const project = await composerProject(satchel.url, "admin", created.token, { "acme/lib": "^1.0" });
      const first = await composer(project, ["update"]);
      expect(first.code, first.output).toBe(0);
      await api(admin, "DELETE", `/api/tokens/${created.id}`);
      // Within the cache TTL the revocation reaches every isolate; this process evicted at once.
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      // Composer falls back to its local cache when a repository answers 401, so the known
      // project only warns; a fresh project (no cache) cannot install at all.
      const after = await composer(project, ["update"]);
      expect(after.output).toMatch(/required authentication/);
      const fresh = await composerProject(satchel.url, "admin", created.token, { "acme/lib": "^1.0" });
      const refused = await composer(fresh, ["install"]);
      expect(refused.code).not.toBe(0);
      expect(refused.output).toMatch(/required authentication/);
    });

    it("sees a new release on `composer update` (Last-Modified revalidation)", async () => {
      const project = await composerProject(satchel.url, "admin", admin, { "acme/lib": "^2.0" });
      expect((await composer(project, ["update"])).code).toBe(0);
      expect(await installedVersion(project, "acme/lib")).toBe("2.0.0");
      const zip = packageZip({ name: "acme/lib", description: "Acme's library", time: "2026-02-01T00:00:00+00:00" });
      const upload = await fetch(`${satchel.url}/api/packages/upload/acme/lib/2.1.0`, { method: "PUT", headers: { authorization: `Bearer ${admin}` }, body: zip });
      expect(upload.status).toBe(201);
      const run = await composer(project, ["update"]);
      expect(run.code, run.output).toBe(0);
      expect(await installedVersion(project, "acme/lib")).toBe("2.1.0");
    });
  });
}
