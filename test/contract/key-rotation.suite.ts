// Key rotation on both runtimes: a new JWT_SECRET signs page sessions, the old one
// (JWT_PREVIOUS_SECRETS) still verifies the sessions it signed, GET /api/keys says which keys hold
// live ones, and dropping the old key ends them; API tokens (opaque, satchel_...) depend on no
// JWT key. A new ENCRYPTION_KEY re-seals stored secrets.
import { decodeProtectedHeader } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { jwtKid } from "../../src/auth/jwt.ts";
import type { JwtKeyUsage } from "../../src/auth/key-usage-store.ts";
import type { AppConfig } from "../../src/config.ts";
import { eq } from "drizzle-orm";
import { reencryptSecrets, type ReencryptReport } from "../../src/credentials/sealed-secret-store.ts";
import { encryptionKeyId, SecretBox } from "../../src/credentials/secret-box.ts";
import { credentials } from "../../src/db/schema.ts";
import { PageClient } from "../support/page-client.ts";
import { Client } from "./client.ts";
import { TEST_CONFIG, unique, type Harness, type HarnessFactory } from "./harness.ts";

const NEW_SECRET = "rotated-jwt-secret-0123456789";

export function keyRotationSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: JWT key rotation`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;

    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    /** Another app over the same storage, with other keys (another deploy after a rotation). */
    const appWithApp = (keys: Partial<AppConfig>) => {
      const { db, blobs, config } = harness.app.services;
      return createApp({ db, blobs, config: { ...config, ...keys }, now: () => harness.clock.now });
    };
    const appWith = (keys: Partial<AppConfig>) => new Client(appWithApp(keys));
    const works = async (target: Client, token: string) => (await target.request("/api/tokens", { headers: { authorization: `Bearer ${token}` } })).status;
    const keysOf = async (target: Client, token: string) => (await target.api<{ jwt: JwtKeyUsage[] }>(token, "GET", "/api/keys")).jwt;

    it("signs page sessions with the new key, verifies the old key's sessions, says which keys hold live ones; API tokens need no JWT key", async () => {
      const oldKid = await jwtKid(TEST_CONFIG.jwtSecret);
      const newKid = await jwtKid(NEW_SECRET);
      const apiToken = (await client.customer(admin)).token;
      expect(apiToken).toMatch(/^satchel_/);
      // A page session is a JWT signed with the current key.
      const pages = new PageClient(harness.app);
      expect((await pages.login("admin", TEST_CONFIG.adminPassword!)).status).toBe(303);
      const session = pages.cookie("satchel_session")!;
      expect(decodeProtectedHeader(session).kid).toBe(oldKid);

      const rotatedApp = appWithApp({ jwtSecret: NEW_SECRET, jwtPreviousSecrets: [TEST_CONFIG.jwtSecret] });
      const rotated = new Client(rotatedApp);
      const stillSignedIn = new PageClient(rotatedApp);
      stillSignedIn.setCookie("satchel_session", session);
      expect((await stillSignedIn.get("/account")).status).toBe(200);
      const newPages = new PageClient(rotatedApp);
      expect((await newPages.login("admin", TEST_CONFIG.adminPassword!)).status).toBe(303);
      const newSession = newPages.cookie("satchel_session")!;
      expect(decodeProtectedHeader(newSession).kid).toBe(newKid);
      // Before the rotation reached it, an instance does not know the new key.
      const stale = new PageClient(harness.app);
      stale.setCookie("satchel_session", newSession);
      expect((await stale.get("/account")).status).toBe(302);

      const rotatedAdmin = await rotated.adminToken();
      const keys = await keysOf(rotated, rotatedAdmin);
      expect(keys.map((key) => [key.kid, key.use])).toEqual(expect.arrayContaining([[newKid, "signing"], [oldKid, "verify-only"]]));
      expect(keys.find((key) => key.kid === oldKid)!.liveTokens).toBeGreaterThanOrEqual(1);
      expect(keys.find((key) => key.kid === newKid)!.liveTokens).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(await rotated.api(rotatedAdmin, "GET", "/api/keys"))).not.toContain(NEW_SECRET);

      // With the old key dropped, its sessions end; the new ones and every API token go on.
      const droppedApp = appWithApp({ jwtSecret: NEW_SECRET, jwtPreviousSecrets: [] });
      const oldOnDropped = new PageClient(droppedApp);
      oldOnDropped.setCookie("satchel_session", session);
      expect((await oldOnDropped.get("/account")).status).toBe(302);
      const newOnDropped = new PageClient(droppedApp);
      newOnDropped.setCookie("satchel_session", newSession);
      expect((await newOnDropped.get("/account")).status).toBe(200);
      expect(await works(new Client(droppedApp), apiToken)).toBe(200);
      expect(await works(new Client(droppedApp), rotatedAdmin)).toBe(200);
    });

    it("re-encrypts stored secrets under a new ENCRYPTION_KEY in resumable batches, after which the old key can go", async () => {
      const NEW_KEY = "rotated-encryption-key-0123456789";
      const secret = `ghp_${unique("secret")}`;
      const credential = await client.api<{ id: number }>(admin, "POST", "/api/credentials", { name: unique("cred"), kind: "github-token", secret });
      const sealed = async () => (await harness.app.services.db.orm.select().from(credentials).where(eq(credentials.id, credential.id)).get())!.secretEnc;
      const rotatedConfig = { ...harness.app.services.config, encryptionKey: NEW_KEY, encryptionPreviousKeys: [TEST_CONFIG.encryptionKey] };
      const rotated = appWith(rotatedConfig);
      const rotatedAdmin = await rotated.adminToken();
      type Encryption = { keyId: string; previousKeyIds: string[]; sealedUnderOtherKeys: number };
      const before = (await rotated.api<{ encryption: Encryption }>(rotatedAdmin, "GET", "/api/keys")).encryption;
      expect(before.keyId).toBe(await encryptionKeyId(NEW_KEY));
      expect(before.previousKeyIds).toEqual([await encryptionKeyId(TEST_CONFIG.encryptionKey)]);
      expect(before.sealedUnderOtherKeys).toBeGreaterThanOrEqual(1);
      // Until re-encrypted, the old key still opens it through the rotated configuration.
      expect(await new SecretBox(rotatedConfig).open(await sealed())).toBe(secret);
      try {
        // One value at a time: each batch leaves one fewer, so an interrupted job resumes where it was.
        const first = await reencryptSecrets({ db: harness.app.services.db, config: rotatedConfig }, 1);
        expect(first.reencrypted + first.unreadable).toBe(1);
        expect(first.remaining).toBe(before.sealedUnderOtherKeys - first.reencrypted);
        let report = first;
        while (report.remaining > report.unreadable) report = await rotated.api<ReencryptReport>(rotatedAdmin, "POST", "/api/keys/reencrypt");
        expect(await sealed()).toMatch(new RegExp(`^v2\\.${await encryptionKeyId(NEW_KEY)}\\.`));
        // The new key alone opens it now: the old one can be dropped.
        expect(await new SecretBox(NEW_KEY).open(await sealed())).toBe(secret);
        await expect(new SecretBox(TEST_CONFIG.encryptionKey).open(await sealed())).rejects.toThrow(/ENCRYPTION_PREVIOUS_KEYS/);
      } finally {
        // Back to the suite's key, so later suites over this database find their secrets.
        const back = { db: harness.app.services.db, config: { ...rotatedConfig, encryptionKey: TEST_CONFIG.encryptionKey, encryptionPreviousKeys: [NEW_KEY] } };
        for (let report = await reencryptSecrets(back, 10_000); report.remaining > report.unreadable; report = await reencryptSecrets(back, 10_000));
      }
    });

    it("shows the keys in use on the dashboard, and GET /api/keys to admins only", async () => {
      const page = new PageClient(harness.app);
      await page.login("admin", "admin-password");
      const dashboard = (await page.get("/")).body;
      expect(dashboard).toContain("Keys in use");
      expect(dashboard).toContain(await jwtKid(TEST_CONFIG.jwtSecret));
      expect(dashboard).toContain(await encryptionKeyId(TEST_CONFIG.encryptionKey));
      expect(dashboard).not.toContain(TEST_CONFIG.encryptionKey);
      const customer = await client.customer(admin);
      expect((await client.request("/api/keys", { headers: { authorization: `Bearer ${customer.token}` } })).status).toBe(403);
      expect((await client.request("/api/keys")).status).toBe(401);
    });
  });
}
