// SATCHEL_DEFAULT_UPSTREAM's default (repo.packagist.org) on a machine without network, through
// the runtime's real fetch: seeded once, and it fails fast: private packages install as before,
// and a name it would have to answer gets a quick error, never a stall.
import { beforeAll, describe, expect, it } from "vitest";
import { Client } from "./client.ts";
import { basic, json, unique, type Harness, type HarnessFactory } from "./harness.ts";

export function defaultUpstreamSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: the default upstream`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    beforeAll(async () => {
      harness = await factory({ defaultUpstream: "https://repo.packagist.org", proxy: { timeoutMs: 3000, connectTimeoutMs: 2000 } });
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    it("is seeded once, and never stalls Composer when the network is missing", async () => {
      const listed = await client.api<{ upstreams: { name: string; url: string }[] }>(admin, "GET", "/api/upstreams");
      expect(listed.upstreams.filter((row) => row.url === "https://repo.packagist.org").map((row) => row.name)).toEqual(["packagist.org"]);
      const name = `acme/${unique("private")}`;
      await client.uploadOk(admin, name, "1.0.0");
      const get = (path: string) => client.request(path, { headers: basic("admin", admin) });
      const started = Date.now();
      expect((await get("/packages.json")).status).toBe(200);
      expect((await get(`/p2/${name}.json`)).status).toBe(200);
      // Asked for a public name: an answer (502 offline, 404 or 200 online) within the bound.
      const first = await get(`/p2/psr/${unique("log")}.json`);
      expect([200, 404, 502]).toContain(first.status);
      if (first.status === 502) expect((await json<{ warning: string }>(first)).warning).toMatch(/packagist\.org/);
      const second = await get(`/p2/psr/${unique("log")}.json`);
      expect([200, 404, 502]).toContain(second.status);
      expect(Date.now() - started).toBeLessThan(8_000);
      // Seeding happens once per database, even after a restart of the app.
      await client.api(admin, "DELETE", `/api/upstreams/${(listed.upstreams[0] as unknown as { id: number }).id}`);
      const sibling = new Client(harness.sibling());
      await sibling.adminToken();
      const after = await sibling.api<{ upstreams: unknown[] }>(admin, "GET", "/api/upstreams");
      expect(after.upstreams).toEqual([]);
    });
  });
}
