// The real `composer` client against custom, virtual, abandoned, archived and patched packages,
// on both runtimes: what Composer resolves, installs and prints is what the admin defined.
import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { strToU8, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha1Hex } from "../../src/crypto/digest.ts";
import { packageZip } from "../contract/harness.ts";
import { COMPOSER_INSTALL, composer, composerAvailable, composerProject, installedVersion } from "../support/composer-cli.ts";
import { requireTool } from "../support/required-tool.ts";
import { startSatchel, type Runtime, type SatchelProcess } from "../support/satchel-process.ts";

const hasComposer = requireTool(composerAvailable(), "composer", COMPOSER_INSTALL, "the end-to-end Composer tests");

/** A zip as a vendor ships one: a class under src/ and a README beside it (so Composer keeps src/). */
function libraryZip(greeting: string): Uint8Array {
  return zipSync({
    "README.txt": strToU8("Acme custom library\n"),
    "src/Greeter.php": strToU8(`<?php\nnamespace Acme\\Custom;\nfinal class Greeter { public static function hello(): string { return '${greeting}'; } }\n`),
  });
}

/** A file server on loopback standing for the vendor's download host; counts what it is asked. */
async function startDistHost(files: Record<string, Uint8Array>): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((request, response) => {
    hits.push(request.url ?? "");
    const file = files[request.url ?? ""];
    response.writeHead(file ? 200 : 404, { "content-type": "application/zip" }).end(file ? Buffer.from(file) : undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

for (const runtime of ["node", "workerd"] as Runtime[]) {
  describe.skipIf(!hasComposer)(`${runtime}: composer with custom, virtual, abandoned, archived and patched packages`, () => {
    let satchel: SatchelProcess;
    let admin: string;
    let distHost: Awaited<ReturnType<typeof startDistHost>>;
    const external = libraryZip("Hello from 2.0.0");
    const api = async (method: string, route: string, body?: unknown) => {
      const response = await fetch(`${satchel.url}${route}`, {
        method,
        headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
      return response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>);
    };
    const upload = async (name: string, version: string, composerJson: Record<string, unknown> = {}) => {
      const response = await fetch(`${satchel.url}/api/packages/upload/${name}/${version}`, {
        method: "PUT",
        headers: { authorization: `Bearer ${admin}`, "content-type": "application/zip" },
        body: packageZip({ name, description: name, ...composerJson }),
      });
      expect(response.status, await response.clone().text()).toBe(201);
    };
    const php = (project: string, code: string) => execFileSync("php", ["-r", `require "vendor/autoload.php"; ${code}`], { cwd: project, encoding: "utf8" });

    beforeAll(async () => {
      distHost = await startDistHost({ "/downloads/custom-lib-2.0.0.zip": external });
      satchel = await startSatchel(runtime);
      admin = await satchel.adminToken();
      const archive = await fetch(`${satchel.url}/api/packages/custom/acme/custom-lib/archives`, {
        method: "POST",
        headers: { authorization: `Bearer ${admin}`, "content-type": "application/zip" },
        body: libraryZip("Hello from 1.0.0"),
      });
      expect(archive.status).toBe(201);
      const { reference } = (await archive.json()) as { reference: string };
      const autoload = { "psr-4": { "Acme\\Custom\\": "src/" } };
      await api("POST", "/api/packages/custom", {
        name: "acme/custom-lib",
        versions: [
          { version: "1.0.0", description: "Defined by JSON", autoload, dist: { type: "zip", reference } },
          { version: "2.0.0", description: "Defined by JSON", autoload, dist: { type: "zip", url: `${distHost.url}/downloads/custom-lib-2.0.0.zip`, shasum: await sha1Hex(external) } },
        ],
      });
      await api("POST", "/api/packages/virtual", { name: "acme/bundle", versions: [{ version: "1.0.0", description: "Everything Acme", require: { "acme/custom-lib": "^1.0" } }] });
    }, 180_000);

    afterAll(async () => {
      await satchel?.stop("SIGTERM");
      await distHost?.close();
    });

    it("installs a virtual package and, through it, a custom package whose dist was uploaded", async () => {
      const project = await composerProject(satchel.url, "admin", admin, { "acme/bundle": "^1.0" });
      const run = await composer(project, ["install"]);
      expect(run.code, run.output).toBe(0);
      expect(await installedVersion(project, "acme/bundle")).toBe("1.0.0");
      expect(await installedVersion(project, "acme/custom-lib")).toBe("1.0.0");
      expect(php(project, 'echo Acme\\Custom\\Greeter::hello();')).toBe("Hello from 1.0.0");
    });

    it("installs a custom version whose dist is an external URL, downloaded from Satchel (the host was asked once, at definition)", async () => {
      const project = await composerProject(satchel.url, "admin", admin, { "acme/custom-lib": "^2.0" });
      const run = await composer(project, ["install"]);
      expect(run.code, run.output).toBe(0);
      expect(php(project, 'echo Acme\\Custom\\Greeter::hello();')).toBe("Hello from 2.0.0");
      const lock = JSON.parse(await readFile(path.join(project, "composer.lock"), "utf8")) as { packages: { name: string; dist: { url: string } }[] };
      expect(lock.packages.find((pkg) => pkg.name === "acme/custom-lib")?.dist.url).toMatch(new RegExp(`^${satchel.url}/zipball/acme/custom-lib/`));
      expect(distHost.hits).toEqual(["/downloads/custom-lib-2.0.0.zip"]);
    });

    it("prints Composer's warning for an abandoned package with its replacement", async () => {
      await upload("acme/old-lib", "1.0.0");
      await api("PUT", "/api/packages/acme/old-lib", { abandoned: "acme/new-lib" });
      const project = await composerProject(satchel.url, "admin", admin, { "acme/old-lib": "^1.0" });
      const run = await composer(project, ["install"]);
      expect(run.code, run.output).toBe(0);
      expect(run.output).toContain("Package acme/old-lib is abandoned, you should avoid using it. Use acme/new-lib instead.");
    });

    it("cannot resolve an archived package, and can again once it is restored", async () => {
      await upload("acme/shelved", "1.0.0");
      await api("PUT", "/api/packages/acme/shelved", { archived: true });
      const project = await composerProject(satchel.url, "admin", admin, { "acme/shelved": "^1.0" });
      const refused = await composer(project, ["install"]);
      expect(refused.code).not.toBe(0);
      expect(refused.output).toMatch(/acme\/shelved.*could not be found/is);
      await api("PUT", "/api/packages/acme/shelved", { archived: false });
      // Composer caches packages.json per URL: a fresh project reads the restored list.
      const restored = await composer(await composerProject(satchel.url, "admin", admin, { "acme/shelved": "^1.0" }), ["install"]);
      expect(restored.code, restored.output).toBe(0);
    });

    it("resolves what a metadata patch says: a tightened constraint picks an older dependency", async () => {
      await upload("acme/dep", "1.0.0");
      await upload("acme/dep", "1.5.0");
      await upload("acme/app", "1.0.0", { require: { "acme/dep": "^1.0" } });
      const before = await composerProject(satchel.url, "admin", admin, { "acme/app": "^1.0" });
      expect((await composer(before, ["install"])).code).toBe(0);
      expect(await installedVersion(before, "acme/dep")).toBe("1.5.0");
      await api("PUT", "/api/packages/acme/app/versions/1.0.0/patch", { require: { "acme/dep": ">=1.0 <1.5" } });
      const after = await composerProject(satchel.url, "admin", admin, { "acme/app": "^1.0" });
      const run = await composer(after, ["install"]);
      expect(run.code, run.output).toBe(0);
      expect(await installedVersion(after, "acme/dep")).toBe("1.0.0");
    });
  });
}
