// Distribution control (issue 16 parts 3-5): flagged versions and plugins not allowed are left
// out of p2 for everyone and their dists answer 410; groups that hide sources, branches or
// unstable versions narrow what their members see; an old Composer client is refused.
import { beforeAll, describe, expect, it } from "vitest";
import { auditPage } from "../../src/audit/audit-store.ts";
import { PageClient } from "../support/page-client.ts";
import { Client } from "./client.ts";
import { basic, json, unique, type Harness, type HarnessFactory } from "./harness.ts";
import { claimJobOf, publishEntries, randomReference, uploadWorkerDist } from "./worker-claims.ts";

interface P2 {
  packages: Record<string, { version?: string; source?: unknown; dist?: { reference: string } }[]>;
  filter?: Record<string, { constraint: string; reason: string; id: string; source: string }[]>;
}

export function policiesSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: version flags, group restrictions and policies`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    const asAdmin = { authorization: "" };
    const p2 = async (headers: Record<string, string>, name: string, dev = false) => {
      const response = await client.request(`/p2/${name}${dev ? "~dev" : ""}.json`, { headers });
      expect(response.status).toBe(200);
      return { body: await json<P2>(response), lastModified: response.headers.get("last-modified") };
    };
    const adminHeaders = () => ({ ...asAdmin, authorization: `Bearer ${admin}` });
    const versionsOf = (doc: P2, name: string) => (doc.packages[name] ?? []).map((entry) => entry.version);

    /** A VCS package published as the git worker does: tags and branches with source and dist. */
    async function vcsPackage(versions: { version: string; normalized: string; type?: string }[]) {
      const name = `${unique("vcs")}/lib`;
      const created = await client.api<{ job: string }>(admin, "POST", "/api/create-package", { repository: `https://git.example.test/${name}.git` });
      const jobId = await claimJobOf(client, created.job, "w-policies");
      const refs: Record<string, string> = {};
      const entries = [];
      for (const { version, normalized, type } of versions) {
        const reference = randomReference();
        refs[version] = reference;
        await uploadWorkerDist(client, name, reference);
        entries.push({
          name,
          version,
          version_normalized: normalized,
          type: type ?? "library",
          time: "2026-01-01T00:00:00+00:00",
          source: { type: "git", url: `https://git.example.test/${name}.git`, reference },
          dist: { type: "zip", url: "", reference, shasum: "" },
        });
      }
      await publishEntries(client, jobId, "w-policies", name, entries);
      return { name, refs };
    }

    describe("version flags", () => {
      it("leaves a flagged version out of p2 for every client, lists it in `filter`, answers 410 for its dist, and moves Last-Modified", async () => {
        const name = `${unique("flag")}/lib`;
        await client.uploadOk(admin, name, "1.0.0");
        const bad = await client.uploadOk(admin, name, "1.0.1");
        const customer = await client.customer(admin, { groups: [await client.group(admin, [{ name }])] });
        const customerHeaders = basic(customer.username, customer.token);
        const before = await p2(customerHeaders, name);
        expect(versionsOf(before.body, name)).toEqual(["1.0.1", "1.0.0"]);

        harness.clock.now += 5000;
        const flag = await client.api<{ id: number; kind: string; version: string }>(admin, "POST", `/api/packages/${name}/flags`, { version: "1.0.1", kind: "malware", reason: "steals credentials" });
        expect(flag).toMatchObject({ kind: "malware", version: "1.0.1.0" });

        for (const headers of [adminHeaders(), customerHeaders]) {
          const after = await p2(headers, name);
          expect(versionsOf(after.body, name)).toEqual(["1.0.0"]);
          expect(after.body.filter).toEqual({ malware: [{ constraint: "1.0.1", reason: "malware: steals credentials", id: `SATCHEL-FLAG-${flag.id}`, source: "satchel" }] });
        }
        const moved = await p2(customerHeaders, name);
        expect(Date.parse(moved.lastModified ?? "")).toBeGreaterThan(Date.parse(before.lastModified ?? ""));

        const gone = await client.request(`/zipball/${name}/${bad.reference}.zip`, { headers: customerHeaders });
        expect(gone.status).toBe(410);
        expect(gone.headers.get("content-type")).toMatch(/^application\/json/);
        const body = await json<{ warning: string; error: { code: string } }>(gone);
        expect(body.error.code).toBe("version_flagged");
        expect(body.warning).toContain("flagged as malware");
        expect(body.warning).toContain("steals credentials");

        // The REST API still shows admins the flag.
        expect((await client.api<{ flags: { id: number }[] }>(admin, "GET", `/api/packages/${name}/flags`)).flags.map((f) => f.id)).toEqual([flag.id]);
      });

      it("names a flagged branch in p2/{name}.json's `filter`, the only document Composer 2.10 reads it from", async () => {
        const { name } = await vcsPackage([
          { version: "1.0.0", normalized: "1.0.0.0" },
          { version: "dev-main", normalized: "dev-main" },
        ]);
        const customer = await client.customer(admin, { groups: [await client.group(admin, [{ name }])] });
        const flag = await client.api<{ id: number }>(admin, "POST", `/api/packages/${name}/flags`, { version: "dev-main", kind: "compromised", reason: "pushed by an intruder" });
        const expected = { malware: [{ constraint: "dev-main", reason: "compromised: pushed by an intruder", id: `SATCHEL-FLAG-${flag.id}`, source: "satchel" }] };
        for (const headers of [adminHeaders(), basic(customer.username, customer.token)]) {
          const tags = (await p2(headers, name)).body;
          expect(versionsOf(tags, name)).toEqual(["1.0.0"]);
          expect(tags.filter).toEqual(expected);
          expect(versionsOf((await p2(headers, name, true)).body, name)).toEqual([]);
        }
      });

      it("lifts a flag: the version and its dist come back, and both writes are audited with their reason", async () => {
        const name = `${unique("lift")}/lib`;
        await client.uploadOk(admin, name, "1.0.0");
        const { reference } = await client.uploadOk(admin, name, "1.1.0");
        const flag = await client.api<{ id: number }>(admin, "POST", `/api/packages/${name}/flags`, { version: "1.1.0", kind: "compromised", reason: "maintainer account taken over" });
        expect(versionsOf((await p2(adminHeaders(), name)).body, name)).toEqual(["1.0.0"]);
        await client.api(admin, "DELETE", `/api/packages/${name}/flags/${flag.id}`);
        const after = await p2(adminHeaders(), name);
        expect(versionsOf(after.body, name)).toEqual(["1.1.0", "1.0.0"]);
        expect(after.body.filter).toBeUndefined();
        expect((await client.request(`/zipball/${name}/${reference}.zip`, { headers: adminHeaders() })).status).toBe(200);
        expect((await client.api<{ flags: unknown[] }>(admin, "GET", `/api/packages/${name}/flags`)).flags).toEqual([]);
        const rows = await allAuditRows(harness);
        const mine = rows.filter((row) => row.target === `${name} 1.1.0` || row.target === `${name} 1.1.0.0`);
        expect(mine.map((row) => [row.action, row.details])).toEqual(
          expect.arrayContaining([
            ["flag version", expect.objectContaining({ kind: "compromised", reason: "maintainer account taken over" })],
            ["lift version flag", expect.objectContaining({ kind: "compromised", reason: "maintainer account taken over" })],
          ]),
        );
      });

      it("answers 404 for an unknown version or package, 422 for a bad kind or a missing reason, 409 for a second flag, and stores nothing", async () => {
        const name = `${unique("badflag")}/lib`;
        await client.uploadOk(admin, name, "1.0.0");
        const post = (path: string, body: unknown) => client.request(path, { method: "POST", headers: { ...adminHeaders(), "content-type": "application/json" }, body: JSON.stringify(body) });
        expect((await post(`/api/packages/${name}/flags`, { version: "9.9.9", kind: "malware", reason: "x" })).status).toBe(404);
        expect((await post(`/api/packages/${name}/flags`, { version: "not a version!", kind: "malware", reason: "x" })).status).toBe(404);
        expect((await post(`/api/packages/${unique("nope")}/lib/flags`, { version: "1.0.0", kind: "malware", reason: "x" })).status).toBe(404);
        const badKind = await post(`/api/packages/${name}/flags`, { version: "1.0.0", kind: "spicy", reason: "x" });
        expect(badKind.status).toBe(422);
        expect((await json<{ error: { message: string } }>(badKind)).error.message).toContain('"kind"');
        expect((await post(`/api/packages/${name}/flags`, { version: "1.0.0", kind: "malware" })).status).toBe(422);
        expect((await post(`/api/packages/${name}/flags`, { version: "1.0.0", kind: "malware", reason: "   " })).status).toBe(422);
        expect((await client.api<{ flags: unknown[] }>(admin, "GET", `/api/packages/${name}/flags`)).flags).toEqual([]);
        expect(versionsOf((await p2(adminHeaders(), name)).body, name)).toEqual(["1.0.0"]);
        expect((await post(`/api/packages/${name}/flags`, { version: "1.0.0", kind: "malware", reason: "x" })).status).toBe(201);
        expect((await post(`/api/packages/${name}/flags`, { version: "1.0.0", kind: "compromised", reason: "y" })).status).toBe(409);
        expect((await client.request(`/api/packages/${name}/flags/999999`, { method: "DELETE", headers: adminHeaders() })).status).toBe(404);
      });

      it("is for admins only: a customer cannot list, add or lift flags", async () => {
        const name = `${unique("flagacl")}/lib`;
        await client.uploadOk(admin, name, "1.0.0");
        const customer = await client.customer(admin, { groups: [await client.group(admin, [{ name }])] });
        const response = await client.request(`/api/packages/${name}/flags`, { method: "POST", headers: { ...basic(customer.username, customer.token), "content-type": "application/json" }, body: JSON.stringify({ version: "1.0.0", kind: "malware", reason: "x" }) });
        expect(response.status).toBe(403);
        expect((await client.request(`/api/packages/${name}/flags`, { headers: basic(customer.username, customer.token) })).status).toBe(403);
      });

      it("shows a customer whose grant stops below the flagged version neither the version, its filter entry nor a 410", async () => {
        const name = `${unique("flagnarrow")}/lib`;
        await client.uploadOk(admin, name, "1.0.0");
        const bad = await client.uploadOk(admin, name, "2.0.0");
        await client.api(admin, "POST", `/api/packages/${name}/flags`, { version: "2.0.0", kind: "malware", reason: "bad" });
        const narrow = await client.customer(admin, { groups: [await client.group(admin, [{ name, version: "<2.0" }])] });
        const headers = basic(narrow.username, narrow.token);
        const doc = await p2(headers, name);
        expect(versionsOf(doc.body, name)).toEqual(["1.0.0"]);
        expect(doc.body.filter).toBeUndefined();
        expect((await client.request(`/zipball/${name}/${bad.reference}.zip`, { headers })).status).toBe(404);
      });
    });

    describe("group restrictions", () => {
      it("hides sources, branches and unstable versions from a restricted group's members, and not from admins", async () => {
        const { name, refs } = await vcsPackage([
          { version: "1.0.0", normalized: "1.0.0.0" },
          { version: "1.1.0-beta1", normalized: "1.1.0.0-beta1" },
          { version: "dev-main", normalized: "dev-main" },
        ]);
        const restricted = await client.api<{ id: number; hideSources: boolean; hideDevVersions: boolean; minimumStability: string }>(admin, "POST", "/api/groups", {
          name: unique("restricted"),
          packages: [{ name }],
          hideSources: true,
          hideDevVersions: true,
          minimumStability: "stable",
        });
        expect(restricted).toMatchObject({ hideSources: true, hideDevVersions: true, minimumStability: "stable" });
        const member = await client.customer(admin, { groups: [restricted.id] });
        const headers = basic(member.username, member.token);
        const tags = (await p2(headers, name)).body;
        expect(versionsOf(tags, name)).toEqual(["1.0.0"]);
        expect(tags.packages[name]?.[0]?.source).toBeUndefined();
        expect(versionsOf((await p2(headers, name, true)).body, name)).toEqual([]);
        expect((await client.request(`/zipball/${name}/${refs["dev-main"]}.zip`, { headers })).status).toBe(404);
        expect((await client.request(`/zipball/${name}/${refs["1.1.0-beta1"]}.zip`, { headers })).status).toBe(404);
        expect((await client.request(`/zipball/${name}/${refs["1.0.0"]}.zip`, { headers })).status).toBe(200);

        const adminTags = (await p2(adminHeaders(), name)).body;
        expect(versionsOf(adminTags, name)).toEqual(["1.1.0-beta1", "1.0.0"]);
        expect(adminTags.packages[name]?.[0]?.source).toBeDefined();
        expect(versionsOf((await p2(adminHeaders(), name, true)).body, name)).toEqual(["dev-main"]);
      });

      it("gives a user in two groups the most permissive grant per version: the open group's source and branches win", async () => {
        const { name } = await vcsPackage([
          { version: "1.0.0", normalized: "1.0.0.0" },
          { version: "dev-main", normalized: "dev-main" },
        ]);
        const closed = await client.api<{ id: number }>(admin, "POST", "/api/groups", { name: unique("closed"), packages: [{ name }], hideSources: true, hideDevVersions: true });
        const open = await client.group(admin, [{ name }]);
        const both = await client.customer(admin, { groups: [closed.id, open] });
        const headers = basic(both.username, both.token);
        const tags = (await p2(headers, name)).body;
        expect(tags.packages[name]?.[0]?.source).toBeDefined();
        expect(versionsOf((await p2(headers, name, true)).body, name)).toEqual(["dev-main"]);
        // A grant narrowed by a constraint in the open group leaves the other versions to the closed group's rule.
        const { name: other } = await vcsPackage([
          { version: "1.0.0", normalized: "1.0.0.0" },
          { version: "2.0.0", normalized: "2.0.0.0" },
        ]);
        const closedOther = await client.api<{ id: number }>(admin, "POST", "/api/groups", { name: unique("closed2"), packages: [{ name: other }], hideSources: true });
        const openOld = await client.group(admin, [{ name: other, version: "<2.0" }]);
        const mixed = await client.customer(admin, { groups: [closedOther.id, openOld] });
        const entries = (await p2(basic(mixed.username, mixed.token), other)).body.packages[other] ?? [];
        expect(entries.map((entry) => [entry.version, entry.source !== undefined])).toEqual([
          ["2.0.0", false],
          ["1.0.0", true],
        ]);
      });

      it("moves a member's view when the group's restrictions change, and refuses a bad minimumStability", async () => {
        const { name } = await vcsPackage([{ version: "1.0.0", normalized: "1.0.0.0" }]);
        const group = await client.api<{ id: number }>(admin, "POST", "/api/groups", { name: unique("toggle"), packages: [{ name }] });
        const member = await client.customer(admin, { groups: [group.id] });
        const headers = basic(member.username, member.token);
        expect((await p2(headers, name)).body.packages[name]?.[0]?.source).toBeDefined();
        await client.api(admin, "PUT", `/api/groups/${group.id}`, { hideSources: true });
        harness.app.services.forgetAccess();
        expect((await p2(headers, name)).body.packages[name]?.[0]?.source).toBeUndefined();
        const bad = await client.request(`/api/groups/${group.id}`, { method: "PUT", headers: { ...adminHeaders(), "content-type": "application/json" }, body: JSON.stringify({ minimumStability: "shiny" }) });
        expect(bad.status).toBe(400);
      });
    });

    describe("plugin allowlist", () => {
      it("omits a composer-plugin not allowed from p2 and answers 410 for its dist; allowing it brings it back", async () => {
        const plugin = `${unique("plug")}/installer`;
        const { reference } = await client.uploadOk(admin, plugin, "1.0.0", { type: "composer-plugin", require: { "composer-plugin-api": "^2.0" }, extra: { class: "Acme\\Plugin" } });
        const lib = `${unique("plain")}/lib`;
        await client.uploadOk(admin, lib, "1.0.0");
        expect(versionsOf((await p2(adminHeaders(), plugin)).body, plugin)).toEqual(["1.0.0"]);

        await client.api(admin, "PUT", "/api/policies", { pluginAllowlist: { enabled: true, allowed: [] } });
        expect(versionsOf((await p2(adminHeaders(), plugin)).body, plugin)).toEqual([]);
        expect(versionsOf((await p2(adminHeaders(), lib)).body, lib)).toEqual(["1.0.0"]);
        const gone = await client.request(`/zipball/${plugin}/${reference}.zip`, { headers: adminHeaders() });
        expect(gone.status).toBe(410);
        expect((await json<{ warning: string }>(gone)).warning).toContain("plugin allowlist");

        await client.api(admin, "PUT", "/api/policies", { pluginAllowlist: { allowed: [`${plugin.split("/")[0]}/*`] } });
        expect(versionsOf((await p2(adminHeaders(), plugin)).body, plugin)).toEqual(["1.0.0"]);
        expect((await client.request(`/zipball/${plugin}/${reference}.zip`, { headers: adminHeaders() })).status).toBe(200);
        await client.api(admin, "PUT", "/api/policies", { pluginAllowlist: { enabled: false, allowed: [] } });
      });

      it("refuses a bad allowlist pattern or minimum version with 422 and keeps the policies", async () => {
        const before = await client.api(admin, "GET", "/api/policies");
        for (const body of [{ pluginAllowlist: { allowed: ["Not A Name"] } }, { pluginAllowlist: { enabled: "yes" } }, { minimumComposerVersion: "banana" }, { minimumComposerVersion: "dev-main" }]) {
          const response = await client.request("/api/policies", { method: "PUT", headers: { ...adminHeaders(), "content-type": "application/json" }, body: JSON.stringify(body) });
          expect(response.status, JSON.stringify(body)).toBe(422);
        }
        expect(await client.api(admin, "GET", "/api/policies")).toEqual(before);
      });
    });

    describe("minimum Composer version", () => {
      it("refuses an older Composer with 426 and a warning, lets newer ones, unknown clients and a missing User-Agent through", async () => {
        const name = `${unique("ua")}/lib`;
        const { reference } = await client.uploadOk(admin, name, "1.0.0");
        await client.api(admin, "PUT", "/api/policies", { minimumComposerVersion: "2.6.0" });
        try {
          const get = (path: string, userAgent?: string) => client.request(path, { headers: { ...adminHeaders(), ...(userAgent === undefined ? {} : { "user-agent": userAgent }) } });
          for (const path of ["/packages.json", `/p2/${name}.json`, `/zipball/${name}/${reference}.zip`]) {
            const old = await get(path, "Composer/2.5.5 (Linux; 6.1.0; PHP 8.2.7; cURL 7.88.1)");
            expect(old.status, path).toBe(426);
            expect(old.headers.get("content-type")).toMatch(/^application\/json/);
            const body = await json<{ warning: string }>(old);
            expect(body.warning).toContain("requires Composer 2.6.0 or newer");
            expect(body.warning).toContain("Composer/2.5.5");
            expect((await get(path, "Composer/2.6.0 (Linux; 6.1.0; PHP 8.2.7; cURL 7.88.1)")).status, path).toBe(200);
            expect((await get(path, "Composer/2.10.1 (Darwin; 23.1.0; PHP 8.3.0)")).status, path).toBe(200);
            expect((await get(path, "curl/8.4.0")).status, path).toBe(200);
            expect((await get(path, "Composer/source")).status, path).toBe(200);
            expect((await get(path)).status, path).toBe(200);
          }
        } finally {
          await client.api(admin, "PUT", "/api/policies", { minimumComposerVersion: null });
        }
      });
    });

    it("manages flags, the plugin allowlist, the minimum version and group restrictions from the admin pages (CSRF forms), audited", async () => {
      const name = `${unique("pageflag")}/lib`;
      await client.uploadOk(admin, name, "1.0.0");
      await client.uploadOk(admin, name, "1.0.1");
      const pages = new PageClient(harness.app);
      expect((await pages.login("admin", "admin-password")).status).toBe(303);
      expect((await pages.get("/admin/policies")).status).toBe(200);
      const flagged = await pages.post("/admin/policies/flags", { package: name, version: "1.0.1", kind: "compromised", reason: "stolen release token" });
      expect(flagged.status).toBe(303);
      expect(versionsOf((await p2(adminHeaders(), name)).body, name)).toEqual(["1.0.0"]);
      const listed = await pages.get("/admin/policies");
      expect(listed.body).toContain(name);
      expect(listed.body).toContain("stolen release token");
      // An unknown version comes back as a message, and flags nothing.
      await pages.post("/admin/policies/flags", { package: name, version: "7.0.0", kind: "malware", reason: "x" });
      const [flag] = (await client.api<{ flags: { id: number }[] }>(admin, "GET", `/api/packages/${name}/flags`)).flags;
      expect((await pages.post(`/admin/policies/flags/${flag?.id}/lift`, { package: name })).status).toBe(303);
      expect(versionsOf((await p2(adminHeaders(), name)).body, name)).toEqual(["1.0.1", "1.0.0"]);

      expect((await pages.post("/admin/policies", { pluginAllowlistEnabled: "1", allowedPlugins: "acme/*\ncomposer/installers", minimumComposerVersion: "2.2.0" })).status).toBe(303);
      expect(await client.api(admin, "GET", "/api/policies")).toEqual({ pluginAllowlist: { enabled: true, allowed: ["acme/*", "composer/installers"] }, minimumComposerVersion: "2.2.0" });
      expect((await pages.post("/admin/policies", { allowedPlugins: "", minimumComposerVersion: "" })).status).toBe(303);
      expect(await client.api(admin, "GET", "/api/policies")).toEqual({ pluginAllowlist: { enabled: false, allowed: [] }, minimumComposerVersion: null });

      expect((await pages.post("/admin/groups", { name: unique("pagegroup"), grants: name, hideSources: "1", minimumStability: "beta" })).status).toBe(303);
      const groups = await client.api<{ groups: { name: string; packages: { name: string }[]; hideSources: boolean; hideDevVersions: boolean; minimumStability: string | null }[] }>(admin, "GET", "/api/groups");
      expect(groups.groups.find((group) => group.packages.some((grant) => grant.name === name))).toMatchObject({ hideSources: true, hideDevVersions: false, minimumStability: "beta" });

      const rows = (await allAuditRows(harness)).filter((row) => row.target?.startsWith(name) || row.action === "policies changed");
      expect(rows.map((row) => row.action)).toEqual(expect.arrayContaining(["flag version", "lift version flag", "policies changed"]));
    });

    it("advertises the Composer 2.10 filter metadata in packages.json", async () => {
      const root = await json<{ filter: unknown }>(await client.request("/packages.json", { headers: adminHeaders() }));
      expect(root.filter).toEqual({ metadata: true, lists: { malware: { enabled: true } } });
    });
  });
}

/** Every audit row (other suites share the database and move the clock, so "the newest" is not ours). */
async function allAuditRows(harness: Harness) {
  const rows = [];
  for (let offset = 0; ; offset += 500) {
    const page = await auditPage(harness.app.services.db, offset, 500);
    rows.push(...page.rows);
    if (page.rows.length < 500) return rows;
  }
}
