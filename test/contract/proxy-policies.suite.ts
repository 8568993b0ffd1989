// Version flags and the plugin allowlist applied to proxied (upstream) packages, as they are to
// private ones: the mirrored p2 Satchel serves leaves the versions out (the tags document names
// flagged ones in `filter`), their dists answer 410, and Last-Modified moves with each change.
import { beforeAll, describe, expect, it } from "vitest";
import { StaticUpstream } from "../support/static-upstream.ts";
import { Client } from "./client.ts";
import { basic, json, unique, type Harness, type HarnessFactory } from "./harness.ts";
import { PROXY_TEST_CONFIG } from "./proxy.suite.ts";

const UPSTREAM = "https://upstream-policies.test";

interface P2 {
  packages: Record<string, { version?: string; dist?: { url: string; reference: string } }[]>;
  filter?: Record<string, { constraint: string; reason: string; id: string; source: string }[]>;
}

export function proxyPoliciesSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: flags and the plugin allowlist on proxied packages`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    let upstream: StaticUpstream;
    const get = (path: string, headers: Record<string, string> = {}) => client.request(path, { headers: { ...basic("admin", admin), ...headers } });
    const p2 = async (name: string, dev = false) => {
      const response = await get(`/p2/${name}${dev ? "~dev" : ""}.json`);
      expect(response.status, await response.clone().text()).toBe(200);
      return { body: await json<P2>(response), lastModified: response.headers.get("last-modified") ?? "" };
    };
    const versionsOf = (doc: P2, name: string) => (doc.packages[name] ?? []).map((entry) => entry.version);
    const zipPathOf = (doc: P2, name: string, version: string) => new URL((doc.packages[name] ?? []).find((entry) => entry.version === version)?.dist?.url ?? "").pathname;

    beforeAll(async () => {
      upstream = new StaticUpstream(UPSTREAM);
      harness = await factory(PROXY_TEST_CONFIG, { fetch: upstream.fetch });
      client = new Client(harness.app);
      admin = await client.adminToken();
      await client.api(admin, "POST", "/api/upstreams", { name: unique("up"), url: `${UPSTREAM}/packages.json` });
    });

    it("leaves a flagged upstream version out of the mirrored p2, names it in `filter`, answers 410 for its dist, and lifts it", async () => {
      const name = `mirrored/${unique("flag")}`;
      await upstream.addPackage(name, [{ version: "1.0.0" }, { version: "1.1.0" }]);
      const before = await p2(name);
      expect(versionsOf(before.body, name)).toEqual(["1.1.0", "1.0.0"]);
      const badZip = zipPathOf(before.body, name, "1.1.0");
      expect((await get(badZip)).status).toBe(200);

      harness.clock.now += 5000;
      const flag = await client.api<{ id: number; package: string; version: string; upstream: boolean }>(admin, "POST", `/api/packages/${name}/flags`, { version: "1.1.0", kind: "malware", reason: "typosquat payload" });
      expect(flag).toMatchObject({ package: name, version: "1.1.0.0", upstream: true });
      expect((await client.api<{ flags: { id: number }[] }>(admin, "GET", `/api/packages/${name}/flags`)).flags.map((f) => f.id)).toEqual([flag.id]);

      // A client holding the old copy gets the new one, not a 304.
      const revalidated = await get(`/p2/${name}.json`, { "if-modified-since": before.lastModified });
      expect(revalidated.status).toBe(200);
      const after = await json<P2>(revalidated);
      expect(versionsOf(after, name)).toEqual(["1.0.0"]);
      expect(after.filter).toEqual({ malware: [{ constraint: "1.1.0", reason: "malware: typosquat payload", id: `SATCHEL-FLAG-${flag.id}`, source: "satchel" }] });
      const gone = await get(badZip);
      expect(gone.status).toBe(410);
      const body = await json<{ warning: string; error: { code: string } }>(gone);
      expect(body.error.code).toBe("version_flagged");
      expect(body.warning).toContain("typosquat payload");

      // Not a version the upstream serves, or not a name any upstream serves: 404, nothing stored.
      const post = (path: string) => client.request(path, { method: "POST", headers: { ...basic("admin", admin), "content-type": "application/json" }, body: JSON.stringify({ version: "9.9.9", kind: "malware", reason: "x" }) });
      expect((await post(`/api/packages/${name}/flags`)).status).toBe(404);
      expect((await post(`/api/packages/mirrored/${unique("nope")}/flags`)).status).toBe(404);

      harness.clock.now += 5000;
      const response = await client.request(`/api/packages/${name}/flags/${flag.id}`, { method: "DELETE", headers: basic("admin", admin) });
      expect(response.status).toBe(204);
      const lifted = await get(`/p2/${name}.json`, { "if-modified-since": revalidated.headers.get("last-modified") ?? "" });
      expect(lifted.status).toBe(200);
      const liftedBody = await json<P2>(lifted);
      expect(versionsOf(liftedBody, name)).toEqual(["1.1.0", "1.0.0"]);
      expect(liftedBody.filter).toBeUndefined();
      expect((await get(badZip)).status).toBe(200);
    });

    it("omits upstream composer-plugin versions unless the plugin allowlist allows them", async () => {
      const plugin = `mirrored/${unique("plugin")}`;
      await upstream.addPackage(plugin, [{ version: "1.0.0", type: "composer-plugin" }]);
      const library = `mirrored/${unique("library")}`;
      await upstream.addPackage(library, [{ version: "1.0.0" }]);
      const open = await p2(plugin);
      const zip = zipPathOf(open.body, plugin, "1.0.0");
      try {
        harness.clock.now += 5000;
        await client.api(admin, "PUT", "/api/policies", { pluginAllowlist: { enabled: true, allowed: [] } });
        const closed = await get(`/p2/${plugin}.json`, { "if-modified-since": open.lastModified });
        expect(closed.status).toBe(200);
        const closedBody = await json<P2>(closed);
        expect(versionsOf(closedBody, plugin)).toEqual([]);
        expect(closedBody.filter).toBeUndefined();
        const refused = await get(zip);
        expect(refused.status).toBe(410);
        expect((await json<{ error: { code: string } }>(refused)).error.code).toBe("plugin_not_allowed");
        // Not a plugin: served as before.
        expect(versionsOf((await p2(library)).body, library)).toEqual(["1.0.0"]);

        harness.clock.now += 5000;
        await client.api(admin, "PUT", "/api/policies", { pluginAllowlist: { enabled: true, allowed: [plugin] } });
        expect(versionsOf((await p2(plugin)).body, plugin)).toEqual(["1.0.0"]);
        expect((await get(zip)).status).toBe(200);
      } finally {
        await client.api(admin, "PUT", "/api/policies", { pluginAllowlist: { enabled: false, allowed: [] } });
      }
    });
  });
}
