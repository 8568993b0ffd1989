// Metadata stops at a customer's grant: descriptions, counts and dates come from the versions
// they may see, Last-Modified moves only when their view changes, and a licence freeze reads
// the time Satchel first published a version, not the time an archive claims.
import { beforeAll, describe, expect, it } from "vitest";
import { publishedTimesKey } from "../../src/blobs/keys.ts";
import { PageClient } from "../support/page-client.ts";
import { Client } from "./client.ts";
import { basic, json, unique, type Harness, type HarnessFactory } from "./harness.ts";
import { claimJobOf, publishEntries, randomReference, uploadWorkerDist } from "./worker-claims.ts";

const DAY = 24 * 60 * 60 * 1000;
const SECRET = "CONFIDENTIAL roadmap for 5.0";

export function visibilitySuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: metadata within a customer's grant`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    let lib: string;
    let customer: { username: string; password: string; token: string };
    let headers: Record<string, string>;
    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
      lib = `${unique("acme")}/lib`;
      harness.clock.now = Date.parse("2026-02-01T00:00:00Z");
      await client.uploadOk(admin, lib, "1.0.0", { description: "A small library" });
      harness.clock.now += DAY;
      await client.uploadOk(admin, lib, "5.0.0", { description: SECRET, type: "symfony-bundle", keywords: ["secret"] });
      const group = await client.group(admin, [{ name: lib, version: "<2.0" }]);
      customer = await client.customer(admin, { groups: [group] });
      headers = basic(customer.username, customer.token);
    });

    const get = async (path: string) => {
      const response = await client.request(path, { headers });
      expect(response.status, path).toBe(200);
      return response.text();
    };

    it("shows a customer granted `<2.0` the 1.x description in search.json, never the 5.0.0 one", async () => {
      expect(await get(`/search.json?q=${encodeURIComponent(lib)}`)).not.toContain("CONFIDENTIAL");
      const found = JSON.parse(await get(`/search.json?q=${encodeURIComponent(lib)}`)) as { results: { name: string; description: string }[] };
      expect(found.results).toEqual([expect.objectContaining({ name: lib, description: "A small library" })]);
      // A hidden description does not match a search either, and neither does a hidden type.
      expect(JSON.parse(await get("/search.json?q=confidential")).results).toEqual([]);
      expect(JSON.parse(await get("/search.json?q=&type=symfony-bundle")).results).toEqual([]);
    });

    it("shows the 1.x description and no hidden version in /api/packages and /api/packages/{name}", async () => {
      const listing = await get("/api/packages");
      expect(listing).not.toContain("CONFIDENTIAL");
      expect(listing).not.toContain("symfony-bundle");
      const detail = await get(`/api/packages/${lib}`);
      expect(detail).not.toContain("CONFIDENTIAL");
      expect(detail).not.toContain("5.0.0");
      expect(JSON.parse(detail)).toMatchObject({ description: "A small library", type: "library" });
      expect(await get("/packages/list.json")).not.toContain("CONFIDENTIAL");
    });

    it("shows the admin (who sees every version) the newest description", async () => {
      const detail = await client.api<{ description: string }>(admin, "GET", `/api/packages/${lib}`);
      expect(detail.description).toBe(SECRET);
    });

    it("shows the customer's page the 1.x description and newest version only", async () => {
      const pages = new PageClient(harness.app);
      const login = await pages.login(customer.username, customer.password);
      expect(login.status).toBe(303);
      const home = await pages.get("/");
      expect(home.status).toBe(200);
      expect(home.body).toContain(lib);
      expect(home.body).toContain("A small library");
      expect(home.body).not.toContain("CONFIDENTIAL");
      expect(home.body).not.toContain("5.0.0");
    });

    it("keeps the customer's p2 Last-Modified when a version outside the grant is published, and moves it for one inside", async () => {
      const first = await client.request(`/p2/${lib}.json`, { headers });
      const modified = first.headers.get("last-modified") ?? "";
      harness.clock.now += 5 * DAY;
      await client.uploadOk(admin, lib, "6.0.0", { description: SECRET });
      const outside = await client.request(`/p2/${lib}.json`, { headers: { ...headers, "if-modified-since": modified } });
      expect(outside.status).toBe(304);
      expect(outside.headers.get("last-modified")).toBe(modified);
      harness.clock.now += 5 * DAY;
      await client.uploadOk(admin, lib, "1.1.0", { description: "A small library" });
      const inside = await client.request(`/p2/${lib}.json`, { headers: { ...headers, "if-modified-since": modified } });
      expect(inside.status).toBe(200);
      expect(Date.parse(inside.headers.get("last-modified") ?? "")).toBeGreaterThan(Date.parse(modified));
      expect(Object.keys((await json<{ packages: Record<string, unknown[]> }>(inside)).packages)).toEqual([lib]);
    });

    it("shows the default branch's README only to a customer who may see that branch", async () => {
      const name = `${unique("readme")}/lib`;
      const refs = [randomReference(), randomReference()];
      for (const ref of refs) await uploadWorkerDist(client, name, ref);
      const entry = (version: string, normalized: string, reference: string, extra: Record<string, unknown> = {}) => ({
        name, version, version_normalized: normalized, type: "library", time: "2026-01-01T00:00:00+00:00", dist: { type: "zip", url: "", reference, shasum: "" }, ...extra,
      });
      const created = await client.api<{ job: string }>(admin, "POST", "/api/create-package", { repository: `https://git.example.test/${name}.git` });
      const jobId = await claimJobOf(client, created.job, "w-readme");
      await publishEntries(client, jobId, "w-readme", name, [entry("1.0.0", "1.0.0.0", refs[0] as string), entry("dev-main", "dev-main", refs[1] as string, { "default-branch": true })], { readme: SECRET });
      const narrow = await client.customer(admin, { groups: [await client.group(admin, [{ name, version: "<2.0" }])] });
      const wide = await client.customer(admin, { groups: [await client.group(admin, [{ name }])] });
      expect((await client.api<{ readme: string | null }>(narrow.token, "GET", `/api/packages/${name}`)).readme).toBeNull();
      expect((await client.api<{ readme: string | null }>(wide.token, "GET", `/api/packages/${name}`)).readme).toBe(SECRET);
    });

    it("keeps the customer's packages.json Last-Modified when a package they cannot see is created", async () => {
      const modified = (await client.request("/packages.json", { headers })).headers.get("last-modified") ?? "";
      harness.clock.now += DAY;
      await client.uploadOk(admin, `${unique("hidden")}/thing`, "1.0.0");
      const after = await client.request("/packages.json", { headers: { ...headers, "if-modified-since": modified } });
      expect(after.status).toBe(304);
    });
  });

  describe(`${runtime}: the licence freeze reads Satchel's publish time`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    let lib: string;
    let refs: Record<string, string>;
    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
      lib = `${unique("frz")}/lib`;
      harness.clock.now = Date.parse("2020-01-15T00:00:00Z");
      refs = { "1.0.0": (await client.uploadOk(admin, lib, "1.0.0")).reference };
      harness.clock.now = Date.parse("2026-03-01T00:00:00Z");
      // Uploaded today, claiming a release date before the freeze.
      refs["4.0.0"] = (await client.uploadOk(admin, lib, "4.0.0", { time: "2019-06-01" })).reference;
    });

    it("hides 4.0.0 uploaded today with `time: 2019-06-01` from a customer frozen at 2020-06-01", async () => {
      const group = await client.group(admin, [{ name: lib }], "2020-06-01T00:00:00Z");
      const customer = await client.customer(admin, { groups: [group] });
      expect(await client.p2Versions(customer.username, customer.token, lib)).toEqual(["1.0.0"]);
      const zip = (ref: string) => client.request(`/zipball/${lib}/${ref}.zip`, { headers: basic(customer.username, customer.token) });
      expect((await zip(refs["4.0.0"] as string)).status).toBe(404);
      expect((await zip(refs["1.0.0"] as string)).status).toBe(200);
      const detail = await client.api<{ versions: { version: string }[] }>(customer.token, "GET", `/api/packages/${lib}`);
      expect(detail.versions.map((v) => v.version)).toEqual(["1.0.0"]);
    });

    it("reads publish times from the version rows for a document stored before they were kept beside it", async () => {
      const pkg = await harness.app.services.catalog.find(lib, harness.clock.now);
      if (!pkg?.tagsDocKey) throw new Error(`${lib} has no tags document`);
      await harness.app.services.blobs.delete([publishedTimesKey(pkg.tagsDocKey)]);
      const group = await client.group(admin, [{ name: lib }], "2020-06-01T00:00:00Z");
      const customer = await client.customer(admin, { groups: [group] });
      // Another isolate: nothing of this document in its memory.
      const fresh = new Client(harness.sibling());
      expect(await fresh.p2Versions(customer.username, customer.token, lib)).toEqual(["1.0.0"]);
    });

    it("keeps a release's first publish time when a forced re-read moves its tag; a moved branch counts from its new commit", async () => {
      const name = `${unique("vcs")}/lib`;
      const entry = (version: string, normalized: string, reference: string) => ({
        name,
        version,
        version_normalized: normalized,
        type: "library",
        // The commit claims a date after every freeze here: first-seen is the earlier time.
        time: "2030-01-01T00:00:00+00:00",
        dist: { type: "zip", url: "", reference, shasum: "" },
      });
      const publishAt = async (jobId: string, refs: [string, string]) => {
        for (const ref of refs) await uploadWorkerDist(client, name, ref);
        await publishEntries(client, jobId, "w-freeze", name, [entry("1.0.0", "1.0.0.0", refs[0]), entry("dev-main", "dev-main", refs[1])]);
      };
      harness.clock.now = Date.parse("2020-01-10T00:00:00Z");
      const created = await client.api<{ job: string }>(await client.adminToken(), "POST", "/api/create-package", { repository: `https://git.example.test/${name}.git` });
      await publishAt(await claimJobOf(client, created.job, "w-freeze"), [randomReference(), randomReference()]);
      harness.clock.now = Date.parse("2021-01-01T00:00:00Z");
      // "Update now" on the package page: a forced re-read, which takes a moved tag's new commit.
      const pages = new PageClient(harness.app);
      await pages.login("admin", "admin-password");
      await pages.get(`/admin/packages/${name}`);
      expect((await pages.post(`/admin/packages/${name}/update`, {})).status).toBe(303);
      const pkg = await client.api<{ id: number }>(await client.adminToken(), "GET", `/api/packages/${name}`);
      const moved: [string, string] = [randomReference(), randomReference()];
      await publishAt(await claimJobOf(client, pkg.id, "w-freeze"), moved);
      const group = await client.group(await client.adminToken(), [{ name }], "2020-06-01T00:00:00Z");
      const customer = await client.customer(await client.adminToken(), { groups: [group] });
      expect(await client.p2Versions(customer.username, customer.token, name)).toEqual(["1.0.0"]);
      expect(await client.p2Versions(customer.username, customer.token, name, true)).toEqual([]);
      const zip = await client.request(`/zipball/${name}/${moved[0]}.zip`, { headers: basic(customer.username, customer.token) });
      expect(zip.status).toBe(200);
    });

    it("still serves Composer the archive's own `time` (the field is not rewritten)", async () => {
      const p2 = await json<{ packages: Record<string, { version: string; time?: string }[]> }>(
        await client.request(`/p2/${lib}.json`, { headers: { authorization: `Bearer ${admin}` } }),
      );
      expect(p2.packages[lib]?.find((entry) => entry.version === "4.0.0")?.time).toBe("2019-06-01T00:00:00+00:00");
    });
  });
}
