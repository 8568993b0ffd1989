// SIGKILL in the middle of work, on `npm run serve`: the git worker mid-job (its lease runs out,
// another worker claims the job again and completes it, nothing lost or duplicated), and the
// Node server mid-upload (after a restart every release shows the old state or the new one on
// every endpoint, never half, and retrying what was cut off succeeds).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdir, readFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { packageZip } from "../contract/harness.ts";
import { createRepository, startGitDaemon, type GitServer } from "../support/git-servers.ts";
import { sorted, visibleVersions } from "../support/package-views.ts";
import { startSatchel, type SatchelProcess } from "../support/satchel-process.ts";

const root = path.resolve(import.meta.dirname, "../..");
const LEASE_SECONDS = 5;
// The kill must land between the first stored zipball and the publish: every zipball is built
// before publishing (61 versions would otherwise publish after a handful, lazy-zipballs.test.ts).
const BUILD_EVERY_ZIPBALL = { SATCHEL_GIT_DEFER_ZIPBALLS: "0" };

/** The pid of the `satchel-git run` that `npm run serve` started (its id ends with the pid). */
async function workerPid(satchel: SatchelProcess): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const match = /satchel-git worker \S+-(\d+) polling/.exec(satchel.output());
    if (match) return Number(match[1]);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no worker started:\n${satchel.output()}`);
}

function killIfAlive(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** Another `satchel-git run` (this checkout's code) against the same server. */
async function startWorker(satchel: SatchelProcess): Promise<ChildProcess> {
  const secrets = JSON.parse(await readFile(path.join(satchel.dataDir, "secrets.json"), "utf8")) as { workerToken: string };
  return spawn(process.execPath, [path.join(root, "worker-git", "bin", "satchel-git.js"), "run"], {
    env: { ...process.env, SATCHEL_URL: satchel.url, WORKER_TOKEN: secrets.workerToken, SATCHEL_GIT_LEASE_SECONDS: String(LEASE_SECONDS), ...BUILD_EVERY_ZIPBALL },
    stdio: "ignore",
  });
}

function adminGet(satchel: SatchelProcess, token: string) {
  return (route: string) => fetch(`${satchel.url}${route}`, { headers: { authorization: `Bearer ${token}` } });
}

describe("SIGKILL of the git worker mid-job", () => {
  let satchel: SatchelProcess;
  let daemon: GitServer;
  let repos: string;
  let replacement: ChildProcess | undefined;

  beforeAll(async () => {
    repos = await mkdtemp(path.join(tmpdir(), "satchel-kill-repos-"));
    daemon = await startGitDaemon(repos);
    satchel = await startSatchel("node", { SATCHEL_GIT_LEASE_SECONDS: String(LEASE_SECONDS), SATCHEL_GIT_CONCURRENCY: "1", ...BUILD_EVERY_ZIPBALL });
  }, 120_000);

  afterAll(async () => {
    replacement?.kill("SIGTERM");
    await satchel?.stop();
    await daemon?.stop();
  });

  it("loses nothing: the job is claimed again after its lease and completes, each version once", async () => {
    const admin = await satchel.adminToken();
    const pid = await workerPid(satchel);
    const tags = Array.from({ length: 60 }, (_, i) => `v1.${i}.0`);
    const repo = await createRepository(repos, "killed.git");
    await repo.releaseMany({ name: "acme/killed" }, tags);
    const response = await fetch(`${satchel.url}/api/create-package`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body: JSON.stringify({ repository: daemon.url("killed.git") }),
    });
    const { job } = (await response.json()) as { job: string };

    // Killed once its first zipballs are stored and before it publishes.
    const dists = path.join(satchel.dataDir, "blobs", "dist", "acme", "killed");
    for (let i = 0; ; i++) {
      const stored = await readdir(dists).catch(() => []);
      if (stored.some((file) => file.endsWith(".zip"))) break;
      if (i > 3000) throw new Error(`the worker stored no zipball:\n${satchel.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    killIfAlive(pid);
    const killedAt = Date.now();
    const get = adminGet(satchel, admin);
    const held = (await (await get(`/api/jobs/${job}`)).json()) as { status: string; attempts: number };
    expect(held).toMatchObject({ status: "running", attempts: 1 });
    expect(await visibleVersions(get, "acme/killed")).toBeNull();

    replacement = await startWorker(satchel);
    let finished: { status: string; attempts: number; result?: { added?: string[] } };
    for (;;) {
      finished = (await (await get(`/api/jobs/${job}`)).json()) as typeof finished;
      if (finished.status === "done" || finished.status === "failed") break;
      if (Date.now() - killedAt > 90_000) throw new Error(`job still ${finished.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(finished.status, JSON.stringify(finished)).toBe("done");
    expect(finished.attempts).toBe(2);
    // Not before the dead worker's lease ran out.
    expect(Date.now() - killedAt).toBeGreaterThan(1000);
    expect(sorted(finished.result?.added ?? [])).toEqual(sorted([...tags, "dev-main"]));
    expect(await visibleVersions(get, "acme/killed")).toEqual(sorted(tags));
  });
});

describe("SIGKILL of the Node server mid-upload", () => {
  let satchel: SatchelProcess | undefined;
  const orphans: number[] = [];

  afterEach(async () => {
    for (const pid of orphans) killIfAlive(pid);
    await satchel?.stop();
  });

  it("shows every release whole or not at all after a restart, and the cut-off uploads succeed when retried", async () => {
    satchel = await startSatchel("node");
    const dataDir = satchel.dataDir;
    let admin = await satchel.adminToken();
    orphans.push(await workerPid(satchel));
    const name = "acme/interrupted";
    const versions = Array.from({ length: 40 }, (_, i) => `1.0.${i}`);
    // Large enough that uploads are in flight when the server dies.
    const noise = randomBytes(300_000).toString("base64");
    const zipOf = (version: string) => packageZip({ name, description: `release ${version}` }, { files: { "data.txt": `${version}:${noise}` } });
    const acknowledged = new Set<string>();
    const upload = (server: SatchelProcess, token: string, version: string) =>
      fetch(`${server.url}/api/packages/upload/${name}/${version}`, { method: "PUT", headers: { authorization: `Bearer ${token}`, "content-type": "application/zip" }, body: zipOf(version) });
    const queue = [...versions];
    const uploader = async (server: SatchelProcess) => {
      for (let version = queue.shift(); version; version = queue.shift()) {
        const response = await upload(server, admin, version).catch(() => null);
        if (response?.status === 201) acknowledged.add(version);
      }
    };
    const running = Promise.all([uploader(satchel), uploader(satchel), uploader(satchel)]);
    while (acknowledged.size < 8) await new Promise((resolve) => setTimeout(resolve, 5));
    await satchel.stop("SIGKILL");
    await running;

    satchel = await startSatchel("node", { SATCHEL_DATA_DIR: dataDir });
    orphans.push(await workerPid(satchel));
    admin = await satchel.adminToken();
    const get = adminGet(satchel, admin);
    const seen = (await visibleVersions(get, name)) ?? [];
    // Nothing acknowledged is lost, and nothing shows that was not uploaded.
    for (const version of acknowledged) expect(seen).toContain(version);
    for (const version of seen) expect(versions).toContain(version);
    expect(seen.length).toBeLessThan(versions.length);

    for (const version of versions) {
      const response = await upload(satchel, admin, version);
      expect(response.status, `${version}: ${await response.clone().text()}`).toBe(seen.includes(version) ? 409 : 201);
    }
    expect(await visibleVersions(get, name)).toEqual(sorted(versions));
  });
});
