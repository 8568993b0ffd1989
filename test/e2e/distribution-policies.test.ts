// The real `composer` client against Satchel's distribution controls (issue 16): a flagged
// version is never resolved and its dist answers 410, a group that hides sources installs from
// dist even with --prefer-source, a plugin the allowlist does not allow cannot be installed, and
// a Composer older than the minimum version is refused with a warning it prints.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { packageZip } from "../contract/harness.ts";
import { COMPOSER_INSTALL, composer, composerAvailable, composerProject, installedVersion } from "../support/composer-cli.ts";
import { createRepository, type GitServer } from "../support/git-servers.ts";
import { withGitSatchel } from "../support/git-satchel.ts";
import { requireTool } from "../support/required-tool.ts";
import { type Runtime, type SatchelProcess } from "../support/satchel-process.ts";

const hasComposer = requireTool(composerAvailable(), "composer", COMPOSER_INSTALL, "the end-to-end Composer tests");

for (const runtime of ["node", "workerd"] as Runtime[]) {
  describe.skipIf(!hasComposer)(`${runtime}: composer against flags, hidden sources and the plugin allowlist`, () => {
    let satchel: SatchelProcess;
    let daemon: GitServer;
    let root: string;
    let admin: string;
    const api = async <T = Record<string, unknown>>(method: string, route: string, body?: unknown, token = admin): Promise<T> => {
      const response = await fetch(`${satchel.url}${route}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
      if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
      return (response.status === 204 ? {} : await response.json()) as T;
    };
    const upload = async (name: string, version: string, composerJson: Record<string, unknown> = {}) => {
      const zip = packageZip({ name, description: `${name}`, ...composerJson }, { files: { "src/Version.php": `<?php // ${version}\n` } });
      const response = await fetch(`${satchel.url}/api/packages/upload/${name}/${version}`, { method: "PUT", headers: { authorization: `Bearer ${admin}`, "content-type": "application/zip" }, body: zip });
      expect(response.status, await response.clone().text()).toBe(201);
      return (await response.json()) as { reference: string };
    };
    const customer = async (username: string, groups: number[]) => {
      await api("POST", "/api/users", { username, password: "customer-password", roles: ["ROLE_USER"], groups });
      const response = await fetch(`${satchel.url}/api/auth/token`, { method: "POST", body: JSON.stringify({ username, password: "customer-password" }) });
      return ((await response.json()) as { token: string }).token;
    };

    withGitSatchel(runtime, { prefix: "satchel-policies-git-" }, (running) => ({ root, daemon, satchel, admin } = running));

    it("never resolves a flagged version: an update takes the previous one, a pin fails, and a lock that names it gets 410", async () => {
      const name = `acme/flagged-${runtime}`;
      await upload(name, "1.0.0");
      const bad = await upload(name, "1.0.1");
      const locked = await composerProject(satchel.url, "admin", admin, { [name]: "^1.0" });
      const first = await composer(locked, ["update"]);
      expect(first.code, first.output).toBe(0);
      expect(await installedVersion(locked, name)).toBe("1.0.1");

      await api("POST", `/api/packages/${name}/flags`, { version: "1.0.1", kind: "malware", reason: "exfiltrates environment variables" });

      const fresh = await composerProject(satchel.url, "admin", admin, { [name]: "^1.0" });
      const update = await composer(fresh, ["update"]);
      expect(update.code, update.output).toBe(0);
      expect(await installedVersion(fresh, name)).toBe("1.0.0");

      const pinned = await composerProject(satchel.url, "admin", admin, { [name]: "1.0.1" });
      const refused = await composer(pinned, ["update"]);
      expect(refused.code).not.toBe(0);
      expect(refused.output).toMatch(new RegExp(`${name}.*1\\.0\\.1`, "s"));

      // The old lock still names 1.0.1: installing it (nothing cached) meets the 410 and its warning.
      const again = await composerProject(satchel.url, "admin", admin, { [name]: "^1.0" });
      await import("node:fs/promises").then(({ copyFile }) => copyFile(path.join(locked, "composer.lock"), path.join(again, "composer.lock")));
      const install = await composer(again, ["install"]);
      expect(install.code).not.toBe(0);
      expect(install.output).toMatch(/HTTP\/1\.1 410 Gone/);
      // Composer prints the body's `warning` as a line of its own.
      expect(install.output).toMatch(new RegExp(`Warning from 127\\.0\\.0\\.1:\\d+: ${name} 1\\.0\\.1 is flagged as malware and withdrawn: exfiltrates environment variables`));
      expect(install.output.replace(/\s+/g, "")).toContain(bad.reference);
    }, 180_000);

    it("installs from dist for a group that hides sources, even with --prefer-source; the admin still gets the git source", async () => {
      const name = `acme/sourced-${runtime}`;
      const repo = await createRepository(root, `sourced-${runtime}.git`);
      await repo.release({ name, description: "From git", autoload: { "psr-4": { "Acme\\Sourced\\": "src/" } } }, "v1.0.0", { "src/Version.php": "<?php // 1.0.0\n" });
      const { job } = await api<{ job: string }>("POST", "/api/create-package", { repository: daemon.url(`sourced-${runtime}.git`) });
      for (const deadline = Date.now() + 60_000; ; ) {
        const state = await api<{ status: string }>("GET", `/api/jobs/${job}`);
        if (state.status === "done") break;
        if (state.status === "failed" || Date.now() > deadline) throw new Error(`job ${JSON.stringify(state)}\n${satchel.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const group = await api<{ id: number }>("POST", "/api/groups", { name: `dist-only-${runtime}`, packages: [{ name }], hideSources: true });
      const token = await customer(`dist-only-${runtime}`, [group.id]);

      const project = await composerProject(satchel.url, `dist-only-${runtime}`, token, { [name]: "^1.0" });
      const install = await composer(project, ["update", "--prefer-source"]);
      expect(install.code, install.output).toBe(0);
      const lock = JSON.parse(await readFile(path.join(project, "composer.lock"), "utf8")) as { packages: { name: string; source?: unknown; dist?: { url: string } }[] };
      const entry = lock.packages.find((pkg) => pkg.name === name);
      expect(entry?.source).toBeUndefined();
      expect(entry?.dist?.url).toContain(`${satchel.url}/zipball/`);
      expect(existsSync(path.join(project, "vendor", name, "src/Version.php"))).toBe(true);
      expect(existsSync(path.join(project, "vendor", name, ".git"))).toBe(false);
      expect(install.output).not.toContain(daemon.url(""));

      const adminProject = await composerProject(satchel.url, "admin", admin, { [name]: "^1.0" });
      const adminInstall = await composer(adminProject, ["update", "--prefer-source"]);
      expect(adminInstall.code, adminInstall.output).toBe(0);
      expect(existsSync(path.join(adminProject, "vendor", name, ".git"))).toBe(true);
    }, 180_000);

    it("refuses this Composer (2.5) when the minimum is newer, with the warning printed, and lets it in again once lowered", async () => {
      const name = `acme/old-client-${runtime}`;
      await upload(name, "1.0.0");
      await api("PUT", "/api/policies", { minimumComposerVersion: "2.99.0" });
      try {
        // The policy is remembered for the cache TTL in other isolates; this process forgot it at once.
        const project = await composerProject(satchel.url, "admin", admin, { [name]: "^1.0" });
        const refused = await composer(project, ["update"]);
        expect(refused.code).not.toBe(0);
        expect(refused.output).toMatch(/Warning from 127\.0\.0\.1:\d+: This repository requires Composer 2\.99\.0 or newer; this is Composer\/2\.\d+\.\d+/);
      } finally {
        await api("PUT", "/api/policies", { minimumComposerVersion: null });
      }
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      const project = await composerProject(satchel.url, "admin", admin, { [name]: "^1.0" });
      const accepted = await composer(project, ["update"]);
      expect(accepted.code, accepted.output).toBe(0);
    }, 180_000);

    it("refuses a Composer plugin the allowlist does not allow, and installs it once allowed", async () => {
      const name = `acme/plugin-${runtime}`;
      const { reference } = await upload(name, "1.0.0", { type: "composer-plugin", require: { "composer-plugin-api": "^2.0" }, extra: { class: "Acme\\Plugin\\Plugin" } });
      await api("PUT", "/api/policies", { pluginAllowlist: { enabled: true, allowed: [] } });
      try {
        const project = await composerProject(satchel.url, "admin", admin, { [name]: "^1.0" });
        const blocked = await composer(project, ["update", "--no-plugins"]);
        expect(blocked.code).not.toBe(0);
        expect(blocked.output).toContain(name);
        const dist = await fetch(`${satchel.url}/zipball/${name}/${reference}.zip`, { headers: { authorization: `Bearer ${admin}` } });
        expect(dist.status).toBe(410);
        expect(((await dist.json()) as { warning: string }).warning).toContain("plugin allowlist");

        await api("PUT", "/api/policies", { pluginAllowlist: { allowed: [name] } });
        const allowed = await composer(project, ["update", "--no-plugins"]);
        expect(allowed.code, allowed.output).toBe(0);
        expect(await installedVersion(project, name)).toBe("1.0.0");
      } finally {
        await api("PUT", "/api/policies", { pluginAllowlist: { enabled: false, allowed: [] } });
      }
    }, 180_000);
  });
}
