// Garbage collection of blobs no row refers to, on both runtimes: superseded p2 documents and
// their views go after the grace period, current ones never, and a publish racing a pass that
// is deleting the very document it switches to still ends with the document in place.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { packages, versions } from "../../src/db/schema.ts";
import { collectGarbage } from "../../src/gc/collect-garbage.ts";
import { GcMarks } from "../../src/gc/gc-marks-store.ts";
import { bumpVersionsRevision } from "../../src/packages/package-store.ts";
import { rebuildDocuments } from "../../src/packages/rebuild-documents.ts";
import type { BlobStore } from "../../src/ports.ts";
import { PageClient } from "../support/page-client.ts";
import { Client } from "./client.ts";
import { basic, unique, type Harness, type HarnessFactory } from "./harness.ts";

const HOUR = 3_600_000;
const RULES = { graceMs: HOUR, devZipballMs: 30 * 24 * HOUR };

export function gcSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: garbage collection`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    const services = () => harness.app.services;
    const pointer = async (name: string) => (await services().db.orm.select().from(packages).where(eq(packages.name, name)).get())!;
    const exists = (key: string) => services().blobs.has(key);

    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    /** A package at 1.0.0 read by a restricted customer (a stored view), then moved on to 1.1.0. */
    async function supersededPackage() {
      const name = `acme/${unique("gc")}`;
      const first = await client.uploadOk(admin, name, "1.0.0");
      const group = await client.group(admin, [{ name, version: "<9" }]);
      const customer = await client.customer(admin, { groups: [group] });
      expect(await client.p2Versions(customer.username, customer.token, name)).toEqual(["1.0.0"]);
      const old = await pointer(name);
      await client.uploadOk(admin, name, "1.1.0");
      return { name, customer, oldDoc: old.tagsDocKey!, firstReference: first.reference };
    }

    const viewsOf = async (name: string) => {
      const keys: string[] = [];
      for await (const { key } of services().blobs.list(`p2-views/${name}/`)) keys.push(key);
      return keys;
    };

    it("frees superseded documents and their views after the grace period, keeps current ones, and installs still work", async () => {
      const { name, customer, oldDoc, firstReference } = await supersededPackage();
      expect((await viewsOf(name)).length).toBeGreaterThan(0);
      const first = await collectGarbage(services(), RULES);
      expect(first.marked).toBeGreaterThan(0);
      expect(await exists(oldDoc)).toBe(true); // within the grace period
      harness.clock.now += 2 * HOUR;
      const freedBefore = await new GcMarks(services().db).freedBytes();
      const second = await collectGarbage(services(), RULES);
      expect(second.collected).toBeGreaterThan(0);
      expect(second.freedBytes).toBeGreaterThan(0);
      expect(await new GcMarks(services().db).freedBytes()).toBe(freedBefore + second.freedBytes);
      const page = new PageClient(harness.app);
      await page.login("admin", "admin-password");
      const dashboard = await page.get("/");
      expect(dashboard.body).toContain("freed by garbage collection");
      expect(await exists(oldDoc)).toBe(false);
      const current = await pointer(name);
      expect(await exists(current.tagsDocKey!)).toBe(true);
      expect(await exists(current.devDocKey!)).toBe(true);
      // The old document's views went with it.
      const oldHash = oldDoc.slice(oldDoc.lastIndexOf("/") + 1, -5);
      expect((await viewsOf(name)).filter((key) => key.includes(`/${oldHash}/`))).toEqual([]);
      // Both releases still install: the current document, and 1.0.0's archive (still a version).
      expect(await client.p2Versions(customer.username, customer.token, name)).toEqual(["1.1.0", "1.0.0"]);
      const zipball = await client.request(`/zipball/${name}/${firstReference}.zip`, { headers: basic(customer.username, customer.token) });
      expect(zipball.status).toBe(200);
      await zipball.arrayBuffer();
    });

    it("never collects a document a publish switches back to while a pass deletes it, and installs keep working meanwhile", async () => {
      const { name, customer, oldDoc } = await supersededPackage();
      await collectGarbage(services(), RULES);
      harness.clock.now += 2 * HOUR;
      // The pass below stops inside its blob deletion, after claiming the old document.
      let releaseDelete!: () => void;
      const deleteReached = new Promise<void>((reached) => {
        const gate = new Promise<void>((resolve) => (releaseDelete = resolve));
        const blobs = services().blobs;
        const pausedBlobs: BlobStore = {
          get: (key) => blobs.get(key),
          put: (key, data) => blobs.put(key, data),
          has: (key) => blobs.has(key),
          list: (prefix) => blobs.list(prefix),
          delete: async (keys) => {
            if (keys.includes(oldDoc)) {
              reached();
              await gate;
            }
            await blobs.delete(keys);
          },
        };
        void collectGarbage({ ...services(), blobs: pausedBlobs }, RULES).then((report) => expect(report.collected).toBeGreaterThan(0));
      });
      await deleteReached;
      // Meanwhile customers install the current release.
      expect(await client.p2Versions(customer.username, customer.token, name)).toEqual(["1.1.0", "1.0.0"]);
      // 1.1.0 is withdrawn: the package's documents become the old ones again, byte for byte.
      const pkg = await pointer(name);
      await services().db.batch([bumpVersionsRevision(services().db, pkg.id), services().db.orm.delete(versions).where(and(eq(versions.packageId, pkg.id), eq(versions.version, "1.1.0")))]);
      const publishing = rebuildDocuments(services(), pkg.id);
      await new Promise((resolve) => setTimeout(resolve, 150));
      releaseDelete();
      await publishing;
      expect((await pointer(name)).tagsDocKey).toBe(oldDoc);
      expect(await exists(oldDoc)).toBe(true);
      // Another isolate, with nothing cached, serves it.
      const fresh = new Client(harness.sibling());
      expect(await fresh.p2Versions(customer.username, customer.token, name)).toEqual(["1.0.0"]);
      expect(await fresh.p2Versions("admin", admin, name)).toEqual(["1.0.0"]);
    });

    it("leaves everything alone while a backup streams", async () => {
      const { oldDoc } = await supersededPackage();
      await collectGarbage(services(), RULES);
      harness.clock.now += 2 * HOUR;
      const backup = await client.request("/api/backup", { headers: { authorization: `Bearer ${admin}` } });
      expect(backup.status).toBe(200);
      expect((await collectGarbage(services(), RULES)).skipped).toBe(true);
      expect(await exists(oldDoc)).toBe(true);
      await backup.arrayBuffer();
      expect((await collectGarbage(services(), RULES)).collected).toBeGreaterThan(0);
      expect(await exists(oldDoc)).toBe(false);
    });
  });
}
