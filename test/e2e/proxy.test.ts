// The real `composer` client against Satchel with an upstream: a static Composer repository
// served over HTTP on 127.0.0.1 (no machine here reaches packagist.org). One repository URL
// for private and public packages, installs from the cache when the upstream is down, a name
// clash served privately, strict mode, and `composer audit` on both runtimes.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageZip } from "../contract/harness.ts";
import { COMPOSER_INSTALL, composer, composerAvailable, composerProject, installedVersion } from "../support/composer-cli.ts";
import { requireTool } from "../support/required-tool.ts";
import { startSatchel, type Runtime, type SatchelProcess } from "../support/satchel-process.ts";
import { startUpstreamServer, type UpstreamServer } from "../support/upstream-server.ts";

const hasComposer = requireTool(composerAvailable(), "composer", COMPOSER_INSTALL, "the proxy end-to-end tests");

for (const runtime of ["node", "workerd"] as Runtime[]) {
  describe.skipIf(!hasComposer)(`${runtime}: composer through Satchel's proxy`, () => {
    let satchel: SatchelProcess;
    let upstream: UpstreamServer;
    let admin: string;
    let upstreamId: number;
    const api = async (method: string, route: string, body?: unknown) => {
      const response = await fetch(`${satchel.url}${route}`, { method, headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
      if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
      return response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>);
    };
    const upload = async (name: string, version: string, composerJson: Record<string, unknown>, files: Record<string, string>) => {
      const response = await fetch(`${satchel.url}/api/packages/upload/${name}/${version}`, {
        method: "PUT",
        headers: { authorization: `Bearer ${admin}`, "content-type": "application/zip" },
        body: packageZip({ name, ...composerJson }, { files }),
      });
      expect(response.status, await response.clone().text()).toBe(201);
    };

    beforeAll(async () => {
      upstream = await startUpstreamServer();
      await upstream.upstream.addPackage("psr/log", [{ version: "1.0.0" }, { version: "3.0.0", files: { "src/LoggerInterface.php": "<?php // psr/log 3.0.0 from upstream\n" } }]);
      await upstream.upstream.addPackage("acme/app", [{ version: "9.0.0", files: { "src/App.php": "<?php // IMPOSTOR from upstream\n" } }]);
      await upstream.upstream.addPackage("other/tool", [{ version: "1.0.0" }]);
      // TTL 0: every request revalidates, so "upstream down" is exercised on the next run.
      satchel = await startSatchel(runtime, { SATCHEL_PROXY_TTL_SECONDS: "0", SATCHEL_UPSTREAM_RETRY_AFTER_SECONDS: "30" });
      admin = await satchel.adminToken();
      upstreamId = (await api("POST", "/api/upstreams", { name: "local-upstream", url: upstream.url })).id as number;
      await upload("acme/app", "1.0.0", { require: { "psr/log": "^3.0" } }, { "src/App.php": "<?php // the PRIVATE acme/app\n" });
    }, 180_000);

    afterAll(async () => {
      await satchel?.stop("SIGTERM");
      await upstream?.stop();
    });

    it("installs a private package and its upstream dependency through one URL, private winning the clash", async () => {
      const project = await composerProject(satchel.url, "admin", admin, { "acme/app": "*" });
      const run = await composer(project, ["install"]);
      expect(run.code, run.output).toBe(0);
      expect(await installedVersion(project, "acme/app")).toBe("1.0.0");
      expect(await installedVersion(project, "psr/log")).toBe("3.0.0");
      expect(await readFile(path.join(project, "vendor/acme/app/src/App.php"), "utf8")).toContain("PRIVATE");
      expect(await readFile(path.join(project, "vendor/psr/log/src/LoggerInterface.php"), "utf8")).toContain("from upstream");
      const lock = await readFile(path.join(project, "composer.lock"), "utf8");
      expect(lock).toContain(`${satchel.url}/zipball/psr/log/`);
      expect(lock).not.toContain(upstream.url);
      // `composer search` lists the private package first, then the upstream names mirrored here.
      const search = await composerBare(project, ["search", "--format=json", "p"]);
      expect(search.code, search.output).toBe(0);
      const listed = search.output.slice(search.output.indexOf("["), search.output.lastIndexOf("]") + 1);
      const names = (JSON.parse(listed) as { name: string }[]).map((result) => result.name);
      expect(names[0]).toBe("acme/app");
      expect(names).toContain("psr/log");
      expect(names).not.toContain("other/tool");
    });

    it("reports an advisory recorded for a private package in `composer audit`", async () => {
      await api("POST", "/api/advisories", { packageName: "acme/app", title: "Remote code execution in acme/app", affectedVersions: "<1.5", cve: "CVE-2026-10001", severity: "critical" });
      const project = await composerProject(satchel.url, "admin", admin, { "acme/app": "*" });
      expect((await composer(project, ["install"])).code).toBe(0);
      const audit = await composerBare(project, ["audit", "--format=plain"]);
      expect(audit.code, audit.output).not.toBe(0);
      expect(audit.output).toContain("Remote code execution in acme/app");
      expect(audit.output).toContain("CVE-2026-10001");
    });

    it("still installs from Satchel's cache when the upstream is down", async () => {
      await upstream.stop();
      // A fresh project and a fresh Composer cache: everything comes from Satchel.
      const project = await composerProject(satchel.url, "admin", admin, { "acme/app": "*" });
      const run = await composer(project, ["install"]);
      expect(run.code, run.output).toBe(0);
      expect(await installedVersion(project, "psr/log")).toBe("3.0.0");
      expect(run.output).toMatch(/cannot be reached/);
    });

    it("in strict mode refuses names nobody approved, with a clear message", async () => {
      const restarted = await startUpstreamServerOn(upstream);
      upstream = restarted;
      await api("PUT", `/api/upstreams/${upstreamId}`, { strict: true, url: upstream.url });
      await api("POST", `/api/upstreams/${upstreamId}/approved`, { pattern: "psr/*" });
      const project = await composerProject(satchel.url, "admin", admin, { "acme/app": "*" });
      expect((await composer(project, ["install"])).code).toBe(0);
      const refused = await composer(project, ["require", "other/tool"]);
      expect(refused.code).not.toBe(0);
      expect(refused.output).toMatch(/other\/tool/);
      const p2 = await fetch(`${satchel.url}/p2/other/tool.json`, { headers: { authorization: `Bearer ${admin}` } });
      expect(p2.status).toBe(404);
      expect(((await p2.json()) as { warning: string }).warning).toMatch(/needs approval/);
      await api("POST", `/api/upstreams/${upstreamId}/approved`, { pattern: "other/tool" });
      const allowed = await composer(project, ["require", "other/tool"]);
      expect(allowed.code, allowed.output).toBe(0);
    });
  });
}

/** A new upstream server with the same packages (the old port is gone with the old server). */
async function startUpstreamServerOn(previous: UpstreamServer): Promise<UpstreamServer> {
  const next = await startUpstreamServer();
  await next.upstream.addPackage("psr/log", [{ version: "1.0.0" }, { version: "3.0.0", files: { "src/LoggerInterface.php": "<?php // psr/log 3.0.0 from upstream\n" } }]);
  await next.upstream.addPackage("acme/app", [{ version: "9.0.0" }]);
  await next.upstream.addPackage("other/tool", [{ version: "1.0.0" }]);
  void previous;
  return next;
}

/** `composer audit` or `search` (they take no --no-progress, which the shared helper adds). */
function composerBare(dir: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      "composer",
      [...args, "--no-interaction", "--no-ansi"],
      { cwd: dir, env: { ...process.env, COMPOSER_HOME: path.join(dir, ".composer-home"), COMPOSER_CACHE_DIR: path.join(dir, ".composer-cache"), COMPOSER_ALLOW_SUPERUSER: "1" }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: `${stdout}\n${stderr}` }),
    );
  });
}
