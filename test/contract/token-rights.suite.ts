// Issue 9's token and session rows, reproduced as the attack pass ran them: a narrowed token must
// not mint a wider one, sessions and API tokens never stand in for each other, a child token
// never outlives its parent, and revoking a token revokes everything it minted.
import { beforeAll, describe, expect, it } from "vitest";
import { PageClient } from "../support/page-client.ts";
import { Client } from "./client.ts";
import { bearer, json, TEST_CONFIG, type Harness, type HarnessFactory } from "./harness.ts";

interface Minted {
  id: number;
  name: string;
  token: string;
  scopes: string[];
  expiresAt: string | null;
}

const SESSION_COOKIE = "satchel_session";

// This suite expects many 401s on purpose; each request comes from its own address so the
// per-address limit on failed credentials (429) never answers in place of the 401 under test.
let addressCounter = 0;
function freshAddress(): Record<string, string> {
  addressCounter++;
  return { "cf-connecting-ip": `198.18.${(addressCounter >> 8) & 255}.${addressCounter & 255}` };
}

export function tokenRightsSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: token rights and session kinds`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    const mint = (token: string, body: Record<string, unknown>) =>
      client.request("/api/tokens", { method: "POST", headers: { ...bearer(token), ...freshAddress(), "content-type": "application/json" }, body: JSON.stringify({ name: "child", ...body }) });
    const status = async (token: string, path: string) => (await client.request(path, { headers: { ...bearer(token), ...freshAddress() } })).status;
    const signIn = async () => {
      const page = new PageClient(harness.app);
      expect((await page.login(TEST_CONFIG.adminUser as string, TEST_CONFIG.adminPassword as string)).location).toBe("/");
      return page;
    };
    const adminTokenIds = async () => (await client.api<{ tokens: { id: number }[] }>(admin, "GET", "/api/tokens")).tokens.map((token) => token.id);

    it('keeps a ["tokens"] token from minting a wider one with "scopes": [] or no scopes', async () => {
      const narrowed = await client.api<Minted>(admin, "POST", "/api/tokens", { name: "narrowed", scopes: ["tokens"] });
      for (const body of [{ scopes: [] }, {}, { scopes: null }]) {
        const response = await mint(narrowed.token, body);
        expect(response.status).toBe(201);
        const child = await json<Minted>(response);
        expect(child.scopes).toEqual(["tokens"]);
        expect(await status(child.token, "/api/users")).toBe(403);
        expect(await status(child.token, "/packages.json")).toBe(403);
        // And its own child, minted the same way, is no wider either.
        const grandchild = await json<Minted>(await mint(child.token, { scopes: [] }));
        expect(await status(grandchild.token, "/api/users")).toBe(403);
      }
      const wider = await mint(narrowed.token, { scopes: ["metadata:read"] });
      expect(wider.status).toBe(400);
      expect((await json<{ error: { code: string } }>(wider)).error.code).toBe("invalid_scopes");
    });

    it("still gives a password-minted token without scopes its owner's full rights", async () => {
      const full = await client.passwordToken(TEST_CONFIG.adminUser as string, TEST_CONFIG.adminPassword as string, { scopes: [] });
      expect(await status(full, "/api/users")).toBe(200);
      const child = await json<Minted>(await mint(full, {}));
      expect(child.scopes.sort()).toEqual(["admin", "metadata:read", "packages:write", "tokens"]);
      expect(await status(child.token, "/api/users")).toBe(200);
    });

    it("opens no page for an API token set as the session cookie, and mints nothing through it", async () => {
      const leaked = await client.api<Minted>(admin, "POST", "/api/tokens", { name: "leaked", scopes: ["metadata:read"] });
      const attacker = new PageClient(harness.app);
      attacker.setCookie(SESSION_COOKIE, leaked.token);
      const form = await attacker.get("/account/tokens");
      expect([form.status, form.location]).toEqual([302, "/login"]);
      const before = await adminTokenIds();
      // Even with a CSRF token copied from a real page, the form refuses the cookie.
      const real = await signIn();
      await real.get("/account/tokens");
      const attempt = await attacker.post("/account/tokens", { name: "persist" }, { csrf: real.csrf() });
      expect([attempt.status, attempt.location]).toEqual([303, "/login"]);
      expect(await adminTokenIds()).toEqual(before);
      expect((await attacker.get("/admin/users")).location).toBe("/login");
      expect((await attacker.get("/account/2fa")).location).toBe("/login");
    });

    it("refuses a page session as API credentials: 401 as Bearer and as http-basic", async () => {
      const page = await signIn();
      const session = page.cookie(SESSION_COOKIE) ?? "";
      expect(session).toMatch(/^ey/);
      expect((await page.get("/account/tokens")).status).toBe(200);
      for (const path of ["/api/tokens", "/packages.json", "/api/users"]) expect(await status(session, path)).toBe(401);
      const basic = await client.request("/api/tokens", { headers: { authorization: `Basic ${btoa(`admin:${session}`)}` } });
      expect(basic.status).toBe(401);
      // Served from the token cache or not, the answer is the same: the page still works, the API still refuses.
      expect((await page.get("/account")).status).toBe(200);
      expect(await status(session, "/api/tokens")).toBe(401);
    });

    it("keeps page sessions out of the API's token list and revocation, and lists every API token on the page", async () => {
      const page = await signIn();
      const sessions = await harness.app.services.db.orm.query.tokens.findMany({ where: (row, { eq }) => eq(row.kind, "session") });
      expect(sessions.length).toBeGreaterThan(0);
      const listed = await adminTokenIds();
      for (const session of sessions) {
        expect(listed).not.toContain(session.id);
        expect((await client.request(`/api/tokens/${session.id}`, { method: "DELETE", headers: bearer(admin) })).status).toBe(404);
      }
      expect((await page.get("/account")).status).toBe(200);
      // A name cannot hide an API token from the pages.
      await client.api(admin, "POST", "/api/tokens", { name: "browser session", scopes: ["metadata:read"] });
      expect((await page.get("/account/tokens")).body).toContain("browser session");
    });

    it("gives a child of a 5-minute token at most the parent's lifetime", async () => {
      const parentExpiry = harness.clock.now + 5 * 60_000;
      const parent = await client.api<Minted>(admin, "POST", "/api/tokens", { name: "short-lived", scopes: ["tokens", "metadata:read"], expiresAt: new Date(parentExpiry).toISOString() });
      const implicit = await json<Minted>(await mint(parent.token, {}));
      expect(implicit.expiresAt).toBe(parent.expiresAt);
      const explicitNull = await json<Minted>(await mint(parent.token, { expiresAt: null }));
      expect(explicitNull.expiresAt).toBe(parent.expiresAt);
      const earlier = await json<Minted>(await mint(parent.token, { expiresAt: new Date(parentExpiry - 60_000).toISOString() }));
      expect(Date.parse(earlier.expiresAt ?? "")).toBe(parentExpiry - 60_000);
      const later = await mint(parent.token, { expiresAt: new Date(parentExpiry + 86_400_000).toISOString() });
      expect(later.status).toBe(400);
      expect((await json<{ error: { message: string } }>(later)).error.message).toMatch(/later than/);
      harness.clock.now = parentExpiry + 1;
      expect(await status(implicit.token, "/packages.json")).toBe(401);
    });

    it("lets a signed-in user mint a token that outlives the session and survives sign-out", async () => {
      const page = await signIn();
      await page.get("/account/tokens");
      const created = await page.post("/account/tokens", { name: "laptop" });
      const token = /<pre id="new-token"[^>]*>([^<]+)<\/pre>/.exec(created.body)?.[1] ?? "";
      expect(token).toMatch(/^satchel_/);
      const listed = await client.api<{ tokens: Minted[] }>(admin, "GET", "/api/tokens");
      expect(listed.tokens.find((entry) => entry.name === "laptop")?.expiresAt).toBeNull();
      await page.get("/account");
      await page.post("/logout", {});
      expect(await status(token, "/api/users")).toBe(200);
    });

    it("revokes every token a token minted, transitively, at once", async () => {
      const root = await client.api<Minted>(admin, "POST", "/api/tokens", { name: "root", scopes: ["tokens", "metadata:read"] });
      const child = await json<Minted>(await mint(root.token, {}));
      const grandchild = await json<Minted>(await mint(child.token, { scopes: ["metadata:read", "tokens"] }));
      const leaf = await json<Minted>(await mint(grandchild.token, { scopes: ["metadata:read"] }));
      const sibling = await client.api<Minted>(admin, "POST", "/api/tokens", { name: "unrelated", scopes: ["metadata:read"] });
      for (const token of [child, grandchild, leaf]) expect(await status(token.token, "/packages.json")).toBe(200);
      // Revoked by the leaked token's own child: the whole family goes, from the root down.
      expect((await client.request(`/api/tokens/${root.id}`, { method: "DELETE", headers: bearer(grandchild.token) })).status).toBe(204);
      for (const token of [root, child, grandchild, leaf]) expect(await status(token.token, "/packages.json")).toBe(401);
      expect(await status(sibling.token, "/packages.json")).toBe(200);
      const remaining = await adminTokenIds();
      for (const token of [root, child, grandchild, leaf]) expect(remaining).not.toContain(token.id);
    });

    it("does not let a token mint once its parent is revoked elsewhere, even while this process still trusts it", async () => {
      const parent = await client.api<Minted>(admin, "POST", "/api/tokens", { name: "revoked-elsewhere", scopes: ["tokens", "metadata:read"] });
      expect(await status(parent.token, "/api/tokens")).toBe(200); // now cached in this process
      const other = new Client(harness.sibling());
      await other.api(admin, "DELETE", `/api/tokens/${parent.id}`);
      const response = await mint(parent.token, { name: "late-child" });
      expect(response.status).toBe(401);
      const rows = await harness.app.services.db.orm.query.tokens.findMany({ where: (row, { eq }) => eq(row.parentId, parent.id) });
      expect(rows).toEqual([]);
    });

    it("leaves no child alive when minting races the parent's revocation", async () => {
      for (let round = 0; round < 5; round++) {
        const parent = await client.api<Minted>(admin, "POST", "/api/tokens", { name: `racing-${round}`, scopes: ["tokens", "metadata:read"] });
        expect(await status(parent.token, "/api/tokens")).toBe(200); // cached: minting starts without a DB read
        const mints = Array.from({ length: 6 }, () => mint(parent.token, {}));
        const revoke = client.request(`/api/tokens/${parent.id}`, { method: "DELETE", headers: bearer(admin) });
        const children = await Promise.all(mints);
        expect((await revoke).status).toBe(204);
        for (const response of children) {
          expect([201, 401]).toContain(response.status);
          if (response.status === 201) expect(await status((await json<Minted>(response)).token, "/packages.json")).toBe(401);
        }
        const alive = await harness.app.services.db.orm.query.tokens.findMany({ where: (row, { and, eq, isNull }) => and(eq(row.parentId, parent.id), isNull(row.revokedAt)) });
        expect(alive).toEqual([]);
      }
    });
  });
}
