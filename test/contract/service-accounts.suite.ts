// Service accounts: non-person users that admins create, with tokens (listed, scoped, expiring,
// revocable) but no password, no pages and no second factor; audited as themselves.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/crypto/password.ts";
import { auditLog, users } from "../../src/db/schema.ts";
import { PageClient } from "../support/page-client.ts";
import { Client } from "./client.ts";
import { bearer, json, packageZip, TEST_CONFIG, unique, type Harness, type HarnessFactory } from "./harness.ts";

const DAY = 86_400_000;

export function serviceAccountsSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: service accounts`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    let addresses = 0;
    const from = () => ({ "cf-connecting-ip": `198.17.${(++addresses >> 8) & 255}.${addresses & 255}` });
    const send = (path: string, init: { method?: string; token?: string; body?: unknown } = {}) =>
      client.request(path, {
        method: init.method ?? "GET",
        headers: { ...from(), ...(init.token ? bearer(init.token) : {}), "content-type": "application/json" },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    const createAccount = (roles = ["ROLE_MAINTAINER"]) => client.api<{ id: number; username: string }>(admin, "POST", "/api/service-accounts", { username: unique("ci-deploy"), roles });
    const mint = (id: number, body: Record<string, unknown>) => client.api<{ id: number; token: string; scopes: string[]; expiresAt: string | null }>(admin, "POST", `/api/service-accounts/${id}/tokens`, body);

    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    it("gives an admin-made account scoped, expiring, listed tokens, and audits its work under its own name", async () => {
      const account = await createAccount();
      const users = await client.api<{ users: { id: number; kind: string }[] }>(admin, "GET", "/api/users");
      expect(users.users.find((user) => user.id === account.id)?.kind).toBe("service");
      const expiresAt = new Date(harness.clock.now + DAY).toISOString();
      const token = await mint(account.id, { name: "deploy", scopes: ["packages:write"], expiresAt });
      expect(token).toMatchObject({ scopes: ["packages:write"], expiresAt });
      const listed = await client.api<{ tokens: { id: number; name: string; scopes: string[]; expiresAt: string }[] }>(admin, "GET", `/api/service-accounts/${account.id}/tokens`);
      expect(listed.tokens).toEqual([expect.objectContaining({ id: token.id, name: "deploy", scopes: ["packages:write"], expiresAt })]);

      const name = `acme/${unique("sa")}`;
      expect((await client.upload(token.token, name, "1.0.0", packageZip({ name }))).status).toBe(201);
      // Scoped: packages:write only, so no Composer reads.
      expect((await send("/packages.json", { token: token.token })).status).toBe(403);
      // Read from the log itself: suites sharing a database write rows at other clocks.
      const audited = await harness.app.services.db.orm.select().from(auditLog).where(eq(auditLog.target, `/api/packages/upload/${name}/1.0.0`)).all();
      expect(audited.map((row) => [row.actorId, row.actorName])).toEqual([[account.id, account.username]]);

      // Expiring.
      harness.clock.now += DAY;
      expect((await client.upload(token.token, name, "1.0.1", packageZip({ name }))).status).toBe(401);
    });

    it("revokes an account's token, and every token when the account is deleted", async () => {
      const account = await createAccount(["ROLE_USER"]);
      const [first, second] = [await mint(account.id, { name: "one" }), await mint(account.id, { name: "two" })];
      expect((await send("/packages.json", { token: first.token })).status).toBe(200);
      expect((await send(`/api/service-accounts/${account.id}/tokens/${first.id}`, { method: "DELETE", token: admin })).status).toBe(204);
      expect((await send("/packages.json", { token: first.token })).status).toBe(401);
      expect((await send("/packages.json", { token: second.token })).status).toBe(200);
      expect((await send(`/api/service-accounts/${account.id}`, { method: "DELETE", token: admin })).status).toBe(204);
      expect((await send("/packages.json", { token: second.token })).status).toBe(401);
      expect((await send(`/api/service-accounts/${account.id}`, { token: admin })).status).toBe(404);
    });

    it("never has a password: no token for one, no page sign-in, even if a hash got into its row", async () => {
      const account = await createAccount();
      expect((await send(`/api/users/${account.id}`, { method: "PUT", token: admin, body: { password: "a-long-password" } })).status).toBe(400);
      expect((await send("/api/service-accounts", { method: "POST", token: admin, body: { username: unique("sa"), password: "a-long-password" } })).status).toBe(400);
      // Whatever lands in the row, a service account does not sign in with a password.
      await harness.app.services.db.orm.update(users).set({ passwordHash: await hashPassword("a-long-password") }).where(eq(users.id, account.id));
      const exchange = await send("/api/auth/token", { method: "POST", body: { username: account.username, password: "a-long-password" } });
      expect(exchange.status).toBe(401);
      const page = new PageClient(harness.app, undefined, from());
      expect((await page.login(account.username, "a-long-password")).status).toBe(401);
      expect((await page.get("/")).location).toContain("/login");
    });

    it("is managed on the admin pages: create, a token shown once, revoke, delete", async () => {
      const page = new PageClient(harness.app, undefined, from());
      await page.login(TEST_CONFIG.adminUser as string, TEST_CONFIG.adminPassword as string);
      expect((await page.get("/admin/service-accounts")).status).toBe(200);
      const username = unique("page-sa");
      const created = await page.post("/admin/service-accounts", { username, role: "ROLE_USER" });
      expect(created.location).toBe("/admin/service-accounts");
      const listed = await page.get("/admin/service-accounts");
      const id = Number(new RegExp(`id="service-account-(\\d+)"><h2[^>]*>${username}`).exec(listed.body)?.[1]);
      expect(id).toBeGreaterThan(0);
      const minted = await page.post(`/admin/service-accounts/${id}/tokens`, { name: "from the page", scopes: ["metadata:read"] });
      const token = /<pre id="new-token"[^>]*>([^<]+)<\/pre>/.exec(minted.body)?.[1] ?? "";
      expect(token, minted.body.slice(0, 300)).not.toBe("");
      expect((await send("/packages.json", { token })).status).toBe(200);
      // Shown once: the list does not carry it.
      expect((await page.get("/admin/service-accounts")).body).not.toContain(token);
      const [tokenId] = (await client.api<{ tokens: { id: number }[] }>(admin, "GET", `/api/service-accounts/${id}/tokens`)).tokens.map((entry) => entry.id);
      await page.get("/admin/service-accounts");
      expect((await page.post(`/admin/service-accounts/${id}/tokens/${tokenId}/revoke`, {})).location).toBe("/admin/service-accounts");
      expect((await send("/packages.json", { token })).status).toBe(401);
      await page.get("/admin/service-accounts");
      // A person is not deletable here.
      const refused = await page.post(`/admin/service-accounts/1/delete`, {});
      expect(refused.location).toBe("/admin/service-accounts");
      expect((await client.api<{ id: number }>(admin, "GET", "/api/users/1")).id).toBe(1);
      await page.get("/admin/service-accounts");
      await page.post(`/admin/service-accounts/${id}/delete`, {});
      expect((await send(`/api/service-accounts/${id}`, { token: admin })).status).toBe(404);
      // A customer does not see the page.
      const customer = await client.customer(admin);
      const customerPage = new PageClient(harness.app, undefined, from());
      await customerPage.login(customer.username, customer.password);
      expect((await customerPage.get("/admin/service-accounts")).status).toBe(403);
    });

    it("is managed by admins only, and refuses bad input", async () => {
      const maintainer = await client.customer(admin, { roles: ["ROLE_MAINTAINER"] });
      expect((await send("/api/service-accounts", { token: maintainer.token })).status).toBe(403);
      expect((await send("/api/service-accounts", { method: "POST", token: maintainer.token, body: { username: unique("sa") } })).status).toBe(403);
      expect((await send("/api/service-accounts")).status).toBe(401);

      const account = await createAccount(["ROLE_USER"]);
      const person = maintainer.id;
      const cases: [string, string, string, unknown, number][] = [
        ["a bad name", "POST", "/api/service-accounts", { username: "no spaces allowed" }, 400],
        ["a taken name", "POST", "/api/service-accounts", { username: account.username }, 409],
        ["an unknown role", "POST", "/api/service-accounts", { username: unique("sa"), roles: ["ROLE_ROOT"] }, 400],
        ["a scope the account lacks", "POST", `/api/service-accounts/${account.id}/tokens`, { name: "wide", scopes: ["packages:write"] }, 400],
        ["an expiry in the past", "POST", `/api/service-accounts/${account.id}/tokens`, { name: "old", expiresAt: new Date(harness.clock.now - DAY).toISOString() }, 400],
        ["no token name", "POST", `/api/service-accounts/${account.id}/tokens`, {}, 400],
        ["a person's id", "POST", `/api/service-accounts/${person}/tokens`, { name: "x" }, 404],
        ["a person's tokens", "GET", `/api/service-accounts/${person}/tokens`, undefined, 404],
        ["deleting a person here", "DELETE", `/api/service-accounts/${person}`, undefined, 404],
        ["another account's token", "DELETE", `/api/service-accounts/${account.id}/tokens/${(await json<{ id: number }>(await send("/api/tokens", { method: "POST", token: admin, body: { name: unique("t") } }))).id}`, undefined, 404],
      ];
      for (const [what, method, path, body, status] of cases) expect((await send(path, { method, token: admin, body })).status, what).toBe(status);
      const listed = await client.api<{ serviceAccounts: { id: number }[] }>(admin, "GET", "/api/service-accounts");
      expect(listed.serviceAccounts.map((entry) => entry.id)).toContain(account.id);
      expect(listed.serviceAccounts.map((entry) => entry.id)).not.toContain(person);
    });
  });
}
