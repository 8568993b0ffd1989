// VCS package registration, the job queue with leases, and package updates and deletion.
import { beforeAll, describe, expect, it } from "vitest";
import { Client } from "./client.ts";
import { basic, bearer, json, TEST_CONFIG, unique, type Harness, type HarnessFactory } from "./harness.ts";
import { claimJobOf, publishVersions, workerCall } from "./worker-claims.ts";
import { createPackageRow } from "../../src/packages/package-store.ts";
import { encodeVcsRepository } from "../../src/packages/vcs-repository.ts";
import { PageClient } from "../support/page-client.ts";

export function packagesSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: packages and jobs`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    const worker = (path: string, body: unknown, token = TEST_CONFIG.workerToken) =>
      client.request(`/api/worker${path}`, { method: "POST", headers: bearer(token), body: JSON.stringify(body) });
    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    it("queues a job for a VCS package and hands it to exactly one worker under a lease", async () => {
      const repository = `https://git.example.test/${unique("repo")}.git`;
      const created = await client.api<{ job: string }>(admin, "POST", "/api/create-package", { repository });
      expect(created.job).toMatch(/^[0-9a-f-]{36}$/);
      const job = await client.api<{ status: string }>(admin, "GET", `/api/jobs/${created.job}`);
      expect(job.status).toBe("queued");
      // Asked again while the first job waits (an import run twice): refused, not read twice.
      const again = await client.request("/api/create-package", { method: "POST", headers: bearer(admin), body: JSON.stringify({ repository }) });
      expect(again.status).toBe(409);
      expect(await again.json()).toMatchObject({ error: { code: "duplicate_repository" } });
      expect((await worker("/jobs/claim", { workerId: "w1" }, "wrong-token-wrong-token")).status).toBe(401);
      const claims = await Promise.all([worker("/jobs/claim", { workerId: "w1" }), worker("/jobs/claim", { workerId: "w2" })]);
      const claimed = await Promise.all(claims.filter((response) => response.status === 200).map((response) => json<{ id: string; payload: { repository: string } }>(response)));
      const mine = claimed.filter((entry) => entry.id === created.job);
      expect(mine).toHaveLength(1);
      expect(mine[0]?.payload.repository).toBe(repository);
      const holder = claims[0]?.status === 200 && claimed[0]?.id === created.job ? "w1" : "w2";
      const thief = holder === "w1" ? "w2" : "w1";
      expect((await worker(`/jobs/${created.job}/heartbeat`, { workerId: thief })).status).toBe(409);
      expect((await worker(`/jobs/${created.job}/heartbeat`, { workerId: holder })).status).toBe(200);
      // The holder dies: after the lease, another worker gets the same job.
      harness.clock.now += 61_000;
      const retaken = await json<{ id: string }>(await worker("/jobs/claim", { workerId: thief }));
      expect(retaken.id).toBe(created.job);
      expect((await worker(`/jobs/${created.job}/finish`, { workerId: holder, status: "done" })).status).toBe(409);
      expect((await worker(`/jobs/${created.job}/finish`, { workerId: thief, status: "failed", result: { error: "no such repository" } })).status).toBe(200);
      const finished = await client.api<{ status: string; result: { error: string } }>(admin, "GET", `/api/jobs/${created.job}`);
      expect(finished).toMatchObject({ status: "failed", result: { error: "no such repository" } });
    });

    it("wakes a worker's waiting claim as soon as a job is queued, not at its next look at the table", async () => {
      // An empty queue first (jobs other tests left), so that the claim below waits.
      for (let response = await worker("/jobs/claim", { workerId: "w-drain" }); response.status === 200; response = await worker("/jobs/claim", { workerId: "w-drain" })) {
        const { id } = await json<{ id: string }>(response);
        await worker(`/jobs/${id}/finish`, { workerId: "w-drain", status: "done", result: {} });
      }
      const waiting = worker("/jobs/claim", { workerId: "w-wait", waitMs: 10_000 }).then(async (response) => ({ response, at: performance.now() }));
      // The claim has looked at the table and found nothing; its next look is CLAIM_POLL_MS (1 s) away.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const created = await client.api<{ job: string }>(admin, "POST", "/api/create-package", { repository: `https://git.example.test/${unique("woken")}.git` });
      const queuedAt = performance.now();
      const { response, at } = await waiting;
      expect(response.status).toBe(200);
      expect((await json<{ id: string }>(response)).id).toBe(created.job);
      // Woken by the enqueue: well before the look that would have found it 800 ms later.
      expect(at - queuedAt).toBeLessThan(500);
      await worker(`/jobs/${created.job}/finish`, { workerId: "w-wait", status: "done", result: {} });
    });

    it("refuses bad repository URLs, local paths by default, and duplicates", async () => {
      for (const repository of ["", "-oProxyCommand=evil", "ftp://example.test/repo.git", "not a url", "file:///etc", "/srv/git/repo", "../repo"]) {
        const response = await client.request("/api/create-package", { method: "POST", headers: bearer(admin), body: JSON.stringify({ repository }) });
        expect(response.status, repository).toBe(400);
      }
      for (const repository of ["git@github.com:acme/lib.git", "ssh://git@10.0.0.5:2222/acme/lib.git", "git://127.0.0.1/lib.git", "http://intranet.local/lib.git"]) {
        const response = await client.request("/api/create-package", { method: "POST", headers: bearer(admin), body: JSON.stringify({ repository }) });
        expect(response.status, repository).toBe(202);
      }
      const customer = await client.customer(admin, { roles: ["ROLE_FULL_CUSTOMER"] });
      const denied = await client.request("/api/create-package", { method: "POST", headers: basic(customer.username, customer.token), body: JSON.stringify({ repository: "https://example.test/x.git" }) });
      expect(denied.status).toBe(403);
    });

    it("accepts svn:// and an explicit type with Subversion paths, and hands them to the worker with the URL", async () => {
      const svn = `svn://svn.example.test/${unique("repo")}`;
      const plain = await client.request("/api/create-package", { method: "POST", headers: bearer(admin), body: JSON.stringify({ repository: svn }) });
      expect(plain.status).toBe(202);
      const url = `https://svn.example.test/${unique("repo")}`;
      const created = await client.api<{ job: string }>(admin, "POST", "/api/create-package", {
        repository: url, type: "svn", "trunk-path": "Main", "branches-path": false, "tags-path": "Releases/stable",
      });
      const claimed: Array<{ id: string; payload: { repository: string } }> = [];
      for (let response = await worker("/jobs/claim", { workerId: "w-svn" }); response.status === 200; response = await worker("/jobs/claim", { workerId: "w-svn" })) {
        claimed.push(await json(response));
      }
      const job = claimed.find((entry) => entry.id === created.job);
      expect(job?.payload.repository).toBe(`${url}#vcs=svn&trunk-path=Main&branches-path=&tags-path=Releases%2Fstable`);
      const refused = [
        { repository: `${url}x`, type: "cvs" },
        { repository: `${url}x`, type: "hg", "trunk-path": "Main" },
        { repository: `${url}x`, "tags-path": "t" },
        { repository: `${url}x`, type: "svn", "tags-path": "../outside" },
        { repository: `${url}x`, type: "svn", "tags-path": "-r1" },
        { repository: `${url}x#vcs=hg` },
      ];
      for (const body of refused) {
        const response = await client.request("/api/create-package", { method: "POST", headers: bearer(admin), body: JSON.stringify(body) });
        expect(response.status, JSON.stringify(body)).toBe(400);
      }
    });

    it("publishes each package of a mono-repository under its own repository, and finishes the job with the last", async () => {
      const url = `https://git.example.test/${unique("mono")}.git`;
      for (const monorepo of [{ paths: [] }, { paths: ["../up/*"] }, { paths: [5] }, { paths: ["-x"] }, ["packages/*"]]) {
        const refused = await client.request("/api/create-package", { method: "POST", headers: bearer(admin), body: JSON.stringify({ repository: url, monorepo }) });
        expect(refused.status, JSON.stringify(monorepo)).toBe(400);
      }
      const { job } = await client.api<{ job: string }>(admin, "POST", "/api/create-package", { repository: url, monorepo: { paths: ["packages/*"] } });
      await claimJobOf(client, job, "w-mono");
      const first = `acme/${unique("mono-a")}`;
      const second = `acme/${unique("mono-b")}`;
      const own = (dir: string) => `${url}#vcs=git&subdir=${encodeURIComponent(dir)}`;
      await publishVersions(client, job, "w-mono", first, ["1.0.0"], { repository: own("packages/a"), more: true });
      expect((await client.api<{ status: string }>(admin, "GET", `/api/jobs/${job}`)).status).toBe("running");
      const outside = await workerCall(client, `/jobs/${job}/publish`, { workerId: "w-mono", name: second, versions: [], repository: "https://elsewhere.example.test/x.git#vcs=git&subdir=b", more: true });
      expect(outside.status).toBe(400);
      await publishVersions(client, job, "w-mono", second, ["1.0.0"], { repository: own("packages/b") });
      expect((await client.api<{ status: string }>(admin, "GET", `/api/jobs/${job}`)).status).toBe("done");
      const stored = await client.api<{ repository: string }>(admin, "GET", `/api/packages/${first}`);
      expect(stored.repository).toBe(own("packages/a"));
    });

    it("shows a mono-repository package's directory and its sibling packages, and keeps its stored options on a settings save", async () => {
      const url = `https://git.example.test/${unique("mono-page")}.git`;
      const stored = (subdir: string) => encodeVcsRepository({ url, type: "git", monorepo: ["packages/*"], subdir });
      const a = await createPackageRow(harness.app.services, { name: `acme/${unique("page-a")}`, kind: "vcs", repository: stored("packages/a") });
      const b = await createPackageRow(harness.app.services, { name: `acme/${unique("page-b")}`, kind: "vcs", repository: stored("packages/b") });
      const page = new PageClient(harness.app);
      await page.login("admin", "admin-password");
      const detail = (await page.get(`/admin/packages/${a.name}`)).body;
      expect(detail).toContain("a mono-repository: directory <code>packages/a</code>");
      expect(detail).toContain(`<code>packages/b</code> <a href="/admin/packages/${b.name}">${b.name}</a>`);
      expect(detail).toContain(`name="repository" value="${url}"`);
      expect((await page.post(`/admin/packages/${a.name}/settings`, { repository: url, credentials: "" })).status).toBe(303);
      expect((await client.api<{ repository: string }>(admin, "GET", `/api/packages/${a.name}`)).repository).toBe(stored("packages/a"));
    });

    it("allows local repositories only when the operator says so", async () => {
      const local = await factory({ allowLocalRepos: true });
      const localClient = new Client(local.app);
      const token = await localClient.adminToken();
      const response = await localClient.request("/api/create-package", { method: "POST", headers: bearer(token), body: JSON.stringify({ repository: `/srv/git/${unique("r")}` }) });
      expect(response.status).toBe(202);
    });

    it("marks packages abandoned, and deletes them with their versions and archives", async () => {
      const name = `acme/${unique("gone")}`;
      const { reference } = await client.uploadOk(admin, name, "1.0.0");
      const updated = await client.api<{ abandoned: unknown }>(admin, "PUT", `/api/packages/${name}`, { abandoned: "acme/replacement" });
      expect(updated.abandoned).toBe("acme/replacement");
      expect((await client.request(`/api/packages/${name}`, { method: "PUT", headers: bearer(admin), body: JSON.stringify({ abandoned: 42 }) })).status).toBe(400);
      await client.api(admin, "DELETE", `/api/packages/${name}`);
      expect((await client.request(`/p2/${name}.json`, { headers: bearer(admin) })).status).toBe(404);
      expect((await client.request(`/zipball/${name}/${reference}.zip`, { headers: bearer(admin) })).status).toBe(404);
      expect(await harness.app.services.blobs.has(`dist/${name}/${reference}.zip`)).toBe(false);
      const root = await json(await client.request("/packages.json", { headers: bearer(admin) }));
      expect(root["available-packages"]).not.toContain(name);
    });

    it("stores credentials encrypted and never shows the secret again", async () => {
      const secret = "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----";
      const created = await client.api<{ id: number }>(admin, "POST", "/api/credentials", { name: "deploy key", kind: "ssh-key", secret, publicInfo: "ssh-ed25519 AAAA" });
      const listed = await client.api(admin, "GET", "/api/credentials");
      expect(JSON.stringify(listed)).not.toContain("BEGIN OPENSSH");
      const { sql } = await import("drizzle-orm");
      const rows = await harness.app.services.db.orm.all<{ secret_enc: string }>(sql`select secret_enc from credentials where id = ${created.id}`);
      expect(rows[0]?.secret_enc).toMatch(/^v2\.[0-9a-f]{12}\./);
      expect(rows[0]?.secret_enc).not.toContain("BEGIN");
      expect((await client.request("/api/credentials", { method: "POST", headers: bearer(admin), body: JSON.stringify({ name: "x", kind: "ssh-key", secret: "not a key" }) })).status).toBe(400);
    });
  });
}
