// The proxy through the app's HTTP surface, on both runtimes, against a real (in-process)
// static Composer repository: lazy p2 mirroring with Last-Modified, dist rewriting and
// mirroring, the cached copy when the upstream fails, private names winning, strict mode,
// proxy access per group, and every bad upstream answer the issue names.
import { gunzipSync, strFromU8 } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { syncUpstreamChanges } from "../../src/proxy/changes-sync.ts";
import { StaticUpstream } from "../support/static-upstream.ts";
import { Client } from "./client.ts";
import { basic, bearer, json, unique, type Harness, type HarnessFactory } from "./harness.ts";

const UPSTREAM = "https://upstream.test";
export const PROXY_TEST_CONFIG = { proxy: { ttlMs: 60_000, timeoutMs: 500, connectTimeoutMs: 400, retryAfterMs: 10_000, maxMetadataBytes: 100_000, maxDistBytes: 1024 * 1024 } };

interface P2 {
  packages: Record<string, { version?: string; dist?: { url: string; shasum: string; reference: string } }[]>;
  warning?: string;
}

export function proxySuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: proxy of an upstream repository`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    let upstream: StaticUpstream;
    let upstreamId: number;
    const get = (path: string, token = admin, headers: Record<string, string> = {}) => client.request(path, { headers: { ...basic("admin", token), ...headers } });

    beforeAll(async () => {
      upstream = new StaticUpstream(UPSTREAM);
      harness = await factory(PROXY_TEST_CONFIG, { fetch: upstream.fetch });
      client = new Client(harness.app);
      admin = await client.adminToken();
      const created = await client.api<{ id: number }>(admin, "POST", "/api/upstreams", { name: unique("up"), url: `${UPSTREAM}/packages.json`, password: "s3cret", username: "mirror" });
      upstreamId = created.id;
    });

    it("keeps secrets write-only and validates upstream documents", async () => {
      const listed = await client.api<{ upstreams: Record<string, unknown>[] }>(admin, "GET", "/api/upstreams");
      const mine = listed.upstreams.find((row) => row.id === upstreamId);
      expect(mine).toMatchObject({ url: UPSTREAM, priority: 0, cacheDists: true, strict: false, username: "mirror", hasPassword: true, hasBearer: false });
      expect(JSON.stringify(listed)).not.toContain("s3cret");
      for (const bad of [{ name: "x", url: "ftp://a" }, { name: "x", url: "https://u:p@a.test" }, { name: "x", url: "not a url" }, { url: UPSTREAM }, { name: "x", url: UPSTREAM, priority: "high" }, { name: "x", url: UPSTREAM, strict: "yes" }]) {
        const response = await client.request("/api/upstreams", { method: "POST", headers: bearer(admin), body: JSON.stringify(bad) });
        expect(response.status, JSON.stringify(bad)).toBe(400);
      }
      const customer = await client.customer(admin);
      expect((await client.request("/api/upstreams", { headers: bearer(customer.token) })).status).toBe(403);
      const bogus = await client.request(`/api/upstreams/${upstreamId}/approved`, { method: "POST", headers: bearer(admin), body: JSON.stringify({ pattern: "../../etc" }) });
      expect(bogus.status).toBe(400);
    });

    it("serves an upstream package through the same URL, with dists rewritten to Satchel", async () => {
      const name = `psr/${unique("log")}`;
      await upstream.addPackage(name, [{ version: "1.0.0" }, { version: "1.1.0" }]);
      const root = await json(await get("/packages.json"));
      // A non-strict upstream: Composer must be allowed to ask for any name.
      expect(root).not.toHaveProperty("available-packages");
      expect(root["security-advisories"]).toEqual({ metadata: false, "api-url": "https://repo.example.test/api/security-advisories" });
      const response = await get(`/p2/${name}.json`);
      expect(response.status).toBe(200);
      const body = await json<P2>(response);
      const versions = body.packages[name] ?? [];
      expect(versions.map((v) => v.version)).toEqual(["1.1.0", "1.0.0"]);
      const dist = versions[0]?.dist;
      expect(dist?.url).toBe(`https://repo.example.test/zipball/${name}/${dist?.reference}.zip`);
      // Last-Modified and an empty 304, without asking the upstream again within the TTL.
      const before = upstream.count(`/p2/${name}`);
      const cached = await get(`/p2/${name}.json`, admin, { "if-modified-since": response.headers.get("last-modified") ?? "" });
      expect(cached.status).toBe(304);
      expect(await cached.text()).toBe("");
      expect(upstream.count(`/p2/${name}`)).toBe(before);
      // The archive: first download from the upstream, checked against its sha1, then stored.
      const zip = await get(new URL(dist?.url ?? "").pathname);
      expect(zip.status).toBe(200);
      const bytes = new Uint8Array(await zip.arrayBuffer());
      expect(await sha1(bytes)).toBe(dist?.shasum);
      const distRequests = upstream.count(`/dists/${name}`);
      expect((await get(new URL(dist?.url ?? "").pathname)).status).toBe(200);
      expect(upstream.count(`/dists/${name}`)).toBe(distRequests);
    });

    it("sends a proxied p2 gzipped to a client that accepts it (Composer), and plain JSON to one that does not", async () => {
      const name = `psr/${unique("gz")}`;
      await upstream.addPackage(name, [{ version: "1.0.0" }]);
      const plain = await get(`/p2/${name}.json`);
      expect(plain.status).toBe(200);
      expect(plain.headers.get("content-encoding")).toBeNull();
      const zipped = await get(`/p2/${name}.json`, admin, { "accept-encoding": "gzip" });
      expect(zipped.headers.get("content-encoding")).toBe("gzip");
      expect(zipped.headers.get("vary")).toBe("Accept-Encoding");
      const bytes = new Uint8Array(await zipped.arrayBuffer());
      // A runtime may already have decoded it (fetch does); app.request hands over the wire bytes.
      const text = bytes[0] === 0x1f && bytes[1] === 0x8b ? strFromU8(gunzipSync(bytes)) : strFromU8(bytes);
      expect(JSON.parse(text)).toEqual(await plain.json());
    });

    it("answers a repeated proxied p2 from memory, counts it as the upstream's hit, and never past the copy's freshness", async () => {
      const name = `psr/${unique("memo")}`;
      await upstream.addPackage(name, [{ version: "1.0.0" }]);
      const hitsOf = async () => (await client.api<{ stats: { hits: number } }>(admin, "GET", `/api/upstreams/${upstreamId}`)).stats.hits;
      await get(`/p2/${name}.json`);
      await harness.app.services.flushPending();
      const before = await hitsOf();
      const remembered = harness.app.services.answers.stats().hits;
      for (let i = 0; i < 3; i++) expect((await get(`/p2/${name}.json`)).status).toBe(200);
      expect(harness.app.services.answers.stats().hits).toBe(remembered + 3);
      await harness.app.services.flushPending();
      expect(await hitsOf()).toBe(before + 3);
      // The copy goes stale at the proxy TTL: the next request asks the upstream, not the memory.
      await upstream.addPackage(name, [{ version: "1.0.0" }, { version: "1.1.0" }]);
      harness.clock.now += PROXY_TEST_CONFIG.proxy.ttlMs - 1;
      await get(`/p2/${name}.json`);
      harness.clock.now += 1;
      expect((await json<P2>(await get(`/p2/${name}.json`))).packages[name]?.map((v) => v.version)).toEqual(["1.1.0", "1.0.0"]);
    });

    it("revalidates after the TTL with If-Modified-Since and sees upstream changes", async () => {
      const name = `psr/${unique("reval")}`;
      await upstream.addPackage(name, [{ version: "1.0.0" }]);
      const first = await get(`/p2/${name}.json`);
      const lastModified = first.headers.get("last-modified") ?? "";
      harness.clock.now += 61_000;
      expect((await get(`/p2/${name}.json`, admin, { "if-modified-since": lastModified })).status).toBe(304);
      await upstream.addPackage(name, [{ version: "1.0.0" }, { version: "2.0.0" }]);
      harness.clock.now += 61_000;
      const changed = await get(`/p2/${name}.json`, admin, { "if-modified-since": lastModified });
      expect(changed.status).toBe(200);
      expect((await json<P2>(changed)).packages[name]?.map((v) => v.version)).toEqual(["2.0.0", "1.0.0"]);
      const stats = await client.api<{ stats: { hits: number; upstreamRequests: number; documents: number } }>(admin, "GET", `/api/upstreams/${upstreamId}`);
      expect(stats.stats.hits).toBeGreaterThan(0);
      expect(stats.stats.documents).toBeGreaterThan(0);
    });

    it("marks copies stale or missing from the upstream's metadata/changes.json (scheduled step)", async () => {
      const sync = () => syncUpstreamChanges(harness.app.services);
      const versions = async (name: string) => (await json<P2>(await get(`/p2/${name}.json`))).packages[name]?.map((v) => v.version);
      // A feed that is not JSON: nothing applied, and not asked again on the next pass.
      upstream.changesMode = "garbage";
      expect(await sync()).toEqual({ upstreams: 0, stale: 0, missing: 0 });
      const asked = upstream.changesAsked.length;
      await sync();
      expect(upstream.changesAsked.length).toBe(asked);
      upstream.changesMode = "up";
      harness.clock.now += 25 * 3600_000;
      const name = `psr/${unique("feed")}`;
      const gone = `psr/${unique("gone")}`;
      const untouched = `psr/${unique("calm")}`;
      for (const each of [name, gone, untouched]) await upstream.addPackage(each, [{ version: "1.0.0" }]);
      for (const each of [name, gone, untouched]) expect(await versions(each)).toEqual(["1.0.0"]);
      // First read, no `since`: the upstream's 400 carries the timestamp to start from, and
      // what happened before it is unknown, so every copy is revalidated once (cheap 304s).
      expect((await sync()).upstreams).toBe(1);
      expect(upstream.changesAsked.at(-1)).toBeNull();
      for (const each of [name, gone, untouched]) expect(await versions(each)).toEqual(["1.0.0"]);
      await upstream.addPackage(name, [{ version: "1.0.0" }, { version: "1.1.0" }]);
      upstream.removePackage(gone);
      // Within the TTL, without the feed: still the copy.
      expect(await versions(name)).toEqual(["1.0.0"]);
      const report = await sync();
      expect(upstream.changesAsked.at(-1)).toMatch(/^\d+$/);
      expect(report).toMatchObject({ upstreams: 1, missing: 1 });
      expect(report.stale).toBeGreaterThanOrEqual(1);
      // Same clock, still within the TTL: the changed names are revalidated at once.
      const before = upstream.count(`/p2/${untouched}`);
      expect(await versions(name)).toEqual(["1.1.0", "1.0.0"]);
      expect((await get(`/p2/${gone}.json`)).status).toBe(404);
      expect(await versions(untouched)).toEqual(["1.0.0"]);
      expect(upstream.count(`/p2/${untouched}`)).toBe(before);
      // The kept timestamp moves on: the next pass sees no action twice.
      expect(await sync()).toEqual({ upstreams: 1, stale: 0, missing: 0 });
    });

    it("serves the cached copy with a warning when the upstream goes down, never a 5xx", async () => {
      const name = `psr/${unique("down")}`;
      await upstream.addPackage(name, [{ version: "1.0.0" }]);
      const first = await json<P2>(await get(`/p2/${name}.json`));
      const zipPath = new URL(first.packages[name]?.[0]?.dist?.url ?? "").pathname;
      expect((await get(zipPath)).status).toBe(200);
      harness.clock.now += 61_000;
      upstream.mode = "down";
      try {
        const started = Date.now();
        const stale = await get(`/p2/${name}.json`);
        expect(stale.status).toBe(200);
        const body = await json<P2>(stale);
        expect(body.warning).toMatch(/cannot be reached.*copy/);
        expect(body.packages[name]?.[0]?.version).toBe("1.0.0");
        expect((await get(zipPath)).status).toBe(200);
        // A name never mirrored: a clear, fast 502, not a hang (the circuit is open now).
        const missing = await get(`/p2/psr/${unique("never")}.json`);
        expect(missing.status).toBe(502);
        expect((await json<{ warning: string }>(missing)).warning).toMatch(/cannot be reached/);
        expect(Date.now() - started).toBeLessThan(3_000);
      } finally {
        upstream.mode = "up";
        harness.clock.now += 11_000;
      }
    });

    it("answers bad upstream documents with the copy or a 502, and caches none of them", async () => {
      for (const mode of ["garbage", "huge", "slow", "error", "redirect-private", "other-name"] as const) {
        const name = `bad/${unique(mode.replace("-", ""))}`;
        await upstream.addPackage(name, [{ version: "1.0.0" }]);
        upstream.mode = mode;
        const started = Date.now();
        const response = await get(`/p2/${name}.json`);
        upstream.mode = "up";
        expect(Date.now() - started, mode).toBeLessThan(2_500);
        if (mode === "other-name") {
          expect(response.status, mode).toBe(404);
        } else {
          expect(response.status, mode).toBe(502);
          const body = await json<{ error: { code: string }; warning: string }>(response);
          expect(body.error.code).toBe("upstream_unavailable");
        }
        harness.clock.now += 61_000; // past the TTL and the circuit
        // Nothing poisoned: the good document is served once the upstream behaves.
        const good = await get(`/p2/${name}.json`);
        expect(good.status, mode).toBe(200);
        expect((await json<P2>(good)).packages[name]?.[0]?.version).toBe("1.0.0");
      }
    });

    it("refuses dists that redirect to private addresses, do not match their sha1 or are not zips", async () => {
      for (const mode of ["redirect-private", "tamper", "html"] as const) {
        const name = `dist/${unique(mode.replace("-", ""))}`;
        await upstream.addPackage(name, [{ version: "1.0.0" }]);
        const dist = (await json<P2>(await get(`/p2/${name}.json`))).packages[name]?.[0]?.dist;
        upstream.distMode = mode;
        const refused = await get(new URL(dist?.url ?? "").pathname);
        upstream.distMode = "up";
        expect(refused.status, mode).toBe(502);
        expect((await json<{ warning: string }>(refused)).warning, mode).toMatch(/refused|sha1|not send a zip/);
        const good = await get(new URL(dist?.url ?? "").pathname);
        expect(good.status, mode).toBe(200);
        expect(await sha1(new Uint8Array(await good.arrayBuffer()))).toBe(dist?.shasum);
      }
    });

    it("lets a private package win over an upstream one of the same name", async () => {
      const name = `acme/${unique("clash")}`;
      await upstream.addPackage(name, [{ version: "9.9.9" }]);
      await client.uploadOk(admin, name, "1.0.0");
      const body = await json<P2>(await get(`/p2/${name}.json`));
      expect(body.packages[name]?.map((v) => v.version)).toEqual(["1.0.0"]);
      // A customer who may not see the private package does not get the upstream's instead.
      const customer = await client.customer(admin);
      expect((await get(`/p2/${name}.json`, customer.token, basic(customer.username, customer.token))).status).toBe(404);
      const checked = await client.api<{ clashes: { name: string }[] }>(admin, "POST", "/api/upstreams/clashes/check");
      expect(checked.clashes.map((clash) => clash.name)).toContain(name);
    });

    it("in strict mode shows only approved names, and says approval is needed for others", async () => {
      const good = `good${unique("v")}`;
      await upstream.addPackage(`${good}/lib`, [{ version: "1.0.0" }]);
      const other = `other/${unique("lib")}`;
      await upstream.addPackage(other, [{ version: "1.0.0" }]);
      await client.api(admin, "PUT", `/api/upstreams/${upstreamId}`, { strict: true });
      try {
        await client.api(admin, "POST", `/api/upstreams/${upstreamId}/approved`, { pattern: `${good}/*` });
        await client.api(admin, "POST", `/api/upstreams/${upstreamId}/approved`, { pattern: "solo/pkg" });
        const approved = await client.api<{ approved: { pattern: string }[] }>(admin, "GET", `/api/upstreams/${upstreamId}/approved`);
        expect(approved.approved.map((row) => row.pattern)).toEqual([`${good}/*`, "solo/pkg"]);
        const root = await json(await get("/packages.json"));
        expect(root["available-packages"]).toContain("solo/pkg");
        expect(root["available-package-patterns"]).toEqual([`${good}/*`]);
        expect((await get(`/p2/${good}/lib.json`)).status).toBe(200);
        const refused = await get(`/p2/${other}.json`);
        expect(refused.status).toBe(404);
        expect((await json<{ warning: string }>(refused)).warning).toMatch(/needs approval/);
        expect(upstream.count(`/p2/${other}`)).toBe(0);
        await client.api(admin, "DELETE", `/api/upstreams/${upstreamId}/approved`, { pattern: `${good}/*` });
        expect((await get(`/p2/${good}/lib.json`)).status).toBe(404);
      } finally {
        await client.api(admin, "DELETE", `/api/upstreams/${upstreamId}/approved?pattern=solo%2Fpkg`);
        await client.api(admin, "PUT", `/api/upstreams/${upstreamId}`, { strict: false });
      }
    });

    it("lists and finds upstream names known here after the private ones, without asking the upstream", async () => {
      const vendor = unique("lst");
      const [mirrored, unasked, mine, clash] = ["known", "unasked", "mine", "clash"].map((name) => `${vendor}/${name}`) as [string, string, string, string];
      for (const name of [mirrored, unasked, clash]) await upstream.addPackage(name, [{ version: "1.0.0" }]);
      for (const name of [mine, clash]) await client.uploadOk(admin, name, "1.0.0");
      expect((await get(`/p2/${mirrored}.json`)).status).toBe(200);
      harness.clock.now += 4_000; // past the cache TTL of the known names
      const asked = upstream.requests.length;
      const list = await json<{ packageNames: string[] }>(await get(`/packages/list.json?filter=${vendor}/*`));
      expect(list.packageNames.slice(0, 2).sort()).toEqual([clash, mine].sort());
      expect(list.packageNames.slice(2)).toEqual([mirrored]);
      const found = await json<{ results: { name: string; url: string }[]; total: number }>(await get(`/search.json?q=${vendor}`));
      expect(found.total).toBe(3);
      expect(found.results.map((result) => result.name).slice(2)).toEqual([mirrored]);
      expect(found.results[2]?.url).toBe(`https://repo.example.test/p2/${mirrored}.json`);
      expect((await json<{ total: number }>(await get(`/search.json?q=${vendor}&type=library`))).total).toBe(2);
      expect(upstream.requests.length).toBe(asked);
      // Without proxy access: no upstream names.
      const customer = await client.customer(admin);
      await client.api(admin, "PUT", "/api/proxy-access", { policy: "groups", groups: [] });
      try {
        const theirs = await json<{ packageNames: string[] }>(await get(`/packages/list.json?filter=${vendor}/*`, customer.token, basic(customer.username, customer.token)));
        expect(theirs.packageNames).toEqual([]);
        expect((await json<{ total: number }>(await get(`/search.json?q=${vendor}`, customer.token, basic(customer.username, customer.token)))).total).toBe(0);
      } finally {
        await client.api(admin, "PUT", "/api/proxy-access", { policy: "everyone" });
      }
      // Strict: approved names are listed, mirrored names only while approved.
      await client.api(admin, "PUT", `/api/upstreams/${upstreamId}`, { strict: true });
      try {
        await client.api(admin, "POST", `/api/upstreams/${upstreamId}/approved`, { pattern: unasked });
        const strict = await json<{ packageNames: string[] }>(await get(`/packages/list.json?filter=${vendor}/*`));
        expect(strict.packageNames.slice(2)).toEqual([unasked]);
      } finally {
        await client.api(admin, "DELETE", `/api/upstreams/${upstreamId}/approved?pattern=${encodeURIComponent(unasked)}`);
        await client.api(admin, "PUT", `/api/upstreams/${upstreamId}`, { strict: false });
      }
    });

    it("gives the proxy only to the groups the admin chose", async () => {
      const name = `psr/${unique("access")}`;
      await upstream.addPackage(name, [{ version: "1.0.0" }]);
      const allowedGroup = await client.group(admin, []);
      const allowed = await client.customer(admin, { groups: [allowedGroup] });
      const other = await client.customer(admin);
      await client.api(admin, "PUT", "/api/proxy-access", { policy: "groups", groups: [allowedGroup] });
      try {
        expect((await get(`/p2/${name}.json`, allowed.token, basic(allowed.username, allowed.token))).status).toBe(200);
        expect((await get(`/p2/${name}.json`, other.token, basic(other.username, other.token))).status).toBe(404);
        const otherRoot = await json(await get("/packages.json", other.token, basic(other.username, other.token)));
        expect(otherRoot["available-packages"]).toEqual([]);
      } finally {
        await client.api(admin, "PUT", "/api/proxy-access", { policy: "everyone" });
      }
    });

    it("answers composer audit with private advisories merged with the upstream's", async () => {
      const privateName = `acme/${unique("vuln")}`;
      await client.uploadOk(admin, privateName, "1.0.0");
      const upstreamName = `psr/${unique("vuln")}`;
      await upstream.addPackage(upstreamName, [{ version: "1.0.0" }]);
      upstream.advisories.set(upstreamName, [{ advisoryId: "PKSA-up-1", packageName: upstreamName, affectedVersions: "<2.0", title: "Upstream hole", sources: [{ name: "GitHub", remoteId: "GHSA-x" }], reportedAt: "2025-01-01 00:00:00", cve: null, link: null }]);
      for (const bad of [{ packageName: "Not A Name", title: "t", affectedVersions: "<1" }, { packageName: privateName, title: "t", affectedVersions: ">>>" }, { packageName: privateName, affectedVersions: "<1" }, { packageName: privateName, title: "t", affectedVersions: "<1", cve: "nope" }]) {
        const response = await client.request("/api/advisories", { method: "POST", headers: bearer(admin), body: JSON.stringify(bad) });
        expect(response.status, JSON.stringify(bad)).toBe(400);
      }
      const recorded = await client.api<{ advisoryId: string }>(admin, "POST", "/api/advisories", { packageName: privateName, title: "Private hole", affectedVersions: "<1.5", cve: "CVE-2026-12345", severity: "high" });
      const form = `packages%5B0%5D=${encodeURIComponent(privateName)}&packages%5B1%5D=${encodeURIComponent(upstreamName)}&packages%5B2%5D=unknown%2Fpkg`;
      const posted = await client.request("/api/security-advisories", { method: "POST", headers: { ...basic("admin", admin), "content-type": "application/x-www-form-urlencoded" }, body: form });
      expect(posted.status).toBe(200);
      const body = await json<{ advisories: Record<string, { advisoryId: string; title: string; reportedAt: string }[]> }>(posted);
      expect(body.advisories[privateName]?.map((a) => a.advisoryId)).toEqual([recorded.advisoryId]);
      expect(body.advisories[upstreamName]?.map((a) => a.title)).toEqual(["Upstream hole"]);
      expect(body.advisories["unknown/pkg"]).toEqual([]);
      const viaGet = await json<typeof body>(await get(`/api/security-advisories?packages[]=${encodeURIComponent(privateName)}`));
      expect(viaGet.advisories[privateName]?.[0]?.title).toBe("Private hole");
      // Names the caller may not see are left out.
      const customer = await client.customer(admin);
      const hidden = await json<typeof body>(await get(`/api/security-advisories?packages[]=${encodeURIComponent(privateName)}`, customer.token, basic(customer.username, customer.token)));
      expect(hidden.advisories).not.toHaveProperty(privateName);
    });
  });
}

async function sha1(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", bytes as Uint8Array<ArrayBuffer>));
  return [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
