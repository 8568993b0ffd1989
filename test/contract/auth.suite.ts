// Credentials on Composer endpoints and the REST API: tokens as http-basic password or Bearer,
// never passwords; 401 JSON for everything wrong, rate-limited; revocation within the cache TTL.
import { beforeAll, describe, expect, it } from "vitest";
import { Client } from "./client.ts";
import { basic, bearer, json, TEST_CONFIG, type Harness, type HarnessFactory } from "./harness.ts";

export function authSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: authentication`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    it("answers /healthz", async () => {
      const response = await client.request("/healthz");
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: "ok" });
    });

    it("requires credentials on Composer endpoints, with a JSON body Composer can print", async () => {
      const response = await client.request("/packages.json");
      expect(response.status).toBe(401);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      const body = await json<{ error: { code: string }; warning: string }>(response);
      expect(body.error.code).toBe("unauthorized");
      expect(body.warning).toMatch(/token/);
    });

    it("accepts a token as http-basic password with its owner's username, and as Bearer", async () => {
      expect((await client.request("/packages.json", { headers: basic("admin", admin) })).status).toBe(200);
      expect((await client.request("/packages.json", { headers: basic("ADMIN", admin) })).status).toBe(200);
      expect((await client.request("/packages.json", { headers: bearer(admin) })).status).toBe(200);
    });

    it("refuses a password, another user's name, a forged signature and garbage with 401", async () => {
      const forged = admin.slice(0, -4) + (admin.endsWith("AAAA") ? "BBBB" : "AAAA");
      for (const headers of [
        basic("admin", TEST_CONFIG.adminPassword as string),
        basic("someone-else", admin),
        bearer(forged),
        bearer("not-a-token"),
        { authorization: "Basic %%%" },
        { authorization: "Digest abc" },
      ]) {
        const response = await client.request("/packages.json", { headers });
        expect(response.status).toBe(401);
        const body = await json<{ error: { message: string } }>(response);
        expect(body.error.message).not.toMatch(/signature|jwt|kid/i);
      }
    });

    it("lists every token the caller holds, those from /api/auth/token included, without the secret", async () => {
      const created = await client.api<{ id: number; token: string }>(admin, "POST", "/api/tokens", { name: "ci" });
      const listed = await client.api<{ tokens: Record<string, unknown>[] }>(admin, "GET", "/api/tokens");
      const names = listed.tokens.map((token) => token.name);
      expect(names).toContain("ci");
      expect(names.some((name) => String(name).startsWith("api token"))).toBe(true);
      expect(JSON.stringify(listed)).not.toContain(created.token);
      for (const token of listed.tokens) expect(Object.keys(token).sort()).toEqual(["createdAt", "expiresAt", "id", "lastUsedAt", "name", "scopes"]);
    });

    it("stops a revoked token at once in this process and within the cache TTL in another", async () => {
      const { id, token } = await client.api<{ id: number; token: string }>(admin, "POST", "/api/tokens", { name: "to-revoke" });
      const other = new Client(harness.sibling());
      expect((await other.request("/packages.json", { headers: bearer(token) })).status).toBe(200);
      await client.api(admin, "DELETE", `/api/tokens/${id}`);
      expect((await client.request("/packages.json", { headers: bearer(token) })).status).toBe(401);
      // The sibling verified the token moments ago; once its cache TTL passes it must refuse too.
      harness.clock.now += TEST_CONFIG.cacheTtlMs + 1;
      expect((await other.request("/packages.json", { headers: bearer(token) })).status).toBe(401);
    });

    it("revokes tokens consistently while requests are in flight", async () => {
      const issued = await Promise.all(
        Array.from({ length: 5 }, (_, i) => client.api<{ id: number; token: string }>(admin, "POST", "/api/tokens", { name: `burst-${i}` })),
      );
      const traffic = issued.flatMap(({ token }) => Array.from({ length: 4 }, () => client.request("/packages.json", { headers: bearer(token) })));
      const revocations = issued.map(({ id }) => client.api(admin, "DELETE", `/api/tokens/${id}`));
      const statuses = (await Promise.all(traffic)).map((response) => response.status);
      await Promise.all(revocations);
      // In flight: each request saw the token either valid or revoked, nothing in between.
      // (429 is a refusal too: this address has failed often in this suite.)
      expect(statuses.every((status) => [200, 401, 429].includes(status))).toBe(true);
      for (const { token } of issued) expect([401, 429]).toContain((await client.request("/packages.json", { headers: bearer(token) })).status);
      const listed = await client.api<{ tokens: { id: number }[] }>(admin, "GET", "/api/tokens");
      expect(listed.tokens.filter((token) => issued.some((entry) => entry.id === token.id))).toEqual([]);
    });

    it("refuses an expired token with a message saying so", async () => {
      const expiresAt = new Date(harness.clock.now + 60_000).toISOString();
      const { token } = await client.api<{ token: string }>(admin, "POST", "/api/tokens", { name: "short", expiresAt });
      expect((await client.request("/packages.json", { headers: bearer(token) })).status).toBe(200);
      harness.clock.now += 120_000;
      const response = await client.request("/packages.json", { headers: bearer(token) });
      expect(response.status).toBe(401);
      expect((await json<{ warning: string }>(response)).warning).toMatch(/expired/i);
    });

    it("keeps a token's rights within its scopes and never lets it mint wider ones", async () => {
      const { token } = await client.api<{ token: string }>(admin, "POST", "/api/tokens", { name: "read-only", scopes: ["metadata:read"] });
      expect((await client.request("/packages.json", { headers: bearer(token) })).status).toBe(200);
      expect((await client.request("/api/users", { headers: bearer(token) })).status).toBe(403);
      const narrow = await client.api<{ token: string }>(admin, "POST", "/api/tokens", { name: "tokens-only", scopes: ["tokens", "metadata:read"] });
      const minted = await client.request("/api/tokens", { method: "POST", headers: bearer(narrow.token), body: JSON.stringify({ name: "wider", scopes: ["admin"] }) });
      expect(minted.status).toBe(400);
      const implicit = await client.api<{ scopes: string[] }>(narrow.token, "POST", "/api/tokens", { name: "implicit" });
      expect(implicit.scopes.sort()).toEqual(["metadata:read", "tokens"]);
    });

    it("records a token's last use in a batch", async () => {
      const { id, token } = await client.api<{ id: number; token: string }>(admin, "POST", "/api/tokens", { name: "used" });
      await client.request("/packages.json", { headers: bearer(token) });
      await harness.app.services.flushPending();
      const listed = await client.api<{ tokens: { id: number; lastUsedAt: string | null }[] }>(admin, "GET", "/api/tokens");
      expect(listed.tokens.find((entry) => entry.id === id)?.lastUsedAt).not.toBeNull();
    });

    it("exchanges only a correct password for a token, and rate-limits guessing", async () => {
      const wrong = await client.request("/api/auth/token", { method: "POST", body: JSON.stringify({ username: "admin", password: "nope-nope" }) });
      expect(wrong.status).toBe(401);
      const unknown = await client.request("/api/auth/token", { method: "POST", body: JSON.stringify({ username: "ghost", password: "nope-nope" }) });
      expect(unknown.status).toBe(401);
      // The same answer whether or not the user exists.
      expect(await unknown.json()).toEqual(await wrong.json());
      let last = 0;
      for (let i = 0; i < 12; i++) {
        last = (await client.request("/api/auth/token", { method: "POST", body: JSON.stringify({ username: "limited", password: `guess-${i}` }) })).status;
      }
      expect(last).toBe(429);
    });

    it("rate-limits repeated bad credentials on the Composer endpoints", async () => {
      const fresh = await factory();
      const limited = new Client(fresh.app);
      let last = 0;
      for (let i = 0; i < 35; i++) last = (await limited.request("/packages.json", { headers: bearer(`bad.${i}.token`) })).status;
      expect(last).toBe(429);
      // The flood does not touch valid tokens from the same address.
      const valid = await limited.adminToken();
      expect((await limited.request("/packages.json", { headers: bearer(valid) })).status).toBe(200);
      expect((await limited.request("/packages.json", { headers: bearer("bad.again.token") })).status).toBe(429);
    });
  });
}
