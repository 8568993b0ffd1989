// Branches whose versions normalize alike (`1.x` and `1.X`, `dev-Foo` and `dev-foo`): Composer's
// VcsRepository lists both, the edge stores one row per normalized version. The worker keeps the
// one packagist.org keeps and publishes the repository instead of failing it.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RepoBuilder, composerJson } from "../../worker-git/src/testing/repo-builder.ts";
import { composerAvailable } from "../support/composer-cli.ts";
import { startGitDaemon, type GitServer } from "../support/git-servers.ts";
import { startSatchel, type SatchelProcess } from "../support/satchel-process.ts";

const hasGit = composerAvailable();

describe.skipIf(!hasGit)("node: versions that normalize alike", () => {
  let satchel: SatchelProcess;
  let daemon: GitServer;
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "satchel-dups-"));
    const b = new RepoBuilder();
    const json = composerJson({ name: "acme/dups", license: "MIT" });
    const old = b.commit({ files: { "composer.json": json }, time: 1_600_000_000 });
    const newer = b.commit({ parent: old, files: { "composer.json": json, "a.txt": "a\n" }, time: 1_700_000_000 });
    b.branch("1.x", old).branch("1.X", newer).branch("Foo", old).branch("foo", newer).branch("main", newer);
    b.tag("1.0.0", old);
    b.write(path.join(root, "dups.git"), "main");
    daemon = await startGitDaemon(root);
    satchel = await startSatchel("node");
  }, 120_000);

  afterAll(async () => {
    await satchel?.stop();
    await daemon?.stop();
  });

  it("publishes one version each, the oldest, and lists the others as duplicates", async () => {
    const admin = await satchel.adminToken();
    const headers = { authorization: `Bearer ${admin}`, "content-type": "application/json" };
    const created = (await (await fetch(`${satchel.url}/api/create-package`, { method: "POST", headers, body: JSON.stringify({ repository: daemon.url("dups.git") }) })).json()) as { job: string };
    let job: { status: string; result?: { error?: string; added?: string[]; skipped?: Array<{ name: string; reason: string }> } } = { status: "queued" };
    for (const deadline = Date.now() + 60_000; job.status !== "done" && job.status !== "failed" && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      job = (await (await fetch(`${satchel.url}/api/jobs/${created.job}`, { headers })).json()) as typeof job;
    }
    expect(job.status, JSON.stringify(job)).toBe("done");
    expect([...(job.result?.added ?? [])].sort()).toEqual(["1.0.0", "1.x-dev", "dev-Foo", "dev-main"]);
    expect(job.result?.skipped?.map((skip) => skip.name).sort()).toEqual(["1.X", "foo"]);
  });
});
