// POST /api/restore into fresh instances (each node harness is a new libSQL file and folder):
// the round trip, and every way an archive or the storage can fail, leaving the instance empty.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { tokens } from "../../src/db/schema.ts";
import type { BlobStore, Database } from "../../src/ports.ts";
import type { ReadFrame } from "../../src/backup/archive-format.ts";
import { CURRENT_SCHEMA } from "../../src/backup/schema-version.ts";
import { archiveFrames, archivedRows, buildArchive } from "../contract/backup-archive.ts";
import { Client } from "../contract/client.ts";
import { basic, bearer, TEST_CONFIG, type Harness } from "../contract/harness.ts";
import { nodeHarness } from "./node-harness.ts";

const NAME = "acme/restored";

interface Source {
  archive: Uint8Array;
  customer: { username: string; token: string };
  reference: string;
}

async function sourceWithCustomer(): Promise<Source> {
  const harness = await nodeHarness();
  const client = new Client(harness.app);
  const admin = await client.adminToken();
  const { reference } = await client.uploadOk(admin, NAME, "1.0.0");
  await client.uploadOk(admin, "acme/hidden", "1.0.0");
  const group = await client.group(admin, [{ name: NAME }]);
  const customer = await client.customer(admin, { groups: [group] });
  const response = await client.request("/api/backup", { headers: bearer(admin) });
  expect(response.status).toBe(200);
  return { archive: new Uint8Array(await response.arrayBuffer()), customer, reference };
}

const restore = (client: Client, token: string, body: Uint8Array) =>
  client.request("/api/restore", { method: "POST", headers: { ...bearer(token), "content-type": "application/octet-stream" }, body });

async function blobKeys(blobs: BlobStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const { key } of blobs.list("")) keys.push(key);
  return keys.sort();
}

async function expectEmpty(target: Harness, adminToken: string) {
  const client = new Client(target.app);
  const listing = await client.api<{ packages: unknown[] }>(adminToken, "GET", "/api/packages");
  expect(listing.packages).toEqual([]);
  expect(await blobKeys(target.app.services.blobs)).toEqual([]);
  const users = await target.app.services.db.orm.get<{ n: number }>(sql`select count(*) as n from users`);
  expect(Number(users.n)).toBe(1);
}

/** A target whose blob store or database fails on the nth call, over the target's real storage. */
function faultyTarget(target: Harness, faults: { failBlobPut?: number; failBatch?: boolean }) {
  const { db, blobs, config, now } = target.app.services;
  let puts = 0;
  const faultyBlobs: BlobStore = {
    ...blobs,
    get: (key) => blobs.get(key),
    has: (key) => blobs.has(key),
    delete: (keys) => blobs.delete(keys),
    list: (prefix) => blobs.list(prefix),
    put: (key, data) => (++puts === faults.failBlobPut ? Promise.reject(new Error("injected: blob store unavailable")) : blobs.put(key, data)),
  };
  const faultyDb: Database = {
    orm: db.orm,
    meter: db.meter,
    batch: (statements) => (faults.failBatch && statements.length > 20 ? Promise.reject(new Error("injected: database unavailable")) : db.batch(statements)),
  };
  return new Client(createApp({ db: faultyDb, blobs: faultyBlobs, config, now, log: { info() {}, warn() {}, error() {} } }));
}

describe("node: restore into an empty instance", () => {
  let source: Source;
  let frames: ReadFrame[];

  beforeAll(async () => {
    source = await sourceWithCustomer();
    frames = await archiveFrames(source.archive);
  });

  const freshTarget = async () => {
    const target = await nodeHarness();
    const client = new Client(target.app);
    return { target, client, admin: await client.adminToken() };
  };

  it("brings back packages, blobs, users and tokens: the customer's token installs, the bootstrap admin is replaced", async () => {
    const { client, admin } = await freshTarget();
    const { username, token } = source.customer;
    // A CI job that tried the customer's token before the restore was refused; the refusal is not remembered past it.
    expect((await client.request(`/p2/${NAME}.json`, { headers: basic(username, token) })).status).toBe(401);
    const response = await restore(client, admin, source.archive);
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toMatchObject({ restored: { blobs: expect.any(Number) }, schema: { archive: CURRENT_SCHEMA } });
    expect(await client.p2Versions(username, token, NAME)).toEqual(["1.0.0"]);
    expect(await client.p2Versions(username, token, "acme/hidden")).toBe(404);
    const zipball = await client.request(`/zipball/${NAME}/${source.reference}.zip`, { headers: basic(username, token) });
    expect(zipball.status).toBe(200);
    expect(zipball.headers.get("content-type")).toBe("application/zip");
    // The first start's admin and its token are gone; the backup's admin signs in instead.
    expect((await client.request("/api/packages", { headers: bearer(admin) })).status).toBe(401);
    const restoredAdmin = await client.adminToken();
    expect((await client.api<{ packages: unknown[] }>(restoredAdmin, "GET", "/api/packages")).packages).toHaveLength(2);
    // Restored once, the instance is no longer empty.
    expect((await restore(client, restoredAdmin, source.archive)).status).toBe(409);
  });

  it("refuses a truncated archive whole: 422, and nothing is written", async () => {
    const { target, client, admin } = await freshTarget();
    const cut = source.archive.slice(0, source.archive.length - 40);
    const response = await restore(client, admin, cut);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_archive", message: expect.stringMatching(/truncated/) } });
    await expectEmpty(target, admin);
  });

  it("refuses an archive with a changed blob byte or a recomputed blob checksum: 422, nothing written", async () => {
    const { target, client, admin } = await freshTarget();
    const blob = frames.find((frame) => frame.type === "blob" && frame.key.startsWith("dist/"));
    if (blob?.type !== "blob") throw new Error("the source backup has no dist blob");
    const start = indexOfBytes(source.archive, blob.bytes);
    const flipped = source.archive.slice();
    flipped[start + 10] = flipped[start + 10]! ^ 0xff;
    expect((await restore(client, admin, flipped)).status).toBe(422);
    await expectEmpty(target, admin);
    // Editing the rows and recomputing every checksum but the MAC, which needs the key.
    const edited = await buildArchive(frames, { keys: { jwtSecret: TEST_CONFIG.jwtSecret, encryptionKey: "an-attacker-guess-0123456789" } });
    const response = await restore(client, admin, edited);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: { message: expect.stringMatching(/ENCRYPTION_KEY/) } });
    await expectEmpty(target, admin);
  });

  it("refuses an archive made under another JWT_SECRET, whose tokens would stop working", async () => {
    const { target, client, admin } = await freshTarget();
    const other = await buildArchive(frames, { keys: { jwtSecret: "another-jwt-secret-0123456789", encryptionKey: TEST_CONFIG.encryptionKey } });
    const response = await restore(client, admin, other);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: { message: expect.stringMatching(/JWT_SECRET/) } });
    await expectEmpty(target, admin);
  });

  it("leaves the instance empty when the blob store fails midway", async () => {
    const { target, admin } = await freshTarget();
    const faulty = faultyTarget(target, { failBlobPut: 3 });
    const response = await restore(faulty, admin, source.archive);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
    // The answer names the request id its error log line carries.
    expect(response.headers.get("x-request-id")).toMatch(/^[a-z0-9]+-[a-z0-9]+$/);
    await expectEmpty(target, admin);
  });

  it("leaves the instance empty when the database fails at the end, taking back the blobs", async () => {
    const { target, admin } = await freshTarget();
    const faulty = faultyTarget(target, { failBatch: true });
    const response = await restore(faulty, admin, source.archive);
    expect(response.status).toBe(503);
    await expectEmpty(target, admin);
    // The same archive then restores whole through the healthy app.
    expect((await restore(new Client(target.app), admin, source.archive)).status).toBe(200);
  });

  it("lets one of two simultaneous restores through; the other gets 429 or 409", async () => {
    const { client, admin } = await freshTarget();
    const statuses = (await Promise.all([restore(client, admin, source.archive), restore(client, admin, source.archive)])).map((response) => response.status).sort();
    expect(statuses[0]).toBe(200);
    expect([409, 429]).toContain(statuses[1]);
  });

  it("applies the later migrations to an archive from an older schema (0005: no token kinds)", async () => {
    const { target, client, admin } = await freshTarget();
    const sessionJti = "jti-from-an-old-browser-session";
    const old = frames.map((frame): ReadFrame => {
      if (frame.type !== "rows" || frame.table !== "tokens") return frame;
      const keep = frame.columns.map((column, i) => [column, i] as const).filter(([column]) => column !== "kind" && column !== "parent_id");
      const rows = frame.rows.map((row) => keep.map(([, i]) => row[i]));
      const session = keep.map(([column]) => ({ id: 9999, jti: sessionJti, user_id: 1, name: "browser session", scopes: "[]", created_at: 0 })[column as "id"] ?? null);
      return { ...frame, columns: keep.map(([column]) => column), rows: [...rows, session] };
    });
    const response = await restore(client, admin, await buildArchive(old, { schema: "0005_package_readme" }));
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toMatchObject({ schema: { archive: "0005_package_readme", current: CURRENT_SCHEMA } });
    const kinds = await target.app.services.db.orm.select({ jti: tokens.jti, kind: tokens.kind }).from(tokens).all();
    expect(kinds.find((row) => row.jti === sessionJti)?.kind).toBe("session");
    expect(kinds.filter((row) => row.jti !== sessionJti).every((row) => row.kind === "api")).toBe(true);
    expect(await client.p2Versions(source.customer.username, source.customer.token, NAME)).toEqual(["1.0.0"]);
  });

  it("takes a consistent snapshot while uploads go on: every restored package installs whole", async () => {
    const busy = await nodeHarness();
    const client = new Client(busy.app);
    const admin = await client.adminToken();
    await client.uploadOk(admin, "acme/steady", "1.0.0");
    // Uploads racing the backup: each is in the snapshot with all its blobs, or not at all.
    const uploads = Array.from({ length: 6 }, (_, i) => client.uploadOk(admin, `acme/racing${i % 3}`, `1.${i}.0`));
    const response = await client.request("/api/backup", { headers: bearer(admin) });
    const archive = new Uint8Array(await response.arrayBuffer());
    await Promise.all(uploads);
    const { client: target, admin: targetAdmin } = await freshTarget();
    expect((await restore(target, targetAdmin, archive)).status).toBe(200);
    const restoredAdmin = await target.adminToken();
    const listing = await target.api<{ packages: { name: string }[] }>(restoredAdmin, "GET", "/api/packages");
    expect(listing.packages.map((row) => row.name)).toContain("acme/steady");
    for (const { name } of listing.packages) {
      const p2 = await target.request(`/p2/${name}.json`, { headers: bearer(restoredAdmin) });
      expect(p2.status, name).toBe(200);
      const versions = ((await p2.json()) as { packages: Record<string, { version?: string; dist?: { reference: string } }[]> }).packages[name] ?? [];
      expect(versions.length, name).toBeGreaterThan(0);
      for (const entry of versions) {
        if (!entry.dist) continue;
        const zipball = await target.request(`/zipball/${name}/${entry.dist.reference}.zip`, { headers: bearer(restoredAdmin) });
        expect(zipball.status, `${name} ${entry.version}`).toBe(200);
        await zipball.arrayBuffer();
      }
    }
  });

  it("refuses an archive from a newer schema than it knows", async () => {
    const { target, client, admin } = await freshTarget();
    const response = await restore(client, admin, await buildArchive(frames, { schema: "9999_future" }));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: { message: expect.stringMatching(/newer Satchel/) } });
    await expectEmpty(target, admin);
  });

  it("backs up what it restored: the same packages and users", async () => {
    const { client, admin } = await freshTarget();
    expect((await restore(client, admin, source.archive)).status).toBe(200);
    const again = await archiveFrames(new Uint8Array(await (await client.request("/api/backup", { headers: bearer(await client.adminToken()) })).arrayBuffer()));
    for (const table of ["packages", "versions", "users", "groups", "group_grants"]) {
      expect(archivedRows(again, table), table).toEqual(archivedRows(frames, table));
    }
  });
});

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error("needle not found");
}
