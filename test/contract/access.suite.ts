// Per-customer access: grants by name or vendor wildcard with version constraints, license
// freezes (group and user), public packages, account expiry, and Last-Modified that moves
// when a customer's ACL changes.
import { beforeAll, describe, expect, it } from "vitest";
import { Client } from "./client.ts";
import { basic, json, unique, type Harness, type HarnessFactory } from "./harness.ts";

const DAY = 24 * 60 * 60 * 1000;

export function accessSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: per-customer access`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    let vendor: string;
    let lib: string;
    let other: string;
    let refs: Record<string, string>;
    let freezeDate: string;
    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
      vendor = unique("v");
      lib = `${vendor}/lib`;
      other = `${vendor}/other`;
      refs = {};
      harness.clock.now = Date.parse("2026-01-10T00:00:00Z");
      refs["1.0.0"] = (await client.uploadOk(admin, lib, "1.0.0")).reference;
      harness.clock.now += 10 * DAY;
      refs["1.5.0"] = (await client.uploadOk(admin, lib, "1.5.0")).reference;
      freezeDate = new Date(harness.clock.now + DAY).toISOString();
      harness.clock.now += 10 * DAY;
      refs["2.0.0"] = (await client.uploadOk(admin, lib, "2.0.0")).reference;
      await client.uploadOk(admin, other, "1.0.0");
    });

    it("shows a customer with an `acme/lib <2.0` grant only 1.x, and 404s the rest", async () => {
      const group = await client.group(admin, [{ name: lib, version: "<2.0" }]);
      const customer = await client.customer(admin, { groups: [group] });
      expect(await client.p2Versions(customer.username, customer.token, lib)).toEqual(["1.5.0", "1.0.0"]);
      expect(await client.p2Versions(customer.username, customer.token, other)).toBe(404);
      const root = await json(await client.request("/packages.json", { headers: basic(customer.username, customer.token) }));
      expect(root["available-packages"]).toEqual([lib]);
      const zip = (ref: string) => client.request(`/zipball/${lib}/${ref}.zip`, { headers: basic(customer.username, customer.token) });
      expect((await zip(refs["1.0.0"] as string)).status).toBe(200);
      expect((await zip(refs["2.0.0"] as string)).status).toBe(404);
      const list = await json<{ packageNames: string[] }>(await client.request("/packages/list.json", { headers: basic(customer.username, customer.token) }));
      expect(list.packageNames).toEqual([lib]);
      expect((await client.request(`/api/packages/${other}`, { headers: basic(customer.username, customer.token) })).status).toBe(404);
      expect((await client.request("/api/users", { headers: basic(customer.username, customer.token) })).status).toBe(403);
    });

    it("gives a vendor wildcard grant every package of the vendor", async () => {
      const group = await client.group(admin, [{ name: `${vendor}/*` }]);
      const customer = await client.customer(admin, { groups: [group] });
      const root = await json(await client.request("/packages.json", { headers: basic(customer.username, customer.token) }));
      expect(root["available-packages"]).toEqual([lib, other]);
      expect(await client.p2Versions(customer.username, customer.token, lib)).toEqual(["2.0.0", "1.5.0", "1.0.0"]);
    });

    it("freezes a group at its license expiry: later releases hidden, older ones stay", async () => {
      const group = await client.group(admin, [{ name: lib }], freezeDate);
      const customer = await client.customer(admin, { groups: [group] });
      expect(await client.p2Versions(customer.username, customer.token, lib)).toEqual(["1.5.0", "1.0.0"]);
      const zip = await client.request(`/zipball/${lib}/${refs["2.0.0"]}.zip`, { headers: basic(customer.username, customer.token) });
      expect(zip.status).toBe(404);
    });

    it("applies a user's own freeze on top of grants, even for full customers", async () => {
      const customer = await client.customer(admin, { roles: ["ROLE_FULL_CUSTOMER"], expiredUpdatesAt: freezeDate });
      expect(await client.p2Versions(customer.username, customer.token, lib)).toEqual(["1.5.0", "1.0.0"]);
      expect(await client.p2Versions(customer.username, customer.token, other)).toEqual([]);
    });

    it("lets every user see a public package, and nobody without a grant see a private one", async () => {
      const customer = await client.customer(admin);
      expect(await client.p2Versions(customer.username, customer.token, other)).toBe(404);
      await client.api(admin, "PUT", `/api/packages/${other}`, { public: true });
      expect(await client.p2Versions(customer.username, customer.token, other)).toEqual(["1.0.0"]);
      await client.api(admin, "PUT", `/api/packages/${other}`, { public: false });
    });

    it("moves Last-Modified of packages.json and p2 when the customer's grants change", async () => {
      const group = await client.group(admin, [{ name: lib, version: "<1.5" }]);
      const customer = await client.customer(admin, { groups: [group] });
      const headers = basic(customer.username, customer.token);
      const p2 = await client.request(`/p2/${lib}.json`, { headers });
      const root = await client.request("/packages.json", { headers });
      const p2Modified = p2.headers.get("last-modified") ?? "";
      const rootModified = root.headers.get("last-modified") ?? "";
      expect((await client.request(`/p2/${lib}.json`, { headers: { ...headers, "if-modified-since": p2Modified } })).status).toBe(304);
      await client.api(admin, "PUT", `/api/groups/${group}`, { packages: [{ name: lib, version: "<2.0" }, { name: other }] });
      const p2After = await client.request(`/p2/${lib}.json`, { headers: { ...headers, "if-modified-since": p2Modified } });
      expect(p2After.status).toBe(200);
      const rootAfter = await client.request("/packages.json", { headers: { ...headers, "if-modified-since": rootModified } });
      expect(rootAfter.status).toBe(200);
      expect((await json(rootAfter))["available-packages"]).toEqual([lib, other]);
      expect(await client.p2Versions(customer.username, customer.token, lib)).toEqual(["1.5.0", "1.0.0"]);
    });

    it("moves Last-Modified when a group the customer belonged to is deleted", async () => {
      const group = await client.group(admin, [{ name: lib }]);
      const customer = await client.customer(admin, { groups: [group] });
      const headers = basic(customer.username, customer.token);
      const rootModified = (await client.request("/packages.json", { headers })).headers.get("last-modified") ?? "";
      await client.api(admin, "DELETE", `/api/groups/${group}`);
      const after = await client.request("/packages.json", { headers: { ...headers, "if-modified-since": rootModified } });
      expect(after.status).toBe(200);
      expect((await json(after))["available-packages"]).toEqual([]);
      expect(await client.p2Versions(customer.username, customer.token, lib)).toBe(404);
    });

    it("refuses an expired account with 401", async () => {
      const customer = await client.customer(admin, { roles: ["ROLE_FULL_CUSTOMER"] });
      await client.api(admin, "PUT", `/api/users/${customer.id}`, { expiresAt: new Date(harness.clock.now + DAY).toISOString() });
      expect((await client.request("/packages.json", { headers: basic(customer.username, customer.token) })).status).toBe(200);
      harness.clock.now += 2 * DAY;
      expect((await client.request("/packages.json", { headers: basic(customer.username, customer.token) })).status).toBe(401);
    });

    it("validates users and groups at the edge", async () => {
      const bad: [string, string, unknown][] = [
        ["POST", "/api/users", { username: "x", password: "long-enough" }],
        ["POST", "/api/users", { username: "valid-name", password: "short" }],
        ["POST", "/api/users", { username: "valid-name2", password: "long-enough", roles: ["ROLE_GOD"] }],
        ["POST", "/api/users", { username: "valid-name3", password: "long-enough", groups: [999999] }],
        ["POST", "/api/users", { username: "valid-name4", password: "long-enough", expiresAt: "tomorrow" }],
        ["POST", "/api/groups", { name: "g", packages: [{ name: lib, version: "^^nope" }] }],
        ["POST", "/api/groups", { name: "g", packages: [{ name: "Not/Valid" }] }],
        ["POST", "/api/groups", { name: "g", packages: "acme/lib" }],
      ];
      for (const [method, path, body] of bad) {
        const response = await client.request(path, { method, headers: { authorization: `Bearer ${admin}` }, body: JSON.stringify(body) });
        expect(response.status, JSON.stringify(body)).toBe(400);
        expect((await json<{ error: { message: string } }>(response)).error.message.length).toBeGreaterThan(5);
      }
      const username = unique("dup");
      await client.api(admin, "POST", "/api/users", { username, password: "long-enough" });
      const duplicate = await client.request("/api/users", { method: "POST", headers: { authorization: `Bearer ${admin}` }, body: JSON.stringify({ username: username.toUpperCase(), password: "long-enough" }) });
      expect(duplicate.status).toBe(409);
    });
  });
}
