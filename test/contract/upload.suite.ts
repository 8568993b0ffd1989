// Artifact uploads: every bad input gets a clear 4xx and nothing is stored; good ones are
// re-packed under one top-level directory; concurrent uploads lose nothing.
import { strToU8, unzipSync, zipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { distKey } from "../../src/blobs/keys.ts";
import type { BlobStore, Database } from "../../src/ports.ts";
import { sha1Hex } from "../../src/crypto/digest.ts";
import { Client } from "./client.ts";
import { craftZip, zerosDeflate, type CraftedEntry } from "./crafted-zip.ts";
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
        ["zip slip", "1.1.0", zipSync({ "composer.json": strToU8(JSON.stringify({ name })), "../../evil.php": strToU8("x") }), 400, /unsafe entry: the entry "\.\.\/\.\.\/evil\.php" has a "\.\." segment/],
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

    describe("hostile archives, bad input and storage faults", () => {
      const composerEntry = (name: string, prefix = ""): CraftedEntry => ({ name: `${prefix}composer.json`, content: JSON.stringify({ name }) });
      const versionsOf = async (name: string) => {
        const response = await client.request(`/api/packages/${name}`, { headers: bearer(admin) });
        return response.status === 404 ? "no package" : (await json<{ versions: unknown[] }>(response)).versions;
      };

      it("refuses fast a 2 MB archive declaring 18 bytes that inflates to 2 GB, and /healthz keeps answering", async () => {
        const name = `up/${unique("bomb")}`;
        const zip = craftZip([composerEntry(name), { name: "bomb.bin", deflated: zerosDeflate(2 * 1024 ** 3), declaredSize: 18 }]);
        expect(zip.length).toBeLessThan(2 * 1024 * 1024);
        const started = Date.now();
        const upload = client.upload(admin, name, "1.0.0", zip).then((response) => ({ response, ms: Date.now() - started }));
        const health = await client.request("/healthz");
        const healthMs = Date.now() - started;
        const { response, ms } = await upload;
        expect(health.status).toBe(200);
        expect(response.status).toBe(400);
        expect((await json<{ error: { message: string } }>(response)).error.message).toMatch(/"bomb\.bin" inflates to more than the 18 bytes it declares/);
        expect(ms).toBeLessThan(3000);
        expect(healthMs).toBeLessThan(3000);
        expect(await versionsOf(name)).toBe("no package");
      });

      it("never stores an archive whose entries lie about their size or checksum, even one it would keep byte for byte", async () => {
        const name = `up/${unique("liar")}`;
        await client.uploadOk(admin, name, "0.1.0");
        const wrapped = (entry: CraftedEntry) => craftZip([composerEntry(name, "pkg/"), { ...entry, name: `pkg/${entry.name}` }]);
        const cases: [string, Uint8Array, RegExp][] = [
          // The 64 MB case was served as uploaded: one top-level directory, so kept as it came.
          ["64 MB declared as 18 B", wrapped({ name: "big.bin", deflated: zerosDeflate(64 * 1024 ** 2), declaredSize: 18 }), /"pkg\/big\.bin" inflates to more than the 18 bytes/],
          ["fewer bytes than declared", wrapped({ name: "short.txt", content: "hello", declaredSize: 6 }), /"pkg\/short\.txt" inflates to 5 bytes, not the 6/],
          ["stored entry longer than declared", wrapped({ name: "stored.txt", content: "hello world", method: 0, declaredSize: 5 }), /"pkg\/stored\.txt" inflates to more than the 5 bytes/],
          ["false CRC-32", wrapped({ name: "crc.txt", content: "hello", declaredCrc: 1234 }), /"pkg\/crc\.txt" is corrupt/],
          ["local name differs", wrapped({ name: "a.php", content: "<?php", localName: "pkg/../../b.php" }), /local header of "pkg\/a\.php" .*does not match/],
          ["entries sharing bytes", craftZip([composerEntry(name, "pkg/"), { name: "pkg/a.txt", content: "x", swallowsNext: true }, { name: "pkg/b.txt", content: "y" }]), /"pkg\/a\.txt" and "pkg\/b\.txt" share bytes/],
          ["not deflate", wrapped({ name: "lzma.bin", content: "x", method: 14 as 0 }), /compression method 14/],
          ["over the unpacked limit (20 MB in tests)", wrapped({ name: "huge.bin", deflated: zerosDeflate(21 * 1024 ** 2), declaredSize: 21 * 1024 ** 2 }), /limit of 20971520 bytes/],
        ];
        for (const [label, zip, message] of cases) {
          const response = await client.upload(admin, name, "1.0.0", zip);
          expect(response.status, label).toBe(400);
          expect((await json<{ error: { message: string } }>(response)).error.message, label).toMatch(message);
        }
        expect(await client.p2Versions("admin", admin, name)).toEqual(["0.1.0"]);
      });

      it("re-packs under a folder named from vendor, name and normalized version, never from the raw version", async () => {
        const name = `up/${unique("slip")}`;
        const response = await client.request(`/api/packages/upload/${name}/1.0.0+..%2F..%2F..%2Ftmp%2Fpwn`, { method: "PUT", headers: bearer(admin), body: packageZip({ name }) });
        expect(response.status).toBe(201);
        const { reference, version } = await json<{ reference: string; version: string }>(response);
        expect(version).toBe("1.0.0+../../../tmp/pwn");
        const zipball = await client.request(`/zipball/${name}/${reference}.zip`, { headers: bearer(admin) });
        const entries = Object.keys(unzipSync(new Uint8Array(await zipball.arrayBuffer())));
        expect(entries.sort()).toEqual([`${name.replace("/", "-")}-1.0.0.0/composer.json`, `${name.replace("/", "-")}-1.0.0.0/src/Hello.php`]);
      });

      it("refuses symlinks, devices, FIFOs, absolute paths, backslashes, drive letters and NUL in names, naming the entry", async () => {
        const name = `up/${unique("entries")}`;
        const cases: [CraftedEntry, RegExp][] = [
          [{ name: "link", content: "/etc/passwd", unixMode: 0o120777 }, /"link" is a symbolic link/],
          [{ name: "dev", content: "", unixMode: 0o020644 }, /"dev" is a character device/],
          [{ name: "fifo", content: "", unixMode: 0o010644 }, /"fifo" is a named pipe/],
          [{ name: "/etc/cron.d/x", content: "x" }, /"\/etc\/cron\.d\/x" has an absolute path/],
          [{ name: "src\\..\\..\\evil.php", content: "x" }, /"src\\\.\.\\\.\.\\evil\.php" has a backslash/],
          [{ name: "C:/evil.dll", content: "x" }, /"C:\/evil\.dll" has a drive letter/],
          [{ name: "evil\0.php", content: "x" }, /"evil\\x00\.php" has a control character/],
          [{ name: "src/../../evil.php", content: "x" }, /"src\/\.\.\/\.\.\/evil\.php" has a "\.\." segment/],
        ];
        for (const [entry, message] of cases) {
          const response = await client.upload(admin, name, "1.0.0", craftZip([composerEntry(name), entry]));
          expect(response.status, entry.name).toBe(400);
          expect((await json<{ error: { message: string } }>(response)).error.message, entry.name).toMatch(message);
        }
        expect(await versionsOf(name)).toBe("no package");
      });

      it("answers 400, not 500, to a version decoded twice and to a broken multipart body", async () => {
        const name = `up/${unique("ver")}`;
        const twice = await client.request(`/api/packages/upload/${name}/%25E0%25A4%25A`, { method: "PUT", headers: bearer(admin), body: packageZip({ name }) });
        expect(twice.status).toBe(400);
        expect((await json<{ error: { message: string } }>(twice)).error.message).toMatch(/"%E0%A4%A" is not a valid version/);
        const broken = await client.request(`/api/packages/upload/${name}/1.0.0`, {
          method: "PUT",
          headers: { ...bearer(admin), "content-type": "multipart/form-data; boundary=expected" },
          body: "--other\r\ncontent-disposition: form-data; name=package; filename=a.zip\r\n\r\nPK\r\n--oth",
        });
        expect(broken.status).toBe(400);
        expect((await json<{ error: { code: string } }>(broken)).error.code).toBe("invalid_multipart");
        expect(await versionsOf(name)).toBe("no package");
      });

      it("refuses a version with NUL and a composer.json that is not UTF-8", async () => {
        const name = `up/${unique("loose")}`;
        const nul = await client.upload(admin, name, "1.0.0-beta%00", packageZip({ name }));
        expect(nul.status).toBe(400);
        expect((await json<{ error: { message: string } }>(nul)).error.message).toMatch(/control character/);
        const latin1 = strToU8(`{"name": "${name}", "description": "caf\u00e9"}`, true);
        const notUtf8 = await client.upload(admin, name, "1.0.0", zipSync({ "composer.json": latin1 }));
        expect(notUtf8.status).toBe(400);
        expect((await json<{ error: { message: string } }>(notUtf8)).error.message).toMatch(/composer\.json is not valid UTF-8/);
        expect(await versionsOf(name)).toBe("no package");
      });

      it("leaves no orphan blob after 250 racing uploads of one version", async () => {
        const name = `up/${unique("race")}`;
        const zips = Array.from({ length: 250 }, (_, i) => packageZip({ name }, { wrapIn: "pkg", files: { "src/N.php": `<?php // ${i}\n` } }));
        const results = await Promise.all(zips.map((zip) => client.upload(admin, name, "1.0.0", zip)));
        const statuses = results.map((response) => response.status);
        expect(statuses.filter((status) => status === 201)).toHaveLength(1);
        expect(statuses.filter((status) => status === 409)).toHaveLength(249);
        const stored = await Promise.all(zips.map(async (zip) => harness.app.services.blobs.has(distKey(name, await sha1Hex(zip)))));
        expect(stored.filter(Boolean)).toHaveLength(1);
        expect(stored.indexOf(true)).toBe(statuses.indexOf(201));
      });

      it("answers 503 with Retry-After when the archive cannot be stored, publishes nothing, and takes the retry", async () => {
        const name = `up/${unique("fault")}`;
        const faulty = faultyApp(harness, { failBlobPuts: 1 });
        const zip = packageZip({ name }, { wrapIn: "pkg" });
        const failed = await faulty.client.upload(admin, name, "1.0.0", zip);
        expect(failed.status).toBe(503);
        expect(failed.headers.get("retry-after")).toMatch(/^\d+$/);
        expect((await json<{ error: { code: string } }>(failed)).error.code).toBe("unavailable");
        expect(await versionsOf(name)).toBe("no package");
        expect((await faulty.client.upload(admin, name, "1.0.0", zip)).status).toBe(201);
        expect(await client.p2Versions("admin", admin, name)).toEqual(["1.0.0"]);
      });

      it("drops the stored archive when the version row cannot be written, and takes the retry", async () => {
        const name = `up/${unique("dbfault")}`;
        await client.uploadOk(admin, name, "0.1.0");
        const faulty = faultyApp(harness, { failBatches: 1 });
        const zip = packageZip({ name }, { wrapIn: "pkg" });
        const failed = await faulty.client.upload(admin, name, "1.0.0", zip);
        expect(failed.status).toBe(503);
        expect(failed.headers.get("retry-after")).toMatch(/^\d+$/);
        expect(await harness.app.services.blobs.has(distKey(name, await sha1Hex(zip)))).toBe(false);
        expect(await client.p2Versions("admin", admin, name)).toEqual(["0.1.0"]);
        expect((await faulty.client.upload(admin, name, "1.0.0", zip)).status).toBe(201);
        expect(await faulty.client.p2Versions("admin", admin, name)).toEqual(["1.0.0", "0.1.0"]);
      });
    });
  });
}

/** Another app over the harness's real database and blobs, with faults injected at the ports. */
function faultyApp(harness: Harness, faults: { failBlobPuts?: number; failBatches?: number }) {
  const { db, blobs, config, now } = harness.app.services;
  let blobPuts = faults.failBlobPuts ?? 0;
  let batches = faults.failBatches ?? 0;
  const faultyBlobs: BlobStore = {
    get: (key) => blobs.get(key),
    has: (key) => blobs.has(key),
    delete: (keys) => blobs.delete(keys),
    list: (prefix) => blobs.list(prefix),
    put: (key, data) => (key.startsWith("dist/") && blobPuts-- > 0 ? Promise.reject(new Error("injected: blob store unavailable")) : blobs.put(key, data)),
  };
  const faultyDb: Database = {
    orm: db.orm,
    meter: db.meter,
    batch: (statements) => (batches-- > 0 ? Promise.reject(new Error("injected: database unavailable")) : db.batch(statements)),
  };
  const app = createApp({ db: faultyDb, blobs: faultyBlobs, config, now, log: { info() {}, warn() {}, error() {} } });
  return { app, client: new Client(app) };
}
