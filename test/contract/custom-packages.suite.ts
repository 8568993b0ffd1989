// Custom packages (versions defined by JSON) and virtual packages (metapackages): validated as
// Composer validates a composer.json (422 with its message, nothing stored), their archives
// (uploaded, or fetched once from an external URL and checked against the shasum) served only
// through Satchel's zipball route, versions redefined and removed.
import { strToU8, zipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { expandVersions } from "../../src/composer-rules/minify.ts";
import { sha1Hex } from "../../src/crypto/digest.ts";
import { Client } from "./client.ts";
import { basic, bearer, json, type Harness, type HarnessFactory, unique } from "./harness.ts";

type P2 = { packages: Record<string, Record<string, unknown>[]> };

/** An in-process file host for external dist URLs: what it serves, and every URL it was asked for. */
function distHost() {
  const files = new Map<string, Uint8Array>();
  const asked: string[] = [];
  const authorizations: (string | null)[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    asked.push(url.href);
    authorizations.push(new Headers(init?.headers).get("authorization"));
    if (url.pathname.startsWith("/elsewhere/")) return new Response(null, { status: 302, headers: { location: `https://cdn.example.test/files/${url.pathname.slice("/elsewhere/".length)}` } });
    if (url.pathname.startsWith("/moved/")) return new Response(null, { status: 302, headers: { location: `/files/${url.pathname.slice("/moved/".length)}` } });
    const file = files.get(url.pathname);
    return file ? new Response(file, { headers: { "content-type": "application/zip" } }) : new Response("missing", { status: 404 });
  }) as typeof fetch;
  return { files, asked, authorizations, fetch: fetchImpl };
}

export function customPackagesSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: custom and virtual packages`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    const host = distHost();
    const zipOf = (files: Record<string, string>) => zipSync(Object.fromEntries(Object.entries(files).map(([path, text]) => [path, strToU8(text)])));
    const post = (path: string, body: unknown, token = admin) =>
      client.request(path, { method: "POST", headers: { ...bearer(token), "content-type": "application/json" }, body: JSON.stringify(body) });
    const uploadArchive = async (name: string, zip: Uint8Array) => {
      const response = await client.request(`/api/packages/custom/${name}/archives`, { method: "POST", headers: { ...bearer(admin), "content-type": "application/zip" }, body: zip });
      expect(response.status, await response.clone().text()).toBe(201);
      return (await json<{ reference: string }>(response)).reference;
    };
    const p2 = async (name: string, token = admin, username = "admin") => {
      const response = await client.request(`/p2/${name}.json`, { headers: basic(username, token) });
      return { status: response.status, text: response.status === 200 ? await response.text() : "" };
    };
    const versionsOf = (text: string, name: string) => expandVersions((JSON.parse(text) as P2).packages[name] ?? []);
    const errorOf = async (response: Response) => (await json<{ error: { code: string; message: string } }>(response)).error;

    beforeAll(async () => {
      harness = await factory({}, { fetch: host.fetch });
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    it("publishes versions from an uploaded archive and an external URL, both served by Satchel's zipball route", async () => {
      const name = `acme/${unique("theme")}`;
      const uploaded = zipOf({ "style.css": "body {}\n" });
      const external = zipOf({ "theme/functions.php": "<?php\n" });
      const shasum = await sha1Hex(external);
      host.files.set(`/files/${name}-1.1.0.zip`, external);
      const reference = await uploadArchive(name, uploaded);
      expect(reference).toBe(await sha1Hex(uploaded));
      const secretUrl = `https://deploy:s3cret@dist.example.test/moved/${name}-1.1.0.zip`;
      const created = await post("/api/packages/custom", {
        name,
        versions: [
          { version: "1.0.0", type: "wordpress-theme", require: { php: ">=8.1" }, dist: { type: "zip", reference } },
          { version: "1.1.0", type: "wordpress-theme", description: "A theme", autoload: { classmap: ["theme/"] }, dist: { type: "zip", url: secretUrl, shasum } },
        ],
      });
      expect(created.status, await created.clone().text()).toBe(201);
      expect(await json(created)).toMatchObject({ name, kind: "custom", type: "wordpress-theme" });

      const { status, text } = await p2(name);
      expect(status).toBe(200);
      // The URL a version was defined with (a secret in it, an internal host) never reaches Composer.
      expect(text).not.toContain("dist.example.test");
      const versions = versionsOf(text, name);
      const byVersion = new Map(versions.map((entry) => [entry.version, entry]));
      expect(byVersion.get("1.0.0")).toMatchObject({ type: "wordpress-theme", require: { php: ">=8.1" }, dist: { type: "zip", url: `https://repo.example.test/zipball/${name}/${reference}.zip`, reference, shasum: reference } });
      expect(byVersion.get("1.1.0")).toMatchObject({ description: "A theme", autoload: { classmap: ["theme/"] }, dist: { url: `https://repo.example.test/zipball/${name}/${shasum}.zip`, shasum } });
      for (const [ref, bytes] of [[reference, uploaded], [shasum, external]] as const) {
        const zipball = await client.request(`/zipball/${name}/${ref}.zip`, { headers: basic("admin", admin) });
        expect(zipball.status).toBe(200);
        expect(new Uint8Array(await zipball.arrayBuffer())).toEqual(bytes);
      }
      // Fetched once, through the redirect, when the version was defined; the URL's credentials
      // went as http-basic (fetch() refuses them in a URL), to that host only.
      const hops = host.asked.flatMap((url, i) => (url.includes(`${name}-1.1.0`) ? [{ url, authorization: host.authorizations[i] }] : []));
      expect(hops).toEqual([
        { url: `https://dist.example.test/moved/${name}-1.1.0.zip`, authorization: `Basic ${btoa("deploy:s3cret")}` },
        { url: `https://dist.example.test/files/${name}-1.1.0.zip`, authorization: `Basic ${btoa("deploy:s3cret")}` },
      ]);

      // Redirected to another host: the credentials stay behind.
      const elsewhere = zipOf({ "theme/functions.php": "<?php // 1.2.0\n" });
      host.files.set(`/files/${name}-1.2.0.zip`, elsewhere);
      const redefined = await client.request(`/api/packages/custom/${name}/versions/1.2.0`, {
        method: "PUT",
        headers: { ...bearer(admin), "content-type": "application/json" },
        body: JSON.stringify({ dist: { type: "zip", url: `https://deploy:s3cret@dist.example.test/elsewhere/${name}-1.2.0.zip`, shasum: await sha1Hex(elsewhere) } }),
      });
      expect(redefined.status, await redefined.clone().text()).toBe(200);
      expect(host.authorizations.slice(-2)).toEqual([`Basic ${btoa("deploy:s3cret")}`, null]);
      expect(host.asked.at(-1)).toBe(`https://cdn.example.test/files/${name}-1.2.0.zip`);
      await client.request(`/api/packages/custom/${name}/versions/1.2.0`, { method: "DELETE", headers: bearer(admin) });

      // Admins and maintainers see the definitions, with the URL as given.
      const view = await client.api<{ definitions: { version: string; dist: { url?: string } }[] }>(admin, "GET", `/api/packages/${name}`);
      expect(view.definitions.map((definition) => definition.version)).toEqual(["1.0.0", "1.1.0"]);
      expect(view.definitions[1]?.dist.url).toBe(secretUrl);

      // A customer without a grant: no metadata, no archive.
      const stranger = await client.customer(admin);
      expect((await p2(name, stranger.token, stranger.username)).status).toBe(404);
      expect((await client.request(`/zipball/${name}/${reference}.zip`, { headers: basic(stranger.username, stranger.token) })).status).toBe(404);
    });

    it("refuses what Composer's validation refuses with 422 and its message, storing nothing", async () => {
      const name = `acme/${unique("broken")}`;
      const reference = await uploadArchive(name, zipOf({ "a.txt": "a" }));
      const dist = { type: "zip", reference };
      const cases: [unknown, string][] = [
        [{ version: "1.0.0", require: { "acme/dep": "not a constraint" }, dist }, `${name} 1.0.0: composer.json is invalid: require.acme/dep : invalid version constraint (Could not parse version constraint not: Invalid version string "not")`],
        [{ version: "1.0.0", time: "not a date", dist }, "time : invalid value (not a date): Failed to parse time string (not a date)"],
        [{ version: "1.0.0", autoload: { "psr-9": [] }, dist }, "autoload : invalid value (psr-9), must be one of psr-0, psr-4, classmap, files, exclude-from-classmap"],
        [{ version: "1.0.0", conflict: { "acme/r": "^1" }, replace: { "acme/r": "^1" }, dist }, "conflict.acme/r : you cannot conflict with a package that is also replaced"],
        [{ version: "1.0.0", name: "other/name", dist }, `"name" must be ${name}`],
        [{ version: "not-a-version", dist }, "invalid version"],
        [{ version: "1.0.0" }, '"dist" is required'],
        [{ version: "1.0.0", dist: { type: "zip", reference: "0".repeat(40) } }, "no archive with reference"],
        [{ version: "1.0.0", dist: { type: "tar", reference } }, 'dist.type must be "zip"'],
        [{ version: "1.0.0", dist: { type: "zip", url: "https://dist.example.test/files/none.zip", shasum: "0".repeat(40) } }, "could not be fetched (HTTP 404)"],
        [{ version: "1.0.0", dist: { type: "zip", url: "https://dist.example.test/files/none.zip" } }, "dist.shasum must be the archive's sha1"],
        [{ version: "1.0.0", type: "metapackage", dist }, "a metapackage has no dist"],
      ];
      for (const [version, message] of cases) {
        const response = await post("/api/packages/custom", { name, versions: [version] });
        expect(response.status, JSON.stringify(version)).toBe(422);
        expect((await errorOf(response)).message).toContain(message);
      }
      // A second valid version does not carry a broken one in.
      const mixed = await post("/api/packages/custom", { name, versions: [{ version: "1.0.0", dist }, { version: "1.1.0", require: { php: ">=" }, dist }] });
      expect(mixed.status).toBe(422);
      expect((await errorOf(mixed)).message).toContain(`${name} 1.1.0: composer.json is invalid: require.php : invalid version constraint`);
      expect((await client.request(`/api/packages/${name}`, { headers: bearer(admin) })).status).toBe(404);
      expect((await p2(name)).status).toBe(404);
    });

    it("refuses an external archive whose bytes do not match the shasum, and link-local hosts without asking them", async () => {
      const name = `acme/${unique("tampered")}`;
      host.files.set(`/files/${name}.zip`, zipOf({ "a.txt": "what the host serves" }));
      const wrong = await sha1Hex(zipOf({ "a.txt": "what the admin expects" }));
      const mismatch = await post("/api/packages/custom", { name, versions: [{ version: "1.0.0", dist: { type: "zip", url: `https://dist.example.test/files/${name}.zip`, shasum: wrong } }] });
      expect(mismatch.status).toBe(422);
      expect((await errorOf(mismatch)).message).toContain("does not match the shasum given");
      const before = host.asked.length;
      for (const url of ["http://169.254.169.254/latest/meta-data.zip", "http://[fe80::1]/a.zip", "http://[::ffff:169.254.169.254]/a.zip", "http://metadata.google.internal/a.zip", "file:///etc/passwd"]) {
        const refused = await post("/api/packages/custom", { name, versions: [{ version: "1.0.0", dist: { type: "zip", url, shasum: wrong } }] });
        expect(refused.status, url).toBe(422);
      }
      expect(host.asked.length).toBe(before);
      expect((await client.request(`/api/packages/${name}`, { headers: bearer(admin) })).status).toBe(404);
    });

    it("redefines a version with PUT, adds one, removes one with DELETE, and keeps uploads and VCS packages apart", async () => {
      const name = `acme/${unique("edited")}`;
      const reference = await uploadArchive(name, zipOf({ "a.txt": "a" }));
      const dist = { type: "zip", reference };
      expect((await post("/api/packages/custom", { name, versions: [{ version: "1.0.0", require: { "acme/dep": "^1.0" }, dist }] })).status).toBe(201);
      const put = (version: string, body: unknown) => client.request(`/api/packages/custom/${name}/versions/${version}`, { method: "PUT", headers: { ...bearer(admin), "content-type": "application/json" }, body: JSON.stringify(body) });
      expect((await put("1.0.0", { require: { "acme/dep": "^1.1" }, dist })).status).toBe(200);
      expect((await put("1.2.0", { require: { "acme/dep": "^2.0" }, dist })).status).toBe(200);
      const bad = await put("1.2.0", { require: { "acme/dep": "^^2" }, dist });
      expect(bad.status).toBe(422);
      expect((await put("1.3.0", { version: "1.4.0", dist })).status).toBe(422);
      let versions = versionsOf((await p2(name)).text, name);
      expect(Object.fromEntries(versions.map((entry) => [entry.version, entry.require]))).toEqual({ "1.2.0": { "acme/dep": "^2.0" }, "1.0.0": { "acme/dep": "^1.1" } });
      const removed = await client.request(`/api/packages/custom/${name}/versions/1.0.0`, { method: "DELETE", headers: bearer(admin) });
      expect(removed.status).toBe(204);
      expect((await client.request(`/api/packages/custom/${name}/versions/1.0.0`, { method: "DELETE", headers: bearer(admin) })).status).toBe(404);
      versions = versionsOf((await p2(name)).text, name);
      expect(versions.map((entry) => entry.version)).toEqual(["1.2.0"]);
      const view = await client.api<{ definitions: { version: string }[] }>(admin, "GET", `/api/packages/${name}`);
      expect(view.definitions.map((definition) => definition.version)).toEqual(["1.2.0"]);

      // A custom package takes no artifact upload, and an artifact package is not redefined by JSON.
      expect((await client.upload(admin, name, "2.0.0", zipOf({ "composer.json": JSON.stringify({ name }) }))).status).toBe(409);
      const artifact = `acme/${unique("artifact")}`;
      await client.uploadOk(admin, artifact, "1.0.0");
      expect((await client.request(`/api/packages/custom/${artifact}/versions/1.1.0`, { method: "PUT", headers: { ...bearer(admin), "content-type": "application/json" }, body: JSON.stringify({ dist }) })).status).toBe(409);
      expect((await post("/api/packages/custom", { name: artifact, versions: [{ version: "1.0.0", dist }] })).status).toBe(409);
    });

    it("defines a virtual package: metapackage versions that require other packages, no dist", async () => {
      const name = `acme/${unique("bundle")}`;
      const created = await post("/api/packages/virtual", { name, description: "ignored at package level", versions: [{ version: "1.0.0", description: "Everything", require: { "acme/a": "^1.0", "acme/b": "^2.0" } }] });
      expect(created.status, await created.clone().text()).toBe(201);
      const [entry] = versionsOf((await p2(name)).text, name);
      expect(entry).toMatchObject({ version: "1.0.0", type: "metapackage", description: "Everything", require: { "acme/a": "^1.0", "acme/b": "^2.0" } });
      expect(entry).not.toHaveProperty("dist");
      const withType = await post("/api/packages/virtual", { name: `acme/${unique("bundle")}`, versions: [{ version: "1.0.0", type: "library", require: {} }] });
      expect(withType.status).toBe(422);
      const withDist = await post("/api/packages/virtual", { name: `acme/${unique("bundle")}`, versions: [{ version: "1.0.0", dist: { type: "zip", reference: "0".repeat(40) } }] });
      expect((await errorOf(withDist)).message).toContain("a metapackage has no dist");
    });

    it("is written by admins and maintainers only; a bad name is a 400", async () => {
      const customer = await client.customer(admin);
      const body = { name: `acme/${unique("nope")}`, versions: [{ version: "1.0.0", type: "metapackage" }] };
      expect((await post("/api/packages/custom", body, customer.token)).status).toBe(403);
      expect((await client.request(`/api/packages/custom/${body.name}/archives`, { method: "POST", headers: { ...bearer(customer.token), "content-type": "application/zip" }, body: zipOf({ a: "a" }) })).status).toBe(403);
      expect((await post("/api/packages/custom", { ...body, name: "Not/Valid" })).status).toBe(400);
      expect((await post("/api/packages/custom", { ...body, versions: [] })).status).toBe(422);
    });
  });
}
