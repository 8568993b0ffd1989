// Artifact uploads: every bad input gets a clear 4xx and nothing is stored; good ones are
// re-packed under one top-level directory; concurrent uploads lose nothing.
import { strToU8, unzipSync, zipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { Client } from "./client.ts";
import { basic, bearer, json, packageZip, unique, type Harness, type HarnessFactory } from "./harness.ts";

export function uploadSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: artifact uploads`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    it("creates the package on first upload and wraps a root-level archive in one directory", async () => {
      const name = `acme/${unique("up")}`;
      const { reference } = await client.uploadOk(admin, name, "v1.2");
      const response = await client.request(`/zipball/${name}/${reference}.zip`, { headers: bearer(admin) });
      const entries = Object.keys(unzipSync(new Uint8Array(await response.arrayBuffer())));
      const tops = new Set(entries.map((entry) => entry.split("/")[0]));
      expect(tops.size).toBe(1);
      expect(entries).toContain(`${[...tops][0]}/composer.json`);
      const pkg = await client.api<{ name: string; kind: string; versions: { version: string }[] }>(admin, "GET", `/api/packages/${name}`);
      expect(pkg.kind).toBe("artifact");
      expect(pkg.versions.map((version) => version.version)).toEqual(["v1.2"]);
    });

    it("keeps an archive that already has one top-level directory byte for byte", async () => {
      const name = `acme/${unique("wrapped")}`;
      const zip = packageZip({ name }, { wrapIn: "lib-1.0.0" });
      const response = await client.upload(admin, name, "1.0.0", zip);
      expect(response.status).toBe(201);
      const { reference } = await json<{ reference: string }>(response);
      const stored = new Uint8Array(await (await client.request(`/zipball/${name}/${reference}.zip`, { headers: bearer(admin) })).arrayBuffer());
      expect(stored).toEqual(zip);
    });

    it("accepts the archive as multipart field `package`", async () => {
      const name = `acme/${unique("multipart")}`;
      const form = new FormData();
      form.set("package", new Blob([packageZip({ name })], { type: "application/zip" }), "package.zip");
      const response = await client.request(`/api/packages/upload/${name}/2.0.0`, { method: "PUT", headers: bearer(admin), body: form });
      expect(response.status).toBe(201);
    });

    it("refuses every bad upload with a clear message and stores nothing", async () => {
      const name = `acme/${unique("bad")}`;
      await client.uploadOk(admin, name, "1.0.0");
      const bomb = zipSync({ "composer.json": strToU8(JSON.stringify({ name })), "big.txt": [new Uint8Array(25 * 1024 * 1024), { level: 9 }] });
      const cases: [string, string, Uint8Array | string, number, RegExp][] = [
        ["too large", "1.1.0", new Uint8Array(3 * 1024 * 1024), 413, /upload limit/],
        ["not a zip", "1.1.0", "definitely not a zip", 400, /not a readable zip/],
        ["no composer.json", "1.1.0", zipSync({ "README.md": strToU8("hi") }), 400, /no composer\.json/],
        ["composer.json not JSON", "1.1.0", zipSync({ "composer.json": strToU8("{nope") }), 400, /not valid JSON/],
        ["invalid composer.json", "1.1.0", packageZip({ name, require: { "acme/x": "not a constraint ^^" } }), 400, /invalid/i],
        ["name mismatch", "1.1.0", packageZip({ name: "acme/other" }), 400, /names "acme\/other"/],
        ["version mismatch", "1.1.0", packageZip({ name, version: "3.0.0" }), 400, /version "3\.0\.0"/],
        ["zip slip", "1.1.0", zipSync({ "composer.json": strToU8(JSON.stringify({ name })), "../../evil.php": strToU8("x") }), 400, /unsafe path/],
        ["zip bomb", "1.1.0", bomb, 400, /limit|ratio/],
        ["case collision", "1.1.0", zipSync({ "composer.json": strToU8(JSON.stringify({ name })), "A.php": strToU8("x"), "a.php": strToU8("y") }), 400, /ignoring case/],
        ["invalid version", "not-a-version", packageZip({ name }), 400, /not a valid version/],
        ["dev version", "dev-main", packageZip({ name }), 400, /development version/],
        ["duplicate version", "1.0", packageZip({ name }), 409, /already exists/],
      ];
      const before = await client.api<{ versions: unknown[] }>(admin, "GET", `/api/packages/${name}`);
      for (const [label, version, body, status, message] of cases) {
        const response = await client.request(`/api/packages/upload/${name}/${version}`, {
          method: "PUT",
          headers: { ...bearer(admin), "content-type": "application/zip" },
          body,
        });
        expect(response.status, label).toBe(status);
        const error = await json<{ error: { message: string } }>(response);
        expect(error.error.message, label).toMatch(message);
      }
      const after = await client.api<{ versions: unknown[] }>(admin, "GET", `/api/packages/${name}`);
      expect(after.versions).toEqual(before.versions);
      const badName = await client.upload(admin, "Acme/Bad", "1.0.0", packageZip({ name: "acme/bad" }));
      expect(badName.status).toBe(400);
    });

    it("refuses uploads from customers and from tokens without packages:write", async () => {
      const customer = await client.customer(admin, { roles: ["ROLE_FULL_CUSTOMER"] });
      const name = `acme/${unique("denied")}`;
      expect((await client.upload(customer.token, name, "1.0.0", packageZip({ name }))).status).toBe(403);
      const { token } = await client.api<{ token: string }>(admin, "POST", "/api/tokens", { name: "read", scopes: ["metadata:read"] });
      expect((await client.upload(token, name, "1.0.0", packageZip({ name }))).status).toBe(403);
      expect((await client.request(`/p2/${name}.json`, { headers: basic("admin", admin) })).status).toBe(404);
    });

    it("loses no version under concurrent uploads, and lets exactly one duplicate win", async () => {
      const name = `acme/${unique("race")}`;
      await client.uploadOk(admin, name, "0.1.0");
      const versions = Array.from({ length: 8 }, (_, i) => `1.${i}.0`);
      const results = await Promise.all(versions.map((version) => client.upload(admin, name, version, packageZip({ name }))));
      expect(results.map((response) => response.status)).toEqual(versions.map(() => 201));
      const duplicates = await Promise.all(Array.from({ length: 4 }, () => client.upload(admin, name, "9.0.0", packageZip({ name }))));
      expect(duplicates.map((response) => response.status).sort()).toEqual([201, 409, 409, 409]);
      const published = await client.p2Versions("admin", admin, name);
      expect(Array.isArray(published) ? [...published].sort() : published).toEqual(["0.1.0", "9.0.0", ...versions].sort());
    });
  });
}
