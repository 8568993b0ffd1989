// GET /api/backup and what POST /api/restore refuses, on both runtimes (the restore itself
// needs an empty instance: test/node/backup-restore.test.ts and test/e2e/backup-across-runtimes).
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "../../src/db/schema.ts";
import { CURRENT_SCHEMA } from "../../src/backup/schema-version.ts";
import { keyFingerprints } from "../../src/backup/key-fingerprints.ts";
import { archiveFrames, archivedRows } from "./backup-archive.ts";
import { Client } from "./client.ts";
import { basic, bearer, TEST_CONFIG, unique, type Harness, type HarnessFactory } from "./harness.ts";

export function backupSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: backup`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    const name = `acme/${unique("backed")}`;
    let reference: string;

    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
      ({ reference } = await client.uploadOk(admin, name, "1.0.0"));
    });

    const backup = (token = admin) => client.request("/api/backup", { headers: bearer(token) });

    it("is for admins only", async () => {
      expect((await client.request("/api/backup")).status).toBe(401);
      const customer = await client.customer(admin);
      expect((await backup(customer.token)).status).toBe(403);
      const restore = await client.request("/api/restore", { method: "POST", headers: { ...bearer(customer.token), "content-type": "application/octet-stream" }, body: "x" });
      expect(restore.status).toBe(403);
    });

    it("streams every row and blob with checksums, naming the schema and the keys' fingerprints only", async () => {
      const response = await backup();
      expect(response.status).toBe(200);
      expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="satchel-\d{4}-\d\d-\d\d\.satchel-backup"$/);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const frames = await archiveFrames(bytes);
      // Taking a backup is in the audit log (it holds every row).
      const audited = await harness.app.services.db.orm.select().from(auditLog).where(eq(auditLog.action, "backup")).all();
      expect(audited.some((row) => row.actorName === "admin")).toBe(true);
      const header = frames[0]!;
      expect(header).toMatchObject({ type: "header", schema: CURRENT_SCHEMA, keys: await keyFingerprints(TEST_CONFIG) });
      const text = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false }).decode(bytes);
      expect(text).not.toContain(TEST_CONFIG.jwtSecret);
      expect(text).not.toContain(TEST_CONFIG.encryptionKey);
      expect(archivedRows(frames, "packages").some((row) => row.name === name)).toBe(true);
      expect(archivedRows(frames, "users").some((row) => row.username === "admin")).toBe(true);
      const dist = frames.find((frame) => frame.type === "blob" && frame.key === `dist/${name}/${reference}.zip`);
      const zipball = await client.request(`/zipball/${name}/${reference}.zip`, { headers: basic("admin", admin) });
      expect(dist?.type === "blob" && [...dist.bytes]).toEqual([...new Uint8Array(await zipball.arrayBuffer())]);
    });

    it("refuses a second backup with 429 while one streams, and takes one again after", async () => {
      const first = await backup();
      expect(first.status).toBe(200);
      const second = await backup();
      expect(second.status).toBe(429);
      expect(await second.json()).toMatchObject({ error: { code: "operation_running" } });
      await first.arrayBuffer();
      const third = await backup();
      expect(third.status).toBe(200);
      await third.arrayBuffer();
    });

    it("restores nothing into an instance that has packages: 409, and the data stays", async () => {
      const archive = new Uint8Array(await (await backup()).arrayBuffer());
      const response = await client.request("/api/restore", { method: "POST", headers: { ...bearer(admin), "content-type": "application/octet-stream" }, body: archive });
      expect(response.status).toBe(409);
      expect(await response.json()).toMatchObject({ error: { code: "not_empty" } });
      expect(await client.p2Versions("admin", admin, name)).toEqual(["1.0.0"]);
    });

    it("takes the archive only as a raw octet stream", async () => {
      const response = await client.request("/api/restore", { method: "POST", headers: { ...bearer(admin), "content-type": "multipart/form-data; boundary=x" }, body: "--x--" });
      expect(response.status).toBe(415);
    });
  });
}
