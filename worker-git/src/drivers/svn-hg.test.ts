// The Subversion and Mercurial drivers on real repositories (file:// and a local hg repository):
// what Composer's parity suite does not look at, the zipballs and the references they go by.
// Composer parity itself is proven by test/differential/vcs-repository.test.ts.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import os from "node:os";
import path from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { REFERENCE_PATTERN } from "../../../src/blobs/keys.ts";
import { composerJson } from "../testing/repo-builder.ts";
import { hasSvnAndHg, HgRepo, startHgServe, SvnRepo } from "../testing/svn-hg.ts";
import { RepositoryError } from "./driver.ts";
import { HgDriver } from "./hg.ts";
import { SvnDriver } from "./svn.ts";
import { vcsKindFor } from "./vcs-kind.ts";

const work = mkdtempSync(path.join(os.tmpdir(), "satchel-svn-hg-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const missing = hasSvnAndHg();
if (missing && process.env.CI === "true") throw new Error(missing);

describe.skipIf(missing !== null)("SvnDriver and HgDriver", () => {
  it("lists svn refs as Composer does and zips an export with archive.exclude under a URL-safe reference", async () => {
    const svn = new SvnRepo(path.join(work, "svn"), "repo", ["trunk", "branches", "tags"]);
    svn.commit("trunk", { "composer.json": composerJson({ name: "acme/s", archive: { exclude: ["/docs"] } }), "src/A.php": "<?php\n", "docs/x.md": "x\n" });
    svn.copy("trunk", "tags/1.0.0");
    const driver = new SvnDriver({ url: svn.url, cacheDir: path.join(work, "cache") });
    await driver.open();
    try {
      const [tag] = await driver.tags();
      expect(tag).toEqual({ name: "1.0.0", commit: "/tags/1.0.0/@3" });
      expect(await driver.branches()).toEqual([{ name: "trunk", commit: "/trunk/@2" }]);
      expect(await driver.rootRevision()).toBe("/trunk/@2");
      const reference = driver.distReference(tag.commit);
      expect(reference).toMatch(REFERENCE_PATTERN);
      expect(reference).not.toBe(driver.distReference("/tags/1.0.0/@4"));
      const files = unzipSync(await driver.archive(tag.commit, "acme-s-1", ["/docs"]));
      expect(Object.keys(files).sort()).toEqual(["acme-s-1/composer.json", "acme-s-1/src/A.php"]);
      expect((await driver.readFile([tag.commit], "missing.json")).get(tag.commit)).toEqual({ kind: "missing" });
      expect((await driver.commitTimes([tag.commit])).get(tag.commit)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    } finally {
      await driver.close();
    }
  });

  it("reads an hg repository in place, keeps commit offsets, and zips without .hg_archival.txt", async () => {
    const hg = new HgRepo(path.join(work, "hg", "lib"));
    hg.commit({ "composer.json": composerJson({ name: "acme/h" }), "src/A.php": "<?php\n" }, "2024-01-02 03:04:05 -0700");
    hg.hg("tag", "-d", "2024-01-02 03:05:00 -0700", "1.0.0");
    expect(vcsKindFor({ url: hg.dir })).toBe("hg");
    const driver = new HgDriver({ url: hg.dir });
    await driver.open();
    try {
      const [tag] = await driver.tags();
      expect(tag.name).toBe("1.0.0");
      expect(tag.commit).toMatch(/^[0-9a-f]{12}$/);
      expect((await driver.commitTimes([tag.commit])).get(tag.commit)).toBe("2024-01-02T03:04:05-07:00");
      const files = unzipSync(await driver.archive(tag.commit, "acme-h-1", []));
      expect(Object.keys(files).sort()).toEqual(["acme-h-1/composer.json", "acme-h-1/src/A.php"]);
      expect(strFromU8(files["acme-h-1/src/A.php"])).toBe("<?php\n");
      await expect(driver.archive("-r0", "x", [])).rejects.toThrow(/not a changeset id/);
    } finally {
      await driver.close();
    }
  });

  it("clones an hg repository behind http-basic auth with the package's credentials, and fails cleanly without", async () => {
    const hg = new HgRepo(path.join(work, "hg-auth", "lib"));
    hg.commit({ "composer.json": composerJson({ name: "acme/private" }) }, "2024-01-02 03:04:05 +0000");
    hg.hg("tag", "-d", "2024-01-02 03:05:00 +0000", "1.0.0");
    const served = await startHgServe(path.join(work, "hg-auth"), { lib: hg.dir });
    const expected = `Basic ${Buffer.from("deploy:s3cret-pass").toString("base64")}`;
    // A gate in front of hg serve: only the right credentials get through.
    const gate = createServer((request, response) => {
      if (request.headers.authorization !== expected) {
        response.writeHead(401, { "www-authenticate": 'Basic realm="hg"' }).end();
        return;
      }
      const upstream = httpRequest(`${served.url}${request.url}`, { method: request.method, headers: { ...request.headers, host: new URL(served.url).host } }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      request.pipe(upstream);
    });
    await new Promise<void>((resolve) => gate.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(gate.address() as { port: number }).port}/lib`;
    try {
      const anonymous = new HgDriver({ url, cacheDir: path.join(work, "hg-auth-cache-1") });
      await expect(anonymous.open()).rejects.toThrow(RepositoryError);
      const driver = new HgDriver({ url, cacheDir: path.join(work, "hg-auth-cache-2"), username: "deploy", password: "s3cret-pass" });
      await driver.open();
      try {
        expect((await driver.tags()).map((tag) => tag.name)).toEqual(["1.0.0"]);
      } finally {
        await driver.close();
      }
      const wrong = new HgDriver({ url, cacheDir: path.join(work, "hg-auth-cache-3"), username: "deploy", password: "wrong" });
      const failure = await wrong.open().then(() => null, (error: Error) => error);
      expect(failure?.message).not.toContain("wrong");
    } finally {
      gate.close();
      served.stop();
    }
  });
});
