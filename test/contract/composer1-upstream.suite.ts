// Composer 1 style upstreams (provider-includes as repo.magento.com and Shopware serve them,
// Satis includes as TYPO3 ELTS does) mirrored into Composer 2 p2 documents, on both runtimes:
// upstream http-basic credentials, archives without a reference (Packeton #111), and the two
// failures the issue names: a file whose hash does not match its listing, and a huge file.
// Either leaves the mirrored copy as it was and shows on the upstream page.
import { beforeAll, describe, expect, it } from "vitest";
import { Composer1Upstream, type Composer1Layout } from "../support/composer1-upstream.ts";
import { Client } from "./client.ts";
import { basic, json, unique, type Harness, type HarnessFactory } from "./harness.ts";
import { PROXY_TEST_CONFIG } from "./proxy.suite.ts";

interface P2 {
  packages: Record<string, { version: string; dist?: { url: string; reference: string; shasum: string }; description?: string }[]>;
  warning?: string;
}

export function composer1UpstreamSuite(runtime: string, factory: HarnessFactory) {
  for (const layout of ["providers", "includes"] as Composer1Layout[]) {
    describe(`${runtime}: a Composer 1 style upstream (${layout})`, () => {
      let harness: Harness;
      let client: Client;
      let admin: string;
      let upstream: Composer1Upstream;
      let upstreamId: number;
      const vendor = unique("mage");
      const get = (path: string) => client.request(path, { headers: basic("admin", admin) });

      beforeAll(async () => {
        upstream = new Composer1Upstream(`https://${vendor}.repo.test`, layout);
        await upstream.addPackage(`${vendor}/module-a`, ["1.0.0", "1.1.0"], { dev: true });
        await upstream.addPackage(`${vendor}/module-b`, ["2.0.0"], { require: { [`${vendor}/module-a`]: "^1.0" } });
        harness = await factory(PROXY_TEST_CONFIG, { fetch: upstream.fetch });
        client = new Client(harness.app);
        admin = await client.adminToken();
        // One storage may serve several suites (workerd): an earlier layout's upstream, unreachable
        // through this suite's fetch port, would answer "unavailable" first.
        const existing = await client.api<{ upstreams: { id: number }[] }>(admin, "GET", "/api/upstreams");
        for (const { id } of existing.upstreams) await client.api(admin, "DELETE", `/api/upstreams/${id}`);
        upstreamId = (await client.api<{ id: number }>(admin, "POST", "/api/upstreams", { name: `c1-${layout}`, url: upstream.base, username: upstream.username, password: upstream.password, priority: 0 })).id;
      });

      it("serves its packages as p2 documents, tags and branches apart, every archive through Satchel", async () => {
        const name = `${vendor}/module-a`;
        const tags = await json<P2>(await get(`/p2/${name}.json`));
        expect(versionsOf(tags, name)).toEqual(["1.0.0", "1.1.0"]);
        const dev = await json<P2>(await get(`/p2/${name}~dev.json`));
        expect(versionsOf(dev, name)).toEqual(["dev-main"]);
        // The upstream gave no reference: Satchel made one, so the archive goes through it.
        const dist = tags.packages[name]?.find((entry) => entry.version === "1.1.0")?.dist;
        expect(dist?.reference).toMatch(/^[0-9a-f]{40}$/);
        expect(dist?.url).toBe(`https://repo.example.test/zipball/${name}/${dist?.reference}.zip`);
        const zip = await get(new URL(dist!.url).pathname);
        expect(zip.status).toBe(200);
        const bytes = new Uint8Array(await zip.arrayBuffer());
        expect(await sha1(bytes)).toBe(dist?.shasum);
        // The credentials went to the upstream (it answers 401 without them).
        expect(upstream.count(`/archives/${name}/`)).toBe(1);
      });

      it("reads listings once: a second package and a revalidation fetch only what changed", async () => {
        await get(`/p2/${vendor}/module-a.json`);
        const listingsBefore = upstream.count(layout === "providers" ? "/p/provider-latest" : "/include/");
        const b = await json<P2>(await get(`/p2/${vendor}/module-b.json`));
        expect(versionsOf(b, `${vendor}/module-b`)).toEqual(["2.0.0"]);
        expect(upstream.count(layout === "providers" ? "/p/provider-latest" : "/include/")).toBe(listingsBefore);
        // After the TTL, an unchanged package file (same hash) is not downloaded again.
        harness.clock.now += 61_000;
        const fileRequests = upstream.count(`/p/${vendor}/module-b$`);
        expect((await get(`/p2/${vendor}/module-b.json`)).status).toBe(200);
        if (layout === "providers") expect(upstream.count(`/p/${vendor}/module-b$`)).toBe(fileRequests);
      });

      it("answers 404 for a name the upstream does not have", async () => {
        expect((await get(`/p2/${vendor}/missing.json`)).status).toBe(404);
      });

      it("keeps the mirrored copy when a file does not match its hash, or is huge, and shows why on the upstream", async () => {
        const name = `${vendor}/module-a`;
        const before = await json<P2>(await get(`/p2/${name}.json`));
        for (const mode of ["tamper", "huge"] as const) {
          // A new release: new listings, so the changed files are fetched, and refused.
          await upstream.addPackage(name, ["1.0.0", "1.1.0", "1.2.0"], { dev: true });
          upstream.mode = mode;
          harness.clock.now += 61_000;
          const served = await get(`/p2/${name}.json`);
          expect(served.status).toBe(200);
          const body = await json<P2>(served);
          expect(versionsOf(body, name)).toEqual(versionsOf(before, name));
          expect(JSON.stringify(body)).not.toContain("TAMPERED");
          expect(body.warning).toMatch(mode === "tamper" ? /do not match its sha/ : /more than/);
          await harness.app.services.upstreams.stats.flush(harness.app.services.db, harness.clock.now);
          const listed = await client.api<{ upstreams: { id: number; lastError: string | null }[] }>(admin, "GET", "/api/upstreams");
          expect(listed.upstreams.find((row) => row.id === upstreamId)?.lastError).toMatch(mode === "tamper" ? /do not match/ : /more than/);
          upstream.mode = "up";
        }
        // Fixed upstream: the new release appears.
        harness.clock.now += 61_000;
        const fixed = await json<P2>(await get(`/p2/${name}.json`));
        expect(versionsOf(fixed, name)).toEqual(["1.0.0", "1.1.0", "1.2.0"]);
      });
    });
  }
}

function versionsOf(document: P2, name: string): string[] {
  return (document.packages[name] ?? []).map((entry) => entry.version).sort();
}

async function sha1(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", bytes as Uint8Array<ArrayBuffer>));
  return [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
