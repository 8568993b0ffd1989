// D1's per-invocation limits, checked instead of guessed: every statement runs through the
// counted database handle (src/db/query-meter.ts). Warm Composer requests make no query, cold
// ones a few, none comes near the Free plan's limits, and a large publish stays under the
// Paid plan's by chunking itself.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { D1_FREE_LIMITS, D1_PAID_LIMITS, overLimits, type QueryTally } from "../../src/db/query-meter.ts";
import { Client } from "./client.ts";
import { basic, json, TEST_CONFIG, unique, type Harness, type HarnessFactory } from "./harness.ts";
import { claimJobOf, publishEntries, randomReference, uploadWorkerDist } from "./worker-claims.ts";

/**
 * Cold: the first request of a new isolate or process, nothing cached. packages.json pays for
 * the principal (token, user, groups), the catalog and the upstream settings; the budget pins
 * today's count so that one more query on the Composer path fails here.
 */
const COLD_BUDGET = 12;
/**
 * Local D1 (npm start) answers one call at a time, a few ms each: the round trips of a cold
 * packages.json are on the critical path of every cold `composer update` (bench/COLD-COMPOSER.md).
 */
const COLD_ROUND_TRIPS = 7;
/** What a real Composer sends: its requests are the ones the minimum-version policy judges. */
const COMPOSER_USER_AGENT = "Composer/2.8.1 (Linux; 6.1.0; PHP 8.2.7; cURL 7.88.1; Platform-PHP 8.2.7)";

export function queryBudgetSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: query budget`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    let name: string;
    let reference: string;
    let customer: { username: string; token: string };
    beforeAll(async () => {
      harness = await factory({ statsFlushMs: 60_000 });
      client = new Client(harness.app);
      admin = await client.adminToken();
      name = `acme/${unique("budget")}`;
      reference = (await client.uploadOk(admin, name, "1.0.0")).reference;
      await client.uploadOk(admin, name, "1.1.0");
      customer = await client.customer(admin, { groups: [await client.group(admin, [{ name }])] });
      await harness.app.services.flushPending();
    });

    /** Runs a request and returns what it asked of the database. */
    const measured = async (app: Client, path: string, headers: Record<string, string>, init: RequestInit = {}): Promise<{ status: number; tally: QueryTally }> => {
      const { meter } = app.app.services.db;
      meter.take();
      const response = await app.request(path, { ...init, headers: { ...headers, ...(init.headers as Record<string, string> | undefined) } });
      await response.arrayBuffer();
      return { status: response.status, tally: meter.take() };
    };
    const composerPaths = () => ["/packages.json", `/p2/${name}.json`, `/p2/${name}~dev.json`, `/zipball/${name}/${reference}.zip`];

    for (const who of ["admin", "customer"] as const) {
      it(`${who}: cold Composer requests make at most ${COLD_BUDGET} queries, warm ones none`, async () => {
        const cold = new Client(harness.sibling());
        const headers = { ...(who === "admin" ? basic("admin", admin) : basic(customer.username, customer.token)), "user-agent": COMPOSER_USER_AGENT };
        const report: Record<string, { cold: QueryTally; warm: QueryTally }> = {};
        for (const path of composerPaths()) {
          const first = await measured(cold, path, headers);
          const second = await measured(cold, path, headers);
          expect(first.status, path).toBe(200);
          expect(second.status, path).toBe(200);
          report[path] = { cold: first.tally, warm: second.tally };
        }
        for (const [path, { cold: first, warm }] of Object.entries(report)) {
          expect(first.queries, `${path} cold`).toBeLessThanOrEqual(COLD_BUDGET);
          expect(overLimits(first, D1_FREE_LIMITS), path).toEqual([]);
          expect(warm.queries, `${path} warm`).toBe(0);
        }
      });
    }

    for (const who of ["admin", "customer"] as const) {
      it(`${who}: after packages.json, a listed package's p2 and zipball make no query (its catalog read serves them)`, async () => {
        const cold = new Client(harness.sibling());
        const headers = { ...(who === "admin" ? basic("admin", admin) : basic(customer.username, customer.token)), "user-agent": COMPOSER_USER_AGENT };
        expect((await measured(cold, "/packages.json", headers)).status).toBe(200);
        for (const path of [`/p2/${name}.json`, `/zipball/${name}/${reference}.zip`]) {
          const { status, tally } = await measured(cold, path, headers);
          expect(status, path).toBe(200);
          expect(tally.queries, `${path}: ${tally.widest}`).toBe(0);
        }
      });
    }

    it("packages.json reads the catalog again after its answer once the snapshot has lived half the TTL: the p2 and zipball after it make no query past the first TTL", async () => {
      const cold = new Client(harness.sibling());
      const headers = (token: string) => ({ ...basic("admin", token), "user-agent": COMPOSER_USER_AGENT });
      // A token verified at each step, so that only the catalog can cost a query at the end.
      const [first, second] = [await client.adminToken(), await client.adminToken()];
      expect((await measured(cold, "/packages.json", headers(first))).status).toBe(200);
      harness.clock.now += TEST_CONFIG.cacheTtlMs * 0.6;
      expect((await measured(cold, "/packages.json", headers(second))).status).toBe(200);
      const { catalog } = cold.app.services;
      // The refresh runs after the answer: the snapshot then lives on past the first one's TTL.
      await vi.waitFor(() => expect(catalog.cachedPolicies(harness.clock.now + TEST_CONFIG.cacheTtlMs * 0.6)).toBeDefined());
      harness.clock.now += TEST_CONFIG.cacheTtlMs * 0.6;
      for (const path of [`/p2/${name}.json`, `/zipball/${name}/${reference}.zip`]) {
        const { status, tally } = await measured(cold, path, headers(second));
        expect(status, path).toBe(200);
        expect(tally.queries, `${path}: ${tally.widest}`).toBe(0);
      }
    });

    it(`a cold packages.json waits for at most ${COLD_ROUND_TRIPS} database round trips (the catalog and the upstream settings are one batch each)`, async () => {
      const cold = new Client(harness.sibling());
      const { status, tally } = await measured(cold, "/packages.json", { ...basic("admin", admin), "user-agent": COMPOSER_USER_AGENT });
      expect(status).toBe(200);
      expect(tally.roundTrips).toBeLessThanOrEqual(COLD_ROUND_TRIPS);
    });

    it("a package written while the catalog is read is read again, not taken from that read", async () => {
      const { services } = harness.sibling();
      const reading = services.catalog.snapshot(harness.clock.now);
      // A write in this process lands while the read is in flight, and evicts the package.
      services.catalog.invalidate(name);
      await reading;
      services.db.meter.take();
      expect(await services.catalog.find(name, harness.clock.now)).toMatchObject({ name });
      expect(services.db.meter.take().queries).toBe(1);
      expect(services.catalog.cachedPolicies(harness.clock.now)).toBeUndefined();
    });

    it("answers a repeated composer audit without a query; an advisory recorded here is in the next answer, one recorded by a sibling within the cache TTL", async () => {
      // Composer waits for its audit at the end of every update; on local D1 a read queues behind
      // the statistics the notify-batch just before it writes (bench/COLD-COMPOSER.md).
      const audit = async (app: Client) => {
        const { meter } = app.app.services.db;
        meter.take();
        const form = { method: "POST", headers: { ...basic("admin", admin), "content-type": "application/x-www-form-urlencoded" }, body: `packages[]=${encodeURIComponent(name)}` };
        const response = await app.request("/api/security-advisories", form);
        expect(response.status).toBe(200);
        const body = await json<{ advisories: Record<string, { title: string }[]> }>(response);
        return { titles: body.advisories[name]?.map((advisory) => advisory.title), queries: meter.take().queries };
      };
      const sibling = new Client(harness.sibling());
      for (const app of [client, sibling]) {
        expect((await audit(app)).titles).toEqual([]);
        expect(await audit(app)).toEqual({ titles: [], queries: 0 });
      }
      await client.api(admin, "POST", "/api/advisories", { packageName: name, title: "Budget hole", affectedVersions: "<1.1", severity: "high" });
      expect((await audit(client)).titles).toEqual(["Budget hole"]);
      harness.clock.now += TEST_CONFIG.cacheTtlMs + 1;
      expect((await audit(sibling)).titles).toEqual(["Budget hole"]);
    });

    it("looks up a notify-batch's names in one catalog read when they are not remembered, not one query each", async () => {
      // Composer notifies every installed package at the end of an update and waits for the answer.
      const cold = new Client(harness.sibling());
      const headers = { ...basic("admin", admin), "user-agent": COMPOSER_USER_AGENT };
      expect((await measured(cold, `/p2/${name}.json`, headers)).status).toBe(200);
      const names = [name, ...Array.from({ length: 29 }, (_, i) => `acme/not-hosted-${i}`)];
      const notify = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ downloads: names.map((each) => ({ name: each, version: "1.0.0.0" })) }) };
      const { status, tally } = await measured(cold, "/downloads/", headers, notify);
      expect(status).toBe(201);
      // The catalog's one batch, and the downloads' write started after it.
      expect(tally.roundTrips).toBeLessThanOrEqual(2);
    });

    it("writes a flush of download counts as multi-row upserts that add to the stored counts", async () => {
      const notify = (ip: string, versions: string[]) =>
        client.request("/downloads/", {
          method: "POST",
          headers: { ...basic("admin", admin), "content-type": "application/json", "cf-connecting-ip": ip },
          body: JSON.stringify({ downloads: versions.map((version) => ({ name, version })) }),
        });
      const many = Array.from({ length: 60 }, (_, i) => `5.${i}.0.0`);
      const { services } = harness.app;
      // A flush now: the next one is not due for a minute (statsFlushMs), so the counts wait for flushPending.
      await notify("198.51.100.9", ["0.0.1.0"]);
      await services.flushPending();
      for (const [ip, versions] of [["198.51.100.1", many], ["198.51.100.2", [many[0]!]], ["198.51.100.3", [many[0]!]]] as const) expect((await notify(ip, [...versions])).status).toBe(201);
      services.db.meter.take();
      await services.flushPending();
      // 60 counts in 3 statements (25 rows each at most), and the token's last use.
      expect(services.db.meter.take().queries).toBeLessThanOrEqual(4);
      for (const ip of ["198.51.100.4", "198.51.100.5"]) await notify(ip, [many[0]!]);
      await services.flushPending();
      const { sql } = await import("drizzle-orm");
      const counts = async () =>
        Object.fromEntries(
          (
            await services.db.orm.all<{ version: string; count: number }>(
              sql`select d.version_normalized as version, d.count from downloads d join packages p on p.id = d.package_id where p.name = ${name} and d.version_normalized in (${many[0]}, ${many[1]})`,
            )
          ).map((row) => [row.version, Number(row.count)]),
        );
      await vi.waitFor(async () => expect(await counts()).toEqual({ [many[0]!]: 5, [many[1]!]: 1 }));
    });

    it("keeps notify-batch, list and search under the Free plan's limits", async () => {
      const headers = basic("admin", admin);
      const notify = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ downloads: Array.from({ length: 50 }, (_, i) => ({ name, version: i % 2 ? "1.0.0.0" : "1.1.0.0" })) }) };
      for (const [path, init] of [["/downloads/", notify], ["/packages/list.json", {}], [`/search.json?q=${name.split("/")[1]}`, {}]] as const) {
        const { status, tally } = await measured(client, path, headers, init);
        expect(status, path).toBeLessThan(300);
        expect(overLimits(tally, D1_FREE_LIMITS), path).toEqual([]);
      }
    });

    it("publishes a large repository's first import (1,300 versions, distinct deferred zipballs) under D1's per-statement limits", async () => {
      const vcsName = `acme/${unique("large")}`;
      const { job } = await client.api<{ job: string }>(admin, "POST", "/api/create-package", { repository: `https://git.example.test/${vcsName}.git` });
      const jobId = await claimJobOf(client, job, "w-budget");
      const entries = Array.from({ length: 1_300 }, (_, i) => ({
        name: vcsName,
        version: `${1 + Math.floor(i / 100)}.${Math.floor(i / 10) % 10}.${i % 10}`,
        version_normalized: `${1 + Math.floor(i / 100)}.${Math.floor(i / 10) % 10}.${i % 10}.0`,
        type: "library",
        description: "A package with a long history",
        require: { php: ">=8.1", "psr/log": "^3.0" },
        time: new Date(1_700_000_000_000 + i * 1000).toISOString(),
        source: { type: "git", url: `https://git.example.test/${vcsName}.git`, reference: randomReference() },
        dist: { type: "zip", url: "", reference: randomReference(), shasum: "" },
      }));
      for (const entry of entries) entry.dist.reference = entry.source.reference;
      const { meter } = harness.app.services.db;
      meter.take();
      const result = await publishEntries(client, jobId, "w-budget", vcsName, entries, { deferred: entries.map((entry) => entry.dist.reference) });
      const tally = meter.take();
      expect((result.added as string[]).length).toBe(1_300);
      expect(overLimits(tally, D1_PAID_LIMITS)).toEqual([]);
      const p2 = await json<{ packages: Record<string, unknown[]> }>(await client.request(`/p2/${vcsName}.json`, { headers: basic("admin", admin) }));
      expect(p2.packages[vcsName]).toHaveLength(1_300);
    });

    it("chunks a large publish under the Paid plan's limits", async () => {
      const vcsName = `acme/${unique("bulk")}`;
      const { job } = await client.api<{ job: string }>(admin, "POST", "/api/create-package", { repository: `https://git.example.test/${vcsName}.git` });
      const jobId = await claimJobOf(client, job, "w-budget");
      const shared = randomReference();
      await uploadWorkerDist(client, vcsName, shared);
      const entries = Array.from({ length: 400 }, (_, i) => ({
        name: vcsName,
        version: `1.${i}.0`,
        version_normalized: `1.${i}.0.0`,
        type: "library",
        description: "x".repeat(200),
        time: new Date(1_700_000_000_000 + i * 1000).toISOString(),
        dist: { type: "zip", url: "", reference: shared, shasum: "" },
      }));
      const { meter } = harness.app.services.db;
      meter.take();
      const result = await publishEntries(client, jobId, "w-budget", vcsName, entries);
      const tally = meter.take();
      expect(result).toMatchObject({ created: true });
      expect((result.added as string[]).length).toBe(400);
      expect(overLimits(tally, D1_PAID_LIMITS)).toEqual([]);
      const p2 = await json<{ packages: Record<string, unknown[]> }>(await client.request(`/p2/${vcsName}.json`, { headers: basic("admin", admin) }));
      expect(p2.packages[vcsName]).toHaveLength(400);
    });
  });
}
