// The Composer-facing documents: packages.json, p2 (minified, Last-Modified, empty 304s),
// zipballs by reference, list, search and notify-batch, and names that try to escape.
import { gunzipSync, strFromU8 } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { Client } from "./client.ts";
import { basic, json, unique, type Harness, type HarnessFactory } from "./harness.ts";

interface P2Body {
  minified: string;
  packages: Record<string, Record<string, unknown>[]>;
}

export function metadataSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: Composer metadata`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    let name: string;
    let v1: { reference: string };
    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
      name = `acme/${unique("meta")}`;
      v1 = await client.uploadOk(admin, name, "1.0.0", { require: { php: ">=8.1" }, license: "MIT" });
      harness.clock.now += 5_000;
      await client.uploadOk(admin, name, "1.1.0", { require: { php: ">=8.1" }, license: "MIT" });
    });
    const get = (path: string, headers: Record<string, string> = {}) => client.request(path, { headers: { ...basic("admin", admin), ...headers } });

    it("serves packages.json with absolute URLs, available-packages and a Composer 1 warning", async () => {
      const response = await get("/packages.json");
      expect(response.status).toBe(200);
      const root = await json(response);
      expect(root.packages).toEqual([]);
      expect(root["metadata-url"]).toBe("https://repo.example.test/p2/%package%.json");
      expect(root["available-packages"]).toContain(name);
      expect(root["notify-batch"]).toBe("https://repo.example.test/downloads/");
      expect(root.list).not.toContain("?");
      expect(root.search).toContain("%query%");
      expect(root.mirrors).toEqual([{ "dist-url": "https://repo.example.test/zipball/%package%/%reference%.%type%", preferred: true }]);
      expect(root["warning-versions"]).toBe("<1.999");
      expect(response.headers.get("last-modified")).toBeTruthy();
    });

    it("serves p2 minified, newest first, with absolute dist URLs naming the reference", async () => {
      const response = await get(`/p2/${name}.json`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      const body = await json<P2Body>(response);
      expect(body.minified).toBe("composer/2.0");
      const [first, second] = body.packages[name] ?? [];
      expect(first?.version).toBe("1.1.0");
      expect(first?.version_normalized).toBe("1.1.0.0");
      expect(first?.name).toBe(name);
      expect(first?.license).toEqual(["MIT"]);
      expect(second?.version).toBe("1.0.0");
      // Minified: unchanged keys are left out of later entries.
      expect(second).not.toHaveProperty("name");
      expect(second).not.toHaveProperty("require");
      expect((second?.dist as { url: string }).url).toBe(`https://repo.example.test/zipball/${name}/${v1.reference}.zip`);
      const dev = await json<P2Body>(await get(`/p2/${name}~dev.json`));
      expect(dev.packages[name]).toEqual([]);
    });

    // packages.json too: gzipped once per document, not by the runtime on every request.
    for (const [label, path] of [["p2", () => `/p2/${name}.json`], ["packages.json", () => "/packages.json"]] as const) {
      it(`sends ${label} gzipped to clients that accept it, and the same document either way`, async () => {
        const plain = await get(path());
        expect(plain.headers.get("content-encoding")).toBeNull();
        const zipped = await get(path(), { "accept-encoding": "gzip, deflate, br" });
        expect(zipped.headers.get("content-encoding")).toBe("gzip");
        expect(zipped.headers.get("vary")).toBe("Accept-Encoding");
        const bytes = new Uint8Array(await zipped.arrayBuffer());
        // A runtime may already have decoded it (fetch does); app.request hands over the wire bytes.
        const text = bytes[0] === 0x1f && bytes[1] === 0x8b ? strFromU8(gunzipSync(bytes)) : strFromU8(bytes);
        expect(JSON.parse(text)).toEqual(await plain.json());
        const refused = await get(path(), { "accept-encoding": "gzip;q=0, identity" });
        expect(refused.headers.get("content-encoding")).toBeNull();
      });
    }

    it("sends identity bytes to a client that sent no Accept-Encoding even where the runtime rewrote the header", async () => {
      // workerd hands the Worker "Accept-Encoding: br, gzip" whatever the client sent, and keeps
      // the client's own header in request.cf.clientAcceptEncoding ("" when it sent none).
      const rewritten = (clientAcceptEncoding: string) => {
        const request = new Request(`https://repo.example.test/p2/${name}.json`, { headers: { ...basic("admin", admin), "accept-encoding": "br, gzip" } });
        Object.defineProperty(request, "cf", { value: { clientAcceptEncoding } });
        return harness.app.request(request);
      };
      const curl = await rewritten("");
      expect(curl.headers.get("content-encoding")).toBeNull();
      expect(JSON.parse(await curl.text()).packages[name]).toHaveLength(2);
      const composer = await rewritten("deflate, gzip");
      expect(composer.headers.get("content-encoding")).toBe("gzip");
    });

    it("answers If-Modified-Since with an empty 304 until the package changes", async () => {
      const first = await get(`/p2/${name}.json`);
      const lastModified = first.headers.get("last-modified") ?? "";
      const cached = await get(`/p2/${name}.json`, { "if-modified-since": lastModified });
      expect(cached.status).toBe(304);
      expect(await cached.text()).toBe("");
      await client.uploadOk(admin, name, "1.2.0");
      const changed = await get(`/p2/${name}.json`, { "if-modified-since": lastModified });
      expect(changed.status).toBe(200);
      expect(Date.parse(changed.headers.get("last-modified") ?? "")).toBeGreaterThan(Date.parse(lastModified));
    });

    it("streams the zipball whose sha1 is the published shasum", async () => {
      const body = await json<P2Body>(await get(`/p2/${name}.json`));
      const versions = body.packages[name] ?? [];
      const dist = versions[versions.length - 1]?.dist as { url: string; shasum: string };
      const response = await get(new URL(dist.url).pathname);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/zip");
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect(Number(response.headers.get("content-length"))).toBe(bytes.length);
      const sha1 = [...new Uint8Array(await crypto.subtle.digest("SHA-1", bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
      expect(sha1).toBe(dist.shasum);
    });

    it("answers unknown names and path tricks with 404 JSON, never a file", async () => {
      for (const path of [
        "/p2/acme/does-not-exist.json",
        `/p2/${name.toUpperCase()}.json`,
        "/p2/acme/..%2F..%2Fsecrets.json",
        "/p2/acme/%2e%2e.json",
        "/p2/acme/.json",
        `/p2/acme/${"a".repeat(300)}.json`,
        `/p2/${name}.json.json`,
        `/zipball/${name}/..%2F..%2Fsecrets.zip`,
        `/zipball/${name}/${"0".repeat(40)}.zip`,
        `/zipball/acme/nothing/${v1.reference}.zip`,
      ]) {
        const response = await get(path);
        expect(response.status, path).toBe(404);
        const body = await json<{ error: { code: string } }>(response);
        expect(body.error.code).toBe("not_found");
      }
    });

    it("lists and searches", async () => {
      const list = await json<{ packageNames: string[] }>(await get(`/packages/list.json?filter=${encodeURIComponent("acme/*")}`));
      expect(list.packageNames).toContain(name);
      const none = await json<{ packageNames: string[] }>(await get("/packages/list.json?filter=zzz/*"));
      expect(none.packageNames).not.toContain(name);
      const search = await json<{ results: { name: string; description: string }[]; total: number }>(await get(`/search.json?q=${encodeURIComponent(name)}`));
      expect(search.results.map((result) => result.name)).toEqual([name]);
      expect(search.results[0]?.description).toBe(`${name} package`);
      const typed = await json<{ total: number }>(await get(`/search.json?q=${encodeURIComponent(name)}&type=symfony-bundle`));
      expect(typed.total).toBe(0);
    });

    it("counts notify-batch downloads per version per day, once per IP", async () => {
      const notify = (ip: string) =>
        client.request("/downloads/", {
          method: "POST",
          headers: { ...basic("admin", admin), "content-type": "application/json", "cf-connecting-ip": ip },
          body: JSON.stringify({ downloads: [{ name, version: "1.0.0.0" }, { name: "acme/unknown", version: "1.0.0.0" }] }),
        });
      const response = await notify("203.0.113.5");
      expect(response.status).toBe(201);
      expect(await response.json()).toEqual({ status: "success" });
      await notify("203.0.113.5");
      await notify("203.0.113.6");
      await harness.app.services.flushPending();
      const { sql } = await import("drizzle-orm");
      const rows = await harness.app.services.db.orm.all<{ count: number }>(
        sql`select d.count from downloads d join packages p on p.id = d.package_id where p.name = ${name} and d.version_normalized = '1.0.0.0'`,
      );
      expect(rows.map((row) => Number(row.count))).toEqual([2]);
      const bad = await client.request("/downloads/", { method: "POST", headers: basic("admin", admin), body: "{not json" });
      expect(bad.status).toBe(400);
    });
  });
}
