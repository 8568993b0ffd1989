// Sub-repositories: their own Composer URL (`/sub/{slug}` or their own hostname) serving only
// their packages, each caller further narrowed by their grants; public ones without credentials;
// private ones 401 without credentials and 404 (unknown and no access alike) with them.
import { beforeAll, describe, expect, it } from "vitest";
import { PageClient } from "../support/page-client.ts";
import { StaticUpstream } from "../support/static-upstream.ts";
import { PROXY_TEST_CONFIG } from "./proxy.suite.ts";
import { Client } from "./client.ts";
import { basic, bearer, json, unique, type Harness, type HarnessFactory } from "./harness.ts";

const BASE = "https://repo.example.test";

interface Root {
  "metadata-url": string;
  "available-packages"?: string[];
  "notify-batch": string;
  search: string;
  list: string;
  mirrors: { "dist-url": string }[];
  "security-advisories": { "api-url": string };
}

interface P2 {
  packages: Record<string, { version?: string; dist?: { url: string } }[]>;
}

export function subrepositoriesSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: sub-repositories`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    let vendor: string;
    let tools: string;
    let lib: string;
    let toolA: string;
    let outside: string;
    let publicOutside: string;
    let refs: Record<string, string>;
    let slug: string;
    let subId: number;
    let hostname: string;
    let customer: { username: string; token: string };
    let stranger: { username: string; token: string };

    const create = (body: Record<string, unknown>) => client.request("/api/subrepositories", { method: "POST", headers: bearer(admin), body: JSON.stringify(body) });
    const get = (path: string, headers: Record<string, string> = {}) => client.request(path, { headers });
    const as = (who: { username: string; token: string }) => basic(who.username, who.token);
    const versions = async (response: Response, name: string) => (await json<P2>(response)).packages[name]?.map((entry) => entry.version);

    beforeAll(async () => {
      // Statistics wait in memory: a warm request then makes no write either.
      harness = await factory({ statsFlushMs: 60_000 });
      client = new Client(harness.app);
      admin = await client.adminToken();
      vendor = unique("sv");
      tools = unique("st");
      lib = `${vendor}/lib`;
      toolA = `${tools}/a`;
      outside = `${vendor}/outside`;
      publicOutside = `${vendor}/open`;
      refs = {};
      for (const [name, version] of [[lib, "1.0.0"], [lib, "2.0.0"], [toolA, "1.0.0"], [outside, "1.0.0"], [publicOutside, "1.0.0"]] as const) {
        refs[`${name} ${version}`] = (await client.uploadOk(admin, name, version)).reference;
      }
      await client.api(admin, "PUT", `/api/packages/${publicOutside}`, { public: true });
      await client.api(admin, "POST", "/api/advisories", { packageName: lib, title: "inside advisory", affectedVersions: ">=1.0" });
      await client.api(admin, "POST", "/api/advisories", { packageName: outside, title: "outside advisory", affectedVersions: ">=1.0" });
      slug = unique("sub").toLowerCase();
      hostname = `${slug}.customers.example.test`;
      const created = await client.api<{ id: number }>(admin, "POST", "/api/subrepositories", { name: "Customer A", slug, packages: [lib, `${tools}/*`, `${vendor}/future`], public: false, hostname });
      subId = created.id;
      const group = await client.group(admin, [{ name: lib, version: "<2.0" }, { name: outside }]);
      customer = await client.customer(admin, { groups: [group] });
      stranger = await client.customer(admin, { groups: [await client.group(admin, [{ name: outside }])] });
    });

    describe("the pages", () => {
      it("let an admin create, edit and delete one with the form; a refused slug shows its reason and stores nothing", async () => {
        const pages = new PageClient(harness.app);
        expect((await pages.login("admin", "admin-password")).status).toBe(303);
        const list = await pages.get("/admin/subrepositories");
        expect(list.status).toBe(200);
        expect(list.body).toContain(`composer config repositories.${slug} composer ${BASE}/sub/${slug}`);
        expect(list.body).toMatch(new RegExp(`${vendor}/future</code> <span class="badge warn">not yet present`));
        const made = unique("page");
        const created = await pages.post("/admin/subrepositories", { name: "From the page", slug: made, packages: `${lib}\n${tools}/*`, hostname: "", public: "1" });
        expect(created.status).toBe(303);
        const { subrepositories } = await client.api<{ subrepositories: { id: number; slug: string; packages: string[]; public: boolean }[] }>(admin, "GET", "/api/subrepositories");
        const mine = subrepositories.find((sub) => sub.slug === made);
        expect(mine).toMatchObject({ packages: [lib, `${tools}/*`], public: true });
        await pages.get("/admin/subrepositories");
        expect((await pages.post(`/admin/subrepositories/${mine?.id}`, { name: "Edited", slug: made, packages: lib, hostname: "" })).status).toBe(303);
        expect(await client.api(admin, "GET", `/api/subrepositories/${mine?.id}`)).toMatchObject({ name: "Edited", packages: [lib], public: false });
        await pages.get("/admin/subrepositories");
        const refused = await pages.post("/admin/subrepositories", { name: "Bad", slug: "api", packages: "" });
        expect(refused.status).toBe(303);
        expect((await pages.get(refused.location ?? "/admin/subrepositories")).body).toContain("reserved");
        await pages.get("/admin/subrepositories");
        expect((await pages.post(`/admin/subrepositories/${mine?.id}/delete`, {})).status).toBe(303);
        expect((await client.request(`/api/subrepositories/${mine?.id}`, { headers: bearer(admin) })).status).toBe(404);
      });

      it("show a customer the URL and the composer line of each sub-repository they can use, and no other", async () => {
        const hidden = unique("hid");
        await client.api(admin, "POST", "/api/subrepositories", { name: "Not theirs", slug: hidden, packages: [toolA] });
        for (const [who, sees] of [[customer, true], [stranger, false]] as const) {
          const pages = new PageClient(harness.app);
          expect((await pages.login(who.username, "customer-password")).status).toBe(303);
          const home = await pages.get("/");
          expect(home.status).toBe(200);
          expect(home.body.includes(`composer config repositories.${slug} composer ${BASE}/sub/${slug}`), who.username).toBe(sees);
          expect(home.body).not.toContain(hidden);
        }
      });
    });

    describe("the API", () => {
      it("answers the document with its Composer URL and the names not yet present", async () => {
        const view = await client.api<Record<string, unknown>>(admin, "GET", `/api/subrepositories/${subId}`);
        expect(view).toEqual({
          id: subId,
          name: "Customer A",
          slug,
          packages: [lib, `${tools}/*`, `${vendor}/future`],
          public: false,
          hostname,
          url: `${BASE}/sub/${slug}`,
          hostUrl: `https://${hostname}`,
          notYetPresent: [`${vendor}/future`],
        });
        const { subrepositories } = await client.api<{ subrepositories: { id: number }[] }>(admin, "GET", "/api/subrepositories");
        expect(subrepositories.map((sub) => sub.id)).toContain(subId);
      });

      it("lets maintainers read and only admins write; customers get 403", async () => {
        const maintainer = await client.customer(admin, { roles: ["ROLE_MAINTAINER"] });
        expect((await client.request("/api/subrepositories", { headers: as(maintainer) })).status).toBe(200);
        const write = await client.request("/api/subrepositories", { method: "POST", headers: as(maintainer), body: JSON.stringify({ name: "x", slug: unique("m"), packages: [] }) });
        expect(write.status).toBe(403);
        expect((await client.request("/api/subrepositories", { headers: as(customer) })).status).toBe(403);
        const adminOnly = await client.api<{ token: string }>(admin, "POST", "/api/tokens", { name: "admin scope only", scopes: ["admin"] });
        expect((await client.request("/api/subrepositories", { headers: bearer(adminOnly.token) })).status).toBe(200);
      });

      it("refuses a slug that collides with a route, or has odd characters, with 422 and stores nothing", async () => {
        for (const bad of ["api", "p2", "zipball", "packages", "downloads", "search", "sub", "login", "Acme", "a_b", "a/b", "-x", "a.b", "", "x".repeat(64), "é"]) {
          const response = await create({ name: "Bad", slug: bad, packages: [] });
          expect(response.status, bad).toBe(422);
          expect((await json<{ error: { code: string } }>(response)).error.code).toBe("invalid_subrepository");
        }
        const { subrepositories } = await client.api<{ subrepositories: { slug: string }[] }>(admin, "GET", "/api/subrepositories");
        expect(subrepositories.map((sub) => sub.slug)).not.toContain("api");
      });

      it("refuses bad hostnames and package patterns with 422, a taken slug or hostname with 409", async () => {
        for (const bad of ["http://x.example.test", "x.example.test:8080", "a..b.test", "-a.example.test", "localhost", "10.0.0.1", "repo.example.test"]) {
          expect((await create({ name: "Bad", slug: unique("h"), packages: [], hostname: bad })).status, bad).toBe(422);
        }
        for (const bad of ["Acme/Lib", "acme", "acme/*/x", "*", "acme/li*"]) {
          expect((await create({ name: "Bad", slug: unique("p"), packages: [bad] })).status, bad).toBe(422);
        }
        expect((await create({ name: "Dup", slug, packages: [] })).status).toBe(409);
        expect((await create({ name: "Dup", slug: unique("d"), packages: [], hostname: hostname.toUpperCase() })).status).toBe(409);
      });

      it("updates and deletes; a deleted one is gone from its URL", async () => {
        const other = unique("del");
        const { id } = await client.api<{ id: number }>(admin, "POST", "/api/subrepositories", { name: "Short-lived", slug: other, packages: [lib], public: true });
        expect((await get(`/sub/${other}/packages.json`)).status).toBe(200);
        const updated = await client.api<{ name: string; public: boolean }>(admin, "PUT", `/api/subrepositories/${id}`, { name: "Renamed", public: false });
        expect(updated).toMatchObject({ name: "Renamed", public: false });
        expect((await get(`/sub/${other}/packages.json`)).status).toBe(401);
        await client.api(admin, "DELETE", `/api/subrepositories/${id}`);
        expect((await client.request(`/api/subrepositories/${id}`, { headers: bearer(admin) })).status).toBe(404);
        expect((await get(`/sub/${other}/packages.json`, bearer(admin))).status).toBe(404);
      });
    });

    describe("a private sub-repository", () => {
      it("lists only its packages to an admin, every URL under /sub/{slug}", async () => {
        const response = await get(`/sub/${slug}/packages.json`, bearer(admin));
        expect(response.status).toBe(200);
        const root = await json<Root>(response);
        const sub = `${BASE}/sub/${slug}`;
        expect(root["available-packages"]?.sort()).toEqual([lib, toolA].sort());
        expect(root["metadata-url"]).toBe(`${sub}/p2/%package%.json`);
        expect(root["notify-batch"]).toBe(`${sub}/downloads/`);
        expect(root.search).toBe(`${sub}/search.json?q=%query%&type=%type%`);
        expect(root.list).toBe(`${sub}/packages/list.json`);
        expect(root.mirrors[0]?.["dist-url"]).toBe(`${sub}/zipball/%package%/%reference%.%type%`);
        expect(root["security-advisories"]["api-url"]).toBe(`${sub}/api/security-advisories`);
      });

      it("serves p2, ~dev, zipballs, list, search, notify-batch and advisories for its packages only", async () => {
        const headers = bearer(admin);
        const p2 = await get(`/sub/${slug}/p2/${lib}.json`, headers);
        expect(p2.status).toBe(200);
        const entries = (await json<P2>(p2)).packages[lib] ?? [];
        expect(entries.map((entry) => entry.version).sort()).toEqual(["1.0.0", "2.0.0"]);
        for (const entry of entries) expect(entry.dist?.url).toMatch(new RegExp(`^${BASE}/sub/${slug}/zipball/${lib}/`));
        expect((await get(`/sub/${slug}/p2/${lib}~dev.json`, headers)).status).toBe(200);
        expect((await get(`/sub/${slug}/p2/${outside}.json`, headers)).status).toBe(404);
        expect((await get(`/sub/${slug}/p2/${outside}~dev.json`, headers)).status).toBe(404);
        expect((await get(`/sub/${slug}/p2/${publicOutside}.json`, headers)).status).toBe(404);
        expect((await get(`/sub/${slug}/zipball/${lib}/${refs[`${lib} 2.0.0`]}.zip`, headers)).status).toBe(200);
        expect((await get(`/sub/${slug}/zipball/${outside}/${refs[`${outside} 1.0.0`]}.zip`, headers)).status).toBe(404);
        const list = await json<{ packageNames: string[] }>(await get(`/sub/${slug}/packages/list.json`, headers));
        expect(list.packageNames.sort()).toEqual([lib, toolA].sort());
        const search = await json<{ results: { name: string; url?: string }[] }>(await get(`/sub/${slug}/search.json?q=${vendor}`, headers));
        expect(search.results.map((result) => result.name)).toEqual([lib]);
        // No `url` inside a sub-repository: it has no package pages (the field is optional in Packagist's format).
        expect(search.results.map((result) => result.url)).toEqual([undefined]);
        const advisories = await json<{ advisories: Record<string, { title: string }[]> }>(
          await get(`/sub/${slug}/api/security-advisories?packages[]=${lib}&packages[]=${outside}`, headers),
        );
        expect(Object.keys(advisories.advisories)).toEqual([lib]);
        expect(advisories.advisories[lib]?.map((advisory) => advisory.title)).toEqual(["inside advisory"]);
        const notify = await client.request(`/sub/${slug}/downloads/`, { method: "POST", headers, body: JSON.stringify({ downloads: [{ name: lib, version: "1.0.0.0" }] }) });
        expect(notify.status).toBe(201);
      });

      it("narrows a customer by their own grants: the intersection, never more", async () => {
        const headers = as(customer);
        const root = await json<Root>(await get(`/sub/${slug}/packages.json`, headers));
        expect(root["available-packages"]).toEqual([lib]);
        expect(await versions(await get(`/sub/${slug}/p2/${lib}.json`, headers), lib)).toEqual(["1.0.0"]);
        expect((await get(`/sub/${slug}/zipball/${lib}/${refs[`${lib} 2.0.0`]}.zip`, headers)).status).toBe(404);
        expect((await get(`/sub/${slug}/zipball/${lib}/${refs[`${lib} 1.0.0`]}.zip`, headers)).status).toBe(200);
        // Granted, but not in this sub-repository; public, but not in it either.
        expect((await get(`/sub/${slug}/p2/${outside}.json`, headers)).status).toBe(404);
        expect((await get(`/sub/${slug}/p2/${publicOutside}.json`, headers)).status).toBe(404);
        expect((await get(`/sub/${slug}/p2/${toolA}.json`, headers)).status).toBe(404);
        const list = await json<{ packageNames: string[] }>(await get(`/sub/${slug}/packages/list.json`, headers));
        expect(list.packageNames).toEqual([lib]);
        // The root is unchanged for them.
        expect((await get(`/p2/${outside}.json`, headers)).status).toBe(200);
      });

      it("answers 401 without credentials, and the same 404 for an unknown slug and for one the caller cannot use", async () => {
        for (const path of ["/packages.json", `/p2/${lib}.json`]) {
          expect((await get(`/sub/${slug}${path}`)).status).toBe(401);
          expect((await get(`/sub/${unique("nope")}${path}`)).status).toBe(401);
          const noAccess = await get(`/sub/${slug}${path}`, as(stranger));
          const unknown = await get(`/sub/${unique("nope")}${path}`, as(stranger));
          expect(noAccess.status).toBe(404);
          expect(unknown.status).toBe(404);
          expect(await noAccess.text()).toBe(await unknown.text());
        }
      });

      it("routes only Composer paths under /sub/{slug}", async () => {
        expect((await get(`/sub/${slug}/api/users`, bearer(admin))).status).toBe(404);
        expect((await get(`/sub/${slug}/api/subrepositories`, bearer(admin))).status).toBe(404);
      });

      it("moves Last-Modified when its package list changes", async () => {
        const headers = bearer(admin);
        const before = (await get(`/sub/${slug}/packages.json`, headers)).headers.get("last-modified") ?? "";
        const notModified = await get(`/sub/${slug}/packages.json`, { ...headers, "if-modified-since": before });
        expect(notModified.status).toBe(304);
        harness.clock.now += 2000;
        await client.api(admin, "PUT", `/api/subrepositories/${subId}`, { packages: [lib, `${tools}/*`, `${vendor}/future`, outside] });
        const after = await get(`/sub/${slug}/packages.json`, { ...headers, "if-modified-since": before });
        expect(after.status).toBe(200);
        expect((await json<Root>(after))["available-packages"]).toContain(outside);
        const customerAfter = await get(`/sub/${slug}/packages.json`, { ...as(customer), "if-modified-since": before });
        expect(customerAfter.status).toBe(200);
        expect((await json<Root>(customerAfter))["available-packages"]?.sort()).toEqual([lib, outside].sort());
        await client.api(admin, "PUT", `/api/subrepositories/${subId}`, { packages: [lib, `${tools}/*`, `${vendor}/future`] });
      });

      it("keeps a customer's root Last-Modified when they read a sub-repository in between (views keyed apart)", async () => {
        harness.clock.now += 2000;
        const headers = as(customer);
        const before = (await get("/packages.json", headers)).headers.get("last-modified") ?? "";
        // A package the customer cannot see moves the catalog, not their dates.
        harness.clock.now += 2000;
        await client.uploadOk(admin, `${unique("hidden")}/pkg`, "1.0.0");
        for (const app of [harness.sibling(), harness.sibling()]) {
          // Fresh memory each time: only the stored view clocks decide.
          const fresh = new Client(app);
          expect((await fresh.request(`/sub/${slug}/packages.json`, { headers })).status).toBe(200);
          expect((await fresh.request("/packages.json", { headers: { ...headers, "if-modified-since": before } })).status).toBe(304);
        }
      });

      it("serves a warm p2 inside it from memory: no query, no blob read, nothing derived again", async () => {
        const app = harness.sibling();
        const sibling = new Client(app);
        const blobs = app.services.blobs;
        const read = blobs.get.bind(blobs);
        let blobReads = 0;
        blobs.get = (key: string) => {
          blobReads++;
          return read(key);
        };
        for (const headers of [bearer(admin), as(customer)]) {
          expect((await sibling.request(`/sub/${slug}/p2/${lib}.json`, { headers })).status).toBe(200);
          app.services.db.meter.take();
          blobReads = 0;
          const warm = await sibling.request(`/sub/${slug}/p2/${lib}.json`, { headers });
          expect(warm.status).toBe(200);
          await warm.arrayBuffer();
          const tally = app.services.db.meter.take();
          expect(tally.queries, tally.widest).toBe(0);
          expect(blobReads).toBe(0);
        }
      });
    });

    describe("a public sub-repository", () => {
      let open: string;
      beforeAll(async () => {
        open = unique("open");
        await client.api(admin, "POST", "/api/subrepositories", { name: "Open", slug: open, packages: [lib], public: true });
      });

      it("serves its packages, every version, without credentials, and nothing else", async () => {
        const root = await json<Root>(await get(`/sub/${open}/packages.json`));
        expect(root["available-packages"]).toEqual([lib]);
        expect((await versions(await get(`/sub/${open}/p2/${lib}.json`), lib))?.sort()).toEqual(["1.0.0", "2.0.0"]);
        expect((await get(`/sub/${open}/zipball/${lib}/${refs[`${lib} 2.0.0`]}.zip`)).status).toBe(200);
        expect((await get(`/sub/${open}/p2/${outside}.json`)).status).toBe(404);
        expect((await get(`/sub/${open}/p2/${publicOutside}.json`)).status).toBe(404);
        expect((await get(`/sub/${open}/zipball/${outside}/${refs[`${outside} 1.0.0`]}.zip`)).status).toBe(404);
        expect((await json<{ packageNames: string[] }>(await get(`/sub/${open}/packages/list.json`))).packageNames).toEqual([lib]);
        // The root still wants credentials.
        expect((await get("/packages.json")).status).toBe(401);
      });

      it("answers a caller with credentials exactly as the public, nothing more", async () => {
        for (const headers of [as(customer), as(stranger), bearer(admin)]) {
          const body = await json<Root>(await get(`/sub/${open}/packages.json`, headers));
          expect(body["available-packages"]).toEqual([lib]);
          expect((await versions(await get(`/sub/${open}/p2/${lib}.json`, headers), lib))?.sort()).toEqual(["1.0.0", "2.0.0"]);
          expect((await get(`/sub/${open}/p2/${outside}.json`, headers)).status).toBe(404);
        }
        expect((await get(`/sub/${open}/packages.json`, bearer("satchel_not-a-token"))).status).toBe(401);
      });
    });

    describe("a sub-repository's own hostname", () => {
      const onHost = (path: string, headers: Record<string, string> = {}) => harness.app.request(`https://${hostname}${path}`, { headers });

      it("serves the sub-repository at the root of that host, with URLs on that host", async () => {
        const response = await onHost("/packages.json", bearer(admin));
        expect(response.status).toBe(200);
        const root = await json<Root>(response);
        expect(root["available-packages"]?.sort()).toEqual([lib, toolA].sort());
        expect(root["metadata-url"]).toBe(`https://${hostname}/p2/%package%.json`);
        const p2 = await json<P2>(await onHost(`/p2/${lib}.json`, as(customer)));
        expect(p2.packages[lib]?.map((entry) => entry.version)).toEqual(["1.0.0"]);
        expect(p2.packages[lib]?.[0]?.dist?.url).toMatch(new RegExp(`^https://${hostname}/zipball/`));
        expect((await onHost(`/p2/${outside}.json`, bearer(admin))).status).toBe(404);
        expect((await onHost(`/zipball/${lib}/${refs[`${lib} 1.0.0`]}.zip`, as(customer))).status).toBe(200);
        expect((await onHost("/packages.json")).status).toBe(401);
        expect((await onHost("/packages.json", as(stranger))).status).toBe(404);
      });

      it("leaves other hosts serving the root", async () => {
        const root = await json<Root>(await get("/packages.json", bearer(admin)));
        expect(root["available-packages"]).toContain(outside);
        expect(root["metadata-url"]).toBe(`${BASE}/p2/%package%.json`);
      });
    });
  });

  describe(`${runtime}: sub-repositories and the proxy`, () => {
    it("serves no upstream package inside a sub-repository: a finite list, 404s, no upstream name or advisory", async () => {
      const upstream = new StaticUpstream("https://upstream.test");
      const harness = await factory(PROXY_TEST_CONFIG, { fetch: upstream.fetch });
      const client = new Client(harness.app);
      const admin = await client.adminToken();
      const mirrored = `${unique("up")}/pkg`;
      await upstream.addPackage(mirrored, [{ version: "1.0.0" }]);
      upstream.advisories.set(mirrored, [{ advisoryId: "UP-1", packageName: mirrored, title: "upstream advisory", affectedVersions: ">=1.0" }]);
      // On workerd every suite shares one database: the upstream goes again at the end, whatever happens.
      const { id: upstreamId } = await client.api<{ id: number }>(admin, "POST", "/api/upstreams", { name: unique("up"), url: "https://upstream.test/packages.json" });
      try {
        const lib = `${unique("sv")}/lib`;
        await client.uploadOk(admin, lib, "1.0.0");
        const slug = unique("px");
        await client.api(admin, "POST", "/api/subrepositories", { name: "No proxy", slug, packages: [lib, mirrored] });
        // The root proxies it (and its list is open); the sub-repository does not.
        expect((await client.request(`/p2/${mirrored}.json`, { headers: bearer(admin) })).status).toBe(200);
        expect((await json<Root>(await client.request("/packages.json", { headers: bearer(admin) })))["available-packages"]).toBeUndefined();
        const asked = upstream.requests.length;
        const root = await json<Root>(await client.request(`/sub/${slug}/packages.json`, { headers: bearer(admin) }));
        expect(root["available-packages"]).toEqual([lib]);
        expect((await client.request(`/sub/${slug}/p2/${mirrored}.json`, { headers: bearer(admin) })).status).toBe(404);
        expect((await client.request(`/sub/${slug}/p2/${unique("x")}/y.json`, { headers: bearer(admin) })).status).toBe(404);
        const list = await json<{ packageNames: string[] }>(await client.request(`/sub/${slug}/packages/list.json`, { headers: bearer(admin) }));
        expect(list.packageNames).toEqual([lib]);
        const advisories = await json<{ advisories: Record<string, unknown[]> }>(await client.request(`/sub/${slug}/api/security-advisories?packages[]=${mirrored}`, { headers: bearer(admin) }));
        expect(advisories.advisories).toEqual({});
        expect(upstream.requests.length).toBe(asked);
      } finally {
        await client.api(admin, "DELETE", `/api/upstreams/${upstreamId}`);
      }
    });
  });
}
