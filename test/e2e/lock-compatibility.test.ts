// composer.lock files made against Satis or Packeton, installed against Satchel with the real
// `composer`. The lock is made against a static repository in Satis's or Packeton's shape (same
// git repository, same references), that server is stopped, and Satchel gets the same
// repository through `satchel import`. Composer's `install` reads every package from the lock,
// dist URL included, and never asks the repositories: with the old host gone it falls back to
// the lock's source (git); without that too, `composer update --lock` rewrites the lock's URLs
// from Satchel and changes no version or reference. A Packeton lock installs unchanged when the
// old host name points at Satchel, since both serve /zipball/{name}/{reference}.zip.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composer, composerAvailable, setCredentials } from "../support/composer-cli.ts";
import { createRepository, startGitDaemon, type GitServer } from "../support/git-servers.ts";
import { startSatchel, type SatchelProcess } from "../support/satchel-process.ts";

const hasComposer = composerAvailable();
if (!hasComposer && process.env.CI === "true") throw new Error("composer is required on CI (apt-get install composer php-cli php-zip unzip)");

type Flavor = "satis" | "packeton";
type LockedPackage = { name: string; version: string; source: { url: string; reference: string }; dist: { type: string; url: string; reference: string; shasum: string } } & Record<string, unknown>;

async function listen(server: Server, port = 0): Promise<string> {
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** A static Composer repository with one package, dist URLs in Satis's or Packeton's form. */
async function oldRepository(flavor: Flavor, entry: { name: string; tag: string; ref: string; gitUrl: string; zip: Buffer }): Promise<{ server: Server; url: string }> {
  let base = "";
  const distPath = flavor === "satis" ? `/dist/acme/core/acme-core-${entry.tag}-${entry.ref.slice(0, 8)}-zip.zip` : `/zipball/${entry.name}/${entry.ref}.zip`;
  const server = createServer((req, res) => {
    if (req.url === "/packages.json") {
      const version = {
        name: entry.name,
        version: entry.tag,
        version_normalized: "1.2.0.0",
        source: { type: "git", url: entry.gitUrl, reference: entry.ref },
        // Satis writes the archive's sha1; Packeton builds zipballs on request and leaves it empty.
        dist: { type: "zip", url: `${base}${distPath}`, reference: entry.ref, shasum: flavor === "satis" ? createHash("sha1").update(entry.zip).digest("hex") : "" },
        type: "library",
        autoload: { "psr-4": { "Acme\\Core\\": "src/" } },
        time: "2026-01-02T03:04:05+00:00",
      };
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ packages: { [entry.name]: { [entry.tag]: version } } }));
    }
    if (req.url === distPath) {
      res.writeHead(200, { "content-type": "application/zip" });
      return res.end(entry.zip);
    }
    res.writeHead(404).end();
  });
  base = await listen(server);
  return { server, url: base };
}

async function project(repositoryUrl: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "satchel-lock-"));
  await writeComposerJson(dir, repositoryUrl);
  return dir;
}

async function writeComposerJson(dir: string, repositoryUrl: string): Promise<void> {
  await writeFile(
    path.join(dir, "composer.json"),
    JSON.stringify({ name: "test/project", require: { "acme/core": "^1.2" }, repositories: [{ type: "composer", url: repositoryUrl }, { "packagist.org": false }], config: { "secure-http": false } }),
  );
}

async function lockOf(dir: string): Promise<{ "content-hash": string; packages: LockedPackage[] }> {
  return JSON.parse(await readFile(path.join(dir, "composer.lock"), "utf8"));
}

/** The dotted paths of the fields that differ between two locked packages. */
function changedFields(was: Record<string, unknown>, now: Record<string, unknown>, prefix = ""): string[] {
  return [...new Set([...Object.keys(was), ...Object.keys(now)])].flatMap((key) => {
    const [a, b] = [was[key], now[key]];
    const isObject = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value);
    if (isObject(a) && isObject(b)) return changedFields(a as Record<string, unknown>, b as Record<string, unknown>, `${prefix}${key}.`);
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [`${prefix}${key}`];
  });
}

/** A fresh install from the lock: no vendor folder, no cached archives. */
async function freshInstall(dir: string) {
  await rm(path.join(dir, "vendor"), { recursive: true, force: true });
  await rm(path.join(dir, ".composer-cache"), { recursive: true, force: true });
  return composer(dir, ["install"]);
}

describe.skipIf(!hasComposer)("composer.lock files made against Satis or Packeton, installed against Satchel", () => {
  let root: string;
  let daemon: GitServer;
  let satchel: SatchelProcess;
  let admin: string;
  let ref: string;
  const old: Record<Flavor, string> = { satis: "", packeton: "" };
  const locked: Record<Flavor, LockedPackage | undefined> = { satis: undefined, packeton: undefined };
  const lockText: Record<Flavor, string> = { satis: "", packeton: "" };

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "satchel-lockcompat-"));
    daemon = await startGitDaemon(root);
    const repo = await createRepository(root, "core.git");
    await repo.release({ name: "acme/core", autoload: { "psr-4": { "Acme\\Core\\": "src/" } } }, "v1.2.0", { "src/Core.php": "<?php\nnamespace Acme\\Core;\nfinal class Core {}\n" });
    ref = execFileSync("git", ["-C", repo.bare, "rev-parse", "v1.2.0^{commit}"]).toString().trim();
    const zip = execFileSync("git", ["-C", repo.bare, "archive", "--format=zip", "v1.2.0"]);

    // The locks, each made against its old repository, which then goes away.
    for (const flavor of ["satis", "packeton"] as const) {
      const { server, url } = await oldRepository(flavor, { name: "acme/core", tag: "v1.2.0", ref, gitUrl: daemon.url("core.git"), zip });
      old[flavor] = url;
      const dir = await project(url);
      const update = await composer(dir, ["update"]);
      expect(update.code, update.output).toBe(0);
      locked[flavor] = (await lockOf(dir)).packages[0];
      lockText[flavor] = await readFile(path.join(dir, "composer.lock"), "utf8");
      await rm(dir, { recursive: true, force: true });
      await close(server);
    }

    satchel = await startSatchel("node");
    admin = await satchel.adminToken();
    const created = await fetch(`${satchel.url}/api/create-package`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body: JSON.stringify({ repository: daemon.url("core.git") }),
    });
    const { job } = (await created.json()) as { job: string };
    for (let i = 0; i < 300; i++) {
      const view = (await (await fetch(`${satchel.url}/api/jobs/${job}`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { status: string };
      if (view.status === "done") break;
      if (view.status === "failed") throw new Error(JSON.stringify(view));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 180_000);

  afterAll(async () => {
    await satchel?.stop();
    await daemon?.stop();
  });

  it("publishes the commit as the dist reference of a git version, as Satis and Packeton do", async () => {
    const detail = (await (await fetch(`${satchel.url}/api/packages/acme/core`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { versions: LockedPackage[] };
    const release = detail.versions.find((entry) => entry.version === "v1.2.0");
    expect(release?.dist.reference).toBe(ref);
    expect(release?.source.reference).toBe(ref);
    expect(locked.satis?.dist.reference).toBe(ref);
    expect(locked.packeton?.dist.reference).toBe(ref);
  });

  it("installs a Packeton lock unchanged once the old host name points at Satchel", async () => {
    // The old host's address now answers with Satchel (what a DNS change or a reverse proxy does).
    const target = new URL(satchel.url);
    const proxy = createServer((req, res) => {
      const forwarded = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } }, (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      });
      req.pipe(forwarded);
    });
    await listen(proxy, Number(new URL(old.packeton).port));
    try {
      const dir = await project(old.packeton);
      await writeFile(path.join(dir, "composer.lock"), lockText.packeton);
      await setCredentials(dir, old.packeton, "admin", admin);
      const lockBefore = await readFile(path.join(dir, "composer.lock"), "utf8");
      const install = await freshInstall(dir);
      expect(install.code, install.output).toBe(0);
      expect(install.output).not.toMatch(/Now trying to download from source/);
      expect(await readFile(path.join(dir, "vendor/acme/core/src/Core.php"), "utf8")).toContain("final class Core");
      expect(await readFile(path.join(dir, "composer.lock"), "utf8")).toBe(lockBefore);
    } finally {
      await close(proxy);
    }
  }, 120_000);

  for (const flavor of ["satis", "packeton"] as const) {
    it(`installs a ${flavor} lock against Satchel: from source while git answers, and from Satchel's dists after composer update --lock, which changes only dist URLs`, async () => {
      const dir = await project(satchel.url);
      await writeFile(path.join(dir, "composer.lock"), lockText[flavor]);
      await setCredentials(dir, satchel.url, "admin", admin);

      // Nothing in the lock changed: Composer tries the old dist URL, then the lock's git source.
      const fromSource = await freshInstall(dir);
      expect(fromSource.code, fromSource.output).toBe(0);
      expect(fromSource.output).toMatch(/Now trying to download from source/);

      const before = await lockOf(dir);
      const relock = await composer(dir, ["update", "--lock"]);
      expect(relock.code, relock.output).toBe(0);
      const after = await lockOf(dir);
      const [was, now] = [before.packages[0]!, after.packages[0]!];
      expect(after["content-hash"]).not.toBe(before["content-hash"]);
      expect(now.dist.url).toBe(`${satchel.url}/zipball/acme/core/${ref}.zip`);
      // Besides the content-hash (composer.json names another repository): the dist URL, its
      // sha1 (Satchel's own archive), Satchel's dist mirror and its download-count URL.
      expect(changedFields(was, now)).toEqual(expect.arrayContaining(["dist.url"]));
      expect(changedFields(was, now).filter((field) => !["dist.url", "dist.shasum", "dist.mirrors", "notification-url"].includes(field))).toEqual([]);
      expect(now.dist.reference).toBe(was.dist.reference);

      const fromSatchel = await freshInstall(dir);
      expect(fromSatchel.code, fromSatchel.output).toBe(0);
      expect(fromSatchel.output).not.toMatch(/Now trying to download from source/);
      expect(await readFile(path.join(dir, "vendor/acme/core/src/Core.php"), "utf8")).toContain("final class Core");
    }, 120_000);
  }

  it("fails a lock whose old dist host and git source are both gone, until composer update --lock", async () => {
    const stopping = daemon.stop();
    daemon = { url: daemon.url, stop: async () => {} }; // stopped once only: a second stop would wait for an exit that already happened
    await stopping;
    const dir = await project(satchel.url);
    await writeFile(path.join(dir, "composer.lock"), lockText.satis);
    await setCredentials(dir, satchel.url, "admin", admin);
    const stranded = await freshInstall(dir);
    expect(stranded.code).not.toBe(0);
    expect(stranded.output).toContain(new URL(old.satis).host);
    expect((await composer(dir, ["update", "--lock"])).code).toBe(0);
    const installed = await freshInstall(dir);
    expect(installed.code, installed.output).toBe(0);
  }, 120_000);
});
