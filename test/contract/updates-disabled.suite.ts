// A package with updates disabled: set through the API or the settings form, answered but not
// acted on by hooks, left out of the scheduled re-crawl, and still updated when an admin asks.
import { eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { jobs, packages } from "../../src/db/schema.ts";
import { createPackageRow } from "../../src/packages/package-store.ts";
import { runScheduledWork } from "../../src/scheduler/run-scheduled.ts";
import { PageClient } from "../support/page-client.ts";
import { Client } from "./client.ts";
import { bearer, json, unique, type Harness, type HarnessFactory } from "./harness.ts";

const DAY = 86_400_000;

export function updatesDisabledSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: packages with updates disabled`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    const services = () => harness.app.services;
    const vcsPackage = (repository = `https://git.example.test/acme/${unique("r")}.git`) =>
      createPackageRow(services(), { name: `acme/${unique("frozen")}`, kind: "vcs", repository });
    const jobCount = async (packageId: number) =>
      Number((await services().db.orm.select({ n: sql<number>`count(*)` }).from(jobs).where(eq(jobs.packageId, packageId)).get())?.n ?? 0);
    const disable = (name: string, updatesDisabled = true) => client.api<{ updatesDisabled: boolean }>(admin, "PUT", `/api/packages/${name}`, { updatesDisabled });

    beforeAll(async () => {
      harness = await factory({ schedule: { recrawlIntervalMs: DAY, retentionMs: 30 * DAY } });
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    it("is set with PUT /api/packages/{name} and shown in the package views, without the README in the listing", async () => {
      const pkg = await vcsPackage();
      await services().db.orm.update(packages).set({ readme: "# Hello" }).where(eq(packages.id, pkg.id));
      expect((await disable(pkg.name)).updatesDisabled).toBe(true);
      const view = await client.api<{ updatesDisabled: boolean; readme: string | null }>(admin, "GET", `/api/packages/${pkg.name}`);
      expect(view).toMatchObject({ updatesDisabled: true, readme: "# Hello" });
      const listing = await client.api<{ packages: Record<string, unknown>[] }>(admin, "GET", "/api/packages");
      const listed = listing.packages.find((row) => row.name === pkg.name);
      expect(listed).toMatchObject({ updatesDisabled: true });
      expect(listed).not.toHaveProperty("readme");
      expect((await disable(pkg.name, false)).updatesDisabled).toBe(false);
    });

    it("answers POST /api/update-package with 202, no job and a message saying why", async () => {
      const repo = unique("hooked");
      const pkg = await vcsPackage(`https://git.example.test/acme/${repo}.git`);
      await disable(pkg.name);
      const response = await client.request("/api/update-package", {
        method: "POST",
        headers: { "content-type": "application/json", ...bearer(admin) },
        body: JSON.stringify({ repository: { url: `https://git.example.test/acme/${repo}` } }),
      });
      expect(response.status).toBe(202);
      const body = await json<{ status: string; jobs: string[]; message: string }>(response);
      expect(body).toMatchObject({ status: "success", jobs: [] });
      expect(body.message).toBe(`Updates are disabled for ${pkg.name}.`);
      expect(await jobCount(pkg.id)).toBe(0);
    });

    it("is left out of the scheduled re-crawl, even as the stalest package", async () => {
      const now = harness.clock.now;
      // Everything else (other suites share storage) is fresh for this test.
      await services().db.orm.update(packages).set({ crawledAt: now });
      await runScheduledWork(services());
      const frozen = await vcsPackage();
      const stale = await vcsPackage();
      await disable(frozen.name);
      await services().db.orm.update(packages).set({ crawledAt: now - 3 * DAY }).where(eq(packages.id, frozen.id));
      await services().db.orm.update(packages).set({ crawledAt: now - 2 * DAY }).where(eq(packages.id, stale.id));
      // A minute later one package is due: the stalest that may be updated.
      harness.clock.now += 60_000;
      expect((await runScheduledWork(services())).recrawled).toBe(1);
      const queued = await services().db.orm.select().from(jobs).where(inArray(jobs.packageId, [frozen.id, stale.id])).all();
      expect(queued.map((job) => job.packageId)).toEqual([stale.id]);
    });

    it("is turned on and off in the settings form, and an admin's Update now still queues a job", async () => {
      const pkg = await vcsPackage();
      const page = new PageClient(harness.app);
      await page.login("admin", "admin-password");
      const detail = `/admin/packages/${pkg.name}`;
      expect((await page.get(detail)).body).toContain('name="updatesDisabled" value="1">');
      const settings = { repository: pkg.repository ?? "", credentials: "" };
      expect((await page.post(`${detail}/settings`, { ...settings, updatesDisabled: "1" })).status).toBe(303);
      expect((await page.get(detail)).body).toContain('name="updatesDisabled" value="1" checked>');
      expect((await page.post(`${detail}/update`, {})).status).toBe(303);
      expect(await jobCount(pkg.id)).toBe(1);
      await page.get(detail);
      await page.post(`${detail}/settings`, settings);
      const row = await services().db.orm.select({ updatesDisabled: packages.updatesDisabled }).from(packages).where(eq(packages.id, pkg.id)).get();
      expect(row?.updatesDisabled).toBe(false);
    });
  });
}
