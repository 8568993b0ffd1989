// Scheduled work (the cron trigger / the Node timer): stale packages re-crawled a share per
// pass, expired leases back in the queue, failed updates retried with backoff, old records pruned.
import { eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { jobs, packages, webhookAttempts, webhookDeliveries, webhookReceipts, webhooks } from "../../src/db/schema.ts";
import { enqueueJob } from "../../src/jobs/job-store.ts";
import { bumpVersionsRevision, createPackageRow, findPackageByName, versionRows, versionWriteStatements } from "../../src/packages/package-store.ts";
import { runScheduledWork } from "../../src/scheduler/run-scheduled.ts";
import { Client } from "./client.ts";
import { json, packageZip, unique, type Harness, type HarnessFactory } from "./harness.ts";
import { claimJobOf, workerCall } from "./worker-claims.ts";

const DAY = 86_400_000;

export function schedulerSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: scheduled work`, () => {
    let harness: Harness;
    let client: Client;
    const services = () => harness.app.services;
    const vcsPackages = async (count: number, crawledAt: number | null) => {
      const rows = [];
      for (let i = 0; i < count; i++) rows.push(await createPackageRow(services(), { name: `acme/${unique("sched")}`, kind: "vcs", repository: `https://git.example.test/${unique("r")}.git` }));
      await services().db.orm.update(packages).set({ crawledAt }).where(inArray(packages.id, rows.map((row) => row.id)));
      return rows.map((row) => row.id);
    };
    const jobsOf = (ids: number[]) => services().db.orm.select().from(jobs).where(inArray(jobs.packageId, ids)).all();
    // Earlier tests leave queued jobs behind (on Node, where storage is shared by the suite).
    const clearQueue = () => services().db.orm.update(jobs).set({ status: "done" }).where(inArray(jobs.status, ["queued", "running"]));

    beforeAll(async () => {
      harness = await factory({ schedule: { recrawlIntervalMs: DAY, retentionMs: 30 * DAY } });
      client = new Client(harness.app);
      await client.adminToken();
    });

    it("rebuilds documents a killed process left behind their versions, so p2 and the REST API agree again", async () => {
      const admin = await client.adminToken();
      const name = `acme/${unique("stale")}`;
      expect((await client.upload(admin, name, "1.0.0", packageZip({ name }))).status).toBe(201);
      const pkg = (await findPackageByName(services().db, name))!;
      // A commit whose document switch lost to a concurrent one, and whose rebuild never ran.
      const [stored] = await versionRows(services().db, pkg.id);
      const entry = { ...JSON.parse(stored!.data), version: "1.0.1", version_normalized: "1.0.1.0" };
      await services().db.batch([
        bumpVersionsRevision(services().db, pkg.id),
        ...versionWriteStatements(services().db, pkg.id, { removedIds: [], updates: [], inserts: [{ ...stored!, id: undefined, version: "1.0.1", versionNormalized: "1.0.1.0", data: JSON.stringify(entry) }] }),
      ]);
      const before = await client.p2Versions("admin", admin, name);
      expect(before).toEqual(["1.0.0"]);
      expect((await runScheduledWork(services())).rebuilt).toBeGreaterThanOrEqual(1);
      services().catalog.invalidate(name);
      expect([...((await client.p2Versions("admin", admin, name)) as string[])].sort()).toEqual(["1.0.0", "1.0.1"]);
    });

    it("re-crawls stale packages a share per pass, the stalest first, never twice", async () => {
      const now = harness.clock.now;
      // Packages of other suites (storage is shared in workerd) are fresh for this test.
      await services().db.orm.update(packages).set({ crawledAt: now });
      await runScheduledWork(services());
      const fresh = await vcsPackages(2, now);
      const stale = await vcsPackages(10, now - 2 * DAY);
      // One minute after the last pass: 10 packages due over a day need one job now.
      harness.clock.now += 60_000;
      expect((await runScheduledWork(services())).recrawled).toBe(1);
      expect(await jobsOf(stale)).toHaveLength(1);
      // After a long pause, everything due is queued, once.
      harness.clock.now += DAY - 2 * 60_000;
      await runScheduledWork(services());
      const queued = await jobsOf(stale);
      expect(queued).toHaveLength(10);
      expect(queued.every((job) => job.kind === "update-package" && job.status === "queued" && job.payload?.scheduled === true)).toBe(true);
      expect(await jobsOf(fresh)).toHaveLength(0);
      harness.clock.now += DAY;
      await runScheduledWork(services());
      expect(await jobsOf(stale)).toHaveLength(10);
    });

    it("puts a job whose worker stopped answering back in the queue", async () => {
      await clearQueue();
      const [id] = await vcsPackages(1, harness.clock.now);
      const job = await enqueueJob(services(), "update-package", id, { force: false });
      const claimed = await json<{ id: string }>(await workerCall(client, "/jobs/claim", { workerId: "vanished", leaseMs: 5000 }));
      expect(claimed.id).toBe(job.id);
      harness.clock.now += 4000;
      expect((await runScheduledWork(services())).requeued).toBe(0);
      harness.clock.now += 2000;
      expect((await runScheduledWork(services())).requeued).toBe(1);
      const [row] = await jobsOf([id]);
      expect(row).toMatchObject({ status: "queued", workerId: null, attempts: 1 });
    });

    it("retries a failed update after 5 min, 30 min and 2 h, then leaves it to the re-crawl", async () => {
      await clearQueue();
      const [id] = await vcsPackages(1, harness.clock.now);
      await enqueueJob(services(), "update-package", id, { force: false });
      // Fails this package's next job (jobs the re-crawl queued for others are finished).
      const fail = async () => {
        const claimed = await claimJobOf(client, id, "w");
        await workerCall(client, `/jobs/${claimed}/finish`, { workerId: "w", status: "failed", result: { error: "connection reset" } });
      };
      const retries = [5 * 60_000, 30 * 60_000, 2 * 60 * 60_000];
      for (const [attempt, delay] of retries.entries()) {
        await fail();
        harness.clock.now += delay - 60_000;
        expect((await runScheduledWork(services())).retried, `retry ${attempt + 1} too early`).toBe(0);
        harness.clock.now += 61_000;
        expect((await runScheduledWork(services())).retried, `retry ${attempt + 1}`).toBe(1);
      }
      await fail();
      harness.clock.now += 10 * 60 * 60_000;
      expect((await runScheduledWork(services())).retried).toBe(0);
      const all = await jobsOf([id]);
      expect(all.map((job) => job.payload?.retry ?? 0).sort()).toEqual([0, 1, 2, 3]);
    });

    it("prunes finished jobs, deliveries and hook receipts after the retention period", async () => {
      const { orm } = services().db;
      const now = harness.clock.now;
      const [id] = await vcsPackages(1, now);
      await orm.insert(jobs).values([
        { id: crypto.randomUUID(), kind: "update-package", packageId: id, status: "done", createdAt: now - 40 * DAY, finishedAt: now - 40 * DAY },
        { id: crypto.randomUUID(), kind: "update-package", packageId: id, status: "failed", createdAt: now - 2 * DAY, finishedAt: now - 2 * DAY },
      ]);
      const hook = await orm.insert(webhooks).values({ name: unique("prune"), url: "https://hooks.example.test/", events: ["new_release"], headers: {}, secretEnc: "v1.x.y", active: false, createdAt: now }).returning().get();
      const delivery = (age: number, status: string) => ({ id: crypto.randomUUID(), hookId: hook.id, event: "new_release", status, url: hook.url, method: "POST", headers: {}, body: "{}", createdAt: now - age });
      const [old, recent, pending] = [delivery(31 * DAY, "succeeded"), delivery(DAY, "failed"), delivery(31 * DAY, "pending")];
      await orm.insert(webhookDeliveries).values([old, recent, pending]);
      await orm.insert(webhookAttempts).values({ deliveryId: old.id, attempt: 1, at: now - 31 * DAY, status: 200, durationMs: 5 });
      await orm.insert(webhookReceipts).values([{ provider: "github", deliveryId: unique("old"), receivedAt: now - 31 * DAY }, { provider: "github", deliveryId: unique("new"), receivedAt: now }]);
      const report = await runScheduledWork(services());
      expect(report.pruned.jobs).toBeGreaterThanOrEqual(1);
      expect((await jobsOf([id])).map((job) => job.status)).toEqual(["failed"]);
      const left = await orm.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(eq(webhookDeliveries.hookId, hook.id)).all();
      expect(left.map((row) => row.id).sort()).toEqual([recent.id, pending.id].sort());
      expect(await orm.select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, old.id)).all()).toHaveLength(0);
      const receipts = await orm.select({ n: sql<number>`count(*)` }).from(webhookReceipts).where(sql`${webhookReceipts.receivedAt} < ${now - 30 * DAY}`).get();
      expect(Number(receipts?.n)).toBe(0);
    });
  });
}
