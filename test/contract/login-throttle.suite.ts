// Issue 9's login row: password and code checks are limited by one counter shared by every
// isolate and process, reserved before the check, so no burst runs more checks than the limit;
// one address also has a budget across usernames. A 401 means a check ran; a 429 means none did.
import { beforeAll, describe, expect, it } from "vitest";
import { PER_ACCOUNT_LIMIT, PER_ADDRESS_LIMIT, LOGIN_WINDOW_MS } from "../../src/auth/login-throttle.ts";
import { totpCode } from "../../src/auth/totp.ts";
import { attemptCounters } from "../../src/db/schema.ts";
import { runScheduledWork } from "../../src/scheduler/run-scheduled.ts";
import { PageClient } from "../support/page-client.ts";
import { Client } from "./client.ts";
import { TEST_CONFIG, type Harness, type HarnessFactory } from "./harness.ts";

export function loginThrottleSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: login throttling`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    // Every test acts from its own addresses (suites may share one database on workerd).
    const net = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    let hosts = 0;
    const newAddress = () => `${net}.${++hosts}`;
    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    const exchange = (app: Client, address: string, username: string, password: string) =>
      app.request("/api/auth/token", { method: "POST", headers: { "cf-connecting-ip": address }, body: JSON.stringify({ username, password }) });
    const tally = (statuses: number[]) => ({
      checked: statuses.filter((status) => status === 401).length,
      refused: statuses.filter((status) => status === 429).length,
      other: statuses.filter((status) => status !== 401 && status !== 429).length,
    });

    it("checks at most the limit of 200 parallel wrong passwords for one account", async () => {
      const address = newAddress();
      const statuses = await Promise.all(Array.from({ length: 200 }, (_, i) => exchange(client, address, "admin", `wrong-${i}`).then((response) => response.status)));
      expect(tally(statuses)).toEqual({ checked: PER_ACCOUNT_LIMIT, refused: 200 - PER_ACCOUNT_LIMIT, other: 0 });
      // The account is closed to this address for the window, not to others; then it reopens.
      expect((await exchange(client, address, "admin", TEST_CONFIG.adminPassword as string)).status).toBe(429);
      expect((await exchange(client, newAddress(), "admin", TEST_CONFIG.adminPassword as string)).status).toBe(201);
      harness.clock.now += LOGIN_WINDOW_MS + 1;
      expect((await exchange(client, address, "admin", TEST_CONFIG.adminPassword as string)).status).toBe(201);
    });

    it("gives one address a budget across usernames: 36 tries over 12 users check at most the budget", async () => {
      const address = newAddress();
      const statuses: number[] = [];
      for (let round = 0; round < 3; round++) {
        statuses.push(...(await Promise.all(Array.from({ length: 12 }, (_, user) => exchange(client, address, `spray-${user}`, `guess-${round}`).then((response) => response.status)))));
      }
      expect(tally(statuses)).toEqual({ checked: PER_ADDRESS_LIMIT, refused: 36 - PER_ADDRESS_LIMIT, other: 0 });
      expect((await exchange(client, address, "admin", TEST_CONFIG.adminPassword as string)).status).toBe(429);
      expect((await exchange(client, newAddress(), "admin", TEST_CONFIG.adminPassword as string)).status).toBe(201);
    });

    it("counts only failures: correct passwords spend no budget and are not blocked by failures on other usernames", async () => {
      const address = newAddress();
      const customer = await client.customer(admin);
      const failures = PER_ADDRESS_LIMIT - 5;
      for (let i = 0; i < failures; i++) expect((await exchange(client, address, `other-${i % 3}`, "wrong")).status).toBe(401);
      for (let i = 0; i < 10; i++) expect((await exchange(client, address, customer.username, customer.password)).status).toBe(201);
      // The budget left is exactly what the failures did not spend.
      const rest = await Promise.all(Array.from({ length: 10 }, (_, i) => exchange(client, address, `late-${i}`, "wrong").then((response) => response.status)));
      expect(tally(rest)).toEqual({ checked: 5, refused: 5, other: 0 });
    });

    it("shares the counter between processes (isolates)", async () => {
      const address = newAddress();
      const other = new Client(harness.sibling());
      const statuses = await Promise.all(
        Array.from({ length: 24 }, (_, i) => exchange(i % 2 ? other : client, address, "shared-target", `wrong-${i}`).then((response) => response.status)),
      );
      expect(tally(statuses)).toEqual({ checked: PER_ACCOUNT_LIMIT, refused: 24 - PER_ACCOUNT_LIMIT, other: 0 });
    });

    it("throttles the sign-in form and its code step the same way", async () => {
      const customer = await client.customer(admin);
      const address = newAddress();
      const guesser = new PageClient(harness.app, undefined, { "cf-connecting-ip": address });
      await guesser.get("/login");
      const csrf = guesser.csrf();
      const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => guesser.post("/login", { username: customer.username, password: `guess-${i}` }, { csrf }).then((page) => page.status)));
      expect(tally(statuses)).toEqual({ checked: PER_ACCOUNT_LIMIT, refused: 30 - PER_ACCOUNT_LIMIT, other: 0 });

      // Turn on TOTP for the customer, then guess codes at the second step.
      const owner = new PageClient(harness.app, undefined, { "cf-connecting-ip": newAddress() });
      await owner.login(customer.username, customer.password);
      const setup = await owner.get("/account/2fa");
      const secret = /name="secret" value="([^"]+)"/.exec(setup.body)?.[1] ?? "";
      const signature = /name="signature" value="([^"]+)"/.exec(setup.body)?.[1] ?? "";
      expect((await owner.post("/account/2fa", { secret, signature, otp: await totpCode(secret, harness.clock.now) })).status).toBe(200);
      const second = new PageClient(harness.app, undefined, { "cf-connecting-ip": newAddress() });
      await second.login(customer.username, customer.password);
      const codes = await Promise.all(Array.from({ length: 25 }, (_, i) => second.post("/login/otp", { otp: String(100000 + i * 7919).slice(0, 6) }, { csrf: second.csrf() }).then((page) => page.status)));
      expect(tally(codes)).toEqual({ checked: PER_ACCOUNT_LIMIT, refused: 25 - PER_ACCOUNT_LIMIT, other: 0 });
    });

    it("sweeps counters whose window has passed in the scheduled work", async () => {
      const address = newAddress();
      expect((await exchange(client, address, "swept", "wrong")).status).toBe(401);
      const ours = async () => (await harness.app.services.db.orm.select().from(attemptCounters).all()).filter((row) => row.key.includes(address));
      expect((await ours()).length).toBe(2);
      harness.clock.now += LOGIN_WINDOW_MS + 1;
      expect((await runScheduledWork(harness.app.services)).sweptCounters).toBeGreaterThanOrEqual(2);
      expect(await ours()).toEqual([]);
    });
  });
}
