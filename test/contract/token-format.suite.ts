// API tokens that secret scanners find: `satchel_` + 32 base62 + a 6-character CRC-32. A typo
// fails on its checksum before any DB read; the DB keeps only a digest; API tokens issued as
// JWTs before this format keep working.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { tokens } from "../../src/db/schema.ts";
import { Client } from "./client.ts";
import { dbUses as countDbUses } from "./db-uses.ts";
import { basic, bearer, json, unique, type Harness, type HarnessFactory } from "./harness.ts";

const SCANNER_PATTERN = /^satchel_[0-9A-Za-z]{38}$/;

export function tokenFormatSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: token format`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    let addresses = 0;
    const from = () => ({ "cf-connecting-ip": `198.16.${(++addresses >> 8) & 255}.${addresses & 255}` });
    const status = async (token: string, path = "/packages.json") => (await client.request(path, { headers: { ...from(), ...bearer(token) } })).status;

    const dbUses = (run: () => Promise<unknown>) => countDbUses(harness.app, run);

    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    it("issues every API token in the scanner-findable format, and stores only a digest", async () => {
      const minted = await client.api<{ id: number; token: string }>(admin, "POST", "/api/tokens", { name: unique("fmt") });
      expect(admin).toMatch(SCANNER_PATTERN);
      expect(minted.token).toMatch(SCANNER_PATTERN);
      const account = await client.api<{ id: number }>(admin, "POST", "/api/service-accounts", { username: unique("fmt-sa") });
      expect((await client.api<{ token: string }>(admin, "POST", `/api/service-accounts/${account.id}/tokens`, { name: "ci" })).token).toMatch(SCANNER_PATTERN);
      const row = await harness.app.services.db.orm.select().from(tokens).where(eq(tokens.id, minted.id)).get();
      expect(row?.jti).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(JSON.stringify(row)).not.toContain(minted.token.slice(8));
      expect(await status(minted.token)).toBe(200);
      const username = "admin";
      expect((await client.request("/packages.json", { headers: basic(username, minted.token) })).status).toBe(200);
    });

    it("refuses a mistyped token on its checksum, without reading the database", async () => {
      const { token } = await client.api<{ token: string }>(admin, "POST", "/api/tokens", { name: unique("typo") });
      const typos = [
        token.slice(0, 20) + (token[20] === "a" ? "b" : "a") + token.slice(21),
        token.slice(0, -1) + (token.at(-1) === "0" ? "1" : "0"),
        token.slice(0, 12) + token[13] + token[12] + token.slice(14),
      ].filter((typo) => typo !== token);
      for (const typo of typos) {
        let answer = 0;
        expect(await dbUses(async () => (answer = await status(typo)))).toBe(0);
        expect(answer).toBe(401);
      }
      // The counter does count: the real token, cold, reads its row.
      harness.app.services.tokenCache.clear();
      expect(await dbUses(async () => expect(await status(token)).toBe(200))).toBeGreaterThan(0);
    });

    it("keeps API tokens issued as JWTs working, and revocable", async () => {
      const services = harness.app.services;
      const jti = crypto.randomUUID();
      const [row] = await services.db.orm.insert(tokens).values({ jti, userId: 1, name: "from before satchel_", scopes: [], kind: "api", createdAt: harness.clock.now }).returning();
      const legacy = await services.jwt.sign({ userId: 1, jti, kind: "api", scopes: [], expiresAt: null }, harness.clock.now);
      expect(legacy).toMatch(/^ey/);
      expect(await status(legacy)).toBe(200);
      expect(await status(legacy, "/api/users")).toBe(200);
      expect((await client.request(`/api/tokens/${row?.id}`, { method: "DELETE", headers: bearer(admin) })).status).toBe(204);
      expect(await status(legacy)).toBe(401);
    });

    it("refuses garbage in the token's place: wrong prefix, wrong length, wrong alphabet", async () => {
      const { token } = await json<{ token: string }>(await client.request("/api/tokens", { method: "POST", headers: bearer(admin), body: JSON.stringify({ name: unique("g") }) }));
      for (const bad of [token.replace("satchel_", "satchel-"), token.replace("satchel_", "SATCHEL_"), `${token}0`, token.slice(0, -1), `${token.slice(0, -2)}_-`, "satchel_"]) {
        expect(await status(bad), bad).toBe(401);
      }
    });
  });
}
