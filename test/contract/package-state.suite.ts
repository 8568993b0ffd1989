// What admins set over a package's published versions: archiving (hidden from every Composer
// reader, kept, restorable), abandonment with a replacement (in every p2 entry, as Packagist
// publishes it) and metadata patches (a version's links replaced over the stored original,
// checked with Composer's rules, audited, shown as a diff, removable, kept across a re-scan).
import { beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { auditPage } from "../../src/audit/audit-store.ts";
import { expandVersions } from "../../src/composer-rules/minify.ts";
import { PageClient } from "../support/page-client.ts";
import { StaticUpstream } from "../support/static-upstream.ts";
import { Client } from "./client.ts";
import { PROXY_TEST_CONFIG } from "./proxy.suite.ts";
import { basic, bearer, json, type Harness, type HarnessFactory, unique } from "./harness.ts";
import { claimJobOf, publishEntries, randomReference, uploadWorkerDist } from "./worker-claims.ts";

type P2 = { packages: Record<string, Record<string, unknown>[]> };

export function packageStateSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: archived, abandoned and patched packages`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    const get = (path: string, token = admin, username = "admin") => client.request(path, { headers: basic(username, token) });
    const put = (path: string, body: unknown) => client.request(path, { method: "PUT", headers: { ...bearer(admin), "content-type": "application/json" }, body: JSON.stringify(body) });
    const p2Entries = async (name: string) => {
      const response = await get(`/p2/${name}.json`);
      expect(response.status).toBe(200);
      return expandVersions((await json<P2>(response)).packages[name] ?? []);
    };
    const requireOf = async (name: string) => Object.fromEntries((await p2Entries(name)).map((entry) => [entry.version, entry.require]));

    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    it("archives a package: gone from packages.json, p2, list, search and zipballs for everyone, kept for admins, restored on un-archive", async () => {
      const name = `acme/${unique("old")}`;
      const { reference } = await client.uploadOk(admin, name, "1.0.0");
      const customer = await client.customer(admin, { groups: [await client.group(admin, [{ name }])] });
      const composerPaths = [`/p2/${name}.json`, `/p2/${name}~dev.json`, `/zipball/${name}/${reference}.zip`];
      const listed = async (token: string, username: string) => {
        const root = await json<{ "available-packages": string[] }>(await get("/packages.json", token, username));
        const list = await json<{ packageNames: string[] }>(await get("/packages/list.json", token, username));
        const search = await json<{ results: { name: string }[] }>(await get(`/search.json?q=${name.split("/")[1]}`, token, username));
        return [root["available-packages"].includes(name), list.packageNames.includes(name), search.results.some((result) => result.name === name)];
      };
      expect(await listed(customer.token, customer.username)).toEqual([true, true, true]);

      expect(await json(await put(`/api/packages/${name}`, { archived: true }))).toMatchObject({ archived: true });
      for (const [token, username] of [[admin, "admin"], [customer.token, customer.username]] as const) {
        expect(await listed(token, username)).toEqual([false, false, false]);
        for (const path of composerPaths) expect((await get(path, token, username)).status, `${username} ${path}`).toBe(404);
      }
      // Kept: admins still find it in the API (to restore it); a customer does not.
      expect(await client.api(admin, "GET", `/api/packages/${name}`)).toMatchObject({ name, archived: true, versions: [{ version: "1.0.0" }] });
      expect((await client.api<{ packages: { name: string; archived: boolean }[] }>(admin, "GET", "/api/packages")).packages.find((pkg) => pkg.name === name)).toMatchObject({ archived: true });
      expect((await client.request(`/api/packages/${name}`, { headers: bearer(customer.token) })).status).toBe(404);
      // Its name stays taken: an upload under it is still an upload to this package.
      expect((await client.upload(admin, name, "1.0.0", new Uint8Array())).status).not.toBe(201);

      await put(`/api/packages/${name}`, { archived: false });
      expect(await listed(customer.token, customer.username)).toEqual([true, true, true]);
      expect((await get(composerPaths[0]!, customer.token, customer.username)).status).toBe(200);
      expect((await get(composerPaths[2]!, customer.token, customer.username)).status).toBe(200);
    });

    it("publishes abandonment in every p2 entry, with the replacement's name or true, and rebuilds the documents when it changes", async () => {
      const name = `acme/${unique("legacy")}`;
      await client.uploadOk(admin, name, "1.0.0");
      await client.uploadOk(admin, name, "1.1.0");
      const abandonedValues = async () => (await p2Entries(name)).map((entry) => entry.abandoned);
      expect(await abandonedValues()).toEqual([undefined, undefined]);
      const before = (await get(`/p2/${name}.json`)).headers.get("last-modified");
      harness.clock.now += 2000;
      expect(await json(await put(`/api/packages/${name}`, { abandoned: "acme/new-lib" }))).toMatchObject({ abandoned: "acme/new-lib" });
      expect(await abandonedValues()).toEqual(["acme/new-lib", "acme/new-lib"]);
      expect((await get(`/p2/${name}.json`)).headers.get("last-modified")).not.toBe(before);
      // In the stored document itself: the minified first entry carries it, the next inherits it.
      const raw = await json<P2>(await get(`/p2/${name}.json`));
      expect(raw.packages[name]?.[0]).toMatchObject({ abandoned: "acme/new-lib" });
      await put(`/api/packages/${name}`, { abandoned: true });
      expect(await abandonedValues()).toEqual([true, true]);
      await put(`/api/packages/${name}`, { abandoned: false });
      expect(await abandonedValues()).toEqual([undefined, undefined]);
      expect((await put(`/api/packages/${name}`, { abandoned: "Not A Name" })).status).toBe(400);
    });

    it("patches one version's links: checked by Composer's rules, shown as a diff, audited, removable", async () => {
      const name = `acme/${unique("patched")}`;
      await client.uploadOk(admin, name, "1.0.0", { require: { "acme/dep": "^1.0", php: ">=8.1" } });
      await client.uploadOk(admin, name, "1.1.0", { require: { "acme/dep": "^1.0" } });
      const patchPath = `/api/packages/${name}/versions/1.0.0/patch`;

      const unparsable = await put(patchPath, { require: { "acme/dep": "^1.0 ||| nonsense" } });
      expect(unparsable.status).toBe(422);
      expect((await json<{ error: { message: string } }>(unparsable)).error.message).toContain("require.acme/dep : invalid version constraint");
      for (const body of [{}, { description: "x" }, { require: ["acme/dep"] }, { require: { [name]: "^1.0" } }]) expect((await put(patchPath, body)).status, JSON.stringify(body)).toBe(422);
      expect((await put(`/api/packages/${name}/versions/9.9.9/patch`, { require: {} })).status).toBe(404);
      expect((await put(`/api/packages/acme/${unique("none")}/versions/1.0.0/patch`, { require: {} })).status).toBe(404);
      expect(await requireOf(name)).toEqual({ "1.1.0": { "acme/dep": "^1.0" }, "1.0.0": { "acme/dep": "^1.0", php: ">=8.1" } });
      expect((await client.api<{ patches: unknown[] }>(admin, "GET", `/api/packages/${name}`)).patches).toEqual([]);

      const saved = await put(patchPath, { require: { "acme/dep": "^1.2", "acme/extra": "~2.0" }, conflict: { "acme/bad": "<1.5" } });
      expect(saved.status, await saved.clone().text()).toBe(200);
      const diff = {
        require: { added: { "acme/extra": "~2.0" }, removed: { php: ">=8.1" }, changed: { "acme/dep": { from: "^1.0", to: "^1.2" } } },
        conflict: { added: { "acme/bad": "<1.5" }, removed: {}, changed: {} },
      };
      expect(await json(saved)).toMatchObject({ version: "1.0.0", diff, createdBy: "admin" });
      expect(await requireOf(name)).toEqual({ "1.1.0": { "acme/dep": "^1.0" }, "1.0.0": { "acme/dep": "^1.2", "acme/extra": "~2.0" } });
      expect((await p2Entries(name)).find((entry) => entry.version === "1.0.0")).toMatchObject({ conflict: { "acme/bad": "<1.5" } });
      const view = await client.api<{ versions: { version: string; require?: unknown }[]; patches: unknown[] }>(admin, "GET", `/api/packages/${name}`);
      expect(view.versions.find((entry) => entry.version === "1.0.0")?.require).toEqual({ "acme/dep": "^1.2", "acme/extra": "~2.0" });
      expect(view.patches).toEqual([expect.objectContaining({ version: "1.0.0", version_normalized: "1.0.0.0", diff })]);
      // Every row: suites sharing the storage (workerd) write rows stamped by their own, later, clocks.
      const { rows } = await auditPage(harness.app.services.db, 0, 100_000);
      expect(rows.find((row) => row.action === "package version patched" && row.target === `${name} 1.0.0`)?.details).toMatchObject({ diff });

      expect((await client.request(patchPath, { method: "DELETE", headers: bearer(admin) })).status).toBe(204);
      expect((await client.request(patchPath, { method: "DELETE", headers: bearer(admin) })).status).toBe(404);
      expect(await requireOf(name)).toEqual({ "1.1.0": { "acme/dep": "^1.0" }, "1.0.0": { "acme/dep": "^1.0", php: ">=8.1" } });
      const customer = await client.customer(admin, { groups: [await client.group(admin, [{ name }])] });
      const refused = await client.request(patchPath, { method: "PUT", headers: { ...bearer(customer.token), "content-type": "application/json" }, body: JSON.stringify({ require: {} }) });
      expect(refused.status).toBe(403);
    });

    it("keeps a patch applied when the repository publishes the same version again (a release re-read, a branch moved)", async () => {
      const name = `acme/${unique("rescanned")}`;
      const repository = `https://git.example.test/${name}.git`;
      const entry = (version: string, description: string, reference: string) => ({
        name, version, version_normalized: version === "dev-main" ? "dev-main" : "1.0.0.0", type: "library", description, require: { "acme/dep": "^1.0" },
        time: "2026-01-01T00:00:00+00:00", dist: { type: "zip", url: "", reference, shasum: "" },
      });
      const [release, branchHead, branchMoved] = [randomReference(), randomReference(), randomReference()];
      for (const reference of [release, branchHead, branchMoved]) await uploadWorkerDist(client, name, reference);
      const { job } = await client.api<{ job: string }>(admin, "POST", "/api/create-package", { repository });
      await publishEntries(client, await claimJobOf(client, job, "w-patch"), "w-patch", name, [entry("1.0.0", "first", release), entry("dev-main", "first", branchHead)]);
      for (const version of ["1.0.0", "dev-main"]) expect((await put(`/api/packages/${name}/versions/${version}/patch`, { require: { "acme/dep": "^1.3" } })).status).toBe(200);

      // Read again: the release's entry changed (same commit), the branch moved to a new commit.
      const update = await client.api<{ jobs: string[] }>(admin, "POST", "/api/update-package", { repository: { url: repository } });
      const summary = await publishEntries(client, await claimJobOf(client, update.jobs[0]!, "w-patch"), "w-patch", name, [entry("1.0.0", "second", release), entry("dev-main", "second", branchMoved)]);
      expect(summary).toMatchObject({ updated: ["1.0.0", "dev-main"] });
      const [published] = await p2Entries(name);
      expect(published).toMatchObject({ description: "second", require: { "acme/dep": "^1.3" } });
      const dev = expandVersions((await json<P2>(await get(`/p2/${name}~dev.json`))).packages[name] ?? []);
      expect(dev[0]).toMatchObject({ description: "second", require: { "acme/dep": "^1.3" }, dist: { reference: branchMoved } });
    });

    it("is managed from the pages: a virtual and a custom package created, a version patched, a package archived and restored (forms with CSRF)", async () => {
      const page = new PageClient(harness.app);
      await page.login("admin", "admin-password");
      await page.get("/admin/packages/new");
      expect(page.lastBody).toContain('action="/admin/packages/virtual"');
      const bundle = `acme/${unique("pagebundle")}`;
      const created = await page.post("/admin/packages/virtual", { name: bundle, version: "1.0.0", description: "A bundle", require: "acme/a ^1.0\nacme/b ^2.0" });
      expect(created.location).toBe(`/admin/packages/${bundle}`);
      expect((await p2Entries(bundle))[0]).toMatchObject({ type: "metapackage", require: { "acme/a": "^1.0", "acme/b": "^2.0" } });
      // A refused definition comes back as a message, and creates nothing.
      await page.get("/admin/packages/new");
      const refused = await page.post("/admin/packages/custom", { name: `acme/${unique("pagecustom")}`, versions: '[{"version": "1.0.0", "require": {"acme/a": "^^1"}}]' });
      expect(refused.location).toBe("/admin/packages/new");
      expect((await page.get("/admin/packages/new")).body).toContain("invalid version constraint");
      const custom = `acme/${unique("pagecustom")}`;
      expect((await page.post("/admin/packages/custom", { name: custom, versions: '[{"version": "1.0.0", "type": "metapackage", "require": {"acme/a": "^1.0"}}]' })).location).toBe(`/admin/packages/${custom}`);
      await page.get(`/admin/packages/${custom}`);
      expect(page.lastBody).toContain("defined by JSON");
      await page.post(`/admin/packages/${custom}/custom-versions`, { definition: '{"version": "1.1.0", "type": "metapackage", "require": {"acme/a": "^1.1"}}' });
      expect((await p2Entries(custom)).map((entry) => entry.version)).toEqual(["1.1.0", "1.0.0"]);

      // Patch 1.0.0 of the bundle from its edit page; the package page shows the diff.
      await page.get(`/admin/packages/${bundle}/versions/1.0.0/patch`);
      expect(page.lastBody).toContain("acme/b ^2.0");
      const patched = await page.post(`/admin/packages/${bundle}/versions/1.0.0/patch`, { "patch-require": "1", require: "acme/a ^1.0\nacme/b ^2.1", "require-dev": "" });
      expect(patched.location).toBe(`/admin/packages/${bundle}`);
      expect((await p2Entries(bundle))[0]).toMatchObject({ require: { "acme/a": "^1.0", "acme/b": "^2.1" } });
      const detail = (await page.get(`/admin/packages/${bundle}`)).body;
      expect(detail).toContain("Metadata patches");
      expect(detail).toMatch(/<del>\^2\.0<\/del> → <ins>\^2\.1<\/ins>/);
      const bad = await page.post(`/admin/packages/${bundle}/versions/1.0.0/patch`, { "patch-require": "1", require: "acme/b not-a-constraint" });
      expect(bad.location).toBe(`/admin/packages/${bundle}/versions/1.0.0/patch`);
      expect((await p2Entries(bundle))[0]).toMatchObject({ require: { "acme/b": "^2.1" } });
      await page.get(`/admin/packages/${bundle}`);
      await page.post(`/admin/packages/${bundle}/versions/1.0.0/patch/remove`, {});
      expect((await p2Entries(bundle))[0]).toMatchObject({ require: { "acme/b": "^2.0" } });

      // Archive and restore; a form without the CSRF token changes nothing.
      await page.get(`/admin/packages/${bundle}`);
      expect((await page.post(`/admin/packages/${bundle}/archive`, { archived: "1" }, { csrf: null })).status).toBe(403);
      expect((await get(`/p2/${bundle}.json`)).status).toBe(200);
      await page.post(`/admin/packages/${bundle}/archive`, { archived: "1" });
      expect((await get(`/p2/${bundle}.json`)).status).toBe(404);
      expect((await page.get(`/admin/packages/${bundle}`)).body).toContain("Restore");
      const archivedList = (await page.get(`/admin/packages?filter=archived&q=${bundle.split("/")[1]}`)).body;
      expect(archivedList).toContain(bundle);
      expect(archivedList).toContain('<span class="badge warn">archived</span>');
      await page.post(`/admin/packages/${bundle}/archive`, { archived: "0" });
      expect((await get(`/p2/${bundle}.json`)).status).toBe(200);
    });
  });

  describe(`${runtime}: an archived package keeps its name`, () => {
    it("is not replaced by an upstream package of the same name (p2, zipball, packages.json)", async () => {
      const upstream = new StaticUpstream("https://upstream.test");
      const harness = await factory(PROXY_TEST_CONFIG, { fetch: upstream.fetch });
      const client = new Client(harness.app);
      const admin = await client.adminToken();
      const created = await client.api<{ id: number }>(admin, "POST", "/api/upstreams", { name: unique("up"), url: "https://upstream.test/packages.json" });
      // The storage may be shared with later suites (workerd): an open upstream left behind
      // would take `available-packages` out of their packages.json.
      onTestFinished(() => client.api(admin, "DELETE", `/api/upstreams/${created.id}`).then(() => undefined));
      const name = `acme/${unique("squatted")}`;
      await client.uploadOk(admin, name, "1.0.0");
      // Someone publishes the same name upstream (dependency confusion).
      await upstream.addPackage(name, [{ version: "6.6.6" }]);
      await client.api(admin, "PUT", `/api/packages/${name}`, { archived: true });
      const p2 = await client.request(`/p2/${name}.json`, { headers: basic("admin", admin) });
      expect(p2.status).toBe(404);
      expect(await p2.text()).not.toContain("6.6.6");
      expect((await client.request(`/packages/list.json`, { headers: basic("admin", admin) }).then((response) => response.text()))).not.toContain(name);
    });
  });
}
