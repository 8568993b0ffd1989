// Bad credentials under load (issue 12): a token the full check refused is refused again from
// memory (no HMAC, no DB read), yet unknown tokens still get 401 then 429, valid credentials pass
// even from a rate-limited address, a refused token that becomes valid is seen within the cache
// TTL (at once when the caches are dropped), and a flood of different tokens stays bounded.
import { beforeAll, describe, expect, it } from "vitest";
import { tokens } from "../../src/db/schema.ts";
import { MAX_REMEMBERED_TOKENS } from "../../src/auth/token-cache.ts";
import { apiTokenDigest, newApiToken } from "../../src/auth/token-format.ts";
import { PageClient } from "../support/page-client.ts";
import { Client } from "./client.ts";
import { dbUses } from "./db-uses.ts";
import { basic, bearer, json, TEST_CONFIG, unique, type Harness, type HarnessFactory } from "./harness.ts";

const FAILURES_BEFORE_429 = 30;
const base64url = (text: string) => btoa(text).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");

export function refusedTokensSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: refused tokens`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    let addresses = 0;
    // Each test fails from its own address, so no test inherits another's rate limit.
    const newAddress = () => `198.18.${(++addresses >> 8) & 255}.${addresses & 255}`;
    const send = (token: string, address: string, headers: Record<string, string> = bearer(token)) => client.request("/packages.json", { headers: { ...headers, "cf-connecting-ip": address } });
    const status = async (token: string, address = newAddress()) => (await send(token, address)).status;

    /** Counts JWT signature checks while `run` runs (the real check, counted). */
    async function signatureChecks(run: () => Promise<unknown>): Promise<number> {
      const jwt = harness.app.services.jwt;
      const real = jwt.verify;
      let checks = 0;
      jwt.verify = (...args) => (checks++, real.apply(jwt, args));
      try {
        await run();
      } finally {
        jwt.verify = real;
      }
      return checks;
    }

    /** What a restore, or another process, does: the token's row appears in the database. */
    async function recordToken(token: string): Promise<void> {
      const now = harness.clock.now;
      await harness.app.services.db.orm.insert(tokens).values({ jti: await apiTokenDigest(token), userId: 1, name: unique("appeared"), scopes: [], kind: "api", createdAt: now });
    }

    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    it("refuses an unknown well-formed token again without reading the database, 401 then 429", async () => {
      const unknown = newApiToken();
      const address = newAddress();
      expect(await dbUses(harness.app, async () => expect((await send(unknown, address)).status).toBe(401))).toBeGreaterThan(0);
      const statuses: number[] = [];
      const uses = await dbUses(harness.app, async () => {
        for (let i = 1; i <= FAILURES_BEFORE_429; i++) statuses.push((await send(unknown, address)).status);
      });
      expect(uses).toBe(0);
      expect(statuses.slice(0, FAILURES_BEFORE_429 - 1).every((code) => code === 401)).toBe(true);
      expect(statuses.at(-1)).toBe(429);
    });

    it("refuses a forged signature again without checking it", async () => {
      const kid = await harness.app.services.jwt.signingKid();
      const header = base64url(JSON.stringify({ alg: "HS256", kid, typ: "JWT" }));
      const payload = base64url(JSON.stringify({ sub: "1", jti: crypto.randomUUID(), iss: "satchel", knd: "api" }));
      const forged = `${header}.${payload}.${base64url("a signature nobody made")}`;
      const address = newAddress();
      expect(await signatureChecks(async () => expect(await status(forged, address)).toBe(401))).toBe(1);
      expect(await signatureChecks(async () => expect(await status(forged, address)).toBe(401))).toBe(0);
    });

    it("refuses a revoked token at once, then from memory, and still after the TTL", async () => {
      const { id, token } = await client.api<{ id: number; token: string }>(admin, "POST", "/api/tokens", { name: unique("revoked") });
      expect(await status(token)).toBe(200);
      await client.api(admin, "DELETE", `/api/tokens/${id}`);
      expect(await status(token)).toBe(401);
      expect(await dbUses(harness.app, async () => expect(await status(token)).toBe(401))).toBe(0);
      harness.clock.now += TEST_CONFIG.cacheTtlMs + 1;
      expect(await status(token)).toBe(401);
    });

    it("says an expired token expired, also when refusing it from memory", async () => {
      const expiresAt = new Date(harness.clock.now + 60_000).toISOString();
      const { token } = await client.api<{ token: string }>(admin, "POST", "/api/tokens", { name: unique("expiring"), expiresAt });
      expect(await status(token)).toBe(200);
      harness.clock.now += 120_000;
      const refusal = async () => {
        let answer: Response | undefined;
        const uses = await dbUses(harness.app, async () => (answer = await send(token, newAddress())));
        return { uses, status: answer!.status, body: await json<{ error: { code: string }; warning: string }>(answer!) };
      };
      const [first, again] = [await refusal(), await refusal()];
      expect(first.uses).toBeGreaterThan(0);
      expect(again.uses).toBe(0);
      for (const answer of [first, again]) {
        expect(answer.status).toBe(401);
        expect(answer.body.error.code).toBe("token_expired");
        expect(answer.body.warning).toMatch(/create a new token/i);
      }
    });

    it("sees a refused token that becomes valid within the cache TTL, and at once when the caches are dropped", async () => {
      const later = newApiToken();
      expect(await status(later)).toBe(401);
      await recordToken(later);
      harness.clock.now += TEST_CONFIG.cacheTtlMs + 1;
      expect(await status(later)).toBe(200);

      // Another process's write (or a restore) drops this process's caches: refusals go with them.
      const restored = newApiToken();
      expect(await status(restored)).toBe(401);
      await recordToken(restored);
      harness.app.services.forgetCached();
      expect(await status(restored)).toBe(200);
    });

    it("refuses a page session as API credentials without refusing it as the page's cookie", async () => {
      const page = new PageClient(harness.app);
      expect((await page.login(TEST_CONFIG.adminUser as string, TEST_CONFIG.adminPassword as string)).location).toBe("/");
      const session = page.cookie("satchel_session") ?? "";
      const address = newAddress();
      for (let i = 0; i < 2; i++) expect(await status(session, address)).toBe(401);
      expect((await page.get("/account")).status).toBe(200);
    });

    it("lets valid credentials through from a rate-limited address, remembered or not", async () => {
      const address = newAddress();
      const unknown = newApiToken();
      for (let i = 0; i <= FAILURES_BEFORE_429; i++) await send(unknown, address);
      expect((await send(unknown, address)).status).toBe(429);
      expect((await send(admin, address)).status).toBe(200);
      harness.app.services.tokenCache.clear();
      expect((await send(admin, address, basic("admin", admin))).status).toBe(200);
      const minted = await client.api<{ token: string }>(admin, "POST", "/api/tokens", { name: unique("fresh") });
      expect((await send(minted.token, address)).status).toBe(200);
      expect((await send(unknown, address)).status).toBe(429);
    });

    it("keeps a flood of different refused tokens bounded, and forgets them after the TTL", async () => {
      const address = newAddress();
      const header = base64url(JSON.stringify({ alg: "HS256" }));
      const forged = (i: number) => `${header}.${base64url(JSON.stringify({ sub: "1", jti: `flood-${i}` }))}.${base64url("no")}`;
      const flood = MAX_REMEMBERED_TOKENS + 200;
      for (let i = 0; i < flood; i += 100) {
        await Promise.all(Array.from({ length: 100 }, (_, j) => send(forged(i + j), address)));
      }
      expect(harness.app.services.tokenCache.stats().refused).toBe(MAX_REMEMBERED_TOKENS);
      // The newest are kept: the flood's last token is refused from memory.
      expect(await signatureChecks(() => send(forged(flood - 1), address))).toBe(0);
      expect((await send(admin, address)).status).toBe(200);
      harness.clock.now += TEST_CONFIG.cacheTtlMs + 1;
      await send(forged(flood), address);
      expect(harness.app.services.tokenCache.stats().refused).toBe(1);
    });
  });
}
